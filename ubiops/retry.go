package ubiops

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ubiops/ubiops-go/gen"
)

// RetryPolicy says how often and how long to retry. Which requests may be retried is not a policy
// choice: see Client for the rules that keep a create from ever running twice.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 disables retries.
	MaxRetries int
	// BaseDelay and MaxDelay shape the full-jitter exponential backoff: the n-th retry waits a random
	// time in [0, min(MaxDelay, BaseDelay·2ⁿ⁻¹)). Zero values mean 500 ms and 30 s.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxServerDelay caps a wait the server asks for (Retry-After, x-ratelimit-reset). Zero means 60 s,
	// one UbiOps rate-limit window.
	MaxServerDelay time.Duration
}

// DefaultRetryPolicy is the policy a Client uses unless told otherwise: 3 retries, 0.5 s base, 30 s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, MaxServerDelay: time.Minute}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxServerDelay <= 0 {
		p.MaxServerDelay = d.MaxServerDelay
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	return p
}

// backoff is the full-jitter delay before retry number n (1-based).
func (p RetryPolicy) backoff(n int, random func() float64) time.Duration {
	ceiling := p.MaxDelay
	if n-1 < 32 {
		if d := p.BaseDelay << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(random() * float64(ceiling))
}

// Reasons a request is retried, as logged.
const (
	reasonDial       = "dial failed"
	reasonConnection = "connection error"
	reasonTimeout    = "attempt timed out"
	reasonStatus     = "status "
)

// retryTransport sits below the generated client, so every request, raw ones included, gets the same
// rules. It keeps the RoundTripper contract: it never modifies the caller's request, always closes
// response bodies it does not return, and is safe for concurrent use.
type retryTransport struct {
	next           http.RoundTripper
	policy         RetryPolicy
	attemptTimeout time.Duration
	logger         *slog.Logger
	// base is the transport below the middleware (nil when there is none), so that
	// CloseIdleConnections reaches it even through middleware that does not pass the call on.
	base http.RoundTripper
	// redact removes the token from logged server text; nil only in tests.
	redact *redactor

	// Injectable for tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64
}

func newRetryTransport(next http.RoundTripper, policy RetryPolicy, attemptTimeout time.Duration, logger *slog.Logger) *retryTransport {
	return &retryTransport{
		next: next, policy: policy.withDefaults(), attemptTimeout: attemptTimeout, logger: logger,
		now: time.Now, sleep: sleepContext, random: rand.Float64,
	}
}

// idleCloser is what http.Client.CloseIdleConnections looks for in a transport.
type idleCloser interface{ CloseIdleConnections() }

// CloseIdleConnections closes the idle connections of the transports below: the middleware chain
// (each layer that implements it passes it on) and the base transport beneath the middleware. It
// is what makes http.Client.CloseIdleConnections, and so Client.CloseIdleConnections, work
// through the retry layer.
func (t *retryTransport) CloseIdleConnections() {
	if c, ok := t.next.(idleCloser); ok {
		c.CloseIdleConnections()
	}
	if t.base != nil { // never compared with next: a RoundTripper may be an uncomparable func type
		if c, ok := t.base.(idleCloser); ok {
			c.CloseIdleConnections() // closing twice (next passed it on) is harmless
		}
	}
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// idempotentMethod reports whether sending the request twice has the same effect as sending it once.
func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	cc := callFrom(ctx)
	policy := t.policy
	if cc != nil && cc.retry != nil {
		policy = cc.retry.withDefaults()
	}
	// A POST or PATCH may have created something even if no answer came back: UbiOps has no
	// idempotency keys, so those are retried only when the server provably did not process them.
	idempotent := idempotentMethod(req.Method) || (cc != nil && cc.idempotent)
	dialOnly := cc != nil && cc.dialOnly
	rewindable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil

	for attempt := 1; ; attempt++ {
		areq := req
		if attempt > 1 {
			areq = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				areq.Body = body
			}
		}
		resp, elapsed, err := t.attempt(ctx, areq)
		if cc != nil {
			cc.setAttempts(attempt)
		}

		reason := t.retryReason(ctx, idempotent, resp, err)
		if dialOnly && reason != reasonDial {
			reason = ""
		}
		var delay time.Duration
		final := reason == "" || attempt > policy.MaxRetries || !rewindable
		if !final {
			delay = t.delay(policy, attempt, resp)
			if deadline, ok := ctx.Deadline(); ok && t.now().Add(delay).After(deadline) {
				final = true // waiting would outlive the caller: report what we have now
			}
		}
		t.log(ctx, req, attempt, resp, err, elapsed, reason, delay, final)
		if final {
			return resp, err
		}
		if resp != nil {
			drainAndClose(resp.Body)
		}
		if err := t.sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// attempt sends one request. With an attempt timeout, a timer cancels the attempt unless the
// answer's headers arrive in time; once they have, the body may take as long as the caller's context
// allows, and the attempt's context ends when the body is closed.
func (t *retryTransport) attempt(ctx context.Context, req *http.Request) (*http.Response, time.Duration, error) {
	start := t.now()
	limit := t.attemptTimeout
	if cc := callFrom(ctx); cc != nil && cc.attemptTimeout > 0 {
		limit = cc.attemptTimeout
	}
	if limit <= 0 {
		resp, err := t.next.RoundTrip(req)
		return resp, t.now().Sub(start), err
	}
	actx, cancel := context.WithCancel(ctx)
	var fired atomic.Bool
	timer := time.AfterFunc(limit, func() { fired.Store(true); cancel() })
	resp, err := t.next.RoundTrip(req.WithContext(actx))
	inTime := timer.Stop()
	elapsed := t.now().Sub(start)
	if err == nil && !inTime {
		drainAndClose(resp.Body) // the headers came, but only as the timer fired
		resp, err = nil, context.Canceled
	}
	if err != nil {
		cancel()
		if fired.Load() && ctx.Err() == nil {
			err = &AttemptTimeoutError{Duration: limit, Err: err}
		}
		return nil, elapsed, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, elapsed, nil
}

// AttemptTimeoutError is an attempt that got no answer headers within the WithAttemptTimeout
// duration. errors.Is(err, context.DeadlineExceeded) holds for it.
type AttemptTimeoutError struct {
	Duration time.Duration
	Err      error // what the transport reported when the attempt was cut off
}

// Error describes the timeout.
func (e *AttemptTimeoutError) Error() string {
	return fmt.Sprintf("no answer within the attempt timeout of %s", e.Duration)
}

// Unwrap returns context.DeadlineExceeded, so the timeout is recognised like any other deadline.
func (e *AttemptTimeoutError) Unwrap() []error { return []error{context.DeadlineExceeded, e.Err} }

// Timeout reports true, like net.Error timeouts.
func (e *AttemptTimeoutError) Timeout() bool { return true }

// retryReason returns why the outcome deserves another attempt, or "" if it does not.
func (t *retryTransport) retryReason(ctx context.Context, idempotent bool, resp *http.Response, err error) string {
	if ctx.Err() != nil {
		return "" // the caller is gone
	}
	if err != nil {
		if neverReached(err) {
			return reasonDial
		}
		if !idempotent || permanentTransportError(err) {
			return ""
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return reasonTimeout
		}
		return reasonConnection
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		// UbiOps rejects rate-limited requests before processing them, so even a create may be resent.
		return reasonStatus + strconv.Itoa(resp.StatusCode)
	case http.StatusRequestTimeout, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if idempotent {
			return reasonStatus + strconv.Itoa(resp.StatusCode)
		}
	}
	return ""
}

// neverReached reports errors that prove the request never reached the server: the connection (or
// the proxy tunnel, or the name lookup) failed before anything was written.
func neverReached(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// permanentTransportError reports errors another attempt cannot fix, such as a bad certificate.
func permanentTransportError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		invalidCert      x509.CertificateInvalidError
		hostname         x509.HostnameError
		verification     *tls.CertificateVerificationError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &invalidCert) ||
		errors.As(err, &hostname) || errors.As(err, &verification)
}

// delay is the wait before the next attempt: what the server asked for (capped), else backoff.
func (t *retryTransport) delay(p RetryPolicy, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d := retryAfter(resp.Header, resp.StatusCode, t.now()); d > 0 {
			return min(d, p.MaxServerDelay)
		}
	}
	return p.backoff(attempt, t.random)
}

func (t *retryTransport) log(ctx context.Context, req *http.Request, attempt int, resp *http.Response, err error,
	elapsed time.Duration, reason string, delay time.Duration, final bool) {
	if !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", OperationID(ctx)),
		slog.String("method", req.Method),
		slog.String("path", t.redact.text(req.URL.EscapedPath())), // never the query, never a header
		slog.Int("attempt", attempt),
		slog.Duration("duration", elapsed),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		// A transport error may quote the server's bytes: one line, no token.
		attrs = append(attrs, slog.String("error", t.redact.text(oneLine(err.Error()))))
	}
	if reason != "" {
		attrs = append(attrs, slog.String("retry_reason", reason))
		if !final {
			attrs = append(attrs, slog.Duration("retry_in", delay))
		}
	}
	t.logger.LogAttrs(ctx, slog.LevelDebug, "ubiops request", attrs...)
}

// cancelOnClose ends an attempt's own timeout context only once the body is consumed, so a
// per-attempt timeout does not cut off a body the caller is still reading.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// callConfig carries per-call settings from a service method, through the generated client, to the
// retry transport, and carries the attempt count back.
type callConfig struct {
	retry      *RetryPolicy
	idempotent bool
	header     http.Header
	progress   func(done, total int64)
	// dialOnly limits retries to attempts whose connection could not be opened (uploads: they
	// create a revision, and a 429 may come after the body was sent).
	dialOnly bool
	editors  []gen.RequestEditorFn

	// maxResponse bounds the decoded answer (WithCallMaxResponseBytes); 0: the client's bound.
	maxResponse int64
	// attemptTimeout replaces the client's attempt timeout (WithCallAttemptTimeout); 0: the client's.
	attemptTimeout time.Duration

	// The helpers' own settings (options.go): iterators, waiters and batch helpers read them;
	// single calls ignore them.
	pageSize, maxItems int
	wait               *WaitOptions
	batch              *BatchOptions
	// response receives the answer of a successful call (WithResponseInto).
	response **http.Response
	// operation is the call's operationId, recorded by the generated client (RecordOperation).
	operation string

	// Recorded by prepare when the request is built, for errors.
	method, path string

	mu       sync.Mutex
	attempts int
}

func (cc *callConfig) setAttempts(n int) {
	cc.mu.Lock()
	cc.attempts = n
	cc.mu.Unlock()
}

func (cc *callConfig) attemptCount() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.attempts
}

// withCall puts a call's settings in its context, where the generated client records the call's
// operation into them and the retry transport finds them.
func withCall(ctx context.Context, cc *callConfig) context.Context {
	return gen.WithOperationRecorder(ctx, cc)
}

func callFrom(ctx context.Context) *callConfig {
	cc, _ := gen.OperationRecorderFrom(ctx).(*callConfig)
	return cc
}

// CallOption adjusts a single call. Pass it as the last arguments of any service method.
type CallOption func(*callConfig)

// WithCallRetryPolicy replaces the client's retry policy for one call.
func WithCallRetryPolicy(p RetryPolicy) CallOption {
	return func(cc *callConfig) { cc.retry = &p }
}

// WithNoRetry sends the request exactly once.
func WithNoRetry() CallOption {
	return func(cc *callConfig) { cc.retry = &RetryPolicy{MaxRetries: 0} }
}

// WithIdempotent marks a POST or PATCH as safe to send more than once, so it is retried like a GET
// (after timeouts and 5xx answers too). Use it only when a duplicate is harmless, such as a PATCH
// that sets fields to fixed values.
func WithIdempotent() CallOption {
	return func(cc *callConfig) { cc.idempotent = true }
}

// WithProgress reports the progress of an upload (bytes sent) or a download (bytes received), with
// the total size or -1 if it is not known. It is called from the goroutine moving the bytes, after
// every chunk, so it must return quickly.
func WithProgress(fn func(done, total int64)) CallOption {
	return func(cc *callConfig) { cc.progress = fn }
}

func withDialRetryOnly() CallOption { return func(cc *callConfig) { cc.dialOnly = true } }

// withEditor adjusts the request after it is built (Content-Length, GetBody for uploads).
func withEditor(fn gen.RequestEditorFn) CallOption {
	return func(cc *callConfig) { cc.editors = append(cc.editors, fn) }
}

// WithHeader adds a header to one call's request.
func WithHeader(key, value string) CallOption {
	return func(cc *callConfig) {
		if cc.header == nil {
			cc.header = http.Header{}
		}
		cc.header.Add(key, value)
	}
}
