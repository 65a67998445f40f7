package ubiopstest

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/internal/apitime"
	"github.com/ubiops/ubiops-go/ubiops"
)

// The current log endpoint (logs_list, GET on the path of projects_log_list). It serves the same
// lines as projects_log_list (the project's log store: builds, requests, seeded lines).
//
// start (inclusive) and end (exclusive) are given together; without both the last 24 hours up to
// now are read (a line dated exactly now included). When start is after end the search runs
// backward, from start (inclusive) back to end (exclusive), and lines come newest first (the
// forward order reversed, equal dates included); otherwise
// oldest first. At most limit
// lines (default 1000, at most 5000) are returned, those nearest start. Lines dated after now are not
// shown, nor lines whose date has no int64 nanosecond timestamp (before 1678 or after 2262: only
// SeedLogs can make them).
//
// query is the subset of Grafana LogQL that UbiOps uses, see parseLogQuery.

const (
	defaultLogsListLimit = 1000
	maxLogsListLimit     = 5000
	defaultLogsListSpan  = 24 * time.Hour
)

// logListItem and logMetadata are the LogList and LogMetadata schemas of the spec.
type logListItem struct {
	Log          string       `json:"log"`
	Timestamp    int64        `json:"timestamp"`
	TimestampStr string       `json:"timestamp_str"`
	Metadata     *logMetadata `json:"metadata,omitempty"`
}

type logMetadata struct {
	DeploymentName              *string `json:"deployment_name,omitempty"`
	DeploymentVersion           *string `json:"deployment_version,omitempty"`
	DeploymentVersionRevisionID *string `json:"deployment_version_revision_id,omitempty"`
	DeploymentRequestID         *string `json:"deployment_request_id,omitempty"`
	EnvironmentName             *string `json:"environment_name,omitempty"`
	EnvironmentBuildID          *string `json:"environment_build_id,omitempty"`
	BuildID                     *string `json:"build_id,omitempty"`
	InstanceID                  *string `json:"instance_id,omitempty"`
	ProcessID                   *int    `json:"process_id,omitempty"`
	PipelineName                *string `json:"pipeline_name,omitempty"`
	PipelineVersion             *string `json:"pipeline_version,omitempty"`
	PipelineObjectName          *string `json:"pipeline_object_name,omitempty"`
	PipelineRequestID           *string `json:"pipeline_request_id,omitempty"`
	WebhookName                 *string `json:"webhook_name,omitempty"`
	Level                       *string `json:"level,omitempty"`
	System                      *bool   `json:"system,omitempty"`
}

// The moments a line's timestamp (int64 nanoseconds since the epoch) can carry.
var (
	minLogNanos = time.Unix(0, math.MinInt64)
	maxLogNanos = time.Unix(0, math.MaxInt64)
)

func logsList(c *call) answer {
	p, a, good := c.project()
	if !good {
		return a
	}
	limit := c.queryInt("limit", defaultLogsListLimit)
	if limit < 1 || limit > maxLogsListLimit { // the spec refuses these first
		return apiError(http.StatusBadRequest, "query parameter limit: must be between 1 and %d", maxLogsListLimit)
	}
	startS, endS := c.query.Get("start"), c.query.Get("end")
	switch {
	case startS != "" && endS == "":
		return apiError(http.StatusBadRequest, "query parameter start: end must also be given")
	case endS != "" && startS == "":
		return apiError(http.StatusBadRequest, "query parameter end: start must also be given")
	}
	now := c.now()
	// Only lines up to now exist yet; p.logs is sorted by date, equal dates in the order recorded.
	visible := p.logs[:upperBound(p.logs, now)]
	start, end, a, good := logsListSpan(startS, endS, now)
	if !good {
		return a
	}
	match, err := parseLogQuery(c.query.Get("query"))
	if err != nil {
		return apiError(http.StatusBadRequest, "query parameter query: %v", err)
	}
	ctx := &logQueryContext{p: p}
	if !start.After(end) {
		return ok(logsListForward(ctx, visible, start, end, limit, match))
	}
	return ok(logsListBackward(ctx, visible, start, end, limit, match))
}

// logsListSpan reads the start and end parameters (given together, or neither: the last 24 hours
// up to now, now included).
func logsListSpan(startS, endS string, now time.Time) (start, end time.Time, _ answer, _ bool) {
	if startS == "" {
		return now.Add(-defaultLogsListSpan), now.Add(time.Nanosecond), answer{}, true
	}
	var err error
	if start, err = apitime.Parse(startS); err != nil {
		return start, end, apiError(http.StatusBadRequest, "query parameter start: %q is not an ISO 8601 date or date-time", startS), false
	}
	if end, err = apitime.Parse(endS); err != nil {
		return start, end, apiError(http.StatusBadRequest, "query parameter end: %q is not an ISO 8601 date or date-time", endS), false
	}
	return start, end, answer{}, true
}

// logsListForward reads up to limit matching lines with start <= t < end, oldest first.
func logsListForward(ctx *logQueryContext, visible []ubiops.Logs, start, end time.Time, limit int, match logMatcher) []logListItem {
	out := []logListItem{}
	for i := lowerBound(visible, start); i < len(visible) && len(out) < limit; i++ {
		l := &visible[i]
		if !l.Date.Before(end) {
			break
		}
		if logsListable(l) && match(ctx, l) {
			out = append(out, logListEntry(l))
		}
	}
	return out
}

// logsListBackward reads up to limit matching lines with end < t <= start, newest first: the
// forward order reversed, ties included (as the deprecated endpoint reads backward).
func logsListBackward(ctx *logQueryContext, visible []ubiops.Logs, start, end time.Time, limit int, match logMatcher) []logListItem {
	out := []logListItem{}
	for i := upperBound(visible, start) - 1; i >= 0 && len(out) < limit; i-- {
		l := &visible[i]
		if !l.Date.After(end) {
			break
		}
		if logsListable(l) && match(ctx, l) {
			out = append(out, logListEntry(l))
		}
	}
	return out
}

// lowerBound is the number of lines dated before t.
func lowerBound(logs []ubiops.Logs, t time.Time) int {
	lo, hi := 0, len(logs)
	for lo < hi {
		m := (lo + hi) / 2
		if logs[m].Date.Before(t) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// logsListable reports whether a line's date fits the answer's int64 nanosecond timestamp.
func logsListable(l *ubiops.Logs) bool {
	return !l.Date.Before(minLogNanos) && !l.Date.After(maxLogNanos)
}

// logListEntry is a stored line in the shape of logs_list: only the metadata the line has (empty
// names are left out, as the schema wants at least one character).
func logListEntry(l *ubiops.Logs) logListItem {
	str := func(s *string) *string {
		if s == nil || *s == "" {
			return nil
		}
		return s
	}
	id := func(u *ubiops.UUID) *string {
		if u == nil {
			return nil
		}
		return ubiops.Ptr(u.String())
	}
	m := &logMetadata{
		DeploymentName:              str(l.DeploymentName),
		DeploymentVersion:           str(l.DeploymentVersion),
		DeploymentVersionRevisionID: id(l.DeploymentVersionRevisionID),
		DeploymentRequestID:         id(l.DeploymentRequestID),
		EnvironmentName:             str(l.EnvironmentName),
		EnvironmentBuildID:          id(l.EnvironmentBuildID),
		BuildID:                     str(l.BuildID),
		InstanceID:                  str(l.InstanceID),
		ProcessID:                   l.ProcessID,
		PipelineName:                str(l.PipelineName),
		PipelineVersion:             str(l.PipelineVersion),
		PipelineObjectName:          str(l.PipelineObjectName),
		PipelineRequestID:           id(l.PipelineRequestID),
		WebhookName:                 str(l.WebhookName),
		Level:                       ubiops.Ptr(string(logLevel(l))),
		System:                      logSystem(l),
	}
	t := l.Date.Time
	return logListItem{Log: l.Log, Timestamp: t.UnixNano(), TimestampStr: t.UTC().Format(time.RFC3339Nano), Metadata: m}
}

// logQueryContext is what a query's stages look at besides the line: the project, for the
// labels that name objects by id (deployment_id, deployment_version_id).
type logQueryContext struct {
	p *project
}

type logMatcher func(*logQueryContext, *ubiops.Logs) bool

// logLabels are the labels a label filter may name, with how each reads a line: the value it
// has, and whether it has one. Labels of objects the fake does not have (pipelines) read no value,
// so they match nothing (except on seeded lines that carry them). deployment_id and
// deployment_version_id are resolved by the project's objects instead (see labelMatcher).
var logLabels = map[string]func(*ubiops.Logs) (string, bool){
	"deployment_id":                  nil,
	"deployment_version_id":          nil,
	"deployment_name":                func(l *ubiops.Logs) (string, bool) { return strVal(l.DeploymentName) },
	"deployment_version":             func(l *ubiops.Logs) (string, bool) { return strVal(l.DeploymentVersion) },
	"deployment_version_revision_id": func(l *ubiops.Logs) (string, bool) { return idVal(l.DeploymentVersionRevisionID) },
	"instance_id":                    func(l *ubiops.Logs) (string, bool) { return strVal(l.InstanceID) },
	"process_id": func(l *ubiops.Logs) (string, bool) {
		if l.ProcessID == nil {
			return "", false
		}
		return strconv.Itoa(*l.ProcessID), true
	},
	"environment_name":      func(l *ubiops.Logs) (string, bool) { return strVal(l.EnvironmentName) },
	"environment_build_id":  func(l *ubiops.Logs) (string, bool) { return idVal(l.EnvironmentBuildID) },
	"pipeline_id":           func(*ubiops.Logs) (string, bool) { return "", false },
	"pipeline_name":         func(l *ubiops.Logs) (string, bool) { return strVal(l.PipelineName) },
	"pipeline_version":      func(l *ubiops.Logs) (string, bool) { return strVal(l.PipelineVersion) },
	"pipeline_object_id":    func(*ubiops.Logs) (string, bool) { return "", false },
	"pipeline_object_name":  func(l *ubiops.Logs) (string, bool) { return strVal(l.PipelineObjectName) },
	"deployment_request_id": func(l *ubiops.Logs) (string, bool) { return idVal(l.DeploymentRequestID) },
	"pipeline_request_id":   func(l *ubiops.Logs) (string, bool) { return idVal(l.PipelineRequestID) },
	"webhook_name":          func(l *ubiops.Logs) (string, bool) { return strVal(l.WebhookName) },
	"system":                func(l *ubiops.Logs) (string, bool) { return strconv.FormatBool(*logSystem(l)), true },
	"level":                 func(l *ubiops.Logs) (string, bool) { return string(logLevel(l)), true },
}

func strVal(s *string) (string, bool) {
	if s == nil {
		return "", false
	}
	return *s, true
}

func idVal(u *ubiops.UUID) (string, bool) {
	if u == nil {
		return "", false
	}
	return u.String(), true
}

// labelMatcher is the stage `| label = value`.
func labelMatcher(label, value string) (logMatcher, error) {
	read, known := logLabels[label]
	if !known {
		return nil, fmt.Errorf("unknown label %q", label)
	}
	switch label {
	case "system":
		if value != "true" && value != "false" {
			return nil, fmt.Errorf("label system: %q is not true or false", value)
		}
	case "level":
		if value != "info" && value != "error" {
			return nil, fmt.Errorf("label level: %q is not info or error", value)
		}
	case "deployment_id":
		return func(c *logQueryContext, l *ubiops.Logs) bool {
			for _, d := range c.p.deployments {
				if d.detail.ID.String() == value {
					return l.DeploymentName != nil && *l.DeploymentName == d.detail.Name
				}
			}
			return false
		}, nil
	case "deployment_version_id":
		return func(c *logQueryContext, l *ubiops.Logs) bool {
			for _, d := range c.p.deployments {
				for _, v := range d.versions {
					if v.detail.ID.String() == value {
						return l.DeploymentName != nil && *l.DeploymentName == d.detail.Name &&
							l.DeploymentVersion != nil && *l.DeploymentVersion == v.detail.Version
					}
				}
			}
			return false
		}, nil
	}
	return func(_ *logQueryContext, l *ubiops.Logs) bool {
		have, ok := read(l)
		return ok && have == value
	}, nil
}

// parseLogQuery reads a query: a sequence of stages, all of which a line must pass.
//
//	| label = `value`     a label filter (the value back-quoted, or double-quoted with escapes)
//	|= "text"             the line contains text
//	!= "text"             the line does not contain text
//	|~ "re"               the line matches the RE2 regular expression re (case-sensitive)
//
// Text values too may be back-quoted or double-quoted. The first stage may leave out its pipe
// (`deployment_name = "d" | level = "error"`). An empty query matches every line.
func parseLogQuery(q string) (logMatcher, error) {
	ps := &logQueryParser{q: q}
	var stages []logMatcher
	for first := true; ; first = false {
		ps.skip()
		if ps.i >= len(q) {
			break
		}
		op, err := ps.readOp(first)
		if err != nil {
			return nil, err
		}
		ps.skip()
		var m logMatcher
		if op == "|" {
			m, err = ps.labelStage()
		} else {
			m, err = ps.textStage(op)
		}
		if err != nil {
			return nil, err
		}
		stages = append(stages, m)
	}
	return func(c *logQueryContext, l *ubiops.Logs) bool {
		for _, s := range stages {
			if !s(c, l) {
				return false
			}
		}
		return true
	}, nil
}

// logQueryParser reads a query from q, at offset i.
type logQueryParser struct {
	q string
	i int
}

// skip moves past white space.
func (ps *logQueryParser) skip() {
	for ps.i < len(ps.q) && (ps.q[ps.i] == ' ' || ps.q[ps.i] == '\t' || ps.q[ps.i] == '\n' || ps.q[ps.i] == '\r') {
		ps.i++
	}
}

// readOp reads the operator that begins a stage: "|=", "|~", "!=", or "|" for a label filter
// (which the first stage may leave out).
func (ps *logQueryParser) readOp(first bool) (string, error) {
	q, i := ps.q, ps.i
	switch {
	case strings.HasPrefix(q[i:], "|="), strings.HasPrefix(q[i:], "|~"), strings.HasPrefix(q[i:], "!="):
		ps.i += 2
		return q[i : i+2], nil
	case strings.HasPrefix(q[i:], "!~"):
		return "", fmt.Errorf("at offset %d: the operator !~ is not supported (use |=, != or |~)", i)
	case q[i] == '|':
		ps.i++
		return "|", nil
	case first && isLabelChar(q[i]):
		return "|", nil // the first stage's pipe may be left out
	case q[i] == '{':
		return "", fmt.Errorf("at offset %d: stream selectors ({...}) are not supported; use label filters (| label = `value`)", i)
	}
	return "", fmt.Errorf("at offset %d: expected a stage (| label = `value`, |= \"text\", != \"text\" or |~ \"regex\"), found %q", i, abbreviate(q[i:], 20))
}

// textStage reads the text of a line filter (|=, != or |~) and makes its stage.
func (ps *logQueryParser) textStage(op string) (logMatcher, error) {
	text, err := readLogString(ps.q, &ps.i)
	if err != nil {
		return nil, err
	}
	switch op {
	case "|=":
		return func(_ *logQueryContext, l *ubiops.Logs) bool { return strings.Contains(l.Log, text) }, nil
	case "!=":
		return func(_ *logQueryContext, l *ubiops.Logs) bool { return !strings.Contains(l.Log, text) }, nil
	}
	re, err := regexp.Compile(text) // |~
	if err != nil {
		return nil, fmt.Errorf("bad regular expression %q: %v", text, err)
	}
	return func(_ *logQueryContext, l *ubiops.Logs) bool { return re.MatchString(l.Log) }, nil
}

// labelStage reads a label filter after its pipe: the label, "=", the value.
func (ps *logQueryParser) labelStage() (logMatcher, error) {
	q := ps.q
	from := ps.i
	for ps.i < len(q) && isLabelChar(q[ps.i]) {
		ps.i++
	}
	label, i := q[from:ps.i], ps.i
	if label == "" {
		if i >= len(q) {
			return nil, fmt.Errorf("at offset %d: expected a label after the pipe, found the end of the query", i)
		}
		return nil, fmt.Errorf("at offset %d: expected a label after the pipe, found %q", i, abbreviate(q[i:], 20))
	}
	ps.skip()
	switch i = ps.i; {
	case i >= len(q):
		return nil, fmt.Errorf("at offset %d: expected = after the label %s, found the end of the query", i, label)
	case strings.HasPrefix(q[i:], "=="), strings.HasPrefix(q[i:], "=~"), strings.HasPrefix(q[i:], "!="), strings.HasPrefix(q[i:], "!~"):
		return nil, fmt.Errorf("at offset %d: the label operator %s is not supported (only =)", i, q[i:i+2])
	case q[i] != '=':
		return nil, fmt.Errorf("at offset %d: expected = after the label %s, found %q", i, label, abbreviate(q[i:], 20))
	}
	ps.i++
	ps.skip()
	value, err := readLogString(q, &ps.i)
	if err != nil {
		return nil, err
	}
	return labelMatcher(label, value)
}

func isLabelChar(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// readLogString reads a back-quoted string (raw, no escapes) or a double-quoted one (Go escapes,
// such as \" and \\) at q[*i], and moves *i past it.
func readLogString(q string, i *int) (string, error) {
	at := *i
	if at >= len(q) {
		return "", fmt.Errorf("at offset %d: expected a quoted value, found the end of the query", at)
	}
	switch q[at] {
	case '`':
		end := strings.IndexByte(q[at+1:], '`')
		if end < 0 {
			return "", fmt.Errorf("at offset %d: unterminated back-quoted value", at)
		}
		*i = at + 1 + end + 1
		return q[at+1 : at+1+end], nil
	case '"':
		j := at + 1
		for j < len(q) && q[j] != '"' {
			if q[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(q) {
			return "", fmt.Errorf("at offset %d: unterminated double-quoted value", at)
		}
		s, err := strconv.Unquote(q[at : j+1])
		if err != nil {
			return "", fmt.Errorf("at offset %d: the double-quoted value %s has a bad escape or a line break", at, q[at:j+1])
		}
		*i = j + 1
		return s, nil
	}
	return "", fmt.Errorf("at offset %d: expected a value in back-quotes or double quotes, found %q", at, abbreviate(q[at:], 20))
}
