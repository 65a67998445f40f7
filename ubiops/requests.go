package ubiops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// maxBatch is the most requests one batch call may create, collect or delete.
const maxBatch = 250

// RequestsService makes and manages deployment requests (the deployment_requests_*,
// deployment_version_requests_*, batch_deployment_*_requests_create and project_requests_list
// operations). Methods ending in ForVersion address one version of a deployment; the others address
// the deployment's default version.
//
// A request input is any JSON value and is sent as json.Marshal encodes it: a struct or map keyed by
// the input field names for a structured deployment, or a list of such inputs for deployments that
// take several at once. Pass a json.RawMessage to send JSON that is already encoded. A direct
// request whose input is a Go string is a plain deployment's input: it is sent as the body itself
// with Content-Type text/plain, as the official clients send it. Batch inputs are always JSON.
type RequestsService struct{ c *Client }

// checkBatch rejects a batch the API would refuse for its size.
func checkBatch(n int) error {
	if n > maxBatch {
		return &ValidationError{Field: "data", Reason: fmt.Sprintf("%d items; at most %d per call", n, maxBatch)}
	}
	return nil
}

// batchIDs checks the size of a list of request ids and turns nil into an empty list, so that the
// body is always a JSON array.
func batchIDs(ids []UUID) ([]UUID, error) {
	if err := checkBatch(len(ids)); err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []UUID{}
	}
	return ids, nil
}

// batchInputs is batchIDs for request inputs.
func batchInputs(inputs []any) ([]any, error) {
	if err := checkBatch(len(inputs)); err != nil {
		return nil, err
	}
	if inputs == nil {
		inputs = []any{}
	}
	return inputs, nil
}

// Create makes a direct request to a deployment's default version and waits for its result; params may be nil (deployment_requests_create).
func (s *RequestsService) Create(ctx context.Context, project, deployment string, input any, params *DeploymentRequestsCreateParams, opts ...CallOption) (*DeploymentRequestCreateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	if params != nil {
		if err := checkTimeout(params.Timeout, maxDirectTimeout); err != nil {
			return nil, err
		}
	}
	if text, ok := input.(string); ok {
		return decode[*DeploymentRequestCreateResponse](ctx, s.c, opts, call4(s.c.raw.DeploymentRequestsCreateWithTextBody, project, deployment, params, text))
	}
	return decode[*DeploymentRequestCreateResponse](ctx, s.c, opts, call4(s.c.raw.DeploymentRequestsCreate, project, deployment, params, input))
}

// CreateForVersion makes a direct request to a version and waits for its result; params may be nil (deployment_version_requests_create).
func (s *RequestsService) CreateForVersion(ctx context.Context, project, deployment, version string, input any, params *DeploymentVersionRequestsCreateParams, opts ...CallOption) (*DeploymentRequestCreateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	if params != nil {
		if err := checkTimeout(params.Timeout, maxDirectTimeout); err != nil {
			return nil, err
		}
	}
	if text, ok := input.(string); ok {
		return decode[*DeploymentRequestCreateResponse](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionRequestsCreateWithTextBody, project, deployment, version, params, text))
	}
	return decode[*DeploymentRequestCreateResponse](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionRequestsCreate, project, deployment, version, params, input))
}

// BatchCreate queues one request per input (at most 250) to a deployment's default version; params may be nil (batch_deployment_requests_create).
func (s *RequestsService) BatchCreate(ctx context.Context, project, deployment string, inputs []any, params *BatchDeploymentRequestsCreateParams, opts ...CallOption) ([]DeploymentRequestBatchCreateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	inputs, err := batchInputs(inputs)
	if err != nil {
		return nil, err
	}
	if params != nil {
		if err := checkTimeout(params.Timeout, maxBatchTimeout); err != nil {
			return nil, err
		}
	}
	return decode[[]DeploymentRequestBatchCreateResponse](ctx, s.c, opts, call4(s.c.raw.BatchDeploymentRequestsCreate, project, deployment, params, inputs))
}

// BatchCreateForVersion queues one request per input (at most 250) to a version; params may be nil (batch_deployment_version_requests_create).
func (s *RequestsService) BatchCreateForVersion(ctx context.Context, project, deployment, version string, inputs []any, params *BatchDeploymentVersionRequestsCreateParams, opts ...CallOption) ([]DeploymentRequestBatchCreateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	inputs, err := batchInputs(inputs)
	if err != nil {
		return nil, err
	}
	if params != nil {
		if err := checkTimeout(params.Timeout, maxBatchTimeout); err != nil {
			return nil, err
		}
	}
	return decode[[]DeploymentRequestBatchCreateResponse](ctx, s.c, opts, call5(s.c.raw.BatchDeploymentVersionRequestsCreate, project, deployment, version, params, inputs))
}

// Collect returns several requests of a deployment, with their results, by id (at most 250) (deployment_requests_batch_get).
func (s *RequestsService) Collect(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) ([]DeploymentRequestBatchDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	return decode[[]DeploymentRequestBatchDetail](ctx, s.c, opts, call3(s.c.raw.DeploymentRequestsBatchGet, project, deployment, ids))
}

// CollectForVersion returns several requests of a version, with their results, by id (at most 250) (deployment_version_requests_batch_get).
func (s *RequestsService) CollectForVersion(ctx context.Context, project, deployment, version string, ids []UUID, opts ...CallOption) ([]DeploymentRequestBatchDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	return decode[[]DeploymentRequestBatchDetail](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionRequestsBatchGet, project, deployment, version, ids))
}

// BatchDelete deletes several requests of a deployment by id (at most 250) and returns the API's acknowledgement (deployment_requests_batch_delete).
func (s *RequestsService) BatchDelete(ctx context.Context, project, deployment string, ids []UUID, opts ...CallOption) (map[string]any, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	return decode[map[string]any](ctx, s.c, opts, call3(s.c.raw.DeploymentRequestsBatchDelete, project, deployment, ids))
}

// BatchDeleteForVersion deletes several requests of a version by id (at most 250) and returns the API's acknowledgement (deployment_version_requests_batch_delete).
func (s *RequestsService) BatchDeleteForVersion(ctx context.Context, project, deployment, version string, ids []UUID, opts ...CallOption) (map[string]any, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	return decode[map[string]any](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionRequestsBatchDelete, project, deployment, version, ids))
}

// BatchCancel cancels several requests of a deployment's default version by id (at most 250):
// pending requests become cancelled, processing ones cancelled_pending. params may be nil; its
// Status cancels only the given requests in that status (deployment_requests_batch_cancel).
// Cancelling is idempotent, so the call is retried like a read.
func (s *RequestsService) BatchCancel(ctx context.Context, project, deployment string, ids []UUID, params *DeploymentRequestsBatchCancelParams, opts ...CallOption) (map[string]any, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	opts = append([]CallOption{WithIdempotent()}, opts...)
	return decode[map[string]any](ctx, s.c, opts, call4(s.c.raw.DeploymentRequestsBatchCancel, project, deployment, params, ids))
}

// BatchCancelForVersion is BatchCancel for the requests of one version (deployment_version_requests_batch_cancel).
func (s *RequestsService) BatchCancelForVersion(ctx context.Context, project, deployment, version string, ids []UUID, params *DeploymentVersionRequestsBatchCancelParams, opts ...CallOption) (map[string]any, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	ids, err := batchIDs(ids)
	if err != nil {
		return nil, err
	}
	opts = append([]CallOption{WithIdempotent()}, opts...)
	return decode[map[string]any](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionRequestsBatchCancel, project, deployment, version, params, ids))
}

// Get returns a request of a deployment with its input and result; params may be nil (deployment_requests_get).
func (s *RequestsService) Get(ctx context.Context, project, deployment, requestID string, params *DeploymentRequestsGetParams, opts ...CallOption) (*DeploymentRequestSingleDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "request_id", requestID); err != nil {
		return nil, err
	}
	return decode[*DeploymentRequestSingleDetail](ctx, s.c, opts, call4(s.c.raw.DeploymentRequestsGet, project, deployment, requestID, params))
}

// GetForVersion returns a request of a version with its input and result; params may be nil (deployment_version_requests_get).
func (s *RequestsService) GetForVersion(ctx context.Context, project, deployment, version, requestID string, params *DeploymentVersionRequestsGetParams, opts ...CallOption) (*DeploymentRequestSingleDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "request_id", requestID); err != nil {
		return nil, err
	}
	return decode[*DeploymentRequestSingleDetail](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionRequestsGet, project, deployment, version, requestID, params))
}

// List returns the requests made to a deployment, without inputs and results; params may be nil (deployment_requests_list).
func (s *RequestsService) List(ctx context.Context, project, deployment string, params *DeploymentRequestsListParams, opts ...CallOption) ([]DeploymentRequestList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[[]DeploymentRequestList](ctx, s.c, opts, call3(s.c.raw.DeploymentRequestsList, project, deployment, params))
}

// ListForVersion returns the requests made to a version, without inputs and results; params may be nil (deployment_version_requests_list).
func (s *RequestsService) ListForVersion(ctx context.Context, project, deployment, version string, params *DeploymentVersionRequestsListParams, opts ...CallOption) ([]DeploymentRequestList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[[]DeploymentRequestList](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionRequestsList, project, deployment, version, params))
}

// Update changes a request of a deployment; only cancelling is possible (deployment_requests_update).
func (s *RequestsService) Update(ctx context.Context, project, deployment, requestID string, body DeploymentRequestUpdate, opts ...CallOption) (*DeploymentRequestUpdateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "request_id", requestID); err != nil {
		return nil, err
	}
	return decode[*DeploymentRequestUpdateResponse](ctx, s.c, opts, call4(s.c.raw.DeploymentRequestsUpdate, project, deployment, requestID, body))
}

// UpdateForVersion changes a request of a version; only cancelling is possible (deployment_version_requests_update).
func (s *RequestsService) UpdateForVersion(ctx context.Context, project, deployment, version, requestID string, body DeploymentRequestUpdate, opts ...CallOption) (*DeploymentRequestUpdateResponse, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "request_id", requestID); err != nil {
		return nil, err
	}
	return decode[*DeploymentRequestUpdateResponse](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionRequestsUpdate, project, deployment, version, requestID, body))
}

// Delete deletes a request of a deployment (deployment_requests_delete).
func (s *RequestsService) Delete(ctx context.Context, project, deployment, requestID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment, "request_id", requestID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call3(s.c.raw.DeploymentRequestsDelete, project, deployment, requestID))
}

// DeleteForVersion deletes a request of a version (deployment_version_requests_delete).
func (s *RequestsService) DeleteForVersion(ctx context.Context, project, deployment, version, requestID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "request_id", requestID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call4(s.c.raw.DeploymentVersionRequestsDelete, project, deployment, version, requestID))
}

// ListProject returns the deployment or pipeline requests of a whole project; params may be nil and its ObjectType is ignored (project_requests_list).
func (s *RequestsService) ListProject(ctx context.Context, project string, objectType ProjectRequestsListParamsObjectType, params *ProjectRequestsListParams, opts ...CallOption) ([]RequestsOverview, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	if objectType == "" {
		return nil, &ValidationError{Field: "object_type", Reason: "must not be empty"}
	}
	var p ProjectRequestsListParams
	if params != nil {
		p = *params
	}
	p.ObjectType = objectType
	return decode[[]RequestsOverview](ctx, s.c, opts, call2(s.c.raw.ProjectRequestsList, project, &p))
}

// All iterates over every request of a deployment's default version, newest first unless params
// say otherwise (deployment_requests_list). The Pagination section of the package documentation says what an offset list guarantees.
func (s *RequestsService) All(ctx context.Context, project, deployment string, params *DeploymentRequestsListParams, opts ...CallOption) iter.Seq2[DeploymentRequestList, error] {
	base := copyOf(params)
	return offsetSeq(ctx, s.c.newIterConfig(opts, base.Limit), requestKey, func(ctx context.Context, offset, limit int, call []CallOption) ([]DeploymentRequestList, error) {
		p := base
		p.Offset, p.Limit = &offset, &limit
		return s.List(ctx, project, deployment, &p, call...)
	})
}

// AllForVersion iterates over every request of a version (deployment_version_requests_list).
func (s *RequestsService) AllForVersion(ctx context.Context, project, deployment, version string, params *DeploymentVersionRequestsListParams, opts ...CallOption) iter.Seq2[DeploymentRequestList, error] {
	base := copyOf(params)
	return offsetSeq(ctx, s.c.newIterConfig(opts, base.Limit), requestKey, func(ctx context.Context, offset, limit int, call []CallOption) ([]DeploymentRequestList, error) {
		p := base
		p.Offset, p.Limit = &offset, &limit
		return s.ListForVersion(ctx, project, deployment, version, &p, call...)
	})
}

// AllProject iterates over every request in a project of one object type (project_requests_list).
func (s *RequestsService) AllProject(ctx context.Context, project string, objectType ProjectRequestsListParamsObjectType, params *ProjectRequestsListParams, opts ...CallOption) iter.Seq2[RequestsOverview, error] {
	base := copyOf(params)
	return offsetSeq(ctx, s.c.newIterConfig(opts, base.Limit), func(r RequestsOverview) UUID { return r.ID }, func(ctx context.Context, offset, limit int, call []CallOption) ([]RequestsOverview, error) {
		p := base
		p.Offset, p.Limit = &offset, &limit
		return s.ListProject(ctx, project, objectType, &p, call...)
	})
}

func requestKey(r DeploymentRequestList) UUID { return r.ID }

// checkTimeout validates a request timeout (seconds) against the documented maximum before
// anything is sent: direct requests allow at most 3600, batch requests at most 172800.
func checkTimeout(t *int, maxSeconds int) error {
	if t != nil && (*t < 1 || *t > maxSeconds) {
		return &ValidationError{Field: "timeout", Reason: fmt.Sprintf("%d s is not between 1 and %d", *t, maxSeconds)}
	}
	return nil
}

// ErrRequestFailed is matched by errors.Is against a *RequestFailedError.
var ErrRequestFailed = errors.New("ubiops: deployment request failed")

// RequestFailedError is a request that finished without a result: failed or cancelled.
type RequestFailedError struct {
	ID      UUID
	Status  string
	Message string // the request's error_message
}

// Error names the request, its status and the deployment's error message, on one line and
// without credentials.
func (e *RequestFailedError) Error() string {
	return safeText(fmt.Sprintf("ubiops: request %s %s: %s", e.ID, e.Status, e.Message))
}

// Is makes errors.Is(err, ErrRequestFailed) hold.
func (e *RequestFailedError) Is(target error) bool { return target == ErrRequestFailed }

// DecodeResult decodes a request's result (the JSON value the deployment returned) into a T, such as
// a struct with the deployment's output fields, a string for a plain deployment, or a slice.
func DecodeResult[T any](result json.RawMessage) (T, error) {
	var v T
	if len(result) == 0 || string(result) == "null" {
		return v, errors.New("ubiops: the request has no result")
	}
	if err := json.Unmarshal(result, &v); err != nil {
		return v, fmt.Errorf("ubiops: decoding the request's result into %T: %w", v, err)
	}
	return v, nil
}

// ResultOf decodes a direct request's result into a T, or returns a *RequestFailedError if the
// request failed:
//
//	res, err := client.Requests.Create(ctx, project, deployment, input, nil)
//	if err != nil { ... }
//	out, err := ubiops.ResultOf[Prediction](res)
func ResultOf[T any](res *DeploymentRequestCreateResponse) (T, error) {
	var zero T
	if res == nil {
		return zero, errors.New("ubiops: no request")
	}
	if res.Status != DeploymentRequestCreateResponseStatusCompleted {
		msg := Value(res.ErrorMessage)
		return zero, &RequestFailedError{ID: res.ID, Status: string(res.Status), Message: msg}
	}
	return DecodeResult[T](res.Result)
}
