package ubiops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"sync"
)

// BatchOptions configures the batch helpers (pass it with WithBatchOptions). The zero value sends
// to the deployment's default version, 250 per call, 4 calls at a time.
type BatchOptions struct {
	// Version addresses a specific version; "" is the deployment's default version.
	Version string
	// Concurrency is how many calls may be in flight at once (default 4).
	Concurrency int
	// ChunkSize is how many items each call carries (1 to 250; default 250).
	ChunkSize int
	// Timeout is the requests' timeout in seconds (batch: at most 172800; 0: the API's default).
	Timeout int
	// NotificationGroup is notified when the requests finish.
	NotificationGroup string
}

// batchConfig is a batch helper's settings: its BatchOptions, defaults applied, and the options
// each of its calls is sent with.
type batchConfig struct {
	BatchOptions
	CallOptions []CallOption
}

// batchConfig reads a batch helper's settings from its options.
func (s *RequestsService) batchConfig(opts []CallOption) (batchConfig, error) {
	v := batchConfig{CallOptions: opts}
	if cc := s.c.callOptions(opts); cc.batch != nil {
		v.BatchOptions = *cc.batch
	}
	if v.Concurrency <= 0 {
		v.Concurrency = 4
	}
	if v.ChunkSize == 0 {
		v.ChunkSize = maxBatch
	}
	if v.ChunkSize < 0 || v.ChunkSize > maxBatch {
		return v, &ValidationError{Field: "chunk_size", Reason: fmt.Sprintf("%d is not between 1 and %d", v.ChunkSize, maxBatch)}
	}
	if v.Timeout < 0 || v.Timeout > maxBatchTimeout {
		return v, &ValidationError{Field: "timeout", Reason: fmt.Sprintf("%d s is not between 1 and %d", v.Timeout, maxBatchTimeout)}
	}
	return v, nil
}

// The documented request timeout bounds, in seconds.
const (
	maxDirectTimeout = 3600
	maxBatchTimeout  = 172800
)

// BatchResult is the outcome for one input.
type BatchResult struct {
	// Index is the input's position in the caller's inputs.
	Index int
	// Request is the created request (id, status); zero unless it was created.
	Request DeploymentRequestBatchCreateResponse
	// Err is why the input was not created, or why its outcome is unknown.
	Err error
	// Unknown means the request may exist: it was sent and no usable answer came back.
	Unknown bool
}

// Created reports whether the server confirmed the request.
func (r BatchResult) Created() bool { return r.Err == nil }

// ChunkError describes one chunk that did not come back created: inputs [Start, End).
type ChunkError struct {
	Start, End int
	Unknown    bool
	Err        error
}

// BatchError lists the chunks that were not created (Failed: safe to resend) and those whose outcome
// is unknown (Unknown: may exist; never resent). Every successful chunk's results are still returned
// next to it.
type BatchError struct {
	Failed  []ChunkError
	Unknown []ChunkError
}

// Error summarises the failed and unknown chunks with their input ranges.
func (e *BatchError) Error() string {
	var parts []string
	describe := func(kind string, cs []ChunkError) {
		for _, c := range cs {
			parts = append(parts, fmt.Sprintf("%s inputs %d-%d: %v", kind, c.Start, c.End-1, c.Err))
		}
	}
	describe("failed", e.Failed)
	describe("unknown outcome for", e.Unknown)
	return "ubiops: batch: " + strings.Join(parts, "; ")
}

// Unwrap returns the chunks' errors, so errors.Is finds, for example, ErrRateLimited.
func (e *BatchError) Unwrap() []error {
	var out []error
	for _, c := range append(append([]ChunkError{}, e.Failed...), e.Unknown...) {
		out = append(out, c.Err)
	}
	return out
}

// FailedIndices and UnknownIndices list the inputs in each state, in order.
func (e *BatchError) FailedIndices() []int { return chunkIndices(e.Failed) }

// UnknownIndices lists the inputs whose requests may or may not exist.
func (e *BatchError) UnknownIndices() []int { return chunkIndices(e.Unknown) }

func chunkIndices(cs []ChunkError) []int {
	var out []int
	for _, c := range cs {
		for i := c.Start; i < c.End; i++ {
			out = append(out, i)
		}
	}
	return out
}

// classify decides whether a failed chunk call could have created requests.
func classify(err error) (unknown bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		// The API rejects a batch whole; only a gateway's error says nothing about the backend.
		return apiErr.StatusCode == http.StatusBadGateway || apiErr.StatusCode == http.StatusGatewayTimeout
	}
	var rerr *RequestError
	if errors.As(err, &rerr) {
		if neverReached(rerr.Err) || neverReached(rerr.Cause) {
			return false // the connection was never opened
		}
		return true
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return false
	}
	return true // a 2xx we could not read, or anything else: the requests may exist
}

// chunk is a slice of encoded inputs starting at input index start.
type chunk struct {
	start  int
	inputs []json.RawMessage
}

// sendChunk creates one chunk's requests and turns every outcome into per-input results.
func (s *RequestsService) sendChunk(ctx context.Context, project, deployment string, o batchConfig, ch chunk) []BatchResult {
	results := make([]BatchResult, len(ch.inputs))
	for i := range results {
		results[i].Index = ch.start + i
	}
	fail := func(err error, unknown bool) []BatchResult {
		for i := range results {
			results[i].Err, results[i].Unknown = err, unknown
		}
		return results
	}
	if err := ctx.Err(); err != nil {
		return fail(err, false) // never sent
	}
	inputs := make([]any, len(ch.inputs))
	for i, raw := range ch.inputs {
		inputs[i] = raw
	}
	var created []DeploymentRequestBatchCreateResponse
	var err error
	// The two operations' params have the same fields; build them once.
	var p *BatchDeploymentRequestsCreateParams
	if o.Timeout > 0 || o.NotificationGroup != "" {
		p = &BatchDeploymentRequestsCreateParams{}
		if o.Timeout > 0 {
			p.Timeout = Ptr(o.Timeout)
		}
		if o.NotificationGroup != "" {
			p.NotificationGroup = Ptr(o.NotificationGroup)
		}
	}
	if o.Version == "" {
		created, err = s.BatchCreate(ctx, project, deployment, inputs, p, o.CallOptions...)
	} else {
		created, err = s.BatchCreateForVersion(ctx, project, deployment, o.Version, inputs, (*BatchDeploymentVersionRequestsCreateParams)(p), o.CallOptions...)
	}
	if err != nil {
		return fail(err, classify(err))
	}
	if len(created) != len(ch.inputs) {
		return fail(fmt.Errorf("ubiops: batch: sent %d inputs, the answer lists %d requests", len(ch.inputs), len(created)), true)
	}
	for i := range results {
		results[i].Request = created[i] // the API answers in input order
	}
	return results
}

// encodeInputs encodes every input first, so a bad one is reported before anything is sent.
func encodeInputs[T any](inputs []T) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(inputs))
	for i, in := range inputs {
		b, err := encodeInput(in)
		if err != nil {
			return nil, &ValidationError{Field: fmt.Sprintf("data[%d]", i), Reason: err.Error()}
		}
		out[i] = b
	}
	return out, nil
}

func encodeInput[T any](in T) (json.RawMessage, error) {
	if raw, ok := any(in).(json.RawMessage); ok {
		if !json.Valid(raw) {
			return nil, errors.New("not valid JSON")
		}
		return raw, nil
	}
	return json.Marshal(in)
}

// BatchCreateAll creates one batch request per input, for any number of inputs of any JSON-encodable
// type T, through s, and returns one result per input in input order. If any chunk was not
// created, the error is a *BatchError listing failed and unknown chunks; the results still hold
// every success. See the Batches section of the package documentation for the reconciliation
// contract. Without WithBatchOptions it sends to the default version, 250 per call, 4 calls at once.
func BatchCreateAll[T any](ctx context.Context, s *RequestsService, project, deployment string, inputs []T, opts ...CallOption) ([]BatchResult, error) {
	o, err := s.batchConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	encoded, err := encodeInputs(inputs)
	if err != nil {
		return nil, err
	}
	results := make([]BatchResult, 0, len(inputs))
	next := 0
	seq := func(yield func(json.RawMessage) bool) {
		for _, e := range encoded {
			if !yield(e) {
				return
			}
		}
	}
	for r, err := range s.stream(ctx, project, deployment, seq, o) {
		if err != nil {
			return results, err
		}
		if r.Index != next {
			return results, fmt.Errorf("ubiops: batch: internal error: result %d out of order", r.Index)
		}
		next++
		results = append(results, r)
	}
	return results, batchErrorOf(results)
}

// batchErrorOf summarises the results that were not created, grouping neighbouring inputs that
// share an outcome, or returns nil.
func batchErrorOf(results []BatchResult) error {
	var be BatchError
	for i := 0; i < len(results); {
		r := results[i]
		if r.Err == nil {
			i++
			continue
		}
		j := i + 1
		for j < len(results) && results[j].Err == r.Err && results[j].Unknown == r.Unknown {
			j++
		}
		ce := ChunkError{Start: r.Index, End: results[j-1].Index + 1, Unknown: r.Unknown, Err: r.Err}
		if r.Unknown {
			be.Unknown = append(be.Unknown, ce)
		} else {
			be.Failed = append(be.Failed, ce)
		}
		i = j
	}
	if len(be.Failed) == 0 && len(be.Unknown) == 0 {
		return nil
	}
	return &be
}

// BatchCreateSeq creates a batch request, through s, for every input of a sequence of any length
// and of any JSON-encodable type T, yielding one result per input in input order. At most Concurrency calls of ChunkSize inputs are in flight and only their
// results are held, so a million inputs run in constant memory. Results follow the reconciliation
// contract of BatchCreateAll; a failed chunk does not stop the stream. An input that cannot be
// encoded ends the stream with a *ValidationError naming its index (earlier inputs have been
// yielded). Ending the range early, or ctx ending, stops sending; calls in flight finish first.
func BatchCreateSeq[T any](ctx context.Context, s *RequestsService, project, deployment string, inputs iter.Seq[T], opts ...CallOption) iter.Seq2[BatchResult, error] {
	return func(yield func(BatchResult, error) bool) {
		o, err := s.batchConfig(opts)
		if err == nil {
			err = checkPath("project_name", project, "deployment_name", deployment)
		}
		if err != nil {
			yield(BatchResult{}, err)
			return
		}
		var encodeErr error
		index := 0
		encoded := func(yield func(json.RawMessage) bool) {
			for in := range inputs {
				b, err := encodeInput(in)
				if err != nil {
					encodeErr = &ValidationError{Field: fmt.Sprintf("data[%d]", index), Reason: err.Error()}
					return
				}
				index++
				if !yield(b) {
					return
				}
			}
		}
		for r, err := range s.stream(ctx, project, deployment, encoded, o) {
			if !yield(r, err) || err != nil {
				return
			}
		}
		if encodeErr != nil {
			yield(BatchResult{}, encodeErr)
		}
	}
}

// stream is the engine of BatchCreateAll and BatchCreateSeq: it reads encoded inputs in chunks and keeps
// o.Concurrency chunk calls in flight, starting a new call as soon as any call returns (not only
// the oldest), while yielding results in input order. Chunks that finish ahead of an older one wait
// for it; at most 2×Concurrency chunks are held at once, so memory stays bounded. It waits for
// every call it started before returning, so no goroutine outlives it.
func (s *RequestsService) stream(ctx context.Context, project, deployment string, inputs iter.Seq[json.RawMessage], o batchConfig) iter.Seq2[BatchResult, error] {
	return func(yield func(BatchResult, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var wg sync.WaitGroup
		defer wg.Wait() // after cancel: calls in flight end before we return

		type slot struct {
			results []BatchResult
			done    bool
		}
		completed := make(chan *slot, 2*o.Concurrency) // never blocks: at most 2×Concurrency slots exist
		var queue []*slot                              // oldest first
		inFlight := 0

		next, stop := iter.Pull(inputs)
		defer stop()
		start, exhausted := 0, false
		readChunk := func() (chunk, bool) {
			ch := chunk{start: start}
			for len(ch.inputs) < o.ChunkSize {
				in, ok := next()
				if !ok {
					exhausted = true
					break
				}
				ch.inputs = append(ch.inputs, in)
			}
			start += len(ch.inputs)
			return ch, len(ch.inputs) > 0
		}
		for {
			for !exhausted && inFlight < o.Concurrency && len(queue) < 2*o.Concurrency {
				ch, ok := readChunk()
				if !ok {
					break
				}
				sl := &slot{}
				queue = append(queue, sl)
				inFlight++
				wg.Add(1)
				go func() {
					defer wg.Done()
					sl.results = s.sendChunk(ctx, project, deployment, o, ch)
					completed <- sl
				}()
			}
			for len(queue) > 0 && queue[0].done {
				for _, r := range queue[0].results {
					if !yield(r, nil) {
						return
					}
				}
				queue = queue[1:]
			}
			if len(queue) == 0 && exhausted {
				return
			}
			if len(queue) == 0 {
				continue
			}
			sl := <-completed // the channel hand-off also publishes sl.results to this goroutine
			sl.done = true
			inFlight--
		}
	}
}

// CollectAll fetches any number of requests in calls of up to 250 ids (4 at a time), returning them
// in the order of ids (the API answers each call unordered). Collecting is read-only, so its calls
// are retried like a GET.
func (s *RequestsService) CollectAll(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) ([]DeploymentRequestBatchDetail, error) {
	o, err := s.batchConfig(opts)
	if err != nil {
		return nil, err
	}
	out := make([]DeploymentRequestBatchDetail, len(ids))
	err = forChunks(ctx, len(ids), o, func(ctx context.Context, startIdx, end int) error {
		call := append([]CallOption{WithIdempotent()}, o.CallOptions...)
		var got []DeploymentRequestBatchDetail
		var err error
		if o.Version == "" {
			got, err = s.Collect(ctx, project, deployment, ids[startIdx:end], call...)
		} else {
			got, err = s.CollectForVersion(ctx, project, deployment, o.Version, ids[startIdx:end], call...)
		}
		if err != nil {
			return err
		}
		byID := make(map[UUID]DeploymentRequestBatchDetail, len(got))
		for _, d := range got {
			byID[d.ID] = d
		}
		for i := startIdx; i < end; i++ {
			d, ok := byID[ids[i]]
			if !ok {
				return fmt.Errorf("ubiops: collect: request %s missing from the answer", ids[i])
			}
			out[i] = d
		}
		return nil
	})
	return out, err
}

// DeleteAll deletes any number of requests in calls of up to 250 ids. Deleting is idempotent in
// effect, so calls are retried like a DELETE. The API deletes all of a call's ids or none, and
// refuses the call with ErrNotFound if one is gone already, which is also what a retry gets when
// the first attempt deleted them and its answer was lost. So when a chunk's call fails, its
// requests are read back: if a Collect of the chunk finds them all, none was deleted; if it
// answers 404, each is looked up (metadata only, o.Concurrency at a time) and those gone count as
// deleted. The error is a *BatchError whose Failed ranges name the requests that still exist, or
// could not be read back, with the call's error.
func (s *RequestsService) DeleteAll(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) error {
	o, err := s.batchConfig(opts)
	if err != nil {
		return err
	}
	return forChunks(ctx, len(ids), o, func(ctx context.Context, startIdx, end int) error {
		call := append([]CallOption{WithIdempotent()}, o.CallOptions...)
		var err error
		if o.Version == "" {
			_, err = s.BatchDelete(ctx, project, deployment, ids[startIdx:end], call...)
		} else {
			_, err = s.BatchDeleteForVersion(ctx, project, deployment, o.Version, ids[startIdx:end], call...)
		}
		if err == nil {
			return nil
		}
		return s.deletedAnyway(ctx, project, deployment, o, ids, startIdx, end, err)
	})
}

// deletedAnyway reads back the requests ids[start:end] of a delete call that failed with callErr
// (see DeleteAll) and returns the ranges of those that still exist as a *partialChunk, nil if all
// are gone, or callErr if the chunk cannot be read.
func (s *RequestsService) deletedAnyway(ctx context.Context, project, deployment string, o batchConfig, ids []UUID, start, end int, callErr error) error {
	call := append([]CallOption{WithIdempotent()}, o.CallOptions...)
	var err error
	if o.Version == "" {
		_, err = s.Collect(ctx, project, deployment, ids[start:end], call...)
	} else {
		_, err = s.CollectForVersion(ctx, project, deployment, o.Version, ids[start:end], call...)
	}
	if err == nil || !errors.Is(err, ErrNotFound) {
		return callErr // all still exist, or they cannot be read
	}
	gone := make([]bool, end-start)
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i := start; i < end; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var err error
			if id := ids[i].String(); o.Version == "" {
				_, err = s.Get(ctx, project, deployment, id, &DeploymentRequestsGetParams{MetadataOnly: Ptr(true)}, o.CallOptions...)
			} else {
				_, err = s.GetForVersion(ctx, project, deployment, o.Version, id, &DeploymentVersionRequestsGetParams{MetadataOnly: Ptr(true)}, o.CallOptions...)
			}
			gone[i-start] = errors.Is(err, ErrNotFound)
		}()
	}
	wg.Wait()
	return unfinished(start, end, func(i int) bool { return gone[i-start] }, callErr)
}

// CancelAll cancels any number of requests with batch cancel calls of o.ChunkSize ids (at most
// 250), up to o.Concurrency at once: pending requests become cancelled, processing ones
// cancelled_pending, finished ones stay as they are. Cancelling is idempotent, so a call whose
// answer was lost is sent again.
//
// When a chunk's call fails all the same (its answers lost every time, or a retry refused because
// the first attempt had already cancelled everything), the chunk's requests are read back (a
// Collect of the chunk): every request found cancelled or cancelled_pending counts as cancelled.
// The error is a *BatchError whose Failed ranges name the others, with the call's error; a chunk
// that cannot be read back fails whole.
func (s *RequestsService) CancelAll(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) error {
	o, err := s.batchConfig(opts)
	if err != nil {
		return err
	}
	return forChunks(ctx, len(ids), o, func(ctx context.Context, start, end int) error {
		var err error
		if o.Version == "" {
			_, err = s.BatchCancel(ctx, project, deployment, ids[start:end], nil, o.CallOptions...)
		} else {
			_, err = s.BatchCancelForVersion(ctx, project, deployment, o.Version, ids[start:end], nil, o.CallOptions...)
		}
		if err == nil {
			return nil
		}
		return s.cancelledAnyway(ctx, project, deployment, o, ids, start, end, err)
	})
}

// cancelledAnyway reads back the requests ids[start:end] of a cancel call that failed with
// callErr, and returns the ranges of those not cancelled (nil if all are) as a *partialChunk, or
// callErr itself if they cannot be read.
func (s *RequestsService) cancelledAnyway(ctx context.Context, project, deployment string, o batchConfig, ids []UUID, start, end int, callErr error) error {
	call := append([]CallOption{WithIdempotent()}, o.CallOptions...)
	var got []DeploymentRequestBatchDetail
	var err error
	if o.Version == "" {
		got, err = s.Collect(ctx, project, deployment, ids[start:end], call...)
	} else {
		got, err = s.CollectForVersion(ctx, project, deployment, o.Version, ids[start:end], call...)
	}
	if err != nil {
		return callErr
	}
	cancelled := make(map[UUID]bool, len(got))
	for _, d := range got {
		switch d.Status {
		case DeploymentRequestBatchDetailStatusCancelled, DeploymentRequestBatchDetailStatusCancelledPending:
			cancelled[d.ID] = true
		}
	}
	return unfinished(start, end, func(i int) bool { return cancelled[ids[i]] }, callErr)
}

// unfinished returns the ranges of [start, end) that are not done, each failed with err, as a
// *partialChunk, or nil when all are done.
func unfinished(start, end int, done func(i int) bool, err error) error {
	var failed []ChunkError
	for i := start; i < end; i++ {
		if done(i) {
			continue
		}
		if n := len(failed); n > 0 && failed[n-1].End == i {
			failed[n-1].End++
			continue
		}
		failed = append(failed, ChunkError{Start: i, End: i + 1, Err: err})
	}
	if len(failed) == 0 {
		return nil
	}
	return &partialChunk{failed: failed}
}

// partialChunk is what a forChunks function returns when only part of its chunk failed.
type partialChunk struct{ failed []ChunkError }

func (p *partialChunk) Error() string { return (&BatchError{Failed: p.failed}).Error() }

// forChunks runs fn over [0, n) in chunks of o.ChunkSize with o.Concurrency calls at once, and
// returns a *BatchError of the chunks that failed (the others completed).
func forChunks(ctx context.Context, n int, o batchConfig, fn func(ctx context.Context, start, end int) error) error {
	var mu sync.Mutex
	var be BatchError
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for start := 0; start < n; start += o.ChunkSize {
		end := min(n, start+o.ChunkSize)
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			mu.Lock()
			be.Failed = append(be.Failed, ChunkError{Start: start, End: n, Err: ctx.Err()})
			mu.Unlock()
			wg.Wait()
			return &be
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, start, end); err != nil {
				mu.Lock()
				if pc, ok := err.(*partialChunk); ok {
					be.Failed = append(be.Failed, pc.failed...)
				} else {
					be.Failed = append(be.Failed, ChunkError{Start: start, End: end, Err: err})
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(be.Failed) == 0 {
		return nil
	}
	sortChunks(be.Failed)
	return &be
}

func sortChunks(cs []ChunkError) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Start < cs[j-1].Start; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// WaitAll polls a set of requests until each has finished (completed, failed or cancelled), asking
// only about the unfinished ones, in calls of up to 250 ids (BatchOptions: version, chunk size,
// concurrency), with the backoff, timeout and OnStatus of WaitOptions (OnStatus sees "n of m
// finished"). It returns the final details in the order of ids; the requests' own failures are in
// their details, not in the error.
func (s *RequestsService) WaitAll(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) ([]DeploymentRequestBatchDetail, error) {
	w, err := s.c.newWaiter(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer w.stop()
	what := fmt.Sprintf("%d requests of deployment %s", len(ids), deployment)
	out := make([]DeploymentRequestBatchDetail, len(ids))
	unfinished := make([]int, len(ids))
	for i := range unfinished {
		unfinished[i] = i
	}
	last := ""
	for delay := w.minDelay; ; delay = w.next(delay) {
		ask := make([]UUID, len(unfinished))
		for k, i := range unfinished {
			ask[k] = ids[i]
		}
		got, err := waitFetch(w, what, last, func(ctx context.Context) ([]DeploymentRequestBatchDetail, error) {
			return s.CollectAll(ctx, project, deployment, ask, opts...)
		})
		if err != nil {
			return out, err
		}
		still := unfinished[:0]
		for k, i := range unfinished {
			out[i] = got[k]
			switch got[k].Status {
			case DeploymentRequestBatchDetailStatusCompleted, DeploymentRequestBatchDetailStatusFailed, DeploymentRequestBatchDetailStatusCancelled:
			default:
				still = append(still, i)
			}
		}
		unfinished = still
		last = fmt.Sprintf("%d of %d finished", len(ids)-len(unfinished), len(ids))
		w.report("", last)
		if len(unfinished) == 0 {
			return out, nil
		}
		if err := w.sleep(delay); err != nil {
			return out, w.ended(what, last)
		}
	}
}
