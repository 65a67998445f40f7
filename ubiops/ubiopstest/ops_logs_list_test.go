package ubiopstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// The tests of logs_list (GET /projects/{project}/logs) speak raw HTTP: they pin the wire format.

// llItem is a line of logs_list.
type llItem struct {
	Log          string         `json:"log"`
	Timestamp    int64          `json:"timestamp"`
	TimestampStr string         `json:"timestamp_str"`
	Metadata     map[string]any `json:"metadata"`
}

// llGet calls logs_list; query holds the query string's parameters as name, value pairs.
func llGet(t *testing.T, srv *ubiopstest.Server, project string, query ...string) (int, []llItem, string) {
	t.Helper()
	require.Zero(t, len(query)%2)
	q := url.Values{}
	for i := 0; i < len(query); i += 2 {
		q.Set(query[i], query[i+1])
	}
	u := srv.URL() + "/v2.1/projects/" + url.PathEscape(project) + "/logs"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var items []llItem
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.Unmarshal(b, &items), string(b))
	}
	return resp.StatusCode, items, string(b)
}

// llTexts calls logs_list, requires 200 and returns the lines' texts.
func llTexts(t *testing.T, srv *ubiopstest.Server, project string, query ...string) []string {
	t.Helper()
	status, items, body := llGet(t, srv, project, query...)
	require.Equal(t, http.StatusOK, status, body)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Log
	}
	return out
}

// llRefused calls logs_list and requires a 400 whose message contains want.
func llRefused(t *testing.T, srv *ubiopstest.Server, project, want string, query ...string) {
	t.Helper()
	status, _, body := llGet(t, srv, project, query...)
	require.Equal(t, http.StatusBadRequest, status, "%v: %s", query, body)
	var e struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	assert.Contains(t, e.Error, want, "%v", query)
}

// deprecatedTexts calls projects_log_list (POST) with a JSON body and returns the lines' texts.
func deprecatedTexts(t *testing.T, srv *ubiopstest.Server, project, body string) []string {
	t.Helper()
	status, b := rqRaw(t, srv, http.MethodPost, "/projects/"+project+"/logs", body)
	require.Equal(t, http.StatusOK, status, b)
	var lines []ubiops.Logs
	require.NoError(t, json.Unmarshal([]byte(b), &lines))
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Log
	}
	return out
}

// llBase is the moment of the first seeded line.
var llBase = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// llIDs are fixed ids of the seeded lines.
var (
	llRevision  = uuid.MustParse("11111111-1111-4111-8111-111111111111")
	llRequest   = uuid.MustParse("22222222-2222-4222-8222-222222222222")
	llEnvBuild  = uuid.MustParse("33333333-3333-4333-8333-333333333333")
	llPipeReq   = uuid.MustParse("44444444-4444-4444-8444-444444444444")
	llInstance  = "55555555-5555-4555-8555-555555555555"
	llOtherInst = "66666666-6666-4666-8666-666666666666"
)

// llSeed makes a project "p" with the deployment "d" (versions v1 and v2) and seeds these lines,
// three of them sharing a timestamp; it returns the env.
//
//	0  base         alpha start                 d v1, revision, info, system
//	1  base+1s      alpha failed: boom          d v1, request, error, user code, instance, process 2
//	2  base+1s      beta same-second            environment e, environment build, build
//	3  base+1s      gamma same-second           webhook, pipeline name/version/object/request
//	4  base+2.5s    delta "quotes" and `ticks`  deployment we`ird, other instance, process 0
//	5  base+3s      epsilon 42                  d v2
//	6  base+1h      zeta                        d v1
func llSeed(t *testing.T) *rqEnv {
	t.Helper()
	e := rqServer(t, 10*time.Millisecond)
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1", "v2")
	s := ubiops.Ptr[string]
	at := func(d time.Duration) ubiops.Time { return ubiops.NewTime(llBase.Add(d)) }
	require.NoError(t, e.srv.SeedLogs("p",
		ubiops.Logs{Log: "alpha start", Date: at(0), DeploymentName: s("d"), DeploymentVersion: s("v1"), DeploymentVersionRevisionID: &llRevision},
		ubiops.Logs{Log: "alpha failed: boom", Date: at(time.Second), DeploymentName: s("d"), DeploymentVersion: s("v1"),
			DeploymentRequestID: &llRequest, Level: ubiops.Ptr(ubiops.LogsLevelError), System: ubiops.Ptr(false), InstanceID: s(llInstance), ProcessID: ubiops.Ptr(2)},
		ubiops.Logs{Log: "beta same-second", Date: at(time.Second), EnvironmentName: s("e"), EnvironmentBuildID: &llEnvBuild, BuildID: s(llEnvBuild.String())},
		ubiops.Logs{Log: "gamma same-second", Date: at(time.Second), WebhookName: s("hook"), PipelineName: s("pipe"), PipelineVersion: s("pv"),
			PipelineObjectName: s("obj"), PipelineRequestID: &llPipeReq},
		ubiops.Logs{Log: "delta \"quotes\" and `ticks`", Date: at(2500 * time.Millisecond), DeploymentName: s("we`ird"), InstanceID: s(llOtherInst), ProcessID: ubiops.Ptr(0)},
		ubiops.Logs{Log: "epsilon 42", Date: at(3 * time.Second), DeploymentName: s("d"), DeploymentVersion: s("v2")},
		ubiops.Logs{Log: "zeta", Date: at(time.Hour), DeploymentName: s("d"), DeploymentVersion: s("v1")},
	))
	return e
}

var llAll = []string{"alpha start", "alpha failed: boom", "beta same-second", "gamma same-second", "delta \"quotes\" and `ticks`", "epsilon 42", "zeta"}

// llDay is the window of the seeded lines.
var llDay = []string{"start", "2024-05-01", "end", "2024-05-02"}

func llQuery(q string) []string { return append([]string{"query", q}, llDay...) }

func pick(lines []string, idx ...int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = lines[j]
	}
	return out
}

// llObjectID reads the id of an object of the fake.
func llObjectID(t *testing.T, srv *ubiopstest.Server, path string) string {
	t.Helper()
	status, body := rqRaw(t, srv, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, status, body)
	var v struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	require.NotEmpty(t, v.ID)
	return v.ID
}

func TestLogsListShapeAndOrder(t *testing.T) {
	e := llSeed(t)
	status, items, body := llGet(t, e.srv, "p", llDay...)
	require.Equal(t, http.StatusOK, status, body)
	got := make([]string, len(items))
	for i, it := range items {
		got[i] = it.Log
	}
	assert.Equal(t, llAll, got, "oldest first; equal timestamps in the order recorded")

	// Each line: nanosecond timestamp, RFC 3339 text, the metadata it has and no other.
	failed := items[1]
	assert.Equal(t, llBase.Add(time.Second).UnixNano(), failed.Timestamp)
	assert.Equal(t, "2024-05-01T10:00:01Z", failed.TimestampStr)
	assert.Equal(t, map[string]any{
		"deployment_name": "d", "deployment_version": "v1", "deployment_request_id": llRequest.String(),
		"level": "error", "system": false, "instance_id": llInstance, "process_id": float64(2),
	}, failed.Metadata)
	assert.Equal(t, map[string]any{
		"environment_name": "e", "environment_build_id": llEnvBuild.String(), "build_id": llEnvBuild.String(),
		"level": "info", "system": true,
	}, items[2].Metadata)
	assert.Equal(t, map[string]any{
		"webhook_name": "hook", "pipeline_name": "pipe", "pipeline_version": "pv", "pipeline_object_name": "obj",
		"pipeline_request_id": llPipeReq.String(), "level": "info", "system": true,
	}, items[3].Metadata)
	assert.Equal(t, map[string]any{
		"deployment_name": "d", "deployment_version": "v1", "deployment_version_revision_id": llRevision.String(),
		"level": "info", "system": true,
	}, items[0].Metadata)
	delta := items[4]
	assert.Equal(t, llBase.Add(2500*time.Millisecond).UnixNano(), delta.Timestamp)
	assert.Equal(t, "2024-05-01T10:00:02.5Z", delta.TimestampStr)
	ts, err := time.Parse(time.RFC3339Nano, delta.TimestampStr)
	require.NoError(t, err)
	assert.Equal(t, delta.Timestamp, ts.UnixNano())
	assert.Equal(t, float64(0), delta.Metadata["process_id"], "process 0 is a value, not absent")

	// The raw answer carries exactly these keys.
	var raw []map[string]json.RawMessage
	_, b := rqRaw(t, e.srv, http.MethodGet, "/projects/p/logs?start=2024-05-01&end=2024-05-02&limit=1", "")
	require.NoError(t, json.Unmarshal([]byte(b), &raw))
	require.Len(t, raw, 1)
	keys := []string{}
	for k := range raw[0] {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"log", "timestamp", "timestamp_str", "metadata"}, keys)
	assert.Equal(t, fmt.Sprint(llBase.UnixNano()), string(raw[0]["timestamp"]), "an integer, not a float")
}

func TestLogsListWindows(t *testing.T) {
	e := llSeed(t)
	srv := e.srv
	at := func(d time.Duration) string { return llBase.Add(d).Format(time.RFC3339Nano) }

	// Forward: start inclusive, end exclusive.
	assert.Equal(t, pick(llAll, 1, 2, 3, 4), llTexts(t, srv, "p", "start", at(time.Second), "end", at(3*time.Second)))
	assert.Equal(t, pick(llAll, 1, 2, 3, 4, 5), llTexts(t, srv, "p", "start", at(time.Second), "end", at(3*time.Second+1)))
	assert.Empty(t, llTexts(t, srv, "p", "start", at(time.Second), "end", at(time.Second)), "an empty window")
	// Backward: start (inclusive) after end (exclusive), newest first: the forward order reversed,
	// equal timestamps included.
	assert.Equal(t, pick(llAll, 5, 4, 3, 2, 1), llTexts(t, srv, "p", "start", at(3*time.Second), "end", at(0)))
	assert.Equal(t, pick(llAll, 6, 5, 4, 3, 2, 1, 0), llTexts(t, srv, "p", "start", at(2*time.Hour), "end", at(-time.Second)))
	assert.Equal(t, pick(llAll, 4, 3, 2, 1), llTexts(t, srv, "p", "start", at(2999*time.Millisecond), "end", at(0)))
	// The limit keeps the lines nearest start, in either direction; a run of equal timestamps is
	// cut in the reading order.
	assert.Equal(t, pick(llAll, 0, 1, 2), llTexts(t, srv, "p", append([]string{"limit", "3"}, llDay...)...))
	assert.Equal(t, pick(llAll, 6, 5, 4, 3), llTexts(t, srv, "p", "start", at(2*time.Hour), "end", at(-time.Second), "limit", "4"))
	assert.Equal(t, pick(llAll, 6, 5, 4, 3, 2), llTexts(t, srv, "p", "start", at(2*time.Hour), "end", at(-time.Second), "limit", "5"))

	// start and end come together.
	llRefused(t, srv, "p", "start", "start", at(0))
	llRefused(t, srv, "p", "end", "end", at(0))
	llRefused(t, srv, "p", "start", "start", "yesterday", "end", at(0))
	llRefused(t, srv, "p", "limit", append([]string{"limit", "0"}, llDay...)...)
	llRefused(t, srv, "p", "limit", append([]string{"limit", "5001"}, llDay...)...)
	status, _, _ := llGet(t, srv, "nope", llDay...)
	assert.Equal(t, http.StatusNotFound, status)

	// The date forms: "T" or a space, an offset or none (UTC), fractions, a date alone.
	for _, start := range []string{
		"2024-05-01T10:00:01Z", "2024-05-01T10:00:01", "2024-05-01 10:00:01", "2024-05-01T12:00:01+02:00",
		"2024-05-01 12:00:01+02:00", "2024-05-01T06:00:01.000000-04:00", "2024-05-01 10:00:01.000000",
		"2024-05-01T10:00:01.000000000+00:00", "2024-05-01T10:00:01+0000",
	} {
		assert.Equal(t, pick(llAll, 1, 2, 3, 4), llTexts(t, srv, "p", "start", start, "end", "2024-05-01 10:00:03"), start)
	}
	assert.Equal(t, pick(llAll, 5, 4, 3, 2, 1, 0), llTexts(t, srv, "p", "start", "2024-05-01 10:00:03.5", "end", "2024-05-01"), "a date alone is midnight UTC")
	assert.Empty(t, llTexts(t, srv, "p", "start", "2024-04-30", "end", "2024-05-01"))
	// Python's str(datetime.now()).
	assert.Equal(t, pick(llAll, 4, 5), llTexts(t, srv, "p", "start", "2024-05-01 10:00:02.123456", "end", "2024-05-01 10:00:03.000001"))
}

func TestLogsListDefaultWindowAndLimit(t *testing.T) {
	e := rqServer(t, 10*time.Millisecond)
	e.project(t, "p")
	now := time.Now()
	require.NoError(t, e.srv.SeedLogs("p",
		ubiops.Logs{Log: "two days ago", Date: ubiops.NewTime(now.Add(-48 * time.Hour))},
		ubiops.Logs{Log: "23 hours ago", Date: ubiops.NewTime(now.Add(-23 * time.Hour))},
		ubiops.Logs{Log: "a minute ago", Date: ubiops.NewTime(now.Add(-time.Minute))},
		ubiops.Logs{Log: "in an hour", Date: ubiops.NewTime(now.Add(time.Hour))},
	))
	// Without start and end: the last 24 hours up to now, oldest first; the future is hidden even
	// from an explicit window.
	assert.Equal(t, []string{"23 hours ago", "a minute ago"}, llTexts(t, e.srv, "p"))
	assert.Equal(t, []string{"a minute ago"}, llTexts(t, e.srv, "p",
		"start", now.Add(-10*time.Minute).Format(time.RFC3339Nano), "end", now.Add(2*time.Hour).Format(time.RFC3339Nano)))

	// The default limit is 1000; 5000 at most.
	e.project(t, "many")
	lines := make([]ubiops.Logs, 1200)
	for i := range lines {
		lines[i] = ubiops.Logs{Log: fmt.Sprintf("line %04d", i), Date: ubiops.NewTime(llBase.Add(time.Duration(i) * time.Millisecond))}
	}
	require.NoError(t, e.srv.SeedLogs("many", lines...))
	got := llTexts(t, e.srv, "many", llDay...)
	require.Len(t, got, 1000)
	assert.Equal(t, "line 0000", got[0])
	assert.Equal(t, "line 0999", got[999])
	assert.Len(t, llTexts(t, e.srv, "many", append([]string{"limit", "5000"}, llDay...)...), 1200)
	// The deprecated endpoint: the same default and maximum.
	assert.Len(t, deprecatedTexts(t, e.srv, "many", `{"date": "2024-05-01", "date_range": 86400}`), 1000)
	assert.Len(t, deprecatedTexts(t, e.srv, "many", `{"date": "2024-05-01", "date_range": 86400, "limit": 5000}`), 1200)
	status, body := rqRaw(t, e.srv, http.MethodPost, "/projects/many/logs", `{"limit": 5001}`)
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "limit")
}

func TestLogsListLabelFilters(t *testing.T) {
	e := llSeed(t)
	srv := e.srv
	depID := llObjectID(t, srv, "/projects/p/deployments/d")
	v2ID := llObjectID(t, srv, "/projects/p/deployments/d/versions/v2")
	v1ID := llObjectID(t, srv, "/projects/p/deployments/d/versions/v1")

	for q, want := range map[string][]int{
		"| deployment_name = `d`":                                                   {0, 1, 5, 6},
		"| deployment_id = `" + depID + "`":                                         {0, 1, 5, 6},
		"| deployment_id = `" + uuid.NewString() + "`":                              {},
		"| deployment_version = `v2`":                                               {5},
		"| deployment_version_id = `" + v2ID + "`":                                  {5},
		"| deployment_version_id = `" + v1ID + "`":                                  {0, 1, 6},
		"| deployment_version_revision_id = `" + llRevision.String() + "`":          {0},
		"| deployment_request_id = `" + llRequest.String() + "`":                    {1},
		"| instance_id = `" + llInstance + "`":                                      {1},
		"| process_id = `2`":                                                        {1},
		"| process_id = `0`":                                                        {4},
		"| environment_name = `e`":                                                  {2},
		"| environment_build_id = `" + llEnvBuild.String() + "`":                    {2},
		"| webhook_name = `hook`":                                                   {3},
		"| pipeline_name = `pipe`":                                                  {3},
		"| pipeline_version = `pv`":                                                 {3},
		"| pipeline_object_name = `obj`":                                            {3},
		"| pipeline_request_id = `" + llPipeReq.String() + "`":                      {3},
		"| pipeline_id = `" + uuid.NewString() + "`":                                {},
		"| pipeline_object_id = `" + uuid.NewString() + "`":                         {},
		"| system = `false`":                                                        {1},
		"| system = `true`":                                                         {0, 2, 3, 4, 5, 6},
		"| level = `error`":                                                         {1},
		"| level = `info`":                                                          {0, 2, 3, 4, 5, 6},
		"| deployment_name = `d` | deployment_version = `v1` | level = `info`":      {0, 6},
		"deployment_name = `d` | level = `error`":                                   {1}, // the first pipe left out
		"  |   deployment_name   =   `d`   |level=`error`  ":                        {1},
		"| deployment_name = \"d\"":                                                 {0, 1, 5, 6},
		"| deployment_name = \"we`ird\"":                                            {4}, // a back-quote in a double-quoted value
		"| deployment_name = `we\"ird`":                                             {},
		"| deployment_name = `D`":                                                   {},
		"":                                                                          {0, 1, 2, 3, 4, 5, 6},
		"| deployment_name = `d` | deployment_name = `we`":                          {},
		"| deployment_version = `v1` | deployment_id = `" + depID + "` |= \"zeta\"": {6},
	} {
		assert.Equal(t, pick(llAll, want...), llTexts(t, srv, "p", llQuery(q)...), q)
	}

	// Lines the fake writes itself: a request's lines, found by its id and by its deployment's.
	r, err := e.c.Requests.Create(context.Background(), "p", "d", "hello", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"Request received", `Request completed: "hello"`},
		llTexts(t, srv, "p", "query", "| deployment_request_id = `"+r.ID.String()+"`"))
	assert.Equal(t, []string{"Request received", `Request completed: "hello"`},
		llTexts(t, srv, "p", "query", "| deployment_version_id = `"+v1ID+"` | system = `true`"))
}

func TestLogsListTextFilters(t *testing.T) {
	e := llSeed(t)
	srv := e.srv
	for q, want := range map[string][]int{
		`|= "alpha"`:                          {0, 1},
		"|= `alpha`":                          {0, 1},
		`!= "alpha"`:                          {2, 3, 4, 5, 6},
		`|= "alpha" != "failed"`:              {0},
		`|= "same-second" |= "beta"`:          {2},
		`|= "ALPHA"`:                          {},
		`|~ "^(alpha|zeta)"`:                  {0, 1, 6},
		`|~ "ALPHA"`:                          {},
		`|~ "(?i)ALPHA"`:                      {0, 1},
		"|~ `\\d+$`":                          {5},
		`|~ "\\d+$"`:                          {5},
		`|= "\"quotes\""`:                     {4},
		"|= `\"quotes\" and`":                 {4},
		"|= \"`ticks`\"":                      {4},
		`|= ""`:                               {0, 1, 2, 3, 4, 5, 6},
		"| level = `info` |~ \"a$\" != \"z\"": {},
		"| level = `info` |~ \"a$\"":          {6},
	} {
		assert.Equal(t, pick(llAll, want...), llTexts(t, srv, "p", llQuery(q)...), q)
	}
}

func TestLogsListQueryErrors(t *testing.T) {
	e := llSeed(t)
	for q, want := range map[string]string{
		"| colour = `red`":                  `unknown label "colour"`,
		"| build_id = `x`":                  `unknown label "build_id"`,
		"| system = `yes`":                  "system",
		"| level = `warning`":               "level",
		"| deployment_name `d`":             "expected =",
		"| deployment_name =":               "end of the query",
		"| deployment_name = d":             "expected a value",
		"| deployment_name = `d":            "unterminated",
		`| deployment_name = "d`:            "unterminated",
		`|= "a\qb"`:                         "bad escape",
		"| deployment_name != `d`":          "!=",
		"| deployment_name =~ `d`":          "=~",
		`|~ "(unclosed"`:                    "regular expression",
		`!~ "x"`:                            "!~",
		`{deployment_name="d"}`:             "stream selector",
		"| deployment_name = `d` level=`x`": "expected a stage",
		"|":                                 "expected a label",
		"|= \"a\" deployment_name = `d`":    "expected a stage",
		"| = `d`":                           "expected a label",
		"|= alpha":                          "expected a value",
	} {
		llRefused(t, e.srv, "p", want, llQuery(q)...)
		llRefused(t, e.srv, "p", "query parameter query", llQuery(q)...)
	}
}

// TestLogsListMatchesDeprecated: both endpoints serve the same lines from the same store.
func TestLogsListMatchesDeprecated(t *testing.T) {
	e := llSeed(t)
	srv := e.srv
	ctx := context.Background()
	// Lines the fake writes (requests, one failing) next to the seeded ones.
	srv.HandleDeployment("p", "d", func(_ context.Context, in json.RawMessage) (any, error) {
		if strings.Contains(string(in), "bad") {
			return nil, fmt.Errorf("bad input")
		}
		return string(in), nil
	})
	for _, in := range []string{"one", "bad", "two"} {
		_, err := e.c.Requests.Create(ctx, "p", "d", in, nil)
		require.NoError(t, err)
	}
	now := time.Now()
	require.NoError(t, srv.SeedLogs("p", ubiops.Logs{Log: "recent seeded", Date: ubiops.NewTime(now.Add(-time.Hour))}))

	// The seeded day.
	old := deprecatedTexts(t, srv, "p", `{"date": "2024-05-01T00:00:00Z", "date_range": 86400, "limit": 5000}`)
	assert.Equal(t, llAll, old)
	assert.Equal(t, old, llTexts(t, srv, "p", llDay...))
	// The recent lines: the deprecated default reads 6 hours back from now, logs_list's the last
	// 24 hours; here both hold everything recent.
	status, b := rqRaw(t, srv, http.MethodPost, "/projects/p/logs", "")
	require.Equal(t, http.StatusOK, status, b)
	var recent []ubiops.Logs
	require.NoError(t, json.Unmarshal([]byte(b), &recent))
	require.Len(t, recent, 1+3*2)
	texts := make([]string, len(recent))
	for i, l := range recent {
		texts[i] = l.Log
	}
	assert.Equal(t, texts, llTexts(t, srv, "p"))
	// Backward, logs_list gives them newest first: the forward order reversed.
	want := slices.Clone(recent)
	slices.Reverse(want)
	wantTexts := make([]string, len(want))
	for i, l := range want {
		wantTexts[i] = l.Log
	}
	assert.Equal(t, wantTexts, llTexts(t, srv, "p", "start", time.Now().Add(time.Minute).Format(time.RFC3339Nano), "end", now.Add(-2*time.Hour).Format(time.RFC3339Nano)))
	// Filtered alike.
	old = deprecatedTexts(t, srv, "p", `{"filters": {"deployment_name": "d", "level": "error"}}`)
	require.Equal(t, []string{"Request failed: bad input"}, old)
	assert.Equal(t, old, llTexts(t, srv, "p", "query", "| deployment_name = `d` | level = `error`"))
	old = deprecatedTexts(t, srv, "p", `{"date": "2024-05-01", "date_range": 86400, "filters": {"system": "false"}}`)
	assert.Equal(t, old, llTexts(t, srv, "p", llQuery("| system = `false`")...))

	// The deprecated date takes every form logs_list's start does.
	for _, date := range []string{
		"2024-05-01T10:00:01Z", "2024-05-01T10:00:01", "2024-05-01 10:00:01", "2024-05-01T12:00:01+02:00",
		"2024-05-01 12:00:01.000000+02:00", "2024-05-01 10:00:01.000000",
	} {
		got := deprecatedTexts(t, srv, "p", `{"date": "`+date+`", "date_range": 1}`)
		assert.Equal(t, pick(llAll, 1, 2, 3), got, date) // the deprecated window's end is inclusive
	}
	assert.Equal(t, llAll, deprecatedTexts(t, srv, "p", `{"date": "2024-05-01", "date_range": 86400}`), "a date alone is midnight UTC")
	assert.Empty(t, deprecatedTexts(t, srv, "p", `{"date": "2024-05-01", "date_range": -86400}`))
	status, b = rqRaw(t, srv, http.MethodPost, "/projects/p/logs", `{"date": "yesterday"}`)
	assert.Equal(t, http.StatusBadRequest, status, b)
	assert.Contains(t, b, "date")
}
