package ubiops_test

// Hostile servers and hostile input: what a broken, malicious or intercepted server can send, and
// what the client must still guarantee (bounded memory, bounded requests, no file from a login
// page, no forged log lines, no token in what it keeps).

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// hostileClient serves handler and returns a client for it with fast retries; the client's idle
// connections are closed when the test ends.
func hostileClient(t *testing.T, handler http.Handler, opts ...ubiops.Option) (*ubiops.Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	c, err := ubiops.NewClient(append([]ubiops.Option{ubiops.WithBaseURL(srv.URL), ubiops.WithToken(secretToken),
		ubiops.WithRetryPolicy(ubiops.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond})}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, srv
}

// allocated runs f and returns how many bytes it allocated (cumulative: an upper bound on how much
// the heap grew, whatever the garbage collector did meanwhile).
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const (
	giB = 1 << 30
	miB = 1 << 20
)

var aaaa = bytes.Repeat([]byte("a"), 64<<10)

// endlessJSON answers 200 with a JSON string that never ends (up to 1 GiB), declaring a
// Content-Length when declared > 0.
func endlessJSON(declared int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if declared > 0 {
			w.Header().Set("Content-Length", strconv.FormatInt(declared, 10))
		}
		w.WriteHeader(http.StatusOK)
		if _, err := io.WriteString(w, `{"name":"`); err != nil {
			return
		}
		for sent := 0; sent < giB && r.Context().Err() == nil; sent += len(aaaa) {
			if _, err := w.Write(aaaa); err != nil {
				return
			}
		}
	}
}

// gzipBomb is a gzip stream of about 1 MiB that expands to 1 GiB: the start of a JSON object whose
// string never ends. It is built from concatenated gzip members (one compressed MiB, repeated),
// which a gzip reader reads as one stream.
var gzipBomb = sync.OnceValue(func() []byte {
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return buf.Bytes()
	}
	out := bytes.NewBuffer(member([]byte(`{"name":"`)))
	mib := member(bytes.Repeat([]byte("a"), miB))
	for i := 0; i < 1024; i++ {
		out.Write(mib)
	}
	return out.Bytes()
})

// gzipBombHandler serves gzipBomb as a compressed JSON answer; net/http decompresses it
// transparently, since the client did not ask for an encoding itself.
func gzipBombHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(gzipBomb())
}

// TestAnswerBoundEndlessBody: an answer that never ends fails with ErrResponseTooLarge at the
// bound, naming the call, having allocated about the bound rather than the body.
func TestAnswerBoundEndlessBody(t *testing.T) {
	c, _ := hostileClient(t, endlessJSON(0), ubiops.WithMaxResponseBytes(miB))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	grew := allocated(func() { _, err = c.Projects.Get(ctx, "p") })
	require.ErrorIs(t, err, ubiops.ErrResponseTooLarge)
	var tl *ubiops.ResponseTooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(miB), tl.Limit)
	assert.Equal(t, int64(-1), tl.Declared)
	assert.Contains(t, err.Error(), "GET /v2.1/projects/p", "the error names the call")
	assert.NoError(t, ctx.Err(), "ended by the bound, not by the deadline")
	assert.Less(t, grew, uint64(32*miB), "allocated %d MiB for a 1 MiB bound", grew/miB)

	// The per-call bound overrides the client's.
	_, err = c.Projects.Get(ctx, "p", ubiops.WithCallMaxResponseBytes(2*miB))
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(2*miB), tl.Limit)
}

// TestAnswerBoundDefault: without options, the bound is DefaultMaxResponseBytes (64 MiB), and an
// endless answer stops there.
func TestAnswerBoundDefault(t *testing.T) {
	c, _ := hostileClient(t, endlessJSON(0))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	grew := allocated(func() { _, err = c.Projects.Get(ctx, "p") })
	var tl *ubiops.ResponseTooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, ubiops.DefaultMaxResponseBytes, tl.Limit)
	t.Logf("allocated %d MiB for the default bound", grew/miB)
	assert.Less(t, grew, uint64(5*ubiops.DefaultMaxResponseBytes), "allocated %d MiB", grew/miB)
}

// TestAnswerBoundDeclaredLength: a Content-Length above the bound fails before the body is read.
func TestAnswerBoundDeclaredLength(t *testing.T) {
	c, _ := hostileClient(t, endlessJSON(2*giB))
	var err error
	grew := allocated(func() { _, err = c.Projects.Get(context.Background(), "p") })
	var tl *ubiops.ResponseTooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(2*giB), tl.Declared)
	assert.Less(t, grew, uint64(4*miB), "nothing of the body was read")
}

// TestAnswerBoundGzipBomb: the bound applies to the decompressed answer.
func TestAnswerBoundGzipBomb(t *testing.T) {
	gzipBomb() // built before measuring
	c, _ := hostileClient(t, http.HandlerFunc(gzipBombHandler), ubiops.WithMaxResponseBytes(miB))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	grew := allocated(func() { _, err = c.Projects.Get(ctx, "p") })
	require.ErrorIs(t, err, ubiops.ErrResponseTooLarge)
	assert.NoError(t, ctx.Err())
	t.Logf("allocated %d KiB", grew>>10)
	assert.Less(t, grew, uint64(32*miB), "allocated %d MiB for a 1 GiB bomb and a 1 MiB bound", grew/miB)
}

// TestAnswerBoundExact: an answer of exactly the bound is decoded; one byte more is refused.
func TestAnswerBoundExact(t *testing.T) {
	body := `{"name":"` + strings.Repeat("a", 1000) + `"}`
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body) // chunked: no Content-Length to refuse early
		w.(http.Flusher).Flush()
	}))
	p, err := c.Projects.Get(context.Background(), "p", ubiops.WithCallMaxResponseBytes(int64(len(body))))
	require.NoError(t, err)
	assert.Len(t, p.Name, 1000)
	_, err = c.Projects.Get(context.Background(), "p", ubiops.WithCallMaxResponseBytes(int64(len(body)-1)))
	assert.ErrorIs(t, err, ubiops.ErrResponseTooLarge)
}

// TestDownloadsAreNotBounded: downloads stream, so the bound on decoded answers does not apply.
func TestDownloadsAreNotBounded(t *testing.T) {
	size := 3 * miB
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		_, _ = io.CopyN(w, patternReader{}, int64(size))
	}), ubiops.WithMaxResponseBytes(miB))
	n, err := c.Revisions.Download(context.Background(), "p", "d", "v", "r", io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
}

// requestPage is a page of n deployment requests with ids from base.
func requestPage(base, n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", base+i), "deployment": "d", "version": "v",
			"status": "completed", "time_created": "2024-01-01T00:00:00Z", "time_started": nil, "time_completed": nil,
			"input_size": 1, "output_size": 1}
	}
	return out
}

// TestOffsetIteratorServerIgnoresOffset: a server that ignores offset and always answers the same
// full page ends the iteration with ErrRepeatedPage after the second request, instead of spinning
// forever without yielding anything.
func TestOffsetIteratorServerIgnoresOffset(t *testing.T) {
	var hits atomic.Int64
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(requestPage(0, limit)) // whatever the offset
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name string
		seq  func() (int, error)
	}{
		{"All", func() (int, error) {
			items, err := ubiops.Collect(c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(10)))
			return len(items), err
		}},
		{"AllForVersion", func() (int, error) {
			items, err := ubiops.Collect(c.Requests.AllForVersion(ctx, "p", "d", "v", nil, ubiops.WithPageSize(10)))
			return len(items), err
		}},
	} {
		hits.Store(0)
		n, err := tc.seq()
		require.ErrorIs(t, err, ubiops.ErrRepeatedPage, tc.name)
		assert.Equal(t, 10, n, "%s: the first page is yielded once", tc.name)
		assert.Equal(t, int64(2), hits.Load(), "%s: stopped at the first repeated page", tc.name)
	}
	assert.NoError(t, ctx.Err(), "ended by the iterator, not by the deadline")
}

// TestOffsetIteratorServerCyclesPages: a server that ignores offset and alternates between two
// pages is stopped at the first page it repeats, before yielding any item twice.
func TestOffsetIteratorServerCyclesPages(t *testing.T) {
	var hits atomic.Int64
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(requestPage(int(n%2)*100, 10))
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := map[ubiops.UUID]bool{}
	var last error
	for r, err := range c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(10)) {
		if err != nil {
			last = err
			break
		}
		require.False(t, seen[r.ID], "yielded twice: %s", r.ID)
		seen[r.ID] = true
	}
	require.ErrorIs(t, last, ubiops.ErrRepeatedPage)
	assert.Len(t, seen, 20)
	assert.Equal(t, int64(3), hits.Load())
}

// TestCursorIteratorEmptyPagesForever: a cursor list whose pages hold nothing but always point to a
// new next page ends with ErrRepeatedPage after a few requests.
func TestCursorIteratorEmptyPagesForever(t *testing.T) {
	var hits atomic.Int64
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"next":"https://api.ubiops.com/v2.1%s?cursor=c%d&limit=50","previous":null,"results":[]}`, r.URL.Path, n)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	items, err := ubiops.Collect(c.Instances.All(ctx, "p", "d", "v", nil))
	require.ErrorIs(t, err, ubiops.ErrRepeatedPage)
	assert.Empty(t, items)
	assert.Equal(t, int64(3), hits.Load())
}

// TestLogReaderServerCyclesPages: a log server that ignores the anchor line and alternates between
// two full pages ends with ErrLogsStalled instead of polling forever.
func TestLogReaderServerCyclesPages(t *testing.T) {
	var hits atomic.Int64
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := 0 // page A (lines 0 and 1), then page B (lines 2 and 3), then A again, ...
		if hits.Add(1)%2 == 0 {
			first = 2
		}
		var lines []map[string]any
		for i := first; i < first+2; i++ {
			lines = append(lines, map[string]any{"id": fmt.Sprintf("%024x", i), "log": "line", "level": "info",
				"date": base.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano)})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(lines)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Deprecated: true, Start: base, End: base.Add(time.Hour), PageSize: 2}))
	require.ErrorIs(t, err, ubiops.ErrLogsStalled)
	assert.Len(t, got, 4, "each line once")
	assert.Equal(t, int64(3), hits.Load())
}

// TestLogsListServerIgnoresStart: a logs_list server that ignores start and alternates between two
// full pages yields each line once, then ends with ErrLogsStalled instead of polling forever.
func TestLogsListServerIgnoresStart(t *testing.T) {
	var hits atomic.Int64
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first := 0
		if hits.Add(1)%2 == 0 {
			first = 2
		}
		var lines []map[string]any
		for i := first; i < first+2; i++ {
			lines = append(lines, map[string]any{"log": fmt.Sprintf("line %d", i), "timestamp": base.Add(time.Duration(i) * time.Second).UnixNano()})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(lines)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := ubiops.Collect(c.Logs.Read(ctx, "p", ubiops.LogQuery{Start: base, End: base.Add(time.Hour), PageSize: 2}))
	require.ErrorIs(t, err, ubiops.ErrLogsStalled)
	var texts []string
	for _, l := range got {
		texts = append(texts, l.Log)
	}
	assert.Equal(t, []string{"line 0", "line 1", "line 2", "line 3"}, texts, "each line once")
	assert.Equal(t, int64(3), hits.Load())
}

// TestCloseIdleConnections: Client.CloseIdleConnections, and HTTPClient().CloseIdleConnections,
// close the connections (and their goroutines) through the retry layer and any middleware.
func TestCloseIdleConnections(t *testing.T) {
	passOn := func(next http.RoundTripper) http.RoundTripper { return next }
	opaque := func(next http.RoundTripper) http.RoundTripper { // hides CloseIdleConnections
		return roundTripFunc(func(r *http.Request) (*http.Response, error) { return next.RoundTrip(r) })
	}
	for _, tc := range []struct {
		name  string
		opts  []ubiops.Option
		close func(c *ubiops.Client)
	}{
		{"client", nil, (*ubiops.Client).CloseIdleConnections},
		{"http client", nil, func(c *ubiops.Client) { c.HTTPClient().CloseIdleConnections() }},
		{"middleware", []ubiops.Option{ubiops.WithMiddleware(passOn)}, (*ubiops.Client).CloseIdleConnections},
		{"opaque middleware", []ubiops.Option{ubiops.WithMiddleware(opaque), ubiops.WithMiddleware(passOn)}, (*ubiops.Client).CloseIdleConnections},
		{"own transport", []ubiops.Option{ubiops.WithHTTPClient(&http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()})}, (*ubiops.Client).CloseIdleConnections},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				time.Sleep(20 * time.Millisecond) // overlap the calls, so several connections open
				_, _ = io.WriteString(w, `{"name":"p"}`)
			}))
			defer srv.Close()
			before := goleak.IgnoreCurrent()
			c, err := ubiops.NewClient(append([]ubiops.Option{ubiops.WithBaseURL(srv.URL), ubiops.WithToken(secretToken)}, tc.opts...)...)
			require.NoError(t, err)
			var wg sync.WaitGroup
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Projects.Get(context.Background(), "p")
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			require.NotZero(t, connGoroutines(), "the calls left idle connections open")
			tc.close(c)
			assert.Eventually(t, func() bool { return connGoroutines() == 0 }, 5*time.Second, 5*time.Millisecond,
				"closing idle connections ends their goroutines (%d left)", connGoroutines())
			assert.NoError(t, goleak.Find(before), "nothing else is left either")
		})
	}
}

// TestCloseIdleConnectionsFuncTransport: a transport that is a func (uncomparable), with or
// without middleware, is no reason to panic.
func TestCloseIdleConnectionsFuncTransport(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(`{"name":"p"}`)), Request: r}, nil
	})
	for _, opts := range [][]ubiops.Option{nil, {ubiops.WithMiddleware(func(next http.RoundTripper) http.RoundTripper { return next })}} {
		c, err := ubiops.NewClient(append(opts, ubiops.WithBaseURL("https://api.example.com"), ubiops.WithToken(secretToken), ubiops.WithHTTPClient(&http.Client{Transport: rt}))...)
		require.NoError(t, err)
		_, err = c.Projects.Get(context.Background(), "p")
		require.NoError(t, err)
		assert.NotPanics(t, c.CloseIdleConnections)
	}
}

// connGoroutines counts the goroutines reading from HTTP client connections.
func connGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "net/http.(*persistConn).readLoop")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestCancelAllAnswersLost: the fake cancels each chunk and then drops the connection, every time,
// so every call fails; reading the chunks back shows them cancelled, so CancelAll succeeds.
func TestCancelAllAnswersLost(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithRequestDuration(time.Hour))
	ctx := context.Background()
	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(300))
	require.NoError(t, err)
	ids := make([]ubiops.UUID, len(results))
	for i, r := range results {
		ids[i] = r.Request.ID
	}
	fast := ubiops.WithCallRetryPolicy(ubiops.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	for _, version := range []string{"", "v"} {
		op := "deployment_requests_batch_cancel"
		if version != "" {
			op = "deployment_version_requests_batch_cancel"
		}
		srv.ClearFaults()
		srv.ResetCounts()
		srv.InjectFault(op, ubiopstest.Fault{Drop: ubiopstest.DropAfter}) // every call
		require.NoError(t, c.Requests.CancelAll(ctx, "p", "d", ids, fast, ubiops.WithBatchOptions(ubiops.BatchOptions{Version: version})), "version %q", version)
		assert.Equal(t, 4, srv.Received(op), "2 chunks, each sent twice")
		assert.Equal(t, 4, srv.Count(op), "each call ran before its answer was lost")
	}
	srv.ClearFaults()
	got, err := c.Requests.CollectAll(ctx, "p", "d", ids)
	require.NoError(t, err)
	for _, d := range got {
		assert.Contains(t, []ubiops.DeploymentRequestBatchDetailStatus{ubiops.DeploymentRequestBatchDetailStatusCancelled, ubiops.DeploymentRequestBatchDetailStatusCancelledPending}, d.Status)
	}
}

// TestCancelAllReportsOnlyUncancelled: when every cancel call is dropped before it runs, the
// requests read back as cancelled (cancelled earlier) are not reported; the others are Failed,
// with the call's error, in contiguous ranges; a chunk that cannot be read back fails whole.
func TestCancelAllReportsOnlyUncancelled(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithRequestDuration(time.Hour))
	ctx := context.Background()
	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(20))
	require.NoError(t, err)
	ids := make([]ubiops.UUID, len(results))
	for i, r := range results {
		ids[i] = r.Request.ID
	}
	_, err = c.Requests.BatchCancel(ctx, "p", "d", append(append([]ubiops.UUID{}, ids[0:5]...), ids[12:15]...), nil)
	require.NoError(t, err)
	srv.InjectFault("deployment_requests_batch_cancel", ubiopstest.Fault{Drop: ubiopstest.DropBefore})
	o := []ubiops.CallOption{ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 10}), ubiops.WithNoRetry()}
	err = c.Requests.CancelAll(ctx, "p", "d", ids, o...)
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, append(seq(5, 12), seq(15, 20)...), be.FailedIndices())
	var re *ubiops.RequestError
	assert.ErrorAs(t, err, &re, "the ranges carry the cancel call's error")

	// The read back fails too: the whole chunk is Failed.
	srv.InjectFault("deployment_requests_batch_get", ubiopstest.Fault{Status: http.StatusInternalServerError})
	err = c.Requests.CancelAll(ctx, "p", "d", ids[:10], o...)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, seq(0, 10), be.FailedIndices())
	assert.ErrorAs(t, err, &re)
}

// TestDeleteAllAnswersLost: the fake deletes each chunk and then drops the connection; the retry
// is refused with 404 (the requests are gone). Reading the chunks back shows them gone, so
// DeleteAll succeeds. A request that still exists is reported with the call's error.
func TestDeleteAllAnswersLost(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithRequestDuration(time.Hour))
	ctx := context.Background()
	create := func(n int) []ubiops.UUID {
		results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(n))
		require.NoError(t, err)
		ids := make([]ubiops.UUID, n)
		for i, r := range results {
			ids[i] = r.Request.ID
		}
		return ids
	}
	o := ubiops.WithCallRetryPolicy(ubiops.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	for _, version := range []string{"", "v"} {
		op := "deployment_requests_batch_delete"
		if version != "" {
			op = "deployment_version_requests_batch_delete"
		}
		ids := create(300)
		srv.ClearFaults()
		srv.ResetCounts()
		srv.InjectFault(op, ubiopstest.Fault{Drop: ubiopstest.DropAfter}) // every call: the first deletes, the retry finds nothing
		require.NoError(t, c.Requests.DeleteAll(ctx, "p", "d", ids, o, ubiops.WithBatchOptions(ubiops.BatchOptions{Version: version})), "version %q", version)
		assert.Equal(t, 4, srv.Received(op), "2 chunks, each sent twice")
		_, err := c.Requests.Collect(ctx, "p", "d", ids[:1])
		assert.ErrorIs(t, err, ubiops.ErrNotFound, "deleted")
	}

	// Some of the ids are gone already: the API deletes none; the others are reported.
	srv.ClearFaults()
	ids := create(10)
	require.NoError(t, c.Requests.DeleteAll(ctx, "p", "d", ids[3:5]))
	err := c.Requests.DeleteAll(ctx, "p", "d", ids, o)
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, append(seq(0, 3), seq(5, 10)...), be.FailedIndices())
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "with the call's error")
}

// namedDownload serves a zip under the Content-Disposition name and Content-Type given.
func namedDownload(name, contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			w.Header()["Content-Type"] = nil // no type at all (net/http would otherwise sniff one)
		}
		if name != "" {
			w.Header().Set("Content-Disposition", mimeAttachment(name))
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

func mimeAttachment(name string) string { return `attachment; filename="` + name + `"` }

// TestDownloadFileLongNames: a server file name of up to 255 bytes is saved under that name (the
// temporary name does not grow with it); a longer one is cut to 255 bytes.
func TestDownloadFileLongNames(t *testing.T) {
	body := []byte("PK\x03\x04 a package")
	for _, n := range []int{200, 239, 240, 250, 255, 300} {
		name := strings.Repeat("n", n-4) + ".zip"
		c, _ := hostileClient(t, namedDownload(name, "application/zip", body))
		dir := t.TempDir()
		path, err := c.Revisions.DownloadFile(context.Background(), "p", "d", "v", "r", dir)
		require.NoError(t, err, "a %d-byte name", n)
		want := name
		if n > 255 {
			want = name[:255]
		}
		assert.Equal(t, filepath.Join(dir, want), path)
		assertOnlyFiles(t, dir, want)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, body, got)
	}
}

// TestDownloadFileErrorsAreTyped: a download that cannot be saved is a *SaveError naming the file
// and the step, wrapping the file system's error, and leaves nothing behind.
func TestDownloadFileErrorsAreTyped(t *testing.T) {
	c, _ := hostileClient(t, namedDownload("package.zip", "application/zip", []byte("PK\x03\x04")))
	dir := t.TempDir()

	// The directory does not exist.
	_, err := c.Revisions.DownloadFile(context.Background(), "p", "d", "v", "r", filepath.Join(dir, "missing", "out.zip"))
	var se *ubiops.SaveError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "create", se.Op)
	assert.Equal(t, filepath.Join(dir, "missing", "out.zip"), se.Path)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.True(t, strings.HasPrefix(err.Error(), "ubiops: saving download as "), err.Error())

	// The server's name is a directory that is not empty: the rename fails.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "package.zip", "x"), 0o755))
	_, err = c.Revisions.DownloadFile(context.Background(), "p", "d", "v", "r", dir)
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "rename", se.Op)
	assertOnlyFiles(t, dir, "package.zip") // the directory, and no temporary file
}

const loginPage = `<!DOCTYPE html><html><head><title>Sign in to the guest network</title></head><body><form>...</form></body></html>`

// TestDownloadRefusesOtherContentTypes: a 200 answer whose Content-Type is not a file's is a
// *ContentTypeError naming the type, and nothing is written: no file, no temporary file, no byte
// to the writer. The documented type, zip types and a missing type are accepted.
func TestDownloadRefusesOtherContentTypes(t *testing.T) {
	ctx := context.Background()
	for _, ct := range []string{"text/html; charset=utf-8", "text/plain", "application/json", "application/xml", "image/png", "nonsense"} {
		c, _ := hostileClient(t, namedDownload("package.zip", ct, []byte(loginPage)))
		dir := t.TempDir()
		_, err := c.Revisions.DownloadFile(ctx, "p", "d", "v", "r", dir)
		require.ErrorIs(t, err, ubiops.ErrUnexpectedContentType, ct)
		var cte *ubiops.ContentTypeError
		require.ErrorAs(t, err, &cte)
		assert.Equal(t, ct, cte.ContentType)
		assert.Equal(t, http.StatusOK, cte.StatusCode)
		assert.Contains(t, err.Error(), strconv.Quote(ct))
		assertOnlyFiles(t, dir)

		_, err = c.EnvironmentRevisions.DownloadFile(ctx, "p", "e", "r", filepath.Join(dir, "env.zip"))
		assert.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
		assertOnlyFiles(t, dir)

		var buf bytes.Buffer
		n, err := c.Revisions.Download(ctx, "p", "d", "v", "r", &buf)
		assert.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
		assert.Zero(t, n)
		assert.Zero(t, buf.Len(), "nothing written to the writer")
		_, err = c.EnvironmentRevisions.Download(ctx, "p", "e", "r", &buf)
		assert.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
		assert.Zero(t, buf.Len())

		d, err := c.Revisions.Open(ctx, "p", "d", "v", "r")
		assert.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
		assert.Nil(t, d)
	}
	for _, ct := range []string{"application/octet-stream", "application/zip", "application/x-zip-compressed", "APPLICATION/ZIP", "binary/octet-stream", ""} {
		c, _ := hostileClient(t, namedDownload("package.zip", ct, []byte("PK\x03\x04")))
		var buf bytes.Buffer
		_, err := c.Revisions.Download(ctx, "p", "d", "v", "r", &buf)
		assert.NoError(t, err, "Content-Type %q", ct)
		assert.Equal(t, "PK\x03\x04", buf.String())
	}
}

// forging holds every character that could forge a line or disguise one.
const forging = "a\nb\rc\u0085d\u2028e\u2029f\u202eg\u2066h\u200bi\ufeffj\u0000k\x1b[31ml"

// forgingRunes are the characters no error text or log line may contain.
var forgingRunes = []string{"\n", "\r", "\u0085", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\x1b"}

func assertOneLine(t *testing.T, s, what string) {
	t.Helper()
	for _, r := range forgingRunes {
		assert.NotContains(t, s, r, "%s holds %q: %q", what, r, s)
	}
}

// TestServerTextCannotForgeLines: line breaks (NEL, U+2028, U+2029 included) and format
// characters (bidi overrides) in server text never reach an error string or a log line.
func TestServerTextCannotForgeLines(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(&rawHandler{w: &logs})
	msg, _ := json.Marshal(map[string]string{"error": forging})
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/plain"):
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, forging)
		case strings.HasSuffix(r.URL.Path, "/download"):
			w.Header().Set("Content-Type", "text/html\u2028forged: yes\u202e")
			_, _ = io.WriteString(w, loginPage)
		case strings.HasSuffix(r.URL.Path, "/date"):
			_, _ = fmt.Fprintf(w, `{"name":"p","creation_date":%q}`, "2024\u2028forged")
		case strings.HasSuffix(r.URL.Path, "/broken"): // a malformed answer, which net/http quotes
			conn, _, _ := w.(http.Hijacker).Hijack()
			_, _ = io.WriteString(conn, "XYZ \u2028forged\u202e\u0085\r\n\r\n")
			_ = conn.Close()
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(msg)
		}
	}), ubiops.WithLogger(logger))
	ctx := context.Background()
	var texts []string
	_, err := c.Projects.Get(ctx, "json")
	var ae *ubiops.APIError
	require.ErrorAs(t, err, &ae)
	assertOneLine(t, ae.Message, "APIError.Message")
	texts = append(texts, err.Error())
	_, err = c.Projects.Get(ctx, "plain")
	require.ErrorAs(t, err, &ae)
	assertOneLine(t, ae.Message, "APIError.Message of a plain-text body")
	texts = append(texts, err.Error())
	_, err = c.Revisions.Download(ctx, "p", "d", "v", "r", io.Discard)
	require.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
	texts = append(texts, err.Error())
	_, err = c.Projects.Get(ctx, "date")
	require.Error(t, err)
	texts = append(texts, err.Error())
	_, err = c.Projects.Get(ctx, "broken")
	require.Error(t, err)
	texts = append(texts, err.Error())

	// Errors built from text the API keeps for a failed request or build.
	_, err = ubiops.ResultOf[any](&ubiops.DeploymentRequestCreateResponse{Status: "failed", ErrorMessage: ubiops.Ptr(forging)})
	require.ErrorIs(t, err, ubiops.ErrRequestFailed)
	texts = append(texts, err.Error())
	texts = append(texts, (&ubiops.WaitError{Status: "failed\u2028x", Message: forging}).Error())
	texts = append(texts, (&ubiops.PackageError{Path: forging, Reason: "r", Err: errors.New(forging)}).Error())
	for _, s := range texts {
		assertOneLine(t, s, "error text")
	}
	for _, line := range strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n") {
		assertOneLine(t, line, "log line")
	}
	assert.NotEmpty(t, logs.String())
}

// rawHandler writes each record's attributes unescaped, one record per line, as a careless log
// handler would: only the client's own sanitising keeps its lines whole.
type rawHandler struct {
	mu sync.Mutex
	w  io.Writer
}

func (h *rawHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *rawHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *rawHandler) WithGroup(string) slog.Handler            { return h }
func (h *rawHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	line := r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.Key + "=" + a.Value.String(); return true })
	_, err := io.WriteString(h.w, line+"\n")
	return err
}

// TestEchoedTokenIsRedacted: a server that echoes the Authorization header (or the bare token, or
// another credential) never gets the token into what the client keeps: APIError Message, Body,
// Header and text, DecodeError text, RequestError text, or the log.
func TestEchoedTokenIsRedacted(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(&rawHandler{w: &logs})
	other := "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz"
	c, _ := hostileClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		switch {
		case strings.HasSuffix(r.URL.Path, "/echo"):
			w.Header().Set("WWW-Authenticate", auth)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"error":"Invalid token header: %s","detail":"%s","other":"%s"}`, auth, strings.TrimPrefix(auth, "Token "), other)
		case strings.HasSuffix(r.URL.Path, "/escaped"):
			w.WriteHeader(http.StatusUnauthorized) // the token JSON-escaped in the message
			_, _ = fmt.Fprintf(w, `{"error":"%s"}`, strings.ReplaceAll(auth, "-", `\u002d`))
		case strings.HasSuffix(r.URL.Path, "/plain"):
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, "denied for "+auth)
		case strings.HasSuffix(r.URL.Path, "/decode"):
			_, _ = fmt.Fprintf(w, `{"name":"p","creation_date":%q}`, auth)
		case strings.HasSuffix(r.URL.Path, "/malformed"):
			conn, _, _ := w.(http.Hijacker).Hijack()
			_, _ = io.WriteString(conn, auth+"\r\n\r\n")
			_ = conn.Close()
		case strings.HasSuffix(r.URL.Path, "/download"):
			w.Header().Set("Content-Type", "text/html; "+auth)
			_, _ = io.WriteString(w, loginPage)
		}
	}), ubiops.WithLogger(logger))
	ctx := context.Background()
	var texts []string
	keep := func(err error) {
		require.Error(t, err)
		texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
	}
	for _, p := range []string{"echo", "escaped", "plain"} {
		_, err := c.Projects.Get(ctx, p)
		keep(err)
		var ae *ubiops.APIError
		require.ErrorAs(t, err, &ae)
		texts = append(texts, ae.Message, string(ae.Body), fmt.Sprint(ae.Header))
		if p == "echo" {
			assert.Contains(t, ae.Message, "Invalid token header: Token [REDACTED]", "the message stays readable")
			assert.NotContains(t, string(ae.Body), "eyJzdWIi", "another bearer token is redacted too")
		}
	}
	_, err := c.Projects.Get(ctx, "decode")
	var de *ubiops.DecodeError
	require.ErrorAs(t, err, &de)
	keep(err)
	keep(de.Err)
	_, err = c.Projects.Get(ctx, "malformed")
	var re *ubiops.RequestError
	require.ErrorAs(t, err, &re)
	keep(err)
	_, err = c.Revisions.Download(ctx, "p", "d", "v", "r", io.Discard)
	require.ErrorIs(t, err, ubiops.ErrUnexpectedContentType)
	keep(err)
	texts = append(texts, logs.String())
	for _, s := range texts {
		assert.NotContains(t, s, secretToken)
		assert.NotContains(t, s, "Token "+secretToken)
	}
	assert.Contains(t, logs.String(), "[REDACTED]", "the log shows that something was removed")
}

// TestRedactionKeepsProse: only credentials are removed, not the words around "Token" and "Bearer".
func TestRedactionKeepsProse(t *testing.T) {
	for in, want := range map[string]string{
		"Token has expired":                          "Token has expired",
		"Invalid token header. No credentials":       "Invalid token header. No credentials",
		"Bearer authentication failed":               "Bearer authentication failed",
		"Invalid token header: Token 0123abcdef4567": "Invalid token header: Token [REDACTED]",
		"got Bearer abc.def.ghi1 from proxy":         "got Bearer [REDACTED] from proxy",
	} {
		e := &ubiops.APIError{StatusCode: 401, Method: "GET", Path: "/x", Message: in}
		assert.Equal(t, "ubiops: GET /x: 401 Unauthorized: "+want, e.Error())
	}
}
