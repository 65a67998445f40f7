package ubiops

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testToken = "s3cr3t-t0ken-value"

// sleepRecorder replaces the retry transport's sleep: it records each wait and returns at once,
// so retry tests run instantly and can assert the delays chosen.
type sleepRecorder struct {
	mu     sync.Mutex
	delays []time.Duration
}

func (r *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.delays = append(r.delays, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *sleepRecorder) all() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.delays...)
}

// newTestClient starts a server with handler and returns a client for it whose waits are recorded
// instead of slept.
func newTestClient(t testing.TB, handler http.Handler, opts ...Option) (*Client, *sleepRecorder, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	c, rec := testClientFor(t, srv.URL, opts...)
	return c, rec, srv
}

func testClientFor(t testing.TB, url string, opts ...Option) (*Client, *sleepRecorder) {
	t.Helper()
	c, err := NewClient(append([]Option{WithBaseURL(url), WithToken(testToken)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections) // goleak (main_test.go) allows no connection to outlive the tests
	rec := &sleepRecorder{}
	rt := c.httpClient.Transport.(*retryTransport)
	rt.sleep = rec.sleep
	rt.random = func() float64 { return 0.5 }
	return c, rec
}
