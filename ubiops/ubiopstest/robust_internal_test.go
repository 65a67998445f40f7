package ubiopstest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// httpGet sends a GET to a started server with a time limit.
func httpGet(t *testing.T, s *Server, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+s.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, "GET %s: no answer", path)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestHandlerPanicIsAnInternalFailure: a handler that panics leaves no lock held (the next request
// is answered, and Close returns), is answered as a 500 naming the operation and the panic value,
// and is recorded; so is a 5xx a handler answers. NewServer fails its test with them at cleanup.
func TestHandlerPanicIsAnInternalFailure(t *testing.T) {
	ft := &fakeTB{TB: t}
	s := NewServer(ft, WithStrictResponses())
	var panics atomic.Int32
	s.mu.Lock()
	s.testHookHandler = func(c *call) (answer, bool) {
		switch {
		case c.op == "projects_list" && panics.Add(1) == 1:
			panic("deliberate test panic")
		case c.op == "service_status":
			return apiError(http.StatusInternalServerError, "deliberate test failure"), true
		}
		return answer{}, false
	}
	s.mu.Unlock()

	status, body := httpGet(t, s, "/v2.1/projects")
	assert.Equal(t, http.StatusInternalServerError, status)
	var e struct{ Error string }
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	assert.Contains(t, e.Error, "projects_list", "the answer names the operation")
	assert.Contains(t, e.Error, "deliberate test panic", "and the panic value")

	// The lock was released: the same operation and another one are answered.
	status, body = httpGet(t, s, "/v2.1/projects")
	assert.Equal(t, http.StatusOK, status, body)
	status, _ = httpGet(t, s, "/v2.1/projects/missing")
	assert.Equal(t, http.StatusNotFound, status)

	status, body = httpGet(t, s, "/v2.1/status")
	assert.Equal(t, http.StatusInternalServerError, status, body)

	failures := s.InternalFailures()
	require.Len(t, failures, 2)
	assert.Contains(t, failures[0], "projects_list")
	assert.Contains(t, failures[0], "deliberate test panic")
	assert.Contains(t, failures[0], "goroutine", "a panic is recorded with its stack")
	assert.Contains(t, failures[1], "service_status")
	assert.Contains(t, failures[1], "deliberate test failure")

	closed := make(chan []string, 1)
	go func() { closed <- ft.finish() }()
	select {
	case reported := <-closed:
		require.Len(t, reported, 2, "NewServer fails the test once per internal failure")
		assert.Contains(t, reported[0], "projects_list")
		assert.Contains(t, reported[0], "deliberate test panic")
		assert.Contains(t, reported[1], "service_status")
	case <-time.After(requestTimeout):
		t.Fatal("Close did not return")
	}
}

// TestInjectedFaultsAreNotInternalFailures: a 5xx injected with InjectFault, a 503 at shutdown and
// the API's own 4xx answers do not fail the test.
func TestInjectedFaultsAreNotInternalFailures(t *testing.T) {
	ft := &fakeTB{TB: t}
	s := NewServer(ft)
	s.InjectFault("projects_list", Fault{Status: http.StatusInternalServerError, Times: 1})
	status, _ := httpGet(t, s, "/v2.1/projects")
	assert.Equal(t, http.StatusInternalServerError, status)
	status, _ = httpGet(t, s, "/v2.1/projects/missing")
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = httpGet(t, s, "/v2.1/projects/missing/audit?limit=0")
	assert.Equal(t, http.StatusBadRequest, status)
	// A 503 is what the fake answers a request the server is shutting down under: no defect.
	s.mu.Lock()
	s.testHookHandler = func(c *call) (answer, bool) {
		return apiError(http.StatusServiceUnavailable, "The server is shutting down"), c.op == "service_status"
	}
	s.mu.Unlock()
	status, _ = httpGet(t, s, "/v2.1/status")
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Empty(t, s.InternalFailures())
	assert.Empty(t, ft.finish())
}

// pagingFixture is a project with enough of everything that every paginated list has several
// items: two instance type groups, a deployment with two versions in the first group, requests,
// instances with events, audit events and log lines.
type pagingFixture struct {
	s      *Server
	params map[string]string // path parameters of every paginated operation
}

func newPagingFixture(t *testing.T) pagingFixture {
	s := NewServer(t, WithStrictResponses(), WithRequestDuration(0))
	params := map[string]string{"project_name": "p", "deployment_name": "d", "version": "v1"}
	call := func(want int, op string, body any) []byte {
		t.Helper()
		method, path := opPath(t, op, params)
		return serveJSON(t, s, want, method, path, body)
	}
	call(http.StatusCreated, "projects_create", map[string]any{"name": "p", "organization_name": "o"})
	var group struct{ ID string }
	for i, name := range []string{"g1", "g2"} {
		out := call(http.StatusCreated, "instance_type_groups_create", map[string]any{
			"name": name, "instance_types": []map[string]any{{"id": s.state.catalogue[i].ID}},
		})
		if i == 0 {
			require.NoError(t, json.Unmarshal(out, &group))
		}
	}
	params["instance_type_group_id"] = group.ID
	call(http.StatusCreated, "deployments_create", map[string]any{"name": "d", "input_type": "structured", "output_type": "structured"})
	for _, v := range []string{"v1", "v2"} {
		call(http.StatusCreated, "deployment_versions_create", map[string]any{"version": v, "instance_type_group_id": group.ID})
	}
	for i := 0; i < 3; i++ {
		call(http.StatusCreated, "deployment_requests_create", map[string]any{"n": i})
		call(http.StatusCreated, "deployment_version_requests_create", map[string]any{"n": i})
	}
	call(http.StatusCreated, "batch_deployment_requests_create", []any{map[string]any{}, map[string]any{}, map[string]any{}})
	var instances struct{ Results []struct{ ID string } }
	require.NoError(t, json.Unmarshal(call(http.StatusOK, "instances_list", nil), &instances))
	require.GreaterOrEqual(t, len(instances.Results), 2)
	params["instance_id"] = instances.Results[0].ID
	return pagingFixture{s: s, params: params}
}

// paginatedOps lists the spec's operations that take limit and offset or cursor.
func paginatedOps(t *testing.T) (offset, cursor []string) {
	r, err := newSpecRouter()
	require.NoError(t, err)
	for _, item := range r.doc.Paths.Map() {
		for _, op := range item.Operations() {
			switch {
			case op.Parameters.GetByInAndName("query", "cursor") != nil:
				cursor = append(cursor, op.OperationID)
			case op.Parameters.GetByInAndName("query", "offset") != nil:
				offset = append(offset, op.OperationID)
			case op.OperationID == "logs_list":
				// A limit with a maximum (5000) and no paging: values beyond are refused by the spec
				// (see TestLogsListDefaultWindowAndLimit and TestLogsListWindows).
			case op.Parameters.GetByInAndName("query", "limit") != nil:
				t.Errorf("%s takes a limit but neither offset nor cursor: add it to this test", op.OperationID)
			}
		}
	}
	return offset, cursor
}

// TestPagingExtremeValues: every paginated operation answers any limit, offset and cursor the spec
// allows (up to MaxInt64, and cursors of any size) without a 5xx and without overflowing; values
// the spec refuses are a 400. Before the fix, limit=MaxInt64&offset=1 overflowed offset+limit: the
// handler panicked with the state lock held and every later request hung.
func TestPagingExtremeValues(t *testing.T) {
	fx := newPagingFixture(t)
	s := fx.s
	offsetOps, cursorOps := paginatedOps(t)
	require.Len(t, offsetOps, 5, "audit events (project, deployment) and requests (deployment, version, project)")
	require.Len(t, cursorOps, 6, "instance types, groups, group usage, instances, instance events, project instances")

	maxInt := strconv.FormatInt(math.MaxInt64, 10)
	base := func(op string) url.Values {
		q := url.Values{}
		if op == "project_requests_list" {
			q.Set("object_type", "deployment")
		}
		return q
	}
	get := func(op string, q url.Values) (int, []byte) {
		t.Helper()
		_, path := opPath(t, op, fx.params)
		return serve(t, s, http.MethodGet, path+"?"+q.Encode(), "", nil)
	}

	for _, op := range offsetOps {
		t.Run(op, func(t *testing.T) {
			status, body := get(op, base(op))
			require.Equal(t, http.StatusOK, status, "%s", body)
			var all []json.RawMessage
			require.NoError(t, json.Unmarshal(body, &all))
			require.GreaterOrEqual(t, len(all), 2, "the fixture gives every list several items")
			cases := []struct {
				query map[string]string
				want  int // status
				items int // -1: any
			}{
				{map[string]string{"limit": maxInt, "offset": "1"}, 200, len(all) - 1},
				{map[string]string{"limit": maxInt, "offset": maxInt}, 200, 0},
				{map[string]string{"limit": "1", "offset": maxInt}, 200, 0},
				{map[string]string{"limit": maxInt}, 200, len(all)},
				{map[string]string{"offset": maxInt}, 200, 0},
				{map[string]string{"limit": strconv.FormatInt(math.MaxInt64-1, 10), "offset": "2"}, 200, len(all) - 2},
				{map[string]string{"limit": "1", "offset": strconv.Itoa(len(all) - 1)}, 200, 1},
				{map[string]string{"limit": "9223372036854775808"}, 400, -1}, // beyond the integers the spec allows
				{map[string]string{"offset": "99999999999999999999999"}, 400, -1},
				{map[string]string{"limit": "0"}, 400, -1},
				{map[string]string{"limit": "-1"}, 400, -1},
				{map[string]string{"offset": "-1"}, 400, -1},
				{map[string]string{"limit": strconv.FormatInt(math.MinInt64, 10)}, 400, -1},
				{map[string]string{"offset": strconv.FormatInt(math.MinInt64, 10)}, 400, -1},
			}
			for _, tc := range cases {
				q := base(op)
				for k, v := range tc.query {
					q.Set(k, v)
				}
				status, body := get(op, q)
				require.Less(t, status, 500, "%s?%s: %s", op, q.Encode(), body)
				require.Equal(t, tc.want, status, "%s?%s: %s", op, q.Encode(), body)
				if tc.items >= 0 {
					var page []json.RawMessage
					require.NoError(t, json.Unmarshal(body, &page))
					assert.Len(t, page, tc.items, "%s?%s", op, q.Encode())
				}
			}
		})
	}

	cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, op := range cursorOps {
		t.Run(op, func(t *testing.T) {
			type page struct {
				Next, Previous *string
				Results        []json.RawMessage
			}
			read := func(q url.Values) (int, page, string) {
				t.Helper()
				status, body := get(op, q)
				var p page
				if status == http.StatusOK {
					require.NoError(t, json.Unmarshal(body, &p), "%s", body)
				}
				return status, p, string(body)
			}
			status, all, body := read(url.Values{"limit": {maxInt}})
			require.Equal(t, http.StatusOK, status, body)
			require.GreaterOrEqual(t, len(all.Results), 2, "the fixture gives every list several items")
			assert.Nil(t, all.Next, "everything fits in a page of MaxInt64")
			n := len(all.Results)
			cases := []struct {
				query map[string]string
				want  int
				items int
			}{
				{map[string]string{"limit": maxInt, "cursor": cursor("o:1")}, 200, n - 1},
				{map[string]string{"cursor": cursor("o:" + maxInt)}, 200, 0},
				{map[string]string{"cursor": cursor("o:" + maxInt), "limit": maxInt}, 200, 0},
				{map[string]string{"cursor": cursor("o:" + maxInt), "limit": "1"}, 200, 0},
				{map[string]string{"cursor": cursor("o:99999999999999999999999"), "limit": maxInt}, 200, -1},
				{map[string]string{"cursor": cursor("o:-5"), "limit": maxInt}, 200, -1},
				{map[string]string{"cursor": strings.Repeat("A", 100000), "limit": maxInt}, 200, -1},
				{map[string]string{"cursor": "!!not base64!!"}, 200, -1},
				{map[string]string{"cursor": cursor("o:1"), "limit": strconv.FormatInt(math.MaxInt64-1, 10)}, 200, n - 1},
				{map[string]string{"limit": "9223372036854775808"}, 400, -1},
				{map[string]string{"limit": "0"}, 400, -1},
				{map[string]string{"limit": strconv.FormatInt(math.MinInt64, 10)}, 400, -1},
			}
			for _, tc := range cases {
				q := url.Values{}
				for k, v := range tc.query {
					q.Set(k, v)
				}
				status, p, body := read(q)
				require.Less(t, status, 500, "%s?%.200s: %s", op, q.Encode(), body)
				require.Equal(t, tc.want, status, "%s?%.200s: %s", op, q.Encode(), body)
				if tc.items >= 0 {
					assert.Len(t, p.Results, tc.items, "%s?%.200s", op, q.Encode())
				}
				// The links an extreme page gives are followed without trouble too.
				for _, link := range []*string{p.Next, p.Previous} {
					if link == nil {
						continue
					}
					u, err := url.Parse(*link)
					require.NoError(t, err)
					status, body := serve(t, s, http.MethodGet, u.RequestURI(), "", nil)
					require.Equal(t, http.StatusOK, status, "%s: %s", *link, body)
				}
			}
			// Walking page by page with limit=1 visits every item once.
			q, seen := url.Values{"limit": {"1"}}, 0
			for range n + 1 {
				status, p, body := read(q)
				require.Equal(t, http.StatusOK, status, body)
				seen += len(p.Results)
				if p.Next == nil {
					break
				}
				u, err := url.Parse(*p.Next)
				require.NoError(t, err)
				q = u.Query()
			}
			assert.Equal(t, n, seen)
		})
	}

	t.Run("projects_log_list", func(t *testing.T) {
		method, path := opPath(t, "projects_log_list", fx.params)
		far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Format(time.RFC3339)
		early := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		cases := []struct {
			body string
			want int
		}{
			{`{"limit": 500, "date_range": 86400, "date": "` + early + `"}`, 200},
			{`{"limit": 500, "date_range": -86400, "date": "` + far + `"}`, 200},
			{`{"date_range": 86400, "date": "` + far + `"}`, 200},
			{`{"date_range": -86400, "date": "` + early + `"}`, 200},
			{`{"id": "ffffffffffffffffffffffff", "date_range": 86400}`, 200},
			{`{"id": "000000000000000000000000", "date_range": -86400}`, 200},
			{`{"limit": ` + maxInt + `}`, 400},
			{`{"limit": 9223372036854775808}`, 400},
			{`{"limit": -9223372036854775808}`, 400},
			{`{"limit": 1e300}`, 400},
			{`{"date_range": ` + maxInt + `}`, 400},
			{`{"date_range": -9223372036854775808}`, 400},
			{`{"date_range": 1e300}`, 400},
			{`{"limit": 0}`, 400},
		}
		for _, tc := range cases {
			status, body := serve(t, s, method, path, "application/json", []byte(tc.body))
			require.Less(t, status, 500, "%s: %s", tc.body, body)
			assert.Equal(t, tc.want, status, "%s: %s", tc.body, body)
		}
	})

	t.Run("logs_list", func(t *testing.T) {
		// Lines at the ends of what a date can say: those without an int64 nanosecond timestamp
		// (before 1678, after 2262) are not listed, the others are, in any window.
		require.NoError(t, s.SeedLogs("p",
			ubiops.Logs{Log: "year 1", Date: ubiops.NewTime(time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC))},
			ubiops.Logs{Log: "year 1700", Date: ubiops.NewTime(time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC))},
			ubiops.Logs{Log: "year 9999", Date: ubiops.NewTime(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))},
		))
		far, early := "9999-12-31T23:59:59Z", "0001-01-01"
		cases := []struct {
			query string
			want  int
		}{
			{"start=" + early + "&end=" + far, 200},
			{"start=" + far + "&end=" + early, 200},
			{"start=" + early + "&end=" + far + "&limit=5000", 200},
			{"start=" + early + "&end=" + early, 200},
			{"limit=" + maxInt, 400},
			{"limit=9223372036854775808", 400},
			{"limit=-1", 400},
			{"limit=1e300", 400},
			{"start=10000-01-01&end=" + far, 400},
		}
		for _, tc := range cases {
			status, body := serve(t, s, http.MethodGet, "/v2.1/projects/p/logs?"+tc.query, "", nil)
			require.Less(t, status, 500, "%s: %s", tc.query, body)
			assert.Equal(t, tc.want, status, "%s: %s", tc.query, body)
			if status == http.StatusOK {
				assert.NotContains(t, string(body), `"year 1"`, tc.query)
				assert.NotContains(t, string(body), `"year 9999"`, tc.query)
			}
		}
		_, body := serve(t, s, http.MethodGet, "/v2.1/projects/p/logs?start="+early+"&end="+far, "", nil)
		assert.Contains(t, string(body), `"year 1700"`)
	})
}

// TestSeedLogsAnyDate: log lines may be seeded at any date (their ids, which start with the time,
// keep their length): before the fix, a line dated before mid-1978 panicked.
func TestSeedLogsAnyDate(t *testing.T) {
	s := NewServer(t, WithStrictResponses())
	serveJSON(t, s, http.StatusCreated, http.MethodPost, "/v2.1/projects", map[string]any{"name": "p", "organization_name": "o"})
	dates := []time.Time{
		time.Unix(0, 0), time.Unix(1, 0), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Hour),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1977, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for _, d := range dates {
		require.NotPanics(t, func() {
			require.NoError(t, s.SeedLogs("p", ubiops.Logs{Log: "line", Date: ubiops.NewTime(d)}))
		}, "%s", d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.state.projects[0].logs {
		assert.Len(t, l.ID, 24, "%s", l.Date)
		_, good := logIDTime(l.ID)
		assert.True(t, good, "%s: %s", l.Date, l.ID)
	}
}

// TestPageBounds: the page arithmetic stays within the items for any offset and limit.
func TestPageBounds(t *testing.T) {
	extremes := []int{math.MinInt, math.MinInt + 1, -1, 0, 1, 2, 3, 5, math.MaxInt - 1, math.MaxInt}
	for _, n := range []int{0, 1, 3} {
		for _, offset := range extremes {
			for _, limit := range extremes {
				start, end := pageBounds(n, offset, limit)
				require.True(t, 0 <= start && start <= end && end <= n, "n=%d offset=%d limit=%d: [%d, %d)", n, offset, limit, start, end)
				if limit >= 1 && offset >= 0 {
					assert.Equal(t, min(offset, n), start)
					assert.Equal(t, min(n-start, limit), end-start)
				}
			}
		}
	}
}

// TestCheckPathName: the characters that cannot be in a name in a path segment are refused with a
// 400 naming the field; spaces and non-ASCII letters are names like any other.
func TestCheckPathName(t *testing.T) {
	for _, name := range []string{"my model", "modèle", "a b", "%41", "日本語", "a+b", "a?b#c", "100%", "a;b=c", "...", ".a", "a."} {
		_, good := checkPathName("name", name, maxObjectName)
		assert.True(t, good, "%q is a valid name", name)
	}
	for _, name := range []string{"", " ", ".", "..", "/", "a/b", "a\x00b", "a\nb", "a\tb", "a\rb", "a\x7fb", "a\u0085b", "a\u009fb", "\xff", "a\xc3", strings.Repeat("x", maxObjectName+1)} {
		a, good := checkPathName("name", name, maxObjectName)
		assert.False(t, good, "%q is refused", name)
		assert.Equal(t, http.StatusBadRequest, a.status, "%q", name)
		assert.Contains(t, a.body.(map[string]string)["error"], "request body field name", "%q", name)
	}
}

// TestAnswersStayEncodable: request values that the spec allows but that an answer could not carry
// are refused with a 400 naming them, instead of being stored and answered with a 500 (found while
// fuzzing): a usage period beyond the year 9999 (one month after a start_date in December 9999),
// and an environment display name longer than answers allow (1024 characters).
func TestAnswersStayEncodable(t *testing.T) {
	s := NewServer(t, WithStrictResponses())
	serveJSON(t, s, http.StatusCreated, http.MethodPost, "/v2.1/projects", map[string]any{"name": "p", "organization_name": "o"})
	for _, q := range []string{
		"start_date=9999-12-15T00:00:00Z", "start_date=9999-12-31T00:00:00Z&interval=day",
		"end_date=0000-01-15T00:00:00Z",
	} {
		status, body := serve(t, s, http.MethodGet, "/v2.1/projects/p/usage?"+q, "", nil)
		assert.Equal(t, http.StatusBadRequest, status, "%s: %s", q, body)
		assert.Contains(t, string(body), "start_date", q)
	}
	for _, q := range []string{
		"start_date=9990-01-01T00:00:00Z&end_date=9999-12-31T23:59:59Z", "end_date=0000-02-01T00:00:00Z",
		"start_date=9999-12-31T23:00:00-05:00&end_date=9999-12-31T23:30:00-05:00", // answered in its own zone
	} {
		status, body := serve(t, s, http.MethodGet, "/v2.1/projects/p/usage?"+q, "", nil)
		assert.Equal(t, http.StatusOK, status, "%s: %s", q, body)
	}

	long := strings.Repeat("é", maxEnvironmentName+1)
	status, body := serve(t, s, http.MethodPost, "/v2.1/projects/p/environments", "application/json",
		[]byte(`{"name": "e", "base_environment": "python3-12", "display_name": "`+long+`"}`))
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	assert.Contains(t, string(body), "request body field display_name")
	serveJSON(t, s, http.StatusCreated, http.MethodPost, "/v2.1/projects/p/environments", map[string]any{"name": "e", "base_environment": "python3-12"})
	status, body = serve(t, s, http.MethodPatch, "/v2.1/projects/p/environments/e", "application/json", []byte(`{"display_name": "`+long+`"}`))
	assert.Equal(t, http.StatusBadRequest, status, "%s", body)
	assert.Contains(t, string(body), "request body field display_name")
	serveJSON(t, s, http.StatusOK, http.MethodPatch, "/v2.1/projects/p/environments/e", map[string]any{"display_name": long[:2*maxEnvironmentName]})
	serveJSON(t, s, http.StatusOK, http.MethodGet, "/v2.1/projects/p/environments?environment_type=custom", nil)

	assert.Error(t, s.SeedLogs("p", ubiops.Logs{Log: "too late", Date: ubiops.NewTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))}),
		"a log line no answer could carry is refused")
	serveJSON(t, s, http.StatusOK, http.MethodPost, "/v2.1/projects/p/logs", map[string]any{"date_range": 86400, "date": "9999-12-31T00:00:00Z"})
}
