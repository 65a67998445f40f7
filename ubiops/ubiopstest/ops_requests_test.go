package ubiopstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// rqEnv is a server and client for the request and log tests.
type rqEnv struct {
	srv *ubiopstest.Server
	c   *ubiops.Client
}

// rqServer starts a strict server whose batch requests take d.
func rqServer(t *testing.T, d time.Duration) *rqEnv {
	t.Helper()
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(20*time.Millisecond),
		ubiopstest.WithRequestDuration(d))
	return &rqEnv{srv: srv, c: srv.Client()}
}

// rqSetupCall runs a setup call, retrying while the server answers 501 (the handler is written by
// someone else and may not be there yet).
func rqSetupCall(t *testing.T, f func() error) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		err := f()
		var apiErr *ubiops.APIError
		if err != nil && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotImplemented && time.Now().Before(deadline) {
			time.Sleep(500 * time.Millisecond)
			continue
		}
		require.NoError(t, err)
		return
	}
}

func (e *rqEnv) project(t *testing.T, name string) {
	t.Helper()
	rqSetupCall(t, func() error {
		_, err := e.c.Projects.Create(context.Background(), ubiops.ProjectCreate{Name: name, OrganizationName: "org"})
		return err
	})
}

// deployment creates a deployment (structured with input field x and label, or plain) and its
// versions; the first version becomes the default.
func (e *rqEnv) deployment(t *testing.T, project, name string, structured bool, versions ...string) {
	t.Helper()
	body := ubiops.DeploymentCreate{Name: name, InputType: plainIn, OutputType: plainOut}
	if structured {
		body.InputType = structuredIn
		body.InputFields = &[]ubiops.DeploymentInputField{
			{Name: "x", DataType: ubiops.DeploymentInputFieldDataTypeDouble},
			{Name: "label", DataType: ubiops.DeploymentInputFieldDataTypeString},
		}
	}
	rqSetupCall(t, func() error {
		_, err := e.c.Deployments.Create(context.Background(), project, body)
		return err
	})
	for _, v := range versions {
		rqSetupCall(t, func() error {
			_, err := e.c.Versions.Create(context.Background(), project, name, ubiops.DeploymentVersionCreate{Version: v, Environment: ubiops.Ptr("python3-12")})
			return err
		})
	}
}

// rqRaw sends a request past the client's own checks.
func rqRaw(t *testing.T, srv *ubiopstest.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+"/v2.1"+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// rqWait polls until done is true, failing the test after a while.
func rqWait(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func rqStatus(err error) int {
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

type rqInput struct {
	X     float64 `json:"x"`
	Label string  `json:"label"`
}

func TestRequestsDirect(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "plain", false, "v1", "v2")
	e.deployment(t, "p", "structured", true, "v1")
	e.deployment(t, "p", "empty", false)

	// Without a handler a deployment echoes its input.
	res, err := e.c.Requests.Create(ctx, "p", "plain", "hello", nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusCompleted, res.Status)
	assert.Equal(t, "plain", val(res.Deployment))
	assert.Equal(t, "v1", val(res.Version), "the default version serves deployment requests")
	assert.JSONEq(t, `"hello"`, string(res.Result))
	assert.True(t, *res.Success)
	assert.Nil(t, res.ErrorMessage)
	assert.Equal(t, 300, val(res.Timeout), "the documented default timeout")
	echoID := res.ID

	res, err = e.c.Requests.Create(ctx, "p", "structured", rqInput{X: 2, Label: "a"}, &ubiops.DeploymentRequestsCreateParams{Timeout: ubiops.Ptr(60)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"x":2,"label":"a"}`, string(res.Result))
	assert.Equal(t, 60, val(res.Timeout))

	// The 'requests' function of a deployment takes a list of inputs.
	res, err = e.c.Requests.Create(ctx, "p", "structured", []rqInput{{X: 1}, {X: 2}}, nil)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"x":1,"label":""},{"x":2,"label":""}]`, string(res.Result))

	// A registered handler computes the result, for struct and string inputs.
	e.srv.HandleDeployment("p", "structured", func(_ context.Context, raw json.RawMessage) (any, error) {
		var in rqInput
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, err
		}
		return map[string]any{"double": in.X * 2, "label": strings.ToUpper(in.Label)}, nil
	})
	res, err = e.c.Requests.Create(ctx, "p", "structured", rqInput{X: 21, Label: "b"}, nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{"double":42,"label":"B"}`, string(res.Result))

	e.srv.HandleDeployment("p", "plain", func(_ context.Context, raw json.RawMessage) (any, error) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return strings.ToUpper(s) + "!", nil
	})
	res, err = e.c.Requests.CreateForVersion(ctx, "p", "plain", "v2", "hey", nil)
	require.NoError(t, err)
	assert.Equal(t, "v2", val(res.Version))
	assert.JSONEq(t, `"HEY!"`, string(res.Result))
	v2ID := res.ID

	// Get returns the input and result; metadata_only leaves them out.
	got, err := e.c.Requests.Get(ctx, "p", "plain", echoID.String(), nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestSingleDetailStatusCompleted, got.Status)
	assert.JSONEq(t, `"hello"`, string(got.RequestData))
	assert.JSONEq(t, `"hello"`, string(got.Result))
	assert.True(t, *got.Success)
	assert.Equal(t, len(`"hello"`), val(got.InputSize))
	assert.Equal(t, len(`"hello"`), *got.OutputSize)
	assert.False(t, got.TimeStarted.Before(got.TimeCreated.Time))
	assert.False(t, got.TimeCompleted.Before(got.TimeStarted.Time))
	assert.Nil(t, got.NotificationGroup)
	origin := val(got.Origin)
	require.NotNil(t, origin.Deployment)
	assert.Equal(t, "plain", *origin.Deployment)
	assert.Equal(t, "v1", *origin.DeploymentVersion)
	assert.NotEmpty(t, *origin.CreatedBy)
	assert.Equal(t, ubiops.Ptr(0), got.Retries)

	meta, err := e.c.Requests.Get(ctx, "p", "plain", echoID.String(), &ubiops.DeploymentRequestsGetParams{MetadataOnly: ubiops.Ptr(true)})
	require.NoError(t, err)
	assert.Nil(t, meta.RequestData)
	assert.Nil(t, meta.Result)
	assert.Equal(t, got.ID, meta.ID)

	// A request to v2 is not a request of the default version.
	_, err = e.c.Requests.Get(ctx, "p", "plain", v2ID.String(), nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	gotV2, err := e.c.Requests.GetForVersion(ctx, "p", "plain", "v2", v2ID.String(), nil)
	require.NoError(t, err)
	assert.JSONEq(t, `"HEY!"`, string(gotV2.Result))
	_, err = e.c.Requests.Get(ctx, "p", "plain", "not-a-uuid", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Inputs that do not suit the deployment's input type.
	for _, tc := range []struct {
		deployment string
		input      any
	}{
		{"structured", "text"},
		{"structured", 5},
		{"structured", []any{map[string]any{"x": 1}, "text"}},
		{"plain", map[string]any{"x": 1}},
		{"plain", 5},
	} {
		_, err = e.c.Requests.Create(ctx, "p", tc.deployment, tc.input, nil)
		assert.ErrorIs(t, err, ubiops.ErrBadRequest, "%s %v", tc.deployment, tc.input)
	}

	// Unknown objects, and a deployment without a default version.
	_, err = e.c.Requests.Create(ctx, "p", "nope", "x", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = e.c.Requests.CreateForVersion(ctx, "p", "plain", "v9", "x", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = e.c.Requests.Create(ctx, "nope", "plain", "x", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = e.c.Requests.Create(ctx, "p", "empty", "x", nil)
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	assert.Equal(t, http.StatusBadRequest, rqStatus(err))

	// The spec bounds the timeout: the fake refuses a timeout above 3600 (the client already
	// refuses it before sending, so this goes raw).
	status, _ := rqRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/requests?timeout=3601", `"x"`)
	assert.Equal(t, http.StatusBadRequest, status)

	// Direct requests are listed like batch ones.
	list, err := e.c.Requests.List(ctx, "p", "plain", nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, echoID, list[0].ID)
	assert.Equal(t, ubiops.DeploymentRequestListStatusCompleted, list[0].Status)
}

func TestRequestsDirectFailures(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	e.srv.HandleDeployment("p", "d", func(ctx context.Context, raw json.RawMessage) (any, error) {
		var s string
		_ = json.Unmarshal(raw, &s)
		switch s {
		case "error":
			return nil, errors.New("Asset ID not supported")
		case "panic":
			panic("boom")
		case "slow":
			<-ctx.Done()
			return "too late", nil
		case "unencodable":
			return func() {}, nil
		}
		return s, nil
	})

	check := func(input, wantMsg string, timeout int) *ubiops.DeploymentRequestCreateResponse {
		t.Helper()
		var params *ubiops.DeploymentRequestsCreateParams
		if timeout > 0 {
			params = &ubiops.DeploymentRequestsCreateParams{Timeout: ubiops.Ptr(timeout)}
		}
		res, err := e.c.Requests.Create(ctx, "p", "d", input, params)
		require.NoError(t, err, "a failed request is still created")
		assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusFailed, res.Status)
		assert.False(t, *res.Success)
		assert.Equal(t, "null", string(res.Result))
		assert.Contains(t, *res.ErrorMessage, wantMsg)
		return res
	}
	failed := check("error", "Asset ID not supported", 0)
	check("panic", "boom", 0)
	check("unencodable", "not valid JSON", 0)
	start := time.Now()
	check("slow", "Timeout of 1 seconds exceeded", 1)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)

	// The server still works after a panic.
	res, err := e.c.Requests.Create(ctx, "p", "d", "fine", nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusCompleted, res.Status)

	got, err := e.c.Requests.Get(ctx, "p", "d", failed.ID.String(), nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestSingleDetailStatusFailed, got.Status)
	assert.Equal(t, "Asset ID not supported", *got.ErrorMessage)
	assert.Equal(t, "null", string(got.Result))
	assert.Nil(t, got.OutputSize)

	failedStatus := ubiops.DeploymentRequestsListParamsStatusFailed
	list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: &failedStatus})
	require.NoError(t, err)
	assert.Len(t, list, 4)

	// The failure is logged at error level.
	logs, err := e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{DeploymentRequestID: &failed.ID}})
	require.NoError(t, err)
	require.Len(t, logs, 2)
	assert.Equal(t, "Request received", logs[0].Log)
	assert.Contains(t, logs[1].Log, "Asset ID not supported")
	assert.Equal(t, ubiops.LogsLevelError, *logs[1].Level)
}

func TestRequestsDirectEndsWhenServerCloses(t *testing.T) {
	srv := ubiopstest.New(ubiopstest.WithStrictResponses())
	srv.Start()
	defer srv.Close()
	e := &rqEnv{srv: srv, c: srv.Client()}
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	entered := make(chan struct{})
	srv.HandleDeployment("p", "d", func(ctx context.Context, _ json.RawMessage) (any, error) {
		close(entered)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	done := make(chan error, 1)
	go func() {
		_, err := e.c.Requests.Create(context.Background(), "p", "d", "x", nil)
		done <- err
	}()
	<-entered
	go srv.Close() // Close waits for the call, which ends because the handler's context does
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler's context did not end with the server")
	}
}

func TestRequestsBatch(t *testing.T) {
	const d = 200 * time.Millisecond
	e := rqServer(t, d)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "s", true, "v1")
	e.deployment(t, "p", "plain", false, "v1", "v2")
	var calls atomic.Int64
	e.srv.HandleDeployment("p", "s", func(_ context.Context, raw json.RawMessage) (any, error) {
		calls.Add(1)
		var v map[string]any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		v["seen"] = true
		return v, nil
	})

	before := time.Now().Add(-time.Second)
	created, err := e.c.Requests.BatchCreate(ctx, "p", "s", []any{map[string]any{"i": 0}, map[string]any{"i": 1}, map[string]any{"i": 2}},
		&ubiops.BatchDeploymentRequestsCreateParams{NotificationGroup: ubiops.Ptr("ops")})
	require.NoError(t, err)
	require.Len(t, created, 3)
	ids := make([]ubiops.UUID, len(created))
	for i, r := range created {
		ids[i] = r.ID
		assert.Equal(t, ubiops.DeploymentRequestBatchCreateResponseStatusPending, r.Status, "always pending when created")
		assert.Equal(t, "s", val(r.Deployment))
		assert.Equal(t, "v1", val(r.Version))
		assert.True(t, r.TimeCreated.After(before))
	}
	assert.Equal(t, int64(0), calls.Load(), "the handler runs when the request is due, not before")

	// The status moves pending -> processing -> completed, never back.
	order := map[ubiops.DeploymentRequestSingleDetailStatus]int{"pending": 0, "processing": 1, "completed": 2}
	last := 0
	rqWait(t, "the request to complete", func() bool {
		got, err := e.c.Requests.Get(ctx, "p", "s", ids[0].String(), nil)
		require.NoError(t, err)
		rank, known := order[got.Status]
		require.True(t, known, "status %s", got.Status)
		require.GreaterOrEqual(t, rank, last, "status went back to %s", got.Status)
		last = rank
		switch got.Status {
		case "pending":
			assert.Nil(t, got.TimeStarted)
			assert.Nil(t, got.Success)
		case "processing":
			assert.NotNil(t, got.TimeStarted)
			assert.Nil(t, got.TimeCompleted)
			assert.Equal(t, "null", string(got.Result))
		}
		return got.Status == "completed"
	})
	rqWait(t, "all requests to complete", func() bool {
		all, err := e.c.Requests.Collect(ctx, "p", "s", ids)
		require.NoError(t, err)
		for _, r := range all {
			if r.Status != ubiops.DeploymentRequestBatchDetailStatusCompleted {
				return false
			}
		}
		return true
	})
	all, err := e.c.Requests.Collect(ctx, "p", "s", ids)
	require.NoError(t, err)
	for i, r := range all {
		assert.Equal(t, ids[i], r.ID)
		assert.JSONEq(t, fmt.Sprintf(`{"i":%d}`, i), string(r.RequestData))
		assert.JSONEq(t, fmt.Sprintf(`{"i":%d,"seen":true}`, i), string(r.Result))
		assert.True(t, *r.Success)
		assert.False(t, r.TimeStarted.Before(r.TimeCreated.Time))
		assert.False(t, r.TimeCompleted.Before(r.TimeStarted.Time))
		assert.GreaterOrEqual(t, r.TimeCompleted.Sub(r.TimeCreated.Time), d)
		assert.Equal(t, len(r.Result), *r.OutputSize)
	}
	got, err := e.c.Requests.Get(ctx, "p", "s", ids[1].String(), nil)
	require.NoError(t, err)
	assert.Equal(t, "ops", *got.NotificationGroup)
	assert.Equal(t, int64(3), calls.Load(), "each handler ran once")

	// Many readers at once still run each handler once.
	more, err := e.c.Requests.BatchCreate(ctx, "p", "s", []any{map[string]any{"i": 3}, map[string]any{"i": 4}, map[string]any{"i": 5}}, nil)
	require.NoError(t, err)
	moreIDs := []ubiops.UUID{more[0].ID, more[1].ID, more[2].ID}
	time.Sleep(d)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.c.Requests.Collect(ctx, "p", "s", moreIDs)
			assert.NoError(t, err)
			_, err = e.c.Requests.List(ctx, "p", "s", nil)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	rqWait(t, "the second batch", func() bool {
		rs, err := e.c.Requests.Collect(ctx, "p", "s", moreIDs)
		require.NoError(t, err)
		return rs[0].Status == "completed" && rs[1].Status == "completed" && rs[2].Status == "completed"
	})
	assert.Equal(t, int64(6), calls.Load(), "each handler ran once")

	// 250 inputs to a version of a plain deployment, echoed.
	inputs := make([]any, 250)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("input-%03d", i)
	}
	big, err := e.c.Requests.BatchCreateForVersion(ctx, "p", "plain", "v2", inputs, &ubiops.BatchDeploymentVersionRequestsCreateParams{Timeout: ubiops.Ptr(600)})
	require.NoError(t, err)
	require.Len(t, big, 250)
	bigIDs := make([]ubiops.UUID, len(big))
	for i, r := range big {
		bigIDs[i] = r.ID
		assert.Equal(t, "v2", val(r.Version))
	}
	rqWait(t, "250 requests", func() bool {
		completed := ubiops.DeploymentVersionRequestsListParamsStatusCompleted
		list, err := e.c.Requests.ListForVersion(ctx, "p", "plain", "v2", &ubiops.DeploymentVersionRequestsListParams{Status: &completed, Limit: ubiops.Ptr(300)})
		require.NoError(t, err)
		return len(list) == 250
	})
	rs, err := e.c.Requests.CollectForVersion(ctx, "p", "plain", "v2", bigIDs)
	require.NoError(t, err)
	require.Len(t, rs, 250)
	for i, r := range rs {
		assert.Equal(t, bigIDs[i], r.ID)
		assert.JSONEq(t, fmt.Sprintf(`"input-%03d"`, i), string(r.Result))
	}
	// They are v2's requests, not the default version's.
	list, err := e.c.Requests.List(ctx, "p", "plain", nil)
	require.NoError(t, err)
	assert.Empty(t, list)

	// A batch request that fails.
	e.srv.HandleDeployment("p", "plain", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("no such model")
	})
	bad, err := e.c.Requests.BatchCreate(ctx, "p", "plain", []any{"x"}, nil)
	require.NoError(t, err)
	rqWait(t, "the failing request", func() bool {
		got, err := e.c.Requests.Get(ctx, "p", "plain", bad[0].ID.String(), nil)
		require.NoError(t, err)
		if got.Status != "failed" {
			return false
		}
		assert.Equal(t, "no such model", *got.ErrorMessage)
		assert.False(t, *got.Success)
		assert.Equal(t, "null", string(got.Result))
		return true
	})
}

func TestRequestsBatchAllOrNothing(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "s", true, "v1")
	e.deployment(t, "p", "plain", false, "v1")
	e.deployment(t, "p", "empty", false)

	_, err := e.c.Requests.BatchCreate(ctx, "p", "s", []any{map[string]any{"x": 1}, "text", map[string]any{"x": 2}}, nil)
	require.ErrorIs(t, err, ubiops.ErrBadRequest)
	assert.Contains(t, err.Error(), "item 1")
	_, err = e.c.Requests.BatchCreateForVersion(ctx, "p", "plain", "v1", []any{"a", "b", map[string]any{"x": 1}}, nil)
	require.ErrorIs(t, err, ubiops.ErrBadRequest)
	assert.Contains(t, err.Error(), "item 2")
	_, err = e.c.Requests.BatchCreate(ctx, "p", "plain", []any{"a", 5}, nil)
	require.ErrorIs(t, err, ubiops.ErrBadRequest)
	for _, dep := range []string{"s", "plain"} {
		list, err := e.c.Requests.List(ctx, "p", dep, nil)
		require.NoError(t, err)
		assert.Empty(t, list, "no request of a refused batch was created")
	}
	all, err := e.c.Requests.ListProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil)
	require.NoError(t, err)
	assert.Empty(t, all)

	// More than 250 inputs are refused by the server too.
	items := make([]string, 251)
	for i := range items {
		items[i] = `"x"`
	}
	status, body := rqRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/plain/requests/batch", "["+strings.Join(items, ",")+"]")
	assert.Equal(t, http.StatusBadRequest, status, body)

	_, err = e.c.Requests.BatchCreate(ctx, "p", "empty", []any{"a"}, nil)
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "no default version")
	_, err = e.c.Requests.BatchCreate(ctx, "p", "nope", []any{"a"}, nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// An empty batch creates nothing.
	none, err := e.c.Requests.BatchCreate(ctx, "p", "plain", nil, nil)
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestRequestsCollect(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1", "v2")
	created, err := e.c.Requests.BatchCreate(ctx, "p", "d", []any{"a", "b", "c", "d", "e", "f"}, nil)
	require.NoError(t, err)
	ids := make([]ubiops.UUID, len(created))
	for i, r := range created {
		ids[i] = r.ID
	}
	want := []ubiops.UUID{ids[4], ids[0], ids[5], ids[2]}
	got, err := e.c.Requests.Collect(ctx, "p", "d", want)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i, r := range got {
		assert.Equal(t, want[i], r.ID, "returned in the order given")
	}
	got, err = e.c.Requests.CollectForVersion(ctx, "p", "d", "v1", want)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	assert.Equal(t, want[0], got[0].ID)

	// An unknown id fails the whole call.
	unknown := ubiops.UUID{1, 2, 3}
	_, err = e.c.Requests.Collect(ctx, "p", "d", []ubiops.UUID{ids[0], unknown})
	require.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.Contains(t, err.Error(), unknown.String())
	// v1's requests are not v2's.
	_, err = e.c.Requests.CollectForVersion(ctx, "p", "d", "v2", []ubiops.UUID{ids[0]})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = e.c.Requests.CollectForVersion(ctx, "p", "d", "v3", []ubiops.UUID{ids[0]})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	empty, err := e.c.Requests.Collect(ctx, "p", "d", nil)
	require.NoError(t, err)
	assert.Empty(t, empty)

	// The server refuses more than 250 ids and ids that are not UUIDs.
	many := make([]string, 251)
	for i := range many {
		many[i] = `"` + ids[0].String() + `"`
	}
	status, body := rqRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/requests/collect", "["+strings.Join(many, ",")+"]")
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, body = rqRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/requests/collect", `["nope"]`)
	assert.Equal(t, http.StatusBadRequest, status, body)
}

func TestRequestsCancel(t *testing.T) {
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
	cancel := ubiops.DeploymentRequestUpdate{Status: ubiops.DeploymentRequestUpdateStatusCancelled}

	created, err := e.c.Requests.BatchCreate(ctx, "p", "d", []any{"a", "b"}, nil)
	require.NoError(t, err)

	// A pending request is cancelled at once.
	upd, err := e.c.Requests.Update(ctx, "p", "d", created[0].ID.String(), cancel)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestUpdateResponseStatusCancelled, *upd.Status)
	assert.Equal(t, created[0].ID, *upd.ID)
	assert.JSONEq(t, `"a"`, string(upd.RequestData))
	assert.False(t, *upd.Success)

	// A processing one is cancelled_pending until its processing time is over, then cancelled.
	rqWait(t, "processing", func() bool {
		got, err := e.c.Requests.Get(ctx, "p", "d", created[1].ID.String(), nil)
		require.NoError(t, err)
		return got.Status == "processing"
	})
	upd, err = e.c.Requests.Update(ctx, "p", "d", created[1].ID.String(), cancel)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestUpdateResponseStatusCancelledPending, *upd.Status)
	assert.Nil(t, upd.Success)
	cancelledPending := ubiops.DeploymentRequestsListParamsStatusCancelledPending
	list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: &cancelledPending})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, created[1].ID, list[0].ID)
	rqWait(t, "cancelled", func() bool {
		got, err := e.c.Requests.Get(ctx, "p", "d", created[1].ID.String(), nil)
		require.NoError(t, err)
		return got.Status == "cancelled"
	})
	cancelled := ubiops.DeploymentRequestsListParamsStatusCancelled
	list, err = e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: &cancelled})
	require.NoError(t, err)
	assert.Len(t, list, 2)
	assert.Equal(t, int64(0), calls.Load(), "a cancelled request never runs")

	// Finished requests can no longer be cancelled.
	_, err = e.c.Requests.Update(ctx, "p", "d", created[0].ID.String(), cancel)
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	direct, err := e.c.Requests.Create(ctx, "p", "d", "now", nil)
	require.NoError(t, err)
	_, err = e.c.Requests.Update(ctx, "p", "d", direct.ID.String(), cancel)
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = e.c.Requests.Update(ctx, "p", "d", ubiops.UUID{9}.String(), cancel)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	// Only cancelling is possible.
	status, body := rqRaw(t, e.srv, http.MethodPatch, "/projects/p/deployments/d/requests/"+created[0].ID.String(), `{"status":"completed"}`)
	assert.Equal(t, http.StatusBadRequest, status, body)

	// The version-level operation.
	v2, err := e.c.Requests.BatchCreateForVersion(ctx, "p", "d", "v2", []any{"c"}, nil)
	require.NoError(t, err)
	upd, err = e.c.Requests.UpdateForVersion(ctx, "p", "d", "v2", v2[0].ID.String(), cancel)
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestUpdateResponseStatusCancelled, *upd.Status)
	_, err = e.c.Requests.UpdateForVersion(ctx, "p", "d", "v1", v2[0].ID.String(), cancel)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestRequestsDelete(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1", "v2")
	var ids []ubiops.UUID
	for _, in := range []string{"a", "b", "c"} {
		res, err := e.c.Requests.Create(ctx, "p", "d", in, nil)
		require.NoError(t, err)
		ids = append(ids, res.ID)
	}
	batch, err := e.c.Requests.BatchCreate(ctx, "p", "d", []any{"d"}, nil)
	require.NoError(t, err)
	ids = append(ids, batch[0].ID)

	require.NoError(t, e.c.Requests.Delete(ctx, "p", "d", ids[0].String()))
	_, err = e.c.Requests.Get(ctx, "p", "d", ids[0].String(), nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, e.c.Requests.Delete(ctx, "p", "d", ids[0].String()), ubiops.ErrNotFound)

	// Batch delete is all or nothing.
	unknown := ubiops.UUID{7}
	_, err = e.c.Requests.BatchDelete(ctx, "p", "d", []ubiops.UUID{ids[1], unknown})
	require.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.Contains(t, err.Error(), unknown.String())
	_, err = e.c.Requests.Get(ctx, "p", "d", ids[1].String(), nil)
	require.NoError(t, err, "nothing was deleted")

	ack, err := e.c.Requests.BatchDelete(ctx, "p", "d", []ubiops.UUID{ids[1], ids[2]})
	require.NoError(t, err)
	assert.NotNil(t, ack)
	list, err := e.c.Requests.List(ctx, "p", "d", nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, ids[3], list[0].ID)

	many := make([]string, 251)
	for i := range many {
		many[i] = `"` + ids[3].String() + `"`
	}
	status, body := rqRaw(t, e.srv, http.MethodPost, "/projects/p/deployments/d/requests/delete", "["+strings.Join(many, ",")+"]")
	assert.Equal(t, http.StatusBadRequest, status, body)

	// The version-level operations.
	v2, err := e.c.Requests.BatchCreateForVersion(ctx, "p", "d", "v2", []any{"x", "y", "z"}, nil)
	require.NoError(t, err)
	assert.ErrorIs(t, e.c.Requests.DeleteForVersion(ctx, "p", "d", "v1", v2[0].ID.String()), ubiops.ErrNotFound)
	require.NoError(t, e.c.Requests.DeleteForVersion(ctx, "p", "d", "v2", v2[0].ID.String()))
	_, err = e.c.Requests.BatchDeleteForVersion(ctx, "p", "d", "v2", []ubiops.UUID{v2[1].ID, ids[3]})
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "a v1 request is not v2's")
	_, err = e.c.Requests.BatchDeleteForVersion(ctx, "p", "d", "v2", []ubiops.UUID{v2[1].ID})
	require.NoError(t, err)
	left, err := e.c.Requests.ListForVersion(ctx, "p", "d", "v2", nil)
	require.NoError(t, err)
	require.Len(t, left, 1)
	assert.Equal(t, v2[2].ID, left[0].ID)

	// Deleting a version deletes its requests: a new v2 starts empty.
	rqSetupCall(t, func() error { return e.c.Versions.Delete(ctx, "p", "d", "v2") })
	_, err = e.c.Requests.GetForVersion(ctx, "p", "d", "v2", v2[2].ID.String(), nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	rqSetupCall(t, func() error {
		_, err := e.c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v2", Environment: ubiops.Ptr("python3-12")})
		return err
	})
	left, err = e.c.Requests.ListForVersion(ctx, "p", "d", "v2", nil)
	require.NoError(t, err)
	assert.Empty(t, left)
	all, err := e.c.Requests.ListProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, ids[3], all[0].ID)
}

// rqMakeMany creates 312 requests to p/d (v1): 300 batch requests in five rounds and 12 direct
// ones; inputs starting with "fail" fail. It returns how many failed, once all are done.
func rqMakeMany(t *testing.T, e *rqEnv) (failed int) {
	t.Helper()
	ctx := context.Background()
	e.srv.HandleDeployment("p", "d", func(_ context.Context, raw json.RawMessage) (any, error) {
		var s string
		_ = json.Unmarshal(raw, &s)
		if strings.HasPrefix(s, "fail") {
			return nil, errors.New("failing on purpose")
		}
		return s, nil
	})
	n := 0
	for round := range 5 {
		inputs := make([]any, 60)
		for i := range inputs {
			if n%7 == 0 {
				inputs[i] = fmt.Sprintf("fail-%d", n)
				failed++
			} else {
				inputs[i] = fmt.Sprintf("ok-%d", n)
			}
			n++
		}
		_, err := e.c.Requests.BatchCreate(ctx, "p", "d", inputs, nil)
		require.NoError(t, err, "round %d", round)
		time.Sleep(2 * time.Millisecond)
	}
	for i := range 12 {
		in := fmt.Sprintf("ok-direct-%d", i)
		if i%3 == 0 {
			in = fmt.Sprintf("fail-direct-%d", i)
			failed++
		}
		_, err := e.c.Requests.Create(ctx, "p", "d", in, nil)
		require.NoError(t, err)
	}
	rqWait(t, "all requests to finish", func() bool {
		for _, st := range []ubiops.DeploymentRequestsListParamsStatus{"pending", "processing"} {
			list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: &st})
			require.NoError(t, err)
			if len(list) > 0 {
				return false
			}
		}
		return true
	})
	return failed
}

func rqIDs[T any](items []T, id func(T) ubiops.UUID) []ubiops.UUID {
	out := make([]ubiops.UUID, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func TestRequestsListFilters(t *testing.T) {
	e := rqServer(t, 10*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	failed := rqMakeMany(t, e)
	const total = 312
	listID := func(r ubiops.DeploymentRequestList) ubiops.UUID { return r.ID }
	list := func(p *ubiops.DeploymentRequestsListParams) []ubiops.DeploymentRequestList {
		t.Helper()
		out, err := e.c.Requests.List(ctx, "p", "d", p)
		require.NoError(t, err)
		return out
	}

	// Default: 50, newest first.
	first := list(nil)
	assert.Len(t, first, 50)

	// Paging through everything, newest first.
	var desc []ubiops.DeploymentRequestList
	for offset := 0; ; offset += 100 {
		page := list(&ubiops.DeploymentRequestsListParams{Limit: ubiops.Ptr(100), Offset: ubiops.Ptr(offset)})
		desc = append(desc, page...)
		if len(page) < 100 {
			break
		}
	}
	require.Len(t, desc, total)
	assert.Equal(t, rqIDs(first, listID), rqIDs(desc[:50], listID))
	seen := map[ubiops.UUID]bool{}
	for i, r := range desc {
		assert.False(t, seen[r.ID], "duplicate %s", r.ID)
		seen[r.ID] = true
		if i > 0 {
			assert.False(t, r.TimeCreated.After(desc[i-1].TimeCreated.Time), "newest first")
		}
	}
	assert.Empty(t, list(&ubiops.DeploymentRequestsListParams{Offset: ubiops.Ptr(total)}))

	// Ascending is the exact reverse.
	asc := list(&ubiops.DeploymentRequestsListParams{Sort: ubiops.Ptr(ubiops.DeploymentRequestsListParamsSortAsc), Limit: ubiops.Ptr(1000)})
	require.Len(t, asc, total)
	for i := range asc {
		assert.Equal(t, desc[total-1-i].ID, asc[i].ID)
	}
	descExplicit := list(&ubiops.DeploymentRequestsListParams{Sort: ubiops.Ptr(ubiops.DeploymentRequestsListParamsSortDesc), Limit: ubiops.Ptr(1000)})
	assert.Equal(t, rqIDs(desc, listID), rqIDs(descExplicit, listID))

	// status and the deprecated success.
	byStatus := func(st ubiops.DeploymentRequestsListParamsStatus) []ubiops.DeploymentRequestList {
		return list(&ubiops.DeploymentRequestsListParams{Status: &st, Limit: ubiops.Ptr(1000)})
	}
	failedList := byStatus("failed")
	assert.Len(t, failedList, failed)
	for _, r := range failedList {
		assert.Equal(t, ubiops.DeploymentRequestListStatusFailed, r.Status)
		assert.False(t, *r.Success)
	}
	completedList := byStatus("completed")
	assert.Len(t, completedList, total-failed)
	assert.Empty(t, byStatus("pending"))
	assert.Empty(t, byStatus("cancelled"))
	successTrue := list(&ubiops.DeploymentRequestsListParams{Success: ubiops.Ptr(true), Limit: ubiops.Ptr(1000)})
	assert.Equal(t, rqIDs(completedList, listID), rqIDs(successTrue, listID))
	successFalse := list(&ubiops.DeploymentRequestsListParams{Success: ubiops.Ptr(false), Limit: ubiops.Ptr(1000)})
	assert.Equal(t, rqIDs(failedList, listID), rqIDs(successFalse, listID))
	// Filters combine with paging.
	page := list(&ubiops.DeploymentRequestsListParams{Status: ubiops.Ptr(ubiops.DeploymentRequestsListParamsStatusFailed), Limit: ubiops.Ptr(10), Offset: ubiops.Ptr(5)})
	assert.Equal(t, rqIDs(failedList[5:15], listID), rqIDs(page, listID))

	// No request is part of a pipeline or made by a request schedule.
	assert.Empty(t, list(&ubiops.DeploymentRequestsListParams{Pipeline: ubiops.Ptr(true)}))
	assert.Len(t, list(&ubiops.DeploymentRequestsListParams{Pipeline: ubiops.Ptr(false), Limit: ubiops.Ptr(1000)}), total)
	assert.Empty(t, list(&ubiops.DeploymentRequestsListParams{RequestSchedule: ubiops.Ptr("nightly")}))

	// start_date and end_date bound the creation date, inclusively.
	start, end := asc[70].TimeCreated.Time, asc[250].TimeCreated.Time
	var want []ubiops.UUID
	for _, r := range asc {
		if !r.TimeCreated.Before(start) && !r.TimeCreated.After(end) {
			want = append(want, r.ID)
		}
	}
	between := list(&ubiops.DeploymentRequestsListParams{StartDate: &start, EndDate: &end, Sort: ubiops.Ptr(ubiops.DeploymentRequestsListParamsSortAsc), Limit: ubiops.Ptr(1000)})
	assert.Equal(t, want, rqIDs(between, listID))
	assert.Less(t, len(between), total)
	after := list(&ubiops.DeploymentRequestsListParams{StartDate: &end, Limit: ubiops.Ptr(1000)})
	for _, r := range after {
		assert.False(t, r.TimeCreated.Before(end))
	}
	future := time.Now().Add(time.Hour)
	assert.Empty(t, list(&ubiops.DeploymentRequestsListParams{StartDate: &future}))

	// search_id matches part of an id.
	target := asc[123].ID.String()
	found := list(&ubiops.DeploymentRequestsListParams{SearchID: ubiops.Ptr(target[9:23]), Limit: ubiops.Ptr(1000)})
	require.NotEmpty(t, found)
	assert.Contains(t, rqIDs(found, listID), asc[123].ID)
	for _, r := range found {
		assert.Contains(t, r.ID.String(), target[9:23])
	}
	assert.Len(t, list(&ubiops.DeploymentRequestsListParams{SearchID: ubiops.Ptr(target)}), 1)

	// The spec bounds limit and offset.
	_, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Limit: ubiops.Ptr(0)})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Offset: ubiops.Ptr(-1)})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)

	// The version-level list has the same filters.
	v1, err := e.c.Requests.ListForVersion(ctx, "p", "d", "v1", &ubiops.DeploymentVersionRequestsListParams{
		Status: ubiops.Ptr(ubiops.DeploymentVersionRequestsListParamsStatusFailed), Sort: ubiops.Ptr(ubiops.DeploymentVersionRequestsListParamsSortAsc),
		Limit: ubiops.Ptr(1000), StartDate: &start, EndDate: &end, Pipeline: ubiops.Ptr(false),
	})
	require.NoError(t, err)
	var wantFailed []ubiops.UUID
	for _, r := range asc {
		if r.Status == "failed" && !r.TimeCreated.Before(start) && !r.TimeCreated.After(end) {
			wantFailed = append(wantFailed, r.ID)
		}
	}
	assert.Equal(t, wantFailed, rqIDs(v1, listID))
	_, err = e.c.Requests.ListForVersion(ctx, "p", "d", "v9", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestRequestsProjectList(t *testing.T) {
	e := rqServer(t, 10*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.project(t, "other")
	e.deployment(t, "p", "d", false, "v1")
	e.deployment(t, "p", "e", true, "v1", "v2")
	e.deployment(t, "other", "d", false, "v1")
	failed := rqMakeMany(t, e)
	_, err := e.c.Requests.Create(ctx, "p", "e", rqInput{X: 1}, nil)
	require.NoError(t, err)
	v2, err := e.c.Requests.BatchCreateForVersion(ctx, "p", "e", "v2", []any{map[string]any{"x": 2}}, nil)
	require.NoError(t, err)
	_, err = e.c.Requests.Create(ctx, "other", "d", "elsewhere", nil)
	require.NoError(t, err)
	const total = 312 + 2
	deployment := ubiops.ProjectRequestsListParamsObjectTypeDeployment
	list := func(p *ubiops.ProjectRequestsListParams) []ubiops.RequestsOverview {
		t.Helper()
		out, err := e.c.Requests.ListProject(ctx, "p", deployment, p)
		require.NoError(t, err)
		return out
	}
	overviewID := func(r ubiops.RequestsOverview) ubiops.UUID { return r.ID }

	rqWait(t, "the v2 request", func() bool {
		all := list(&ubiops.ProjectRequestsListParams{Limit: ubiops.Ptr(1000)})
		for _, r := range all {
			if r.ID == v2[0].ID {
				return r.Status == "completed"
			}
		}
		return false
	})
	all := list(&ubiops.ProjectRequestsListParams{Limit: ubiops.Ptr(1000)})
	require.Len(t, all, total, "every deployment and version of the project, and no other project")
	deployments := map[string]int{}
	for i, r := range all {
		deployments[*r.Deployment]++
		assert.Nil(t, r.Pipeline)
		if i > 0 {
			assert.False(t, r.TimeCreated.After(all[i-1].TimeCreated.Time), "newest first")
		}
	}
	assert.Equal(t, map[string]int{"d": 312, "e": 2}, deployments)
	assert.Equal(t, v2[0].ID, all[0].ID)
	assert.Equal(t, "v2", val(all[0].Version))

	assert.Len(t, list(nil), 50)
	var paged []ubiops.UUID
	for offset := 0; offset < total; offset += 40 {
		paged = append(paged, rqIDs(list(&ubiops.ProjectRequestsListParams{Limit: ubiops.Ptr(40), Offset: ubiops.Ptr(offset)}), overviewID)...)
	}
	assert.Equal(t, rqIDs(all, overviewID), paged)
	asc := list(&ubiops.ProjectRequestsListParams{Sort: ubiops.Ptr(ubiops.ProjectRequestsListParamsSortAsc), Limit: ubiops.Ptr(1000)})
	require.Len(t, asc, total)
	assert.Equal(t, all[0].ID, asc[total-1].ID)

	failedList := list(&ubiops.ProjectRequestsListParams{Status: ubiops.Ptr(ubiops.ProjectRequestsListParamsStatusFailed), Limit: ubiops.Ptr(1000)})
	assert.Len(t, failedList, failed)
	assert.Len(t, list(&ubiops.ProjectRequestsListParams{Success: ubiops.Ptr(true), Limit: ubiops.Ptr(1000)}), total-failed)
	assert.Empty(t, list(&ubiops.ProjectRequestsListParams{Pipeline: ubiops.Ptr(true)}))
	assert.Empty(t, list(&ubiops.ProjectRequestsListParams{RequestSchedule: ubiops.Ptr("nightly")}))
	start := asc[100].TimeCreated.Time
	end := asc[200].TimeCreated.Time
	for _, r := range list(&ubiops.ProjectRequestsListParams{StartDate: &start, EndDate: &end, Limit: ubiops.Ptr(1000)}) {
		assert.False(t, r.TimeCreated.Before(start) || r.TimeCreated.After(end))
	}
	one := list(&ubiops.ProjectRequestsListParams{SearchID: ubiops.Ptr(v2[0].ID.String()[:13])})
	assert.Contains(t, rqIDs(one, overviewID), v2[0].ID)

	// The fake has no pipelines.
	pipelines, err := e.c.Requests.ListProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypePipeline, nil)
	require.NoError(t, err)
	assert.Empty(t, pipelines)
	_, err = e.c.Requests.ListProject(ctx, "nope", deployment, nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	status, body := rqRaw(t, e.srv, http.MethodGet, "/projects/p/requests", "")
	assert.Equal(t, http.StatusBadRequest, status, "object_type is required: %s", body)
}

func TestRequestsConcurrent(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	var calls atomic.Int64
	e.srv.HandleDeployment("p", "d", func(_ context.Context, raw json.RawMessage) (any, error) {
		calls.Add(1)
		time.Sleep(time.Millisecond)
		return raw, nil
	})
	const workers, direct, batch = 16, 10, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range direct {
				res, err := e.c.Requests.Create(ctx, "p", "d", fmt.Sprintf("w%d-%d", w, i), nil)
				if assert.NoError(t, err) {
					assert.JSONEq(t, fmt.Sprintf(`"w%d-%d"`, w, i), string(res.Result))
				}
			}
			inputs := make([]any, batch)
			for i := range inputs {
				inputs[i] = fmt.Sprintf("w%d-b%d", w, i)
			}
			_, err := e.c.Requests.BatchCreate(ctx, "p", "d", inputs, nil)
			assert.NoError(t, err)
			_, err = e.c.Requests.List(ctx, "p", "d", nil)
			assert.NoError(t, err)
			_, err = e.c.Requests.ListProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil)
			assert.NoError(t, err)
			_, err = e.c.Logs.ListDeprecated(ctx, "p", ubiops.LogsCreate{})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	const total = workers * (direct + batch)
	rqWait(t, "every request to complete", func() bool {
		completed := ubiops.DeploymentRequestsListParamsStatusCompleted
		list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Status: &completed, Limit: ubiops.Ptr(1000)})
		require.NoError(t, err)
		return len(list) == total
	})
	assert.Equal(t, int64(total), calls.Load(), "every handler ran exactly once")
	assert.Equal(t, workers*direct, e.srv.Count("deployment_requests_create"))
	assert.Equal(t, workers, e.srv.Count("batch_deployment_requests_create"))
	list, err := e.c.Requests.List(ctx, "p", "d", &ubiops.DeploymentRequestsListParams{Limit: ubiops.Ptr(1000)})
	require.NoError(t, err)
	ids := rqIDs(list, func(r ubiops.DeploymentRequestList) ubiops.UUID { return r.ID })
	sort.Slice(ids, func(i, j int) bool { return ids[i].String() < ids[j].String() })
	for i := 1; i < len(ids); i++ {
		assert.NotEqual(t, ids[i-1], ids[i])
	}
}
