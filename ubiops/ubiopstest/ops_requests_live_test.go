package ubiopstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// The operations, parameters and content types the official client 4.12.0 uses beyond the
// reference pages: the service status, batch cancels, text/plain inputs, priorities and null log
// filters. The ubiops client does not have methods for all of them yet, so these tests send plain
// HTTP requests.

// liveRaw sends a request to the API with the server's token and the given content type ("" for
// none) and returns the status and body.
func liveRaw(t *testing.T, srv *ubiopstest.Server, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+"/v2.1"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// liveIDs encodes request ids as the JSON array the batch operations take.
func liveIDs(t *testing.T, ids ...ubiops.UUID) string {
	t.Helper()
	b, err := json.Marshal(ids)
	require.NoError(t, err)
	return string(b)
}

func TestServiceStatus(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	status, body := liveRaw(t, srv, http.MethodGet, "/status", "", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"status":"ok"}`, body)
	assert.Equal(t, 1, srv.Count("service_status"))

	// Like every route, it needs the token (the official clients send it).
	status, _, _ = rawRequest(t, srv, http.MethodGet, "/v2.1/status", "not-the-token", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = rawRequest(t, srv, http.MethodGet, "/v2.1/status", "", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, 1, srv.Count("service_status"), "refused requests do not run")
}

// liveRequestStatus reads a request's status through the client.
func liveRequestStatus(t *testing.T, e *rqEnv, id ubiops.UUID) string {
	t.Helper()
	got, err := e.c.Requests.Get(context.Background(), "p", "d", id.String(), nil)
	require.NoError(t, err)
	return string(got.Status)
}

func TestRequestsBatchCancel(t *testing.T) {
	const d = 2 * time.Second
	e := rqServer(t, d)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1", "v2")
	var calls atomic.Int64
	e.srv.HandleDeployment("p", "d", func(_ context.Context, raw json.RawMessage) (any, error) {
		calls.Add(1)
		return raw, nil
	})
	const cancelPath = "/projects/p/deployments/d/requests/cancel"

	created, err := e.c.Requests.BatchCreate(ctx, "p", "d", []any{"a", "b", "c", "d"}, nil)
	require.NoError(t, err)
	a, b, c, x := created[0].ID, created[1].ID, created[2].ID, created[3].ID

	// All or nothing on unknown ids: 404 and nothing is cancelled.
	status, body := liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", liveIDs(t, a, ubiops.UUID{9}))
	assert.Equal(t, http.StatusNotFound, status, body)
	assert.Contains(t, body, ubiops.UUID{9}.String())
	assert.Equal(t, "pending", liveRequestStatus(t, e, a), "nothing changed")
	// The body is a list of at most 250 request ids.
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", `["not-an-id"]`)
	assert.Equal(t, http.StatusBadRequest, status, body)
	many := make([]ubiops.UUID, 251)
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", liveIDs(t, many...))
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath+"?status=completed", "application/json", liveIDs(t, a))
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "query parameter status")

	// Pending requests are cancelled at once.
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", liveIDs(t, a))
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{}`, body)
	assert.Equal(t, "cancelled", liveRequestStatus(t, e, a))

	// Processing requests become cancelled_pending, then cancelled; a status filter cancels only
	// the given requests in that status, and a finished (cancelled) one is left as it is.
	rqWait(t, "processing", func() bool { return liveRequestStatus(t, e, b) == "processing" })
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath+"?status=pending", "application/json", liveIDs(t, a, b))
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "processing", liveRequestStatus(t, e, b), "the filter keeps processing requests")
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath+"?status=processing", "application/json", liveIDs(t, a, b, c))
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "cancelled_pending", liveRequestStatus(t, e, b))
	assert.Equal(t, "cancelled_pending", liveRequestStatus(t, e, c))
	assert.Equal(t, "cancelled", liveRequestStatus(t, e, a), "already cancelled: left as it is")
	assert.Equal(t, "processing", liveRequestStatus(t, e, x), "not named: left as it is")
	rqWait(t, "completed", func() bool { return liveRequestStatus(t, e, x) == "completed" })
	assert.Equal(t, "cancelled", liveRequestStatus(t, e, b))
	assert.Equal(t, "cancelled", liveRequestStatus(t, e, c))
	assert.Equal(t, int64(1), calls.Load(), "only the request that was not cancelled ran")

	// Finished requests, and direct requests (never cancellable, even while they run), are left as
	// they are.
	direct, err := e.c.Requests.Create(ctx, "p", "d", "now", nil)
	require.NoError(t, err)
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", liveIDs(t, x, direct.ID))
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "completed", liveRequestStatus(t, e, x))
	assert.Equal(t, "completed", liveRequestStatus(t, e, direct.ID))
	release := make(chan struct{})
	e.srv.HandleDeployment("p", "d", func(ctx context.Context, raw json.RawMessage) (any, error) {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return raw, nil
	})
	running := make(chan *ubiops.DeploymentRequestCreateResponse, 1)
	go func() {
		res, err := e.c.Requests.Create(ctx, "p", "d", "slow", nil)
		assert.NoError(t, err)
		running <- res
	}()
	var slow ubiops.DeploymentRequestList
	rqWait(t, "the direct request to run", func() bool {
		list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: ubiops.Ptr(ubiops.DeploymentRequestsListParamsStatusProcessing)})
		require.NoError(t, err)
		for _, r := range list {
			if r.ID != x && r.ID != b && r.ID != c {
				slow = r
				return true
			}
		}
		return false
	})
	status, body = liveRaw(t, e.srv, http.MethodPost, cancelPath, "application/json", liveIDs(t, slow.ID))
	require.Equal(t, http.StatusOK, status, body)
	close(release)
	finished := <-running
	require.NotNil(t, finished)
	assert.Equal(t, slow.ID, finished.ID)
	assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusCompleted, finished.Status)
	lines, err := e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{DeploymentRequestID: &slow.ID}})
	require.NoError(t, err)
	for _, l := range lines {
		assert.NotContains(t, l.Log, "cancel", "nothing happened to the direct request")
	}

	// The version-level operation addresses the version's requests only.
	v2, err := e.c.Requests.BatchCreateForVersion(ctx, "p", "d", "v2", []any{"e"}, nil)
	require.NoError(t, err)
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/versions/v1/requests/cancel", "application/json", liveIDs(t, v2[0].ID))
	assert.Equal(t, http.StatusNotFound, status, body)
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/versions/v2/requests/cancel", "application/json", liveIDs(t, v2[0].ID))
	require.Equal(t, http.StatusOK, status, body)
	got, err := e.c.Requests.GetForVersion(ctx, "p", "d", "v2", v2[0].ID.String(), nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestSingleDetailStatusCancelled, got.Status)
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/nope/versions/v2/requests/cancel", "application/json", liveIDs(t, v2[0].ID))
	assert.Equal(t, http.StatusNotFound, status, body)
}

func TestPlainTextRequests(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "plain", false, "v1", "v2")
	e.deployment(t, "p", "structured", true, "v1")
	var got atomic.Value
	e.srv.HandleDeployment("p", "plain", func(_ context.Context, raw json.RawMessage) (any, error) {
		got.Store(string(raw))
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return strings.ToUpper(s), nil
	})

	// The raw body is the input string: the deployment receives it JSON-encoded, and it reads
	// back as a JSON string.
	text := "hello \"plain\"\nworld"
	status, body := liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/requests", "text/plain", text)
	require.Equal(t, http.StatusCreated, status, body)
	var res ubiops.DeploymentRequestCreateResponse
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusCompleted, res.Status)
	want, err := json.Marshal(text)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), got.Load().(string))
	upper, err := json.Marshal(strings.ToUpper(text))
	require.NoError(t, err)
	assert.JSONEq(t, string(upper), string(res.Result))
	detail, err := e.c.Requests.Get(ctx, "p", "plain", res.ID.String(), nil)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(detail.RequestData))
	assert.Equal(t, len(want), val(detail.InputSize))

	// With a charset, and at version level.
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/versions/v2/requests", "text/plain; charset=utf-8", "v2 input")
	require.Equal(t, http.StatusCreated, status, body)
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	assert.Equal(t, "v2", val(res.Version))
	assert.JSONEq(t, `"V2 INPUT"`, string(res.Result))

	// A structured deployment takes an object as JSON: text/plain is a 400 and makes no request.
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/structured/requests", "text/plain", "x=1")
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "structured")
	assert.Contains(t, body, "text/plain")
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/structured/versions/v1/requests", "text/plain", "x=1")
	assert.Equal(t, http.StatusBadRequest, status, body)
	list, err := e.c.Requests.List(ctx, "p", "structured", nil)
	require.NoError(t, err)
	assert.Empty(t, list)

	// Batch creates stay JSON only.
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/requests/batch", "text/plain", "a")
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/versions/v1/requests/batch", "text/plain", "a")
	assert.Equal(t, http.StatusBadRequest, status, body)
	// JSON still works as before.
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/requests", "application/json", `"json"`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, body, `"JSON"`)
}

func TestRequestLiveFields(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")

	// The priority query parameter is accepted by the four create operations.
	res, err := e.c.Requests.Create(ctx, "p", "d", "hello", &ubiops.DeploymentRequestsCreateParams{Timeout: ubiops.Ptr(60), Priority: ubiops.Ptr(3)})
	require.NoError(t, err)
	_, err = e.c.Requests.CreateForVersion(ctx, "p", "d", "v1", "again", &ubiops.DeploymentVersionRequestsCreateParams{Priority: ubiops.Ptr(0)})
	require.NoError(t, err)
	batch, err := e.c.Requests.BatchCreate(ctx, "p", "d", []any{"b"}, &ubiops.BatchDeploymentRequestsCreateParams{Priority: ubiops.Ptr(1)})
	require.NoError(t, err)
	_, err = e.c.Requests.BatchCreateForVersion(ctx, "p", "d", "v1", []any{"c"}, &ubiops.BatchDeploymentVersionRequestsCreateParams{Priority: ubiops.Ptr(2)})
	require.NoError(t, err)
	status, body := liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/requests?priority=high", "application/json", `"x"`)
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "query parameter priority")

	// Request details carry the request's timeout and (null) additional data.
	got, err := e.c.Requests.Get(ctx, "p", "d", res.ID.String(), nil)
	require.NoError(t, err)
	assert.Equal(t, 60, val(got.Timeout))
	assert.Nil(t, got.AdditionalData)
	status, body = liveRaw(t, e.srv, http.MethodGet, "/projects/p/deployments/d/requests/"+res.ID.String(), "", "")
	require.Equal(t, http.StatusOK, status, body)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &raw))
	// additional_data is optional in the live API's description: the fake leaves it out when null.
	_, present := raw["additional_data"]
	assert.False(t, present, "a null optional field is left out")
	assert.JSONEq(t, `60`, string(raw["timeout"]))

	col, err := e.c.Requests.Collect(ctx, "p", "d", []ubiops.UUID{batch[0].ID})
	require.NoError(t, err)
	assert.Equal(t, 14400, val(col[0].Timeout), "the documented default timeout of batch requests")
	assert.Nil(t, col[0].AdditionalData)

	// The project's request overview has the sizes of input and result (once there is one).
	var overview []ubiops.RequestsOverview
	rqWait(t, "the batch requests", func() bool {
		overview, err = e.c.Requests.ListProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil)
		require.NoError(t, err)
		for _, r := range overview {
			if r.Status != ubiops.RequestsOverviewStatusCompleted {
				assert.Nil(t, r.OutputSize, "no result, no size")
				return false
			}
		}
		return true
	})
	require.Len(t, overview, 4)
	for _, r := range overview {
		detail, err := e.c.Requests.Get(ctx, "p", "d", r.ID.String(), nil)
		require.NoError(t, err)
		assert.Equal(t, len(detail.RequestData), val(r.InputSize), "request %s", r.ID)
		assert.Equal(t, len(detail.Result), val(r.OutputSize), "request %s", r.ID)
		assert.Positive(t, val(r.OutputSize))
	}
}

func TestLogFiltersAcceptNull(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	e.deployment(t, "p", "other", false, "v1")
	res, err := e.c.Requests.Create(ctx, "p", "d", "x", nil)
	require.NoError(t, err)
	_, err = e.c.Requests.Create(ctx, "p", "other", "y", nil)
	require.NoError(t, err)

	query := func(filters string) []ubiops.Logs {
		t.Helper()
		status, body := liveRaw(t, e.srv, http.MethodPost, "/projects/p/logs", "application/json",
			fmt.Sprintf(`{"date_range": -3600, "limit": 500, "filters": %s}`, filters))
		require.Equal(t, http.StatusOK, status, body)
		var lines []ubiops.Logs
		require.NoError(t, json.Unmarshal([]byte(body), &lines))
		return lines
	}
	all := query(`{}`)
	require.NotEmpty(t, all)

	// The official client sends every filter it does not set as null: null is no filter.
	nulls := []string{
		"deployment_name", "deployment_version", "deployment_version_revision_id", "environment_name",
		"environment_build_id", "pipeline_name", "pipeline_version", "pipeline_object_name",
		"deployment_request_id", "pipeline_request_id", "webhook_name", "system", "level",
	}
	var parts []string
	for _, f := range nulls {
		parts = append(parts, fmt.Sprintf("%q: null", f))
	}
	assert.Equal(t, rqLogIDs(all), rqLogIDs(query("{"+strings.Join(parts, ", ")+"}")), "null filters filter nothing")

	// Null filters beside a set one: only the set one applies.
	lines := query(`{"deployment_name": "d", "deployment_version": null, "deployment_request_id": null, "level": null}`)
	require.NotEmpty(t, lines)
	assert.Less(t, len(lines), len(all))
	for _, l := range lines {
		assert.Equal(t, "d", *l.DeploymentName)
	}
	// And a set request id still filters.
	lines = query(fmt.Sprintf(`{"deployment_request_id": %q, "system": null}`, res.ID))
	require.NotEmpty(t, lines)
	for _, l := range lines {
		assert.Equal(t, res.ID, *l.DeploymentRequestID)
	}

	// The official client sends every filter as a string, system too: "true" and "false" work
	// like the booleans.
	system := query(`{"system": true}`)
	require.NotEmpty(t, system, "the fake's own lines are system lines")
	assert.Equal(t, rqLogIDs(system), rqLogIDs(query(`{"system": "true"}`)))
	assert.Empty(t, query(`{"system": false}`))
	assert.Empty(t, query(`{"system": "false"}`))
	status, body := liveRaw(t, e.srv, http.MethodPost, "/projects/p/logs", "application/json", `{"filters": {"system": "maybe"}}`)
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "system")
}
