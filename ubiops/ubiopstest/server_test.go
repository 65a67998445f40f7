package ubiopstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

func rawRequest(t *testing.T, srv *ubiopstest.Server, method, path, token, body string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Token "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestAuthentication(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithToken("right"))
	status, _, _ := rawRequest(t, srv, http.MethodGet, "/v2.1/projects", "wrong", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = rawRequest(t, srv, http.MethodGet, "/v2.1/projects", "", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _, _ = rawRequest(t, srv, http.MethodGet, "/v2.1/projects", "right", "")
	assert.Equal(t, http.StatusOK, status)

	bad, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL()), ubiops.WithToken("wrong"))
	require.NoError(t, err)
	_, err = bad.Projects.List(context.Background(), nil)
	assert.ErrorIs(t, err, ubiops.ErrUnauthorized)
	assert.Equal(t, 1, srv.Count("projects_list"), "only the authenticated request ran")
	assert.Equal(t, 4, srv.Received("projects_list"))
}

// TestValidationNamesTheField: a call that breaks the spec is a 400 naming what is wrong, the way
// production answers, so a user's bad call fails in their tests.
func TestValidationNamesTheField(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	cases := []struct{ method, path, body, want string }{
		{http.MethodPost, "/v2.1/projects", `{"name": 5, "organization_name": "o"}`, "request body field name"},
		{http.MethodPost, "/v2.1/projects", `{"name": "p"}`, "organization_name"},
		{http.MethodPost, "/v2.1/projects", `{"name": "Not Valid!", "organization_name": "o"}`, "request body field name"},
		{http.MethodGet, "/v2.1/projects/p/audit?limit=0", "", "query parameter limit"},
		{http.MethodGet, "/v2.1/projects/p/audit?action=explode", "", "query parameter action"},
	}
	for _, tc := range cases {
		status, body, _ := rawRequest(t, srv, tc.method, tc.path, srv.Token(), tc.body)
		assert.Equal(t, http.StatusBadRequest, status, "%s %s %s", tc.method, tc.path, tc.body)
		var e struct{ Error string }
		require.NoError(t, json.Unmarshal([]byte(body), &e), body)
		assert.Contains(t, e.Error, tc.want)
	}
	status, _, _ := rawRequest(t, srv, http.MethodGet, "/v2.1/no/such/route", srv.Token(), "")
	assert.Equal(t, http.StatusNotFound, status)
	status, _, _ = rawRequest(t, srv, http.MethodGet, "/projects", srv.Token(), "")
	assert.Equal(t, http.StatusNotFound, status, "the API lives under /v2.1 only")

	_, err := srv.Client().Projects.Create(context.Background(), ubiops.ProjectCreate{Name: "Bad Name", OrganizationName: "o"})
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "request body field name")
	assert.Equal(t, 0, srv.Count("projects_create"))
}

func TestFaultStatusIsRetriedForReads(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	srv.InjectFault("projects_list", ubiopstest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: time.Millisecond, Times: 2})
	_, err := srv.Client().Projects.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Received("projects_list"))
	assert.Equal(t, 1, srv.Count("projects_list"))
}

func TestFaultDrops(t *testing.T) {
	ctx := context.Background()
	srv := ubiopstest.NewServer(t)
	c := srv.Client()

	srv.InjectFault("projects_create", ubiopstest.Fault{Drop: ubiopstest.DropBefore, Times: 1})
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "before", OrganizationName: "o"})
	require.Error(t, err)
	var rerr *ubiops.RequestError
	assert.ErrorAs(t, err, &rerr)
	_, err = c.Projects.Get(ctx, "before")
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "DropBefore changes nothing")

	srv.InjectFault("projects_create", ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "after", OrganizationName: "o"})
	require.Error(t, err, "the answer was lost")
	_, err = c.Projects.Get(ctx, "after")
	assert.NoError(t, err, "DropAfter keeps the effect")
	assert.Equal(t, 1, srv.Count("projects_create"), "and the client did not send the create again")
}

func TestRateLimit(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithRateLimit(2, time.Minute))
	c := srv.Client(ubiops.WithMaxRetries(0))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		_, err := c.Projects.List(ctx, nil)
		require.NoError(t, err)
	}
	_, err := c.Projects.List(ctx, nil)
	require.ErrorIs(t, err, ubiops.ErrRateLimited)
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "2", apiErr.Header.Get("x-ratelimit-limit"))
	assert.Equal(t, "0", apiErr.Header.Get("x-ratelimit-remaining"))
	assert.Greater(t, apiErr.RetryAfter, time.Duration(0), "x-ratelimit-reset is read as the wait")
}

func TestLatency(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	srv.SetLatency("projects_list", 80*time.Millisecond)
	start := time.Now()
	_, err := srv.Client().Projects.List(context.Background(), nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = srv.Client().Projects.List(ctx, nil)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}

func TestCountersReset(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	_, err := srv.Client().Projects.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Count("projects_list"))
	srv.ResetCounts()
	assert.Equal(t, 0, srv.Count("projects_list"))
	assert.Equal(t, 0, srv.Received("projects_list"))
}

// TestConcurrentUse runs many clients at once; with -race it proves the server is safe.
func TestConcurrentUse(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "p-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
			if _, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: name, OrganizationName: "o"}); err != nil {
				errs <- err
				return
			}
			if _, err := c.Projects.List(ctx, nil); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	list, err := c.Projects.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list, 32)
}
