package ubiops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/gen"
)

// Version is this library's version, sent in the User-Agent header.
const Version = "0.1.0"

// Client is a UbiOps API client. Create it with NewClient; the zero value is not usable.
type Client struct {
	Projects             *ProjectsService
	ProjectUsers         *ProjectUsersService
	Audit                *AuditService
	Usage                *UsageService
	Quotas               *QuotasService
	Logs                 *LogsService
	Deployments          *DeploymentsService
	Versions             *VersionsService
	Revisions            *RevisionsService
	Builds               *BuildsService
	EnvironmentVariables *EnvironmentVariablesService
	Requests             *RequestsService
	Environments         *EnvironmentsService
	EnvironmentRevisions *EnvironmentRevisionsService
	EnvironmentBuilds    *EnvironmentBuildsService
	Instances            *InstancesService
	InstanceTypes        *InstanceTypesService
	InstanceTypeGroups   *InstanceTypeGroupsService
	Templates            *TemplatesService

	raw        *gen.Client
	httpClient *http.Client
	baseURL    string
	// token sits behind a pointer so that even printing a Client value with %v shows an address:
	// fmt cannot call the secret's String method on an unexported field.
	token     *secret
	userAgent string
	// Prebuilt header values, reused by every request (net/http only reads them). authHeader
	// holds the token, so like token it sits behind a pointer: fmt prints an address.
	authHeader *[]string
	uaHeader   []string
	logger     *slog.Logger
	// redact removes the token from the server text the client keeps; it holds the token, so it
	// sits behind a pointer too.
	redact *redactor
	// maxResponse bounds decoded answers (see DefaultMaxResponseBytes).
	maxResponse int64
	// defaults are applied before every call's own options (WithDefaults).
	defaults []CallOption
}

// settings collects options before NewClient validates them.
type settings struct {
	token          *string
	baseURL        *string
	httpClient     *http.Client
	userAgent      string
	logger         *slog.Logger
	retry          RetryPolicy
	attemptTimeout time.Duration
	middleware     []func(http.RoundTripper) http.RoundTripper
	allowHTTP      bool
	maxResponse    int64
	defaults       []CallOption
}

// Option configures a Client.
type Option func(*settings)

// WithToken sets the API token ("abc", "Token abc" or "Bearer xyz"). Without it, NewClient reads
// UBIOPS_API_TOKEN.
func WithToken(token string) Option { return func(s *settings) { s.token = &token } }

// WithBaseURL sets the API endpoint. It is normalised like the official clients do: a missing
// scheme becomes https://, a missing API version becomes /v2.1. Without it, NewClient reads
// UBIOPS_API_HOST, and falls back to DefaultBaseURL.
func WithBaseURL(u string) Option { return func(s *settings) { s.baseURL = &u } }

// WithHTTPClient sets the HTTP client whose transport, timeout, redirect policy and cookie jar are
// used. The client itself is not modified: the retry layer wraps a copy.
func WithHTTPClient(c *http.Client) Option { return func(s *settings) { s.httpClient = c } }

// WithUserAgent puts a product token (such as "my-service/1.2") before the library's own
// User-Agent.
func WithUserAgent(product string) Option { return func(s *settings) { s.userAgent = product } }

// WithLogger sets the logger that receives one debug line per attempt (method, path, status,
// duration, attempt, retry reason). Headers, query strings and the token are never logged. The
// default discards everything.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithRetryPolicy replaces the default retry policy.
func WithRetryPolicy(p RetryPolicy) Option { return func(s *settings) { s.retry = p } }

// WithMaxRetries sets how many times a failed request may be retried (0 disables retries).
func WithMaxRetries(n int) Option { return func(s *settings) { s.retry.MaxRetries = n } }

// WithAttemptTimeout bounds each attempt (connect, send, and wait for the answer's headers). The
// context passed to a call bounds the whole call, retries and waits included.
func WithAttemptTimeout(d time.Duration) Option { return func(s *settings) { s.attemptTimeout = d } }

// WithMiddleware wraps the transport below the retry layer, so the middleware sees every attempt.
// Middleware added first runs outermost.
func WithMiddleware(m func(http.RoundTripper) http.RoundTripper) Option {
	return func(s *settings) { s.middleware = append(s.middleware, m) }
}

// WithInsecureHTTP allows a plain http:// base URL for a host other than loopback. Without it such
// a URL is refused, because the token would cross the network in clear text.
func WithInsecureHTTP() Option { return func(s *settings) { s.allowHTTP = true } }

// NewClient creates a client. It fails when no token is configured or the base URL is unusable,
// rather than letting every call fail later.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{retry: DefaultRetryPolicy()}
	for _, o := range opts {
		o(&s)
	}
	rawToken := fromEnv(EnvToken)
	if s.token != nil {
		rawToken = *s.token
	}
	token, err := normalizeToken(rawToken)
	if err != nil {
		return nil, err
	}
	rawBase := fromEnv(EnvHost)
	if s.baseURL != nil {
		rawBase = *s.baseURL
	}
	if strings.TrimSpace(rawBase) == "" {
		rawBase = DefaultBaseURL
	}
	baseURL, err := normalizeBaseURL(rawBase, s.allowHTTP)
	if err != nil {
		return nil, err
	}
	logger := s.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	hc := &http.Client{}
	if s.httpClient != nil {
		copied := *s.httpClient
		hc = &copied
	}
	hc.CheckRedirect = keepTokenOnOrigin(hc.CheckRedirect)
	next := hc.Transport
	if next == nil {
		next = defaultTransport()
	}
	base := next
	for i := len(s.middleware) - 1; i >= 0; i-- {
		next = s.middleware[i](next)
	}
	redact := newRedactor(string(token))
	rt := newRetryTransport(next, s.retry, s.attemptTimeout, logger)
	rt.redact = redact
	if len(s.middleware) > 0 {
		rt.base = base
	}
	hc.Transport = rt

	ua := fmt.Sprintf("ubiops-go/%s (%s)", Version, runtime.Version())
	if s.userAgent != "" {
		ua = s.userAgent + " " + ua
	}
	maxResponse := s.maxResponse
	if maxResponse <= 0 {
		maxResponse = DefaultMaxResponseBytes
	}
	c := &Client{httpClient: hc, baseURL: baseURL.String(), token: &token, userAgent: ua, logger: logger,
		uaHeader: []string{ua}, redact: redact, maxResponse: maxResponse, defaults: s.defaults}
	c.authHeader = &[]string{string(token)}
	c.raw, err = gen.NewClient(c.baseURL, gen.WithHTTPClient(hc), gen.WithRequestEditorFn(c.authorize))
	if err != nil {
		return nil, &ConfigError{Setting: "base URL", Reason: err.Error()}
	}
	c.initServices()
	return c, nil
}

// keepTokenOnOrigin wraps a redirect policy so that the token never leaves the origin it was meant
// for. net/http drops Authorization only when the host name changes; a redirect to another port, or
// from https to plain http, would still carry it (in clear text, for the latter). The caller's own
// policy, if any, still decides whether to follow.
func keepTokenOnOrigin(policy func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if origin := via[0].URL; req.URL.Scheme != origin.Scheme || req.URL.Host != origin.Host {
			req.Header.Del("Authorization")
		}
		if policy != nil {
			return policy(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// defaultTransport is http.DefaultTransport with a connection pool sized for concurrent use (batch
// helpers, iterators and many goroutines sharing one Client); the default keeps only 2 idle
// connections per host and so would open new ones under load.
func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

func (c *Client) authorize(_ context.Context, req *http.Request) error {
	// Shared one-element slices: net/http only reads them, and this runs on every request.
	req.Header["Authorization"] = *c.authHeader
	req.Header["User-Agent"] = c.uaHeader
	return nil
}

// BaseURL returns the normalised API endpoint, for example https://api.ubiops.com/v2.1.
func (c *Client) BaseURL() string { return c.baseURL }

// Raw returns the generated low-level client, sharing this client's transport, token and retries.
// It is an escape hatch: its types come from package gen, which makes no compatibility promise.
func (c *Client) Raw() *gen.Client { return c.raw }

// HTTPClient returns the *http.Client this client sends requests with (retries included), for
// requests the generated client does not cover. Its CloseIdleConnections reaches the transport
// below the retry layer and the middleware.
func (c *Client) HTTPClient() *http.Client { return c.httpClient }

// CloseIdleConnections closes the connections the client keeps open for reuse, and the
// goroutines that watch them, instead of leaving them until the transport's idle timeout (90 s by
// default). Call it when done with a client, for example at the end of a test
// (t.Cleanup(client.CloseIdleConnections)); connections in use are not interrupted, and the client
// stays usable: later calls open new connections. With WithHTTPClient, it closes the idle
// connections of that client's transport, which may be shared with other clients.
func (c *Client) CloseIdleConnections() { c.httpClient.CloseIdleConnections() }

// String describes the client without revealing the token.
func (c *Client) String() string { return "ubiops.Client{" + c.baseURL + "}" }

// rawCall is one call of the generated client, given the request editors to apply.
type rawCall func(ctx context.Context, editors ...gen.RequestEditorFn) (*http.Response, error)

// send runs a generated call with the per-call options and turns every failure into a typed error.
// On success the caller owns the response body.
func (c *Client) send(ctx context.Context, opts []CallOption, call rawCall) (*http.Response, error) {
	if ctx == nil {
		return nil, &ValidationError{Field: "ctx", Reason: "nil context"}
	}
	cc := c.callOptions(opts)
	ctx = withCall(ctx, cc)
	resp, err := call(ctx, cc.prepare)
	if err != nil {
		attempts := cc.attemptCount()
		if cc.method == "" {
			// The request was never built (for example a parameter could not be serialised).
			return nil, fmt.Errorf("ubiops: building request: %w", err)
		}
		cause := c.redact.err(unwrapURLError(err)) // a transport error may quote the server's bytes
		rerr := &RequestError{Operation: cc.operation, Method: cc.method, Path: c.redact.text(cc.path), Attempts: attempts, Err: cause}
		if ctxErr := ctx.Err(); ctxErr != nil {
			rerr.Err, rerr.Cause = ctxErr, cause
		}
		return nil, rerr
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := newAPIError(resp, cc.attemptCount(), c.redact)
		e.Operation = cc.operation
		return nil, e
	}
	cc.captureResponse(resp)
	return resp, nil
}

// prepare is the last request editor of a call: it records the method and path for errors, and
// applies the call's headers and editors.
func (cc *callConfig) prepare(ctx context.Context, req *http.Request) error {
	cc.method, cc.path = req.Method, req.URL.EscapedPath()
	for k, vs := range cc.header {
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	for _, ed := range cc.editors {
		if err := ed(ctx, req); err != nil {
			return err
		}
	}
	return nil
}

// unwrapURLError drops net/http's *url.Error wrapper, whose message repeats the full URL (query
// included); method and path are reported by RequestError itself.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// decode sends a call and decodes its JSON answer into a T.
func decode[T any](ctx context.Context, c *Client, opts []CallOption, call rawCall) (T, error) {
	resp, err := c.send(ctx, opts, call)
	return decodeResponse[T](c, opts, resp, err)
}

// responseLimit is the bound on a decoded answer for a call with opts: the call's settings travel
// in its request's context, so they are not built again.
func (c *Client) responseLimit(resp *http.Response, opts []CallOption) int64 {
	var cc *callConfig
	if resp.Request != nil {
		cc = callFrom(resp.Request.Context())
	}
	if cc == nil {
		cc = c.callOptions(opts)
	}
	if cc.maxResponse > 0 {
		return cc.maxResponse
	}
	if c.maxResponse > 0 {
		return c.maxResponse
	}
	return DefaultMaxResponseBytes
}

// decodeResponse decodes a successful answer from send (or passes send's error on) and closes it.
// It reads at most the call's bound (see DefaultMaxResponseBytes): a declared Content-Length above
// it fails before reading anything, a body that runs past it fails at the bound.
func decodeResponse[T any](c *Client, opts []CallOption, resp *http.Response, err error) (T, error) {
	var v T
	if err != nil {
		return v, err
	}
	limit := c.responseLimit(resp, opts)
	method, path := requestOf(resp, c.redact)
	if resp.ContentLength > limit {
		_ = resp.Body.Close() // reading on would only fetch what is refused
		return v, &ResponseTooLargeError{Method: method, Path: path, StatusCode: resp.StatusCode, Limit: limit, Declared: resp.ContentLength}
	}
	body := &boundedReader{r: resp.Body, left: limit}
	err = json.NewDecoder(body).Decode(&v)
	if body.exceeded {
		_ = resp.Body.Close()
		var zero T
		return zero, &ResponseTooLargeError{Method: method, Path: path, StatusCode: resp.StatusCode, Limit: limit, Declared: -1}
	}
	defer drainAndClose(resp.Body)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // an empty body where the API documents content
		}
		return v, &DecodeError{Operation: operationOf(resp), Method: method, Path: path, StatusCode: resp.StatusCode, Err: c.redact.err(err)}
	}
	return v, nil
}

// noContent sends a call whose answer carries nothing (204).
func noContent(ctx context.Context, c *Client, opts []CallOption, call rawCall) error {
	resp, err := c.send(ctx, opts, call)
	if err != nil {
		return err
	}
	drainAndClose(resp.Body)
	return nil
}

// checkPath validates path parameters given as name, value pairs. Values are escaped when the path
// is built, but "", "." and ".." would still change which resource the path names.
func checkPath(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		name, v := pairs[i], pairs[i+1]
		switch v {
		case "":
			return &ValidationError{Field: name, Reason: "must not be empty"}
		case ".", "..":
			return &ValidationError{Field: name, Reason: fmt.Sprintf("%q is not a valid name", v)}
		}
	}
	return nil
}

// Ptr returns a pointer to v, for the optional fields of request types.
func Ptr[T any](v T) *T { return &v }

func (c *Client) initServices() {
	c.Projects = &ProjectsService{c}
	c.ProjectUsers = &ProjectUsersService{c}
	c.Audit = &AuditService{c}
	c.Usage = &UsageService{c}
	c.Quotas = &QuotasService{c}
	c.Logs = &LogsService{c}
	c.Deployments = &DeploymentsService{c}
	c.Versions = &VersionsService{c}
	c.Revisions = &RevisionsService{c}
	c.Builds = &BuildsService{c}
	c.EnvironmentVariables = &EnvironmentVariablesService{
		Project:    &ProjectEnvironmentVariablesService{c},
		Deployment: &DeploymentEnvironmentVariablesService{c},
		Version:    &VersionEnvironmentVariablesService{c},
	}
	c.Requests = &RequestsService{c}
	c.Environments = &EnvironmentsService{c}
	c.EnvironmentRevisions = &EnvironmentRevisionsService{c}
	c.EnvironmentBuilds = &EnvironmentBuildsService{c}
	c.Instances = &InstancesService{c}
	c.InstanceTypes = &InstanceTypesService{c}
	c.InstanceTypeGroups = &InstanceTypeGroupsService{c}
	c.Templates = &TemplatesService{c}
}
