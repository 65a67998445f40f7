package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net"
	"net/http"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

const batchOp = "batch_deployment_requests_create"

func inputsN(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]int{"i": i}
	}
	return out
}

// createdInputs lists the "i" of every request that exists on the server, sorted: proof of what
// was created, independent of what the client reported.
func createdInputs(t *testing.T, c *ubiops.Client) []int {
	t.Helper()
	var out []int
	ctx := context.Background()
	var ids []ubiops.UUID
	for r, err := range c.Requests.All(ctx, "p", "d", nil, ubiops.WithPageSize(500)) {
		require.NoError(t, err)
		ids = append(ids, r.ID)
	}
	details, err := c.Requests.CollectAll(ctx, "p", "d", ids)
	require.NoError(t, err)
	for _, d := range details {
		var in struct{ I int }
		require.NoError(t, json.Unmarshal(d.RequestData, &in))
		out = append(out, in.I)
	}
	sort.Ints(out)
	return out
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func TestBatchCreateAllInOrder(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithRequestDuration(20*time.Millisecond))
	ctx := context.Background()
	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(1000))
	require.NoError(t, err)
	require.Len(t, results, 1000)
	ids := make([]ubiops.UUID, len(results))
	for i, r := range results {
		assert.Equal(t, i, r.Index)
		assert.True(t, r.Created())
		ids[i] = r.Request.ID
	}
	assert.Equal(t, 4, srv.Count(batchOp), "1000 inputs in 4 calls of 250")
	assert.Equal(t, seq(0, 1000), createdInputs(t, c), "each input created exactly once")

	// WaitAll polls until every request has finished; results come back in the order of ids.
	var statuses []string
	done, err := c.Requests.WaitAll(ctx, "p", "d", ids, nil, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond,
		OnStatus: func(s string) { statuses = append(statuses, s) }}))
	require.NoError(t, err)
	for i, d := range done {
		require.Equal(t, ids[i], d.ID)
		require.Equal(t, ubiops.DeploymentRequestBatchDetailStatusCompleted, d.Status)
		var out struct{ I int }
		require.NoError(t, json.Unmarshal(d.Result, &out))
		assert.Equal(t, i, out.I, "the echo deployment returned input %d", i)
	}
	assert.Equal(t, "1000 of 1000 finished", statuses[len(statuses)-1])

	// CollectAll reorders the unordered answers to the ids given, across calls.
	rev := append([]ubiops.UUID(nil), ids...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	got, err := c.Requests.CollectAll(ctx, "p", "d", rev)
	require.NoError(t, err)
	for i := range rev {
		assert.Equal(t, rev[i], got[i].ID)
	}

	// DeleteAll removes them in calls of 250.
	require.NoError(t, c.Requests.DeleteAll(ctx, "p", "d", ids))
	assert.Empty(t, createdInputs(t, c))
}

func TestBatchChunkAnswered500(t *testing.T) {
	srv, c := setupVersion(t)
	srv.InjectFault(batchOp, ubiopstest.Fault{Status: http.StatusInternalServerError, Times: 1})
	results, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(1000), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, seq(0, 250), be.FailedIndices(), "the refused chunk is reported as not created")
	assert.Empty(t, be.UnknownIndices())
	assert.ErrorIs(t, err, ubiops.ErrServer)
	require.Len(t, results, 1000)
	for _, r := range results[250:] {
		assert.True(t, r.Created(), "the other chunks succeed")
	}
	assert.Equal(t, seq(250, 1000), createdInputs(t, c))
	assert.Equal(t, 4, srv.Received(batchOp), "4 calls, none resent")
	assert.Equal(t, 3, srv.Count(batchOp), "the refused call never reached the state")
}

func TestBatchRateLimitedChunkIsRetried(t *testing.T) {
	srv, c := setupVersion(t)
	srv.InjectFault(batchOp, ubiopstest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	start := time.Now()
	results, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(600), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
	require.NoError(t, err)
	assert.Len(t, results, 600)
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "Retry-After was honoured")
	assert.Equal(t, 4, srv.Received(batchOp), "3 chunks, one sent twice after its 429")
	assert.Equal(t, 3, srv.Count(batchOp))
	assert.Equal(t, seq(0, 600), createdInputs(t, c))
}

// TestBatchDroppedAfterCreateIsUnknown: the server created the chunk but the answer was lost. The
// chunk is reported as unknown and never resent; the server shows every input created once.
func TestBatchDroppedAfterCreateIsUnknown(t *testing.T) {
	srv, c := setupVersion(t)
	srv.InjectFault(batchOp, ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
	results, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(1000), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, seq(0, 250), be.UnknownIndices())
	assert.Empty(t, be.FailedIndices())
	for _, r := range results[:250] {
		assert.True(t, r.Unknown)
	}
	assert.Equal(t, 4, srv.Received(batchOp), "nothing was sent twice")
	assert.Equal(t, seq(0, 1000), createdInputs(t, c), "every input exists exactly once")
}

// TestBatchDialFailureIsFailed: a chunk whose connection could never be opened was not created,
// so it is reported as failed (safe to resend).
func TestBatchDialFailureIsFailed(t *testing.T) {
	var refuse atomic.Bool
	refuse.Store(true)
	mw := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if refuse.Load() && r.Method == http.MethodPost {
				if r.Body != nil {
					_ = r.Body.Close()
				}
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
			}
			return next.RoundTrip(r)
		})
	}
	srv, _ := setupVersion(t)
	c := srv.Client(ubiops.WithMiddleware(mw), ubiops.WithRetryPolicy(ubiops.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond}))
	_, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(300))
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, seq(0, 300), be.FailedIndices())
	assert.Equal(t, 0, srv.Received(batchOp))
}

func TestBatchBadInputIsReportedBeforeSending(t *testing.T) {
	srv, c := setupVersion(t)
	inputs := inputsN(600)
	inputs[417] = func() {} // cannot be encoded as JSON
	_, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputs)
	var ve *ubiops.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "data[417]", ve.Field)
	assert.Equal(t, 0, srv.Received(batchOp), "nothing was sent")

	_, err = ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(10), ubiops.WithBatchOptions(ubiops.BatchOptions{Timeout: 200000}))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "timeout", ve.Field)
}

func TestBatchCancelled(t *testing.T) {
	srv, c := setupVersion(t)
	srv.SetLatency(batchOp, 50*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(75*time.Millisecond, cancel)
	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(2500), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 1}))
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, results, 2500, "every input has an outcome")
	assert.ErrorIs(t, err, context.Canceled)
	exists := map[int]bool{}
	for _, i := range createdInputs(t, c) {
		exists[i] = true
	}
	// The contract: created inputs exist, failed ones do not, unknown ones may.
	for _, r := range results {
		switch {
		case r.Created():
			assert.True(t, exists[r.Index], "input %d reported created must exist", r.Index)
		case !r.Unknown:
			assert.False(t, exists[r.Index], "input %d reported failed must not exist", r.Index)
			assert.ErrorIs(t, r.Err, context.Canceled)
		}
	}
}

// TestBatchStream runs inputs from a generator with a bound on calls in flight, and stops cleanly
// when the consumer breaks (goleak in TestMain checks no goroutine stays behind).
func TestBatchStream(t *testing.T) {
	srv, c := setupVersion(t)
	gen := func(n int) iter.Seq[any] {
		return func(yield func(any) bool) {
			for i := 0; i < n; i++ {
				if !yield(map[string]int{"i": i}) {
					return
				}
			}
		}
	}
	next := 0
	for r, err := range ubiops.BatchCreateSeq(context.Background(), c.Requests, "p", "d", gen(1200), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 2, ChunkSize: 100})) {
		require.NoError(t, err)
		require.Equal(t, next, r.Index, "input order")
		require.True(t, r.Created())
		next++
	}
	assert.Equal(t, 1200, next)
	assert.Equal(t, 12, srv.Count(batchOp))

	srv.ResetCounts()
	seen := 0
	for _, err := range ubiops.BatchCreateSeq(context.Background(), c.Requests, "p", "d", gen(1_000_000), ubiops.WithBatchOptions(ubiops.BatchOptions{Concurrency: 2, ChunkSize: 100})) {
		require.NoError(t, err)
		if seen++; seen == 250 {
			break
		}
	}
	// 250 results span chunks 0-2; the engine holds at most 2×Concurrency chunks (2-5) at a time,
	// so at most 6 calls can have been sent when the consumer breaks, out of 10,000 possible.
	assert.LessOrEqual(t, srv.Received(batchOp), 6, "a break stops sending")

	// A bad input ends the stream with its index, after the inputs before it.
	bad := func(yield func(any) bool) {
		for i := 0; i < 150; i++ {
			var v any = i
			if i == 120 {
				v = make(chan int)
			}
			if !yield(v) {
				return
			}
		}
	}
	var last error
	n := 0
	for _, err := range ubiops.BatchCreateSeq(context.Background(), c.Requests, "p", "d", bad, ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 50})) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	var ve *ubiops.ValidationError
	require.ErrorAs(t, last, &ve)
	assert.Equal(t, "data[120]", ve.Field)
	assert.Equal(t, 120, n, "every input before the bad one was sent (a stream cannot look ahead)")
}

func TestCancelAll(t *testing.T) {
	srv, c := setupVersion(t, ubiopstest.WithRequestDuration(time.Hour))
	ctx := context.Background()
	results, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", inputsN(600))
	require.NoError(t, err)
	ids := make([]ubiops.UUID, len(results))
	for i, r := range results {
		ids[i] = r.Request.ID
	}
	srv.ResetCounts()
	require.NoError(t, c.Requests.CancelAll(ctx, "p", "d", ids))
	assert.Equal(t, 3, srv.Count("deployment_requests_batch_cancel"), "600 ids in batch cancels of 250")
	assert.Zero(t, srv.Count("deployment_requests_update"), "no request is cancelled one by one")
	got, err := c.Requests.CollectAll(ctx, "p", "d", ids)
	require.NoError(t, err)
	for _, d := range got {
		assert.Contains(t, []ubiops.DeploymentRequestBatchDetailStatus{ubiops.DeploymentRequestBatchDetailStatusCancelled, ubiops.DeploymentRequestBatchDetailStatusCancelledPending}, d.Status)
	}
	// Cancelling again is harmless: the requests are already cancelled.
	require.NoError(t, c.Requests.CancelAll(ctx, "p", "d", ids[:10], ubiops.WithBatchOptions(ubiops.BatchOptions{Version: "v"})))
	assert.Equal(t, 1, srv.Count("deployment_version_requests_batch_cancel"))
}

func TestDirectRequestResult(t *testing.T) {
	srv, c := setupVersion(t)
	srv.HandleDeployment("p", "d", func(_ context.Context, in json.RawMessage) (any, error) {
		var v struct{ I int }
		if err := json.Unmarshal(in, &v); err != nil {
			return nil, err
		}
		if v.I < 0 {
			return nil, errors.New("negative input")
		}
		return map[string]int{"i": v.I * 10}, nil
	})
	ctx := context.Background()
	res, err := c.Requests.Create(ctx, "p", "d", map[string]int{"i": 4}, nil)
	require.NoError(t, err)
	type out struct{ I int }
	got, err := ubiops.ResultOf[out](res)
	require.NoError(t, err)
	assert.Equal(t, 40, got.I)

	res, err = c.Requests.CreateForVersion(ctx, "p", "d", "v", map[string]int{"i": -1}, nil)
	require.NoError(t, err)
	_, err = ubiops.ResultOf[out](res)
	assert.ErrorIs(t, err, ubiops.ErrRequestFailed)
	assert.Contains(t, err.Error(), "negative input")

	for _, timeout := range []int{0, 3601, -5} {
		_, err = c.Requests.Create(ctx, "p", "d", map[string]int{"i": 1}, &ubiops.DeploymentRequestsCreateParams{Timeout: ubiops.Ptr(timeout)})
		var ve *ubiops.ValidationError
		require.ErrorAs(t, err, &ve, "timeout %d", timeout)
		assert.Equal(t, "timeout", ve.Field)
	}
	_, err = c.Requests.Create(ctx, "p", "d", map[string]int{"i": 1}, &ubiops.DeploymentRequestsCreateParams{Timeout: ubiops.Ptr(3600)})
	assert.NoError(t, err, "the documented maximum is allowed")
}

// TestBatchCreateAllForVersionWithOptions covers the version path with a timeout and a
// notification group; the fake validates both query parameters against the spec.
func TestBatchCreateAllForVersionWithOptions(t *testing.T) {
	srv, c := setupVersion(t)
	results, err := ubiops.BatchCreateAll(context.Background(), c.Requests, "p", "d", inputsN(300),
		ubiops.WithBatchOptions(ubiops.BatchOptions{Version: "v", Timeout: 600, NotificationGroup: "ops"}))
	require.NoError(t, err)
	assert.Len(t, results, 300)
	assert.Equal(t, 2, srv.Count("batch_deployment_version_requests_create"))
	assert.Zero(t, srv.Received(batchOp), "the default-version endpoint was not used")
}
