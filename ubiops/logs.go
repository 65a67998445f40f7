package ubiops

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"strconv"
	"time"
)

// LogsService reads the logs of a project: logs_list (GET, the live API's current endpoint) and
// projects_log_list (POST, the endpoint on the reference pages, deprecated by the official client).
type LogsService struct{ c *Client }

// List returns the log lines of a project that match params (logs_list): oldest first, or newest
// first when Start is after End (a backward search); at most Limit lines (default 1000, at most
// 5000); the last 24 hours when Start and End are absent. Query is the endpoint's LogQL-style
// filter: build it with LogFilter.String, or write it yourself. params may be nil. Read and Follow
// walk any span without the page limit.
func (s *LogsService) List(ctx context.Context, project string, params *LogsListParams, opts ...CallOption) ([]LogList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]LogList](ctx, s.c, opts, call2(s.c.raw.LogsList, project, params))
}

// ListDeprecated returns the log lines of a project that match query (projects_log_list, the
// endpoint of the reference pages, which the official client deprecates for logs_list): at most
// query.Limit lines (default 1000, at most 5000 on the live API; the pages say 50 and 500) within
// query.DateRange seconds (at most 24 hours) of the starting point.
func (s *LogsService) ListDeprecated(ctx context.Context, project string, query LogsCreate, opts ...CallOption) ([]Logs, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]Logs](ctx, s.c, opts, call2(s.c.raw.ProjectsLogList, project, query))
}

// The API's limits on one log query.
const (
	maxLogPage  = maxLinesPage // the live API's maximum (the pages say 500)
	maxLogRange = 86400        // seconds
)

// ErrLogsStalled ends a log iteration whose server returned a full page that did not move past the
// previous one (the same last line, or, after an anchor line, no line not yielded before), which
// would otherwise repeat forever.
var ErrLogsStalled = errors.New("ubiops: log paging made no progress")

// LogQuery selects the log lines Read and Follow walk through.
type LogQuery struct {
	// Filter selects lines on the logs_list endpoint (labels, text search, a raw query).
	Filter LogFilter
	// Filters selects lines when Deprecated is set (projects_log_list's filter object).
	Filters LogsCreateFilters
	// Deprecated reads through projects_log_list, the endpoint of the reference pages, instead of
	// logs_list. StartID needs it (logs_list lines have no id).
	Deprecated bool
	// Start is where reading begins (inclusive). Zero: 24 hours before End when reading forward,
	// now when reading backward.
	Start time.Time
	// StartID begins at this log line (inclusive) instead of at Start (Deprecated only).
	StartID string
	// End is where reading stops (inclusive). Zero: now when reading forward, 24 hours before
	// Start when reading backward. Follow ignores it.
	End time.Time
	// Backward reads from Start back to End, newest line first.
	Backward bool
	// PageSize is how many lines each request asks for (1 to 5000; default 1000).
	PageSize int
	// PollInterval is how often Follow asks for new lines once it has caught up (default 2 s).
	PollInterval time.Duration
}

// Read iterates over the log lines selected by q, forward (oldest first) or backward, yielding
// every line exactly once however many requests it takes. On logs_list a page starts at the
// previous page's last timestamp (inclusive), and the lines already yielded at that timestamp are
// dropped (counted, so identical lines at one moment all come through); more lines at a single
// timestamp than PageSize end the iteration with ErrLogsStalled. With q.Deprecated it reads
// projects_log_list through 24-hour windows, paging by line id.
func (s *LogsService) Read(ctx context.Context, project string, q LogQuery, opts ...CallOption) iter.Seq2[LogList, error] {
	if q.Deprecated {
		return deprecatedLines(s.walk(ctx, project, q, false, opts))
	}
	return s.walkLines(ctx, project, q, false, opts)
}

// Follow reads forward from q.Start (default: now) like Read, then keeps asking for new lines
// every q.PollInterval until ctx ends; the iteration then stops without an error.
func (s *LogsService) Follow(ctx context.Context, project string, q LogQuery, opts ...CallOption) iter.Seq2[LogList, error] {
	q.Backward = false
	if q.Deprecated {
		return deprecatedLines(s.walk(ctx, project, q, true, opts))
	}
	return s.walkLines(ctx, project, q, true, opts)
}

// deprecatedLines turns projects_log_list lines into logs_list lines.
func deprecatedLines(seq iter.Seq2[Logs, error]) iter.Seq2[LogList, error] {
	return func(yield func(LogList, error) bool) {
		for l, err := range seq {
			if err != nil {
				yield(LogList{}, err)
				return
			}
			if !yield(logListOf(l), nil) {
				return
			}
		}
	}
}

// logListOf is a projects_log_list line in the shape of a logs_list line.
func logListOf(l Logs) LogList {
	ts := l.Date.UTC().Format(time.RFC3339Nano)
	return LogList{Log: l.Log, Timestamp: l.Date.UnixNano(), TimestampStr: &ts, Metadata: &LogMetadata{
		BuildID: l.BuildID, DeploymentName: l.DeploymentName, DeploymentVersion: l.DeploymentVersion,
		DeploymentRequestID: uuidString(l.DeploymentRequestID), DeploymentVersionRevisionID: uuidString(l.DeploymentVersionRevisionID),
		EnvironmentBuildID: uuidString(l.EnvironmentBuildID), EnvironmentName: l.EnvironmentName, InstanceID: l.InstanceID,
		Level: (*string)(l.Level), PipelineName: l.PipelineName, PipelineObjectName: l.PipelineObjectName,
		PipelineRequestID: uuidString(l.PipelineRequestID), PipelineVersion: l.PipelineVersion, ProcessID: l.ProcessID,
		System: l.System, WebhookName: l.WebhookName,
	}}
}

// uuidString is an optional id as an optional string.
func uuidString(id *UUID) *string {
	if id == nil {
		return nil
	}
	s := id.String()
	return &s
}

// maxLinesPage is the most lines one logs_list call returns; defaultLinesPage its default.
const (
	maxLinesPage     = 5000
	defaultLinesPage = 1000
)

// lineKey identifies a logs_list line for dropping repeats: lines carry no id.
func lineKey(l LogList) string {
	meta, _ := json.Marshal(l.Metadata)
	return strconv.FormatInt(l.Timestamp, 10) + "\x00" + l.Log + "\x00" + string(meta)
}

// lineCursor is what a logs_list walk has yielded at its last timestamp, with multiplicity.
type lineCursor struct {
	have bool
	last int64
	seen map[string]int
}

// add records a yielded line.
func (lc *lineCursor) add(l LogList) {
	if !lc.have || l.Timestamp != lc.last {
		lc.have, lc.last = true, l.Timestamp
		clear(lc.seen)
	}
	lc.seen[lineKey(l)]++
}

// walkLines is Read and Follow on logs_list: pages by timestamp, start inclusive.
func (s *LogsService) walkLines(ctx context.Context, project string, q LogQuery, follow bool, opts []CallOption) iter.Seq2[LogList, error] {
	return func(yield func(LogList, error) bool) {
		start, end, page, err := q.lineBounds(follow)
		if err != nil {
			yield(LogList{}, err)
			return
		}
		poll := cmp.Or(q.PollInterval, 2*time.Second)
		query := q.Filter.String()
		cur := lineCursor{seen: map[string]int{}}
		from := start
		for {
			if err := ctx.Err(); err != nil {
				if !follow {
					yield(LogList{}, err)
				}
				return
			}
			to := end
			if follow {
				to = time.Now().Add(time.Second)
			}
			params := &LogsListParams{Start: Ptr(from.UTC().Format(time.RFC3339Nano)), End: Ptr(to.UTC().Format(time.RFC3339Nano)), Limit: &page}
			if query != "" {
				params.Query = &query
			}
			lines, err := s.List(ctx, project, params, opts...)
			if err != nil {
				if follow && ctx.Err() != nil {
					return
				}
				yield(LogList{}, err)
				return
			}
			skip := maps.Clone(cur.seen)
			fresh := 0
			for _, l := range lines {
				if cur.have && ((!q.Backward && l.Timestamp < cur.last) || (q.Backward && l.Timestamp > cur.last)) {
					continue // behind what was read: a server that ignores start
				}
				if cur.have && l.Timestamp == cur.last && skip[lineKey(l)] > 0 {
					skip[lineKey(l)]--
					continue
				}
				cur.add(l)
				fresh++
				if !yield(l, nil) {
					return
				}
			}
			if len(lines) >= page {
				if fresh == 0 {
					// A full page of lines already yielded: more lines share one timestamp than a
					// page holds, or the server ignores start.
					yield(LogList{}, ErrLogsStalled)
					return
				}
				from = time.Unix(0, cur.last)
				continue
			}
			if !follow {
				return
			}
			if cur.have {
				from = time.Unix(0, cur.last)
			}
			if sleepContext(ctx, poll) != nil {
				return
			}
		}
	}
}

// lineBounds resolves a logs_list walk's start, end (exclusive, as the endpoint takes it) and page
// size, or refuses the query.
func (q LogQuery) lineBounds(follow bool) (start, end time.Time, page int, err error) {
	page = cmp.Or(q.PageSize, defaultLinesPage)
	if page < 0 || page > maxLinesPage {
		return start, end, 0, &ValidationError{Field: "limit", Reason: fmt.Sprintf("page size %d is not between 1 and %d", page, maxLinesPage)}
	}
	if q.StartID != "" {
		return start, end, 0, &ValidationError{Field: "StartID", Reason: "logs_list lines have no id: set Deprecated to start at a line id"}
	}
	if start, end, err = q.span(follow); err != nil {
		return start, end, 0, err
	}
	switch { // End is inclusive; the endpoint's end is not
	case follow:
	case q.Backward:
		end = end.Add(-time.Nanosecond)
	default:
		end = end.Add(time.Nanosecond)
	}
	return start, end, page, nil
}

// span resolves where a walk starts and ends (inclusive), with the defaults LogQuery documents,
// or refuses an end on the wrong side of the start. Follow has no end.
func (q LogQuery) span(follow bool) (start, end time.Time, err error) {
	now := time.Now()
	start, end = q.Start, q.End
	switch {
	case follow:
		if start.IsZero() {
			start = now
		}
	case q.Backward:
		if start.IsZero() {
			start = now
		}
		if end.IsZero() {
			end = start.Add(-24 * time.Hour)
		}
		if end.After(start) {
			return start, end, &ValidationError{Field: "date", Reason: "reading backward, End must not be after Start"}
		}
	default:
		if end.IsZero() {
			end = now
		}
		if start.IsZero() {
			start = end.Add(-24 * time.Hour)
		}
		if start.After(end) {
			return start, end, &ValidationError{Field: "date", Reason: "reading forward, Start must not be after End (set Backward to read back)"}
		}
	}
	return start, end, nil
}

// logCursor tracks what has been yielded: the last moment reached and the ids yielded at exactly
// that moment, so lines the API repeats at a page or window boundary are dropped.
type logCursor struct {
	have   bool
	last   time.Time
	atLast map[string]struct{}
}

// fresh reports whether l comes after everything yielded so far in the reading direction.
func (lc *logCursor) fresh(l Logs, backward bool) bool {
	if !lc.have {
		return true
	}
	if (!backward && l.Date.Before(lc.last)) || (backward && l.Date.After(lc.last)) {
		return false
	}
	if l.Date.Equal(lc.last) {
		_, seen := lc.atLast[l.ID]
		return !seen
	}
	return true
}

func (lc *logCursor) add(l Logs) {
	if !lc.have || !l.Date.Equal(lc.last) {
		lc.have, lc.last = true, l.Date.Time
		clear(lc.atLast)
	}
	lc.atLast[l.ID] = struct{}{}
}

func (s *LogsService) walk(ctx context.Context, project string, q LogQuery, follow bool, opts []CallOption) iter.Seq2[Logs, error] {
	return func(yield func(Logs, error) bool) {
		page := q.PageSize
		if page <= 0 {
			page = defaultLinesPage
		}
		if page > maxLogPage {
			yield(Logs{}, &ValidationError{Field: "limit", Reason: fmt.Sprintf("page size %d is above the maximum of %d", page, maxLogPage)})
			return
		}
		start, end, err := q.span(follow)
		if err != nil {
			yield(Logs{}, err)
			return
		}
		poll := q.PollInterval
		if poll <= 0 {
			poll = 2 * time.Second
		}

		filters := q.Filters
		cur := logCursor{atLast: map[string]struct{}{}}
		windowStart, anchorID := start, q.StartID
		for {
			if err := ctx.Err(); err != nil {
				if !follow {
					yield(Logs{}, err)
				}
				return
			}
			limit := page
			body := LogsCreate{Filters: &filters, Limit: &limit}
			if anchorID != "" {
				body.ID = &anchorID
			} else {
				d := NewTime(windowStart)
				body.Date = &d
			}
			span := maxLogRange
			if !follow {
				// Ask only for what is left up to End, so a window never reaches past it.
				left := end.Sub(windowStart)
				if q.Backward {
					left = -left
				}
				span = int(math.Min(maxLogRange, math.Max(1, math.Ceil(left.Seconds()))))
			}
			dateRange := span
			if q.Backward {
				dateRange = -span
			}
			body.DateRange = &dateRange

			lines, err := s.ListDeprecated(ctx, project, body, opts...)
			if err != nil {
				if follow && ctx.Err() != nil {
					return
				}
				yield(Logs{}, err)
				return
			}
			fresh := 0
			for i := range lines {
				l := lines[i]
				if q.Backward {
					l = lines[len(lines)-1-i]
				}
				if !cur.fresh(l, q.Backward) {
					continue
				}
				if !follow && ((!q.Backward && l.Date.After(end)) || (q.Backward && l.Date.Before(end))) {
					return
				}
				cur.add(l)
				fresh++
				if !yield(l, nil) {
					return
				}
			}

			if len(lines) >= page {
				// A full page: continue from its last line (oldest when reading backward), which
				// the next answer repeats.
				next := lines[len(lines)-1].ID
				if q.Backward {
					next = lines[0].ID
				}
				if next == anchorID || (body.ID != nil && fresh == 0) {
					// The same page again, or a page after an anchor line with nothing after it (a
					// server that ignores the anchor and cycles through pages): nothing moves on.
					yield(Logs{}, ErrLogsStalled)
					return
				}
				anchorID = next
				windowStart = cur.last
				continue
			}
			// The window is exhausted: move to the next one.
			step := time.Duration(span) * time.Second
			if q.Backward {
				step = -step
			}
			windowEnd := windowStart.Add(step)
			if follow {
				if windowEnd.After(time.Now()) {
					// Caught up: keep the window and ask again after a while.
					if cur.have {
						windowStart, anchorID = cur.last, ""
					}
					if sleepContext(ctx, poll) != nil {
						return
					}
					continue
				}
			} else if (!q.Backward && !windowEnd.Before(end)) || (q.Backward && !windowEnd.After(end)) {
				return
			}
			windowStart, anchorID = windowEnd, ""
		}
	}
}
