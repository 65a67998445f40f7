package ubiops

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// OperationID returns the API operation (its operationId in the OpenAPI description, such as
// "deployments_list") of the request that ctx belongs to, or "" outside a call of this package.
// Middleware (WithMiddleware) reads it from the request's context, for example to name a
// tracing span: ubiops.OperationID(req.Context()).
func OperationID(ctx context.Context) string {
	if cc := callFrom(ctx); cc != nil {
		return cc.operation
	}
	return ""
}

// RecordOperation implements gen.OperationRecorder: the generated client names each request's
// operation before sending it.
func (cc *callConfig) RecordOperation(id string) { cc.operation = id }

// captureMu serialises WithResponseInto's writes: a batch helper's calls run concurrently.
var captureMu sync.Mutex

// WithResponseInto stores the *http.Response of a successful call in *dst, for its status and
// headers (RateLimitOf reads the rate-limit ones). Its body has been read and closed, except for
// a download's (FileDownload), which is the stream being read. For a helper that makes several
// calls (an iterator, a waiter, a batch helper), *dst is the last successful one's. A failed
// call leaves *dst alone: its headers are in the *APIError.
func WithResponseInto(dst **http.Response) CallOption {
	return func(cc *callConfig) { cc.response = dst }
}

// captureResponse stores resp where the call's WithResponseInto asked.
func (cc *callConfig) captureResponse(resp *http.Response) {
	if cc.response == nil {
		return
	}
	captureMu.Lock()
	*cc.response = resp
	captureMu.Unlock()
}

// RateLimit is what an answer says of the API's rate limit: the x-ratelimit-limit,
// x-ratelimit-remaining and x-ratelimit-reset headers. UbiOps counts requests per minute in
// groups (requests, files, user, general); these values are for the group of the call.
type RateLimit struct {
	// Limit is how many requests the window allows.
	Limit int
	// Remaining is how many requests are left in the window.
	Remaining int
	// Reset is how long until the window starts again.
	Reset time.Duration
}

// RateLimitOf reads the rate-limit headers of an answer (a response captured with
// WithResponseInto, or an *APIError's Header). ok is false when the answer carries none of them;
// a header that is absent or not a non-negative integer reads as 0.
func RateLimitOf(h http.Header) (rl RateLimit, ok bool) {
	read := func(name string) int {
		v, present := h[http.CanonicalHeaderKey(name)]
		if !present || len(v) == 0 {
			return 0
		}
		ok = true
		n, err := strconv.Atoi(strings.TrimSpace(v[0]))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	rl.Limit = read("X-Ratelimit-Limit")
	rl.Remaining = read("X-Ratelimit-Remaining")
	rl.Reset = time.Duration(read("X-Ratelimit-Reset")) * time.Second
	return rl, ok
}
