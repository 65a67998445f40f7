package ubiops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRetryMatrix crosses every method with every status: idempotent methods are retried on 408,
// 429 and 5xx gateway errors; POST and PATCH only on 429; nobody on other 4xx.
func TestRetryMatrix(t *testing.T) {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodPost, http.MethodPatch}
	statuses := []int{400, 401, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504}
	retryable := map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}
	for _, m := range methods {
		for _, st := range statuses {
			t.Run(fmt.Sprintf("%s_%d", m, st), func(t *testing.T) {
				var hits atomic.Int32
				c, rec, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					w.WriteHeader(st)
				}))
				req, err := http.NewRequest(m, srv.URL+"/v2.1/projects", strings.NewReader("{}"))
				require.NoError(t, err)
				resp, err := c.HTTPClient().Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, st, resp.StatusCode)

				want := 1
				if retryable[st] && (idempotentMethod(m) || st == 429) {
					want = 1 + DefaultRetryPolicy().MaxRetries
				}
				assert.Equal(t, int32(want), hits.Load(), "attempts")
				assert.Len(t, rec.all(), want-1, "one wait between attempts")
			})
		}
	}
}

// TestRetryTransportErrors: a refused connection never reached the server, so even a POST is
// retried; a connection dropped after the request was sent is retried only for idempotent methods.
func TestRetryTransportErrors(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		ln.Close() // nothing listens here now
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch} {
			c, rec := testClientFor(t, "http://"+addr)
			req, _ := http.NewRequest(m, "http://"+addr+"/v2.1/projects", strings.NewReader("{}"))
			_, err := c.HTTPClient().Do(req)
			require.Error(t, err, m)
			assert.Len(t, rec.all(), DefaultRetryPolicy().MaxRetries, "%s: a dial failure is retried", m)
		}
	})
	t.Run("dropped after send", func(t *testing.T) {
		for _, m := range []string{http.MethodGet, http.MethodDelete, http.MethodPost, http.MethodPatch} {
			var hits atomic.Int32
			c, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close() // the request arrived; no answer will
				}
			}))
			req, _ := http.NewRequest(m, srv.URL+"/v2.1/projects", strings.NewReader("{}"))
			_, err := c.HTTPClient().Do(req)
			require.Error(t, err)
			want := int32(1)
			if idempotentMethod(m) {
				want = int32(1 + DefaultRetryPolicy().MaxRetries)
			}
			assert.Equal(t, want, hits.Load(), "%s attempts", m)
		}
	})
	t.Run("attempt timeout", func(t *testing.T) {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			var hits atomic.Int32
			release := make(chan struct{})
			c, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				select {
				case <-release:
				case <-r.Context().Done():
				}
			}), WithAttemptTimeout(50*time.Millisecond), WithMaxRetries(1))
			req, _ := http.NewRequest(m, srv.URL+"/v2.1/projects", strings.NewReader("{}"))
			_, err := c.HTTPClient().Do(req)
			close(release)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			want := int32(1)
			if m == http.MethodGet {
				want = 2
			}
			assert.Equal(t, want, hits.Load(), "%s: a timed-out POST may have been processed", m)
		}
	})
}

func TestRetryIdempotentOptionAllowsPOSTRetry(t *testing.T) {
	var hits atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","name":"p"}`)
	}))
	_, err := c.Projects.Create(context.Background(), ProjectCreate{Name: "p", OrganizationName: "o"})
	require.Error(t, err, "a 502 on a create is not retried by default")
	assert.Equal(t, int32(1), hits.Load())

	hits.Store(0)
	p, err := c.Projects.Create(context.Background(), ProjectCreate{Name: "p", OrganizationName: "o"}, WithIdempotent())
	require.NoError(t, err)
	assert.Equal(t, "p", p.Name)
	assert.Equal(t, int32(3), hits.Load())
}

// TestRetryRewindsBody: every attempt of a POST sends the same, complete body.
func TestRetryRewindsBody(t *testing.T) {
	var bodies []string
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) < 3 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}))
	_, err := c.Projects.Create(context.Background(), ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	require.Len(t, bodies, 3)
	assert.Equal(t, bodies[0], bodies[1])
	assert.Equal(t, bodies[0], bodies[2])
	assert.Contains(t, bodies[0], `"organization_name":"o"`)
}

// TestRetryNoGetBodyNoRetry: a body that cannot be rewound is sent once, whatever the answer.
func TestRetryNoGetBodyNoRetry(t *testing.T) {
	var hits atomic.Int32
	c, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/v2.1/x", io.NopCloser(strings.NewReader("stream")))
	require.Nil(t, req.GetBody)
	resp, err := c.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, int32(1), hits.Load())
}

func TestRetryDelays(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name   string
		header http.Header
		status int
		want   time.Duration
	}{
		{"Retry-After seconds", http.Header{"Retry-After": {"7"}}, 429, 7 * time.Second},
		{"Retry-After date", http.Header{"Retry-After": {now.Add(9 * time.Second).Format(http.TimeFormat)}}, 503, 9 * time.Second},
		{"x-ratelimit-reset", http.Header{"X-Ratelimit-Reset": {"12"}}, 429, 12 * time.Second},
		{"Retry-After wins over reset", http.Header{"Retry-After": {"2"}, "X-Ratelimit-Reset": {"30"}}, 429, 2 * time.Second},
		{"capped", http.Header{"Retry-After": {"3600"}}, 429, time.Minute},
		{"garbage falls back to backoff", http.Header{"Retry-After": {"soon"}}, 503, 250 * time.Millisecond},
		{"no header: backoff", http.Header{}, 503, 250 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRetryTransport(nil, DefaultRetryPolicy(), 0, slog.New(slog.DiscardHandler))
			rt.now = func() time.Time { return now }
			rt.random = func() float64 { return 0.5 }
			got := rt.delay(rt.policy, 1, &http.Response{StatusCode: tc.status, Header: tc.header})
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestBackoffIsFullJitterExponential(t *testing.T) {
	p := DefaultRetryPolicy()
	top := func() float64 { return 0.999999 }
	assert.InDelta(t, 500*time.Millisecond, p.backoff(1, top), float64(time.Millisecond))
	assert.InDelta(t, 1*time.Second, p.backoff(2, top), float64(time.Millisecond))
	assert.InDelta(t, 2*time.Second, p.backoff(3, top), float64(time.Millisecond))
	assert.InDelta(t, 30*time.Second, p.backoff(10, top), float64(time.Millisecond), "capped at MaxDelay")
	assert.InDelta(t, 30*time.Second, p.backoff(200, top), float64(time.Millisecond), "no overflow")
	assert.Equal(t, time.Duration(0), p.backoff(3, func() float64 { return 0 }), "full jitter reaches zero")
}

// TestRetryRespectsDeadline: when the server asks for a wait longer than the caller has left, the
// 429 comes back at once instead of sleeping into the deadline.
func TestRetryRespectsDeadline(t *testing.T) {
	var hits atomic.Int32
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error":"slow down"}`)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.Projects.Get(ctx, "p")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrRateLimited)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 30*time.Second, apiErr.RetryAfter)
	assert.Equal(t, "slow down", apiErr.Message)
	assert.Equal(t, int32(1), hits.Load())
	assert.Empty(t, rec.all(), "no wait was started")
}

// TestRetryCancelDuringBackoff uses the real sleep: cancelling the context ends the wait at once.
func TestRetryCancelDuringBackoff(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	c.httpClient.Transport.(*retryTransport).sleep = sleepContext
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Projects.Get(ctx, "p")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var rerr *RequestError
	assert.ErrorAs(t, err, &rerr)
	assert.Less(t, time.Since(start), 5*time.Second, "the 20 s wait was abandoned")
}

func TestRetryExhaustedReportsAttempts(t *testing.T) {
	c, rec, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	_, err := c.Projects.Get(context.Background(), "p")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 4, apiErr.Attempts)
	assert.Contains(t, err.Error(), "after 4 attempts")
	assert.ErrorIs(t, err, ErrServer)
	assert.Len(t, rec.all(), 3)

	// A per-call policy overrides the client's.
	_, err = c.Projects.Get(context.Background(), "p", WithNoRetry())
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, apiErr.Attempts)
	_, err = c.Projects.Get(context.Background(), "p", WithCallRetryPolicy(RetryPolicy{MaxRetries: 1}))
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2, apiErr.Attempts)
}

// TestRetryLogging: one debug line per attempt with the documented fields, and never the token.
func TestRetryLogging(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var hits atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}), WithLogger(logger))
	_, err := c.Projects.Get(context.Background(), "p")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"status":502`)
	assert.Contains(t, lines[0], `"retry_reason":"status 502"`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[1], `"status":200`)
	assert.Contains(t, lines[1], `"path":"/v2.1/projects/p"`)
	assert.NotContains(t, buf.String(), testToken)
}

// TestRetryContextErrorWins: a cancelled call reports the context's error, not the broken
// connection it caused, along with the method and path.
func TestRetryContextErrorWins(t *testing.T) {
	started := make(chan struct{})
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.Projects.Get(ctx, "p")
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	var rerr *RequestError
	require.ErrorAs(t, err, &rerr)
	assert.Equal(t, http.MethodGet, rerr.Method)
	assert.Equal(t, "/v2.1/projects/p", rerr.Path)
}

// TestAttemptTimeoutCoversHeadersOnly: once the answer's headers arrived in time, a body that keeps
// streaming past the attempt timeout is read to the end.
func TestAttemptTimeoutCoversHeadersOnly(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"name":`)
		w.(http.Flusher).Flush()
		time.Sleep(150 * time.Millisecond) // three attempt timeouts
		_, _ = io.WriteString(w, `"slow-body"}`)
	}), WithAttemptTimeout(50*time.Millisecond))
	p, err := c.Projects.Get(context.Background(), "p")
	require.NoError(t, err)
	assert.Equal(t, "slow-body", p.Name)
}

func TestAttemptTimeoutError(t *testing.T) {
	err := error(&AttemptTimeoutError{Duration: time.Second, Err: context.Canceled})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ne interface{ Timeout() bool }
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
}

// TestMiddlewareSeesEveryAttempt: middleware runs below the retry layer, outermost first.
func TestMiddlewareSeesEveryAttempt(t *testing.T) {
	var order []string
	var attempts atomic.Int32
	mw := func(name string) func(http.RoundTripper) http.RoundTripper {
		return func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				order = append(order, name)
				if name == "inner" {
					attempts.Add(1)
				}
				return next.RoundTrip(r)
			})
		}
	}
	var hits atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}), WithMiddleware(mw("outer")), WithMiddleware(mw("inner")))
	_, err := c.Projects.Get(context.Background(), "p")
	require.NoError(t, err)
	assert.Equal(t, []string{"outer", "inner", "outer", "inner"}, order)
	assert.Equal(t, int32(2), attempts.Load())
}

// TestWithHTTPClient: the caller's client supplies the transport and is left untouched.
func TestWithHTTPClient(t *testing.T) {
	var used atomic.Bool
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return http.DefaultTransport.RoundTrip(r)
	})
	mine := &http.Client{Transport: base, Timeout: 5 * time.Second}
	_, _, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"name":"p"}`)
	}))
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(testToken), WithHTTPClient(mine))
	require.NoError(t, err)
	_, err = c.Projects.Get(context.Background(), "p")
	require.NoError(t, err)
	assert.True(t, used.Load())
	_, stillMine := mine.Transport.(roundTripFunc)
	assert.True(t, stillMine, "the caller's client is not modified")
	assert.Equal(t, 5*time.Second, c.HTTPClient().Timeout)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
