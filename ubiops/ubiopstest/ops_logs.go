package ubiopstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Log queries (projects_log_list, deprecated by the official client for logs_list, see
// ops_logs_list.go). A query starts at a date (any form apitime.Parse reads: ISO 8601 with or
// without an offset, "T" or a space, or a date alone) or at a log line (by id; that line is
// part of the answer) or, with neither, at the current time, and covers date_range seconds from
// there: forwards when positive, backwards when negative (default -21600, at most 24 hours either
// way). At most limit lines (default 1000, at most 5000, as the live API; the pages say 50 and 500)
// are returned, those nearest the starting point, in chronological order. Lines recorded for a
// moment that has not come yet are not shown.

const (
	defaultLogLimit     = 1000
	maxLogLimit         = 5000
	defaultLogDateRange = -21600
	maxLogDateRange     = 86400
)

func projectsLogList(c *call) answer {
	p, a, good := c.project()
	if !good {
		return a
	}
	q, a, good := decodeLogsCreate(c.body)
	if !good {
		return a
	}
	lq, a, good := checkLogsCreate(&q)
	if !good {
		return a
	}
	now := c.now()
	// Only lines up to now exist yet; p.logs is sorted by date.
	visible := p.logs[:upperBound(p.logs, now)]
	startIdx, start, a, good := logStartingPoint(&q, visible, now)
	if !good {
		return a
	}
	end := start.Add(time.Duration(lq.dateRange) * time.Second)
	if lq.dateRange >= 0 {
		return ok(logsForward(visible, startIdx, start, end, &lq))
	}
	return ok(logsBackward(visible, startIdx, start, end, &lq))
}

// logsCreateQuery is a projects_log_list query's limit, date range and filters, checked and with
// their defaults applied.
type logsCreateQuery struct {
	limit, dateRange int
	filters          ubiops.LogsCreateFilters
}

// decodeLogsCreate reads a projects_log_list body (an empty one is a query of defaults).
func decodeLogsCreate(raw []byte) (ubiops.LogsCreate, answer, bool) {
	var q ubiops.LogsCreate
	if len(bytes.TrimSpace(raw)) > 0 {
		body, err := normalizeLogQuery(raw)
		if err == nil {
			err = json.Unmarshal(body, &q)
		}
		if err != nil {
			return q, apiError(http.StatusBadRequest, "request body: %v", err), false
		}
	}
	return q, answer{}, true
}

// checkLogsCreate applies a query's defaults and refuses what is out of bounds or inconsistent, in
// this order: limit, date_range, filters, then a starting point given twice.
func checkLogsCreate(q *ubiops.LogsCreate) (logsCreateQuery, answer, bool) {
	lq := logsCreateQuery{limit: valueOr(q.Limit, defaultLogLimit), dateRange: valueOr(q.DateRange, defaultLogDateRange)}
	if lq.limit < 1 || lq.limit > maxLogLimit {
		return lq, apiError(http.StatusBadRequest, "request body field limit: must be between 1 and %d", maxLogLimit), false
	}
	if lq.dateRange < -maxLogDateRange || lq.dateRange > maxLogDateRange {
		return lq, apiError(http.StatusBadRequest, "request body field date_range: must be between -%d and %d", maxLogDateRange, maxLogDateRange), false
	}
	if q.Filters != nil {
		lq.filters = *q.Filters
	}
	if a, good := checkLogFilters(&lq.filters); !good {
		return lq, a, false
	}
	if q.ID != nil && q.Date != nil {
		return lq, apiError(http.StatusBadRequest, "request body: give either date or id as the starting point, not both"), false
	}
	return lq, answer{}, true
}

// checkLogFilters refuses a version or object filter without the names that place it.
func checkLogFilters(f *ubiops.LogsCreateFilters) (answer, bool) {
	switch {
	case f.DeploymentVersion != nil && f.DeploymentName == nil:
		return apiError(http.StatusBadRequest, "request body field filters.deployment_version: deployment_name must also be given"), false
	case f.PipelineVersion != nil && f.PipelineName == nil:
		return apiError(http.StatusBadRequest, "request body field filters.pipeline_version: pipeline_name must also be given"), false
	case f.PipelineObjectName != nil && (f.PipelineName == nil || f.PipelineVersion == nil):
		return apiError(http.StatusBadRequest, "request body field filters.pipeline_object_name: pipeline_name and pipeline_version must also be given"), false
	}
	return answer{}, true
}

// logStartingPoint is where a query starts: the index of the line its id names (-1 when it names
// no visible line) and the moment to start at (the line's date, the query's date, or now).
func logStartingPoint(q *ubiops.LogsCreate, visible []ubiops.Logs, now time.Time) (int, time.Time, answer, bool) {
	switch {
	case q.ID != nil:
		for i := range visible {
			if visible[i].ID == *q.ID {
				return i, visible[i].Date.Time, answer{}, true
			}
		}
		t, good := logIDTime(*q.ID)
		if !good {
			return -1, now, apiError(http.StatusBadRequest, "request body field id: %q is not a log line id", *q.ID), false
		}
		return -1, t, answer{}, true // a line not (or no longer) shown: start at the moment its id names
	case q.Date != nil:
		return -1, q.Date.Time, answer{}, true
	}
	return -1, now, answer{}, true
}

// logsForward reads up to the limit of matching lines from the starting point (the line at
// startIdx, else the first dated at or after start) up to end, oldest first.
func logsForward(visible []ubiops.Logs, startIdx int, start, end time.Time, lq *logsCreateQuery) []ubiops.Logs {
	out := []ubiops.Logs{}
	from := 0
	if startIdx >= 0 {
		from = startIdx
	}
	for i := from; i < len(visible) && len(out) < lq.limit; i++ {
		l := visible[i]
		if startIdx < 0 && l.Date.Before(start) {
			continue
		}
		if l.Date.After(end) {
			break
		}
		if logMatches(&l, &lq.filters) {
			out = append(out, l)
		}
	}
	return out
}

// logsBackward reads up to the limit of matching lines from the starting point (the line at
// startIdx, else the last dated at or before start) back to end, and returns them oldest first.
func logsBackward(visible []ubiops.Logs, startIdx int, start, end time.Time, lq *logsCreateQuery) []ubiops.Logs {
	out := []ubiops.Logs{}
	from := len(visible) - 1
	if startIdx >= 0 {
		from = startIdx
	}
	for i := from; i >= 0 && len(out) < lq.limit; i-- {
		l := visible[i]
		if startIdx < 0 && l.Date.After(start) {
			continue
		}
		if l.Date.Before(end) {
			break
		}
		if logMatches(&l, &lq.filters) {
			out = append(out, l)
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// normalizeLogQuery rewrites what the official client sends differently from the pages: it sends
// every filter as a string, so filters.system may be "true" or "false" (the spec allows both), which
// becomes a JSON boolean. A null filter is no filter, which decoding already gives.
func normalizeLogQuery(body []byte) ([]byte, error) {
	var q map[string]json.RawMessage
	if err := json.Unmarshal(body, &q); err != nil {
		return nil, err
	}
	var filters map[string]json.RawMessage
	if raw, ok := q["filters"]; !ok || jsonKind(raw) != '{' || json.Unmarshal(raw, &filters) != nil {
		return body, nil
	}
	var s string
	if raw, ok := filters["system"]; !ok || jsonKind(raw) != '"' || json.Unmarshal(raw, &s) != nil {
		return body, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, fmt.Errorf("field filters.system: %q is not true or false", s)
	}
	filters["system"] = json.RawMessage(strconv.FormatBool(b))
	if q["filters"], err = json.Marshal(filters); err != nil {
		return nil, err
	}
	return json.Marshal(q)
}

// upperBound is the number of lines dated at or before t.
func upperBound(logs []ubiops.Logs, t time.Time) int {
	lo, hi := 0, len(logs)
	for lo < hi {
		m := (lo + hi) / 2
		if logs[m].Date.After(t) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// logIDTime reads the moment a log line id names: like UbiOps' ids, the first 8 of its 24
// hexadecimal characters are a Unix time in seconds.
func logIDTime(id string) (time.Time, bool) {
	if len(id) != 24 {
		return time.Time{}, false
	}
	if _, err := strconv.ParseUint(id[8:], 16, 64); err != nil {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(id[:8], 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// logMatches applies the filters; a filter on a field the line does not have excludes it.
func logMatches(l *ubiops.Logs, f *ubiops.LogsCreateFilters) bool {
	return matchPtr(f.DeploymentName, l.DeploymentName) &&
		matchPtr(f.DeploymentVersion, l.DeploymentVersion) &&
		matchPtr(f.DeploymentVersionRevisionID, l.DeploymentVersionRevisionID) &&
		matchPtr(f.EnvironmentName, l.EnvironmentName) &&
		matchPtr(f.EnvironmentBuildID, l.EnvironmentBuildID) &&
		matchPtr(f.PipelineName, l.PipelineName) &&
		matchPtr(f.PipelineVersion, l.PipelineVersion) &&
		matchPtr(f.PipelineObjectName, l.PipelineObjectName) &&
		matchPtr(f.DeploymentRequestID, l.DeploymentRequestID) &&
		matchPtr(f.PipelineRequestID, l.PipelineRequestID) &&
		matchPtr(f.WebhookName, l.WebhookName) && // the fake has no webhooks: only seeded lines have one
		matchPtr(f.System, logSystem(l)) &&
		(f.Level == nil || string(*f.Level) == string(logLevel(l)))
}

func matchPtr[T comparable](want, have *T) bool {
	return want == nil || (have != nil && *have == *want)
}

// logSystem and logLevel read a line's system flag and level (system info lines by default).
func logSystem(l *ubiops.Logs) *bool {
	if l.System == nil {
		return ubiops.Ptr(true)
	}
	return l.System
}

func logLevel(l *ubiops.Logs) ubiops.LogsLevel {
	if l.Level == nil {
		return ubiops.LogsLevelInfo
	}
	return *l.Level
}

// SeedLogs adds log lines to a project, for testing code that reads logs. A line without an id
// gets one, a line without a date gets the current time, and System and Level default to true and
// info. Lines dated in the future stay hidden until their time comes, like the API's. It fails if
// the project does not exist, or if a line is dated outside the years 0 to 9999 (no answer could
// carry it); then no line is added.
func (s *Server) SeedLogs(project string, lines ...ubiops.Logs) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state
	p := st.findProject(project)
	if p == nil {
		return fmt.Errorf("ubiopstest: project %q does not exist", project)
	}
	for _, l := range lines {
		if !l.Date.IsZero() && !encodableTime(l.Date.Time) {
			return fmt.Errorf("ubiopstest: SeedLogs: the date %s of a line is outside the years 0 to 9999", l.Date.Time)
		}
	}
	for _, l := range lines {
		line := l
		if line.Date.IsZero() {
			line.Date = stamp(s.now())
		}
		st.logLine(p, line.Date.Time, line.Log, func(out *ubiops.Logs) {
			id := out.ID
			*out = line
			if out.ID == "" {
				out.ID = id
			}
			if out.System == nil {
				out.System = ubiops.Ptr(true)
			}
			if out.Level == nil {
				out.Level = ubiops.Ptr(ubiops.LogsLevelInfo)
			}
		})
	}
	return nil
}
