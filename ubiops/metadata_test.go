package ubiops_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// TestOperationIDReachesMiddlewareLogsAndErrors: every attempt's request context names its
// operation, the debug log line carries it, and so do the errors.
func TestOperationIDReachesMiddlewareLogsAndErrors(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	mw := func(next http.RoundTripper) http.RoundTripper {
		return waitRoundTripper(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			seen = append(seen, ubiops.OperationID(r.Context()))
			mu.Unlock()
			return next.RoundTrip(r)
		})
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := ubiopstest.NewServer(t)
	c := srv.Client(ubiops.WithMiddleware(mw), ubiops.WithLogger(logger),
		ubiops.WithRetryPolicy(ubiops.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	srv.InjectFault("projects_list", ubiopstest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
	_, err := c.Projects.List(ctx, nil)
	require.NoError(t, err)
	_, err = c.Projects.Get(ctx, "missing")
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "projects_get", apiErr.Operation)
	assert.Contains(t, err.Error(), "projects_get: GET /v2.1/projects/missing")

	mu.Lock()
	assert.Equal(t, []string{"projects_list", "projects_list", "projects_get"}, seen, "one entry per attempt")
	mu.Unlock()
	assert.Contains(t, logs.String(), "operation=projects_list")
	assert.Contains(t, logs.String(), "operation=projects_get")
	assert.Equal(t, "", ubiops.OperationID(ctx), "outside a call")

	// A transport failure names the operation too.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c2, err := ubiops.NewClient(ubiops.WithBaseURL(dead.URL), ubiops.WithToken("t"), ubiops.WithInsecureHTTP(), ubiops.WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c2.Deployments.List(ctx, "p", nil)
	var reqErr *ubiops.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, "deployments_list", reqErr.Operation)
}

// TestWithResponseInto captures a successful call's answer; its rate-limit headers read as
// typed values.
func TestWithResponseInto(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ratelimit-Limit", "300")
		w.Header().Set("X-Ratelimit-Remaining", "299")
		w.Header().Set("X-Ratelimit-Reset", "42")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer api.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(api.URL), ubiops.WithToken("t"), ubiops.WithInsecureHTTP())
	require.NoError(t, err)
	defer c.CloseIdleConnections()

	var resp *http.Response
	_, err = c.Status(context.Background(), ubiops.WithResponseInto(&resp))
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	rl, ok := ubiops.RateLimitOf(resp.Header)
	assert.True(t, ok)
	assert.Equal(t, ubiops.RateLimit{Limit: 300, Remaining: 299, Reset: 42 * time.Second}, rl)

	_, ok = ubiops.RateLimitOf(http.Header{"Content-Type": {"x"}})
	assert.False(t, ok, "no rate-limit headers")
	rl, ok = ubiops.RateLimitOf(http.Header{"X-Ratelimit-Remaining": {"-3"}})
	assert.True(t, ok)
	assert.Equal(t, ubiops.RateLimit{}, rl, "a malformed value reads as 0")
}

// TestWithResponseIntoFromABatch: concurrent calls of a batch helper write the capture without a
// race (go test -race) and leave one of their answers.
func TestWithResponseIntoFromABatch(t *testing.T) {
	_, c := setupVersion(t)
	var resp *http.Response
	_, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(1000), ubiops.WithResponseInto(&resp),
		ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 100, Concurrency: 4}))
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "batch_deployment_requests_create", ubiops.OperationID(resp.Request.Context()))
}
