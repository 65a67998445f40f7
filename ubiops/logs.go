package ubiops

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"
)

// LogsService reads the logs of a project (projects_log_list).
type LogsService struct{ c *Client }

// List returns the log lines of a project that match query (projects_log_list): at most
// query.Limit lines (default 50, at most 500) within query.DateRange seconds (at most 24 hours) of
// the starting point. Read and Follow walk any span without these limits.
func (s *LogsService) List(ctx context.Context, project string, query LogsCreate, opts ...CallOption) ([]Logs, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]Logs](ctx, s.c, opts, call2(s.c.raw.ProjectsLogList, project, query))
}

// The API's limits on one log query.
const (
	maxLogPage  = 500
	maxLogRange = 86400 // seconds
)

// ErrLogsStalled ends a log iteration whose server returned a full page that did not move past the
// previous one (the same last line, or, after an anchor line, no line not yielded before), which
// would otherwise repeat forever.
var ErrLogsStalled = errors.New("ubiops: log paging made no progress")

// LogQuery selects the log lines Read and Follow walk through.
type LogQuery struct {
	// Filters selects lines by deployment, version, request id, environment, system, level, ...
	Filters LogsCreateFilters
	// Start is where reading begins (inclusive). Zero: 24 hours before End when reading forward,
	// now when reading backward.
	Start time.Time
	// StartID begins at this log line (inclusive) instead of at Start.
	StartID string
	// End is where reading stops (inclusive). Zero: now when reading forward, 24 hours before
	// Start when reading backward. Follow ignores it.
	End time.Time
	// Backward reads from Start back to End, newest line first.
	Backward bool
	// PageSize is how many lines each request asks for (1 to 500; default 500).
	PageSize int
	// PollInterval is how often Follow asks for new lines once it has caught up (default 2 s).
	PollInterval time.Duration
}

// Read iterates over the log lines selected by q, forward (oldest first) or backward, yielding
// every line exactly once however many requests it takes: it moves through 24-hour windows and
// pages within them, and drops the line the API repeats when a page starts at the previous page's
// last line.
func (s *LogsService) Read(ctx context.Context, project string, q LogQuery, opts ...CallOption) iter.Seq2[Logs, error] {
	return s.walk(ctx, project, q, false, opts)
}

// Follow reads forward from q.Start (default: now) like Read, then keeps asking for new lines
// every q.PollInterval until ctx ends; the iteration then stops without an error.
func (s *LogsService) Follow(ctx context.Context, project string, q LogQuery, opts ...CallOption) iter.Seq2[Logs, error] {
	q.Backward = false
	return s.walk(ctx, project, q, true, opts)
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
			page = maxLogPage
		}
		if page > maxLogPage {
			yield(Logs{}, &ValidationError{Field: "limit", Reason: fmt.Sprintf("page size %d is above the maximum of %d", page, maxLogPage)})
			return
		}
		now := time.Now()
		start, end := q.Start, q.End
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
				yield(Logs{}, &ValidationError{Field: "date", Reason: "reading backward, End must not be after Start"})
				return
			}
		default:
			if end.IsZero() {
				end = now
			}
			if start.IsZero() {
				start = end.Add(-24 * time.Hour)
			}
			if start.After(end) {
				yield(Logs{}, &ValidationError{Field: "date", Reason: "reading forward, Start must not be after End (set Backward to read back)"})
				return
			}
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

			lines, err := s.List(ctx, project, body, opts...)
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
