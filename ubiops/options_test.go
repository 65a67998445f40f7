package ubiops_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// headerRecorder is a middleware that records each request's X-Test header and page limit.
type headerRecorder struct {
	mu     sync.Mutex
	seen   []string
	limits []string
}

func (h *headerRecorder) wrap(next http.RoundTripper) http.RoundTripper {
	return waitRoundTripper(func(r *http.Request) (*http.Response, error) {
		h.mu.Lock()
		h.seen = append(h.seen, r.Header.Get("X-Test"))
		h.limits = append(h.limits, r.URL.Query().Get("limit"))
		h.mu.Unlock()
		return next.RoundTrip(r)
	})
}

// TestOneOptionIdiom: the same CallOptions reach single calls, iterators' pages, waiters' polls
// and batch helpers' calls; WithDefaults applies to every call and a call's own options override
// it; a nil option is ignored.
func TestOneOptionIdiom(t *testing.T) {
	rec := &headerRecorder{}
	srv, _ := setupVersion(t)
	c := srv.Client(ubiops.WithMiddleware(rec.wrap), ubiops.WithDefaults(ubiops.WithHeader("X-Test", "default"), nil))
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	_, err := c.Projects.Get(ctx, "p")
	require.NoError(t, err)
	_, err = c.Projects.Get(ctx, "p", ubiops.WithNoRetry(), ubiops.WithHeader("X-Test", "mine"))
	require.NoError(t, err)
	assert.Equal(t, "default", rec.seen[0])
	assert.Equal(t, "default", rec.seen[1], "headers add up: the first value is the default's")

	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(5), ubiops.WithHeader("X-Test", "batch"))
	require.NoError(t, err)
	ids := []ubiops.UUID{results[0].Request.ID, results[4].Request.ID}
	rec.mu.Lock()
	rec.seen = nil
	rec.mu.Unlock()
	_, err = c.Requests.WaitAll(ctx, "p", "d", ids, fastWait, ubiops.WithCallRetryPolicy(ubiops.DefaultRetryPolicy()))
	require.NoError(t, err)
	for range c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(2), ubiops.WithMaxItems(3)) {
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.NotEmpty(t, rec.seen)
	for _, h := range rec.seen {
		assert.Equal(t, "default", h, "waiter polls and pages carry the defaults")
	}
	assert.Contains(t, rec.limits, "2", "WithPageSize reached the page request")
}

// TestWithCallAttemptTimeout bounds one call's attempts without changing the client's.
func TestWithCallAttemptTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	defer slow.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(slow.URL), ubiops.WithToken("t"), ubiops.WithInsecureHTTP(), ubiops.WithMaxRetries(0))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	_, err = c.Status(context.Background(), ubiops.WithCallAttemptTimeout(50*time.Millisecond))
	var ate *ubiops.AttemptTimeoutError
	require.ErrorAs(t, err, &ate)
	assert.Equal(t, 50*time.Millisecond, ate.Duration)
	_, err = c.Status(context.Background())
	assert.NoError(t, err, "the client itself sets no attempt timeout")
}
