package ubiops

import (
	"context"
	"errors"
)

// BatchOutcome is what became of one input of RunBatch.
type BatchOutcome[Out any] struct {
	// Index is the input's position in the caller's inputs.
	Index int
	// State is what became of the input: created and finished (BatchCompleted, BatchRequestFailed),
	// never created (BatchNotCreated: safe to resend), created or not (BatchUnknown: it may exist;
	// never resent), or created and not finished when the wait ended (BatchUnfinished).
	State BatchState
	// Request is the request as last seen (nil unless it was created).
	Request *DeploymentRequestBatchDetail
	// Output is the request's result decoded into an Out (State BatchCompleted and Err nil).
	Output Out
	// Err is why there is no Output: the creation error, a *RequestFailedError for a request that
	// failed or was cancelled, or the error decoding a completed request's result.
	Err error
}

// BatchState is the state of one input of RunBatch.
type BatchState string

// The states of an input of RunBatch.
const (
	BatchCompleted     BatchState = "completed"      // created and completed: Output, or Err decoding it
	BatchRequestFailed BatchState = "request_failed" // created, finished without a usable result
	BatchNotCreated    BatchState = "not_created"    // the API refused it: safe to resend
	BatchUnknown       BatchState = "unknown"        // sent, no usable answer: it may exist
	BatchUnfinished    BatchState = "unfinished"     // created; the wait ended first
)

// RunBatch sends every input as a batch request of deployment (see BatchCreateAll), waits until
// each created request has finished (see WaitAll), and decodes each result into an Out. It
// returns one outcome per input, in input order, whatever happened: the inputs that were not
// created, or whose creation is unknown, keep that state and are never resent. The error is the
// creation's *BatchError and the wait's error, if any, joined; a per-request failure is in its
// outcome only. WithBatchOptions and WithWaitOptions tune the two steps:
//
//	outcomes, err := ubiops.RunBatch[Input, Output](ctx, client.Requests, "demo", "model", inputs)
//	for _, o := range outcomes {
//		if o.State == ubiops.BatchCompleted {
//			use(inputs[o.Index], o.Output)
//		}
//	}
func RunBatch[In, Out any](ctx context.Context, s *RequestsService, project, deployment string, inputs []In, opts ...CallOption) ([]BatchOutcome[Out], error) {
	created, createErr := BatchCreateAll(ctx, s, project, deployment, inputs, opts...)
	var be *BatchError
	if createErr != nil && !errors.As(createErr, &be) && len(created) == 0 {
		return nil, createErr // nothing was sent (a bad input, a bad option, ctx ended first)
	}
	out := make([]BatchOutcome[Out], len(inputs))
	var ids []UUID
	var at []int // at[k] is the input index of ids[k]
	for i := range out {
		out[i] = BatchOutcome[Out]{Index: i, State: BatchNotCreated, Err: createErr}
	}
	for _, r := range created {
		o := &out[r.Index]
		switch {
		case r.Err == nil:
			o.State, o.Err = BatchUnfinished, nil
			ids, at = append(ids, r.Request.ID), append(at, r.Index)
		case r.Unknown:
			o.State, o.Err = BatchUnknown, r.Err
		default:
			o.State, o.Err = BatchNotCreated, r.Err
		}
	}
	if len(ids) == 0 {
		return out, createErr
	}
	details, waitErr := s.WaitAll(ctx, project, deployment, ids, opts...)
	for k := range details {
		settle(&out[at[k]], &details[k])
	}
	return out, errors.Join(createErr, waitErr)
}

// settle records a created request's last seen details in its outcome.
func settle[Out any](o *BatchOutcome[Out], d *DeploymentRequestBatchDetail) {
	if d.ID == (UUID{}) {
		return // never fetched: the wait ended first
	}
	o.Request = d
	switch d.Status {
	case DeploymentRequestBatchDetailStatusCompleted:
		o.State = BatchCompleted
		o.Output, o.Err = DecodeResult[Out](d.Result)
	case DeploymentRequestBatchDetailStatusFailed, DeploymentRequestBatchDetailStatusCancelled:
		o.State = BatchRequestFailed
		o.Err = &RequestFailedError{ID: d.ID, Status: string(d.Status), Message: Value(d.ErrorMessage)}
	default:
		o.State = BatchUnfinished
	}
}
