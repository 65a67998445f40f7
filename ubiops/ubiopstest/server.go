// Package ubiopstest is an in-memory fake of the UbiOps API (v2.1) for tests.
//
// It serves all 101 operations of the spec (the 93 documented ones, and eight the official tools
// use: the service status, the batch cancels, the streaming requests, the current log endpoint, and
// the user and organizations the CLI asks for at sign-in) with state (projects, deployments,
// versions, revisions and builds, environments, environment variables with inheritance, deployment
// requests, logs, audit events, instances, ...), validates every request against the OpenAPI document the client
// is generated from (a bad call answers 400 naming the field, as production would), and offers
// knobs for latency, injected failures, build and request durations, rate limiting and operation
// counters.
//
//	srv := ubiopstest.NewServer(t)
//	client := srv.Client()
//	project, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "org"})
//
// The API is served under /v2.1 exactly like https://api.ubiops.com/v2.1, so any UbiOps client
// works against it: point UBIOPS_API_HOST at URL()+"/v2.1" and use Token(). The command
// cmd/ubiops-fake serves the same fake for non-Go clients.
//
// Bad input is never the fake's failure: whatever a client sends is answered, with a 4xx when it is
// wrong. A defect of the fake itself (a handler that panics, an answer it cannot encode or that
// breaks the spec under WithStrictResponses) is answered 500 naming the operation, leaves the
// server usable, and fails the test NewServer was given (see Server.InternalFailures).
package ubiopstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Server is a fake UbiOps API. Create it with NewServer (for tests) or New (to serve it yourself).
// It is safe for concurrent use.
type Server struct {
	opts     options
	api      *specRouter
	started  time.Time
	httpSrv  *httptest.Server
	closeCtx context.Context
	cancel   context.CancelFunc

	mu    sync.Mutex // guards the API state below and the handlers' view of it
	state *state

	knobs knobs
	spool spool // uploaded files too large for memory (files.go)

	failures failures // internal failures (see InternalFailures)

	clientsMu sync.Mutex
	clients   []*ubiops.Client // made by Client: Close releases their idle connections
	// testHookHandler, when set (by the package's tests, under mu), runs under the state lock just
	// before each handler; when it reports an answer, that answer is given instead of the handler's.
	testHookHandler func(*call) (answer, bool)
}

// Option configures a Server.
type Option func(*options)

type options struct {
	token           string
	latency         time.Duration
	buildDuration   time.Duration
	requestDuration time.Duration
	rateLimit       int
	rateWindow      time.Duration
	strict          bool
	clock           func() time.Time
	chunkDelay      time.Duration
	user            userOptions
}

type userOptions struct {
	email, name, surname string
}

// WithToken sets the API token the server accepts (default: a random one, see Server.Token).
func WithToken(token string) Option { return func(o *options) { o.token = token } }

// WithLatency delays every answer by d (per-operation latency: Server.SetLatency).
func WithLatency(d time.Duration) Option { return func(o *options) { o.latency = d } }

// WithBuildDuration sets how long a revision or environment build takes from queued to its final
// status (default 300 ms). Zero makes builds finish at once.
func WithBuildDuration(d time.Duration) Option { return func(o *options) { o.buildDuration = d } }

// WithRequestDuration sets how long a batch request takes from pending to its final status
// (default 100 ms).
func WithRequestDuration(d time.Duration) Option { return func(o *options) { o.requestDuration = d } }

// WithRateLimit answers 429, with x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset,
// to requests beyond n in each window (UbiOps counts per minute).
func WithRateLimit(n int, window time.Duration) Option {
	return func(o *options) { o.rateLimit, o.rateWindow = n, window }
}

// WithStrictResponses validates every answer against the spec before sending it; a violation is
// answered as 500 with the reason. The package's own tests run this way.
func WithStrictResponses() Option { return func(o *options) { o.strict = true } }

// WithUser sets the user the token belongs to: what user_get answers, and the user the fake
// records as the creator of what it creates (default "user@example.com", "Test", "User"). An empty
// email keeps the default; an empty name or surname is answered as null.
func WithUser(email, name, surname string) Option {
	return func(o *options) {
		if email == "" {
			email = defaultUserEmail
		}
		o.user = userOptions{email: email, name: name, surname: surname}
	}
}

// New creates a server without starting it; serve Handler() yourself, or call Start.
func New(opts ...Option) *Server {
	o := options{
		buildDuration: 300 * time.Millisecond, requestDuration: 100 * time.Millisecond, clock: time.Now,
		user: userOptions{email: defaultUserEmail, name: "Test", surname: "User"},
	}
	for _, fn := range opts {
		fn(&o)
	}
	if o.token == "" {
		var b [12]byte
		_, _ = rand.Read(b[:])
		o.token = "ubiopstest-" + hex.EncodeToString(b[:])
	}
	router, err := newSpecRouter()
	if err != nil {
		panic("ubiopstest: the embedded OpenAPI document does not load: " + err.Error()) // a build defect, not a runtime condition
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{opts: o, api: router, started: o.clock(), closeCtx: ctx, cancel: cancel}
	s.state = newState(s)
	s.knobs.init()
	return s
}

// NewServer starts a server on a loopback port and stops it when the test ends. The test fails
// then if the server had an internal failure (see InternalFailures): a defect of the fake, such as
// a handler that panicked, is never mistaken for an answer of the API.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := New(opts...)
	s.Start()
	t.Cleanup(func() {
		s.Close()
		s.reportFailures(t)
	})
	return s
}

// Start serves the API on a loopback port (see URL).
func (s *Server) Start() {
	s.httpSrv = httptest.NewServer(s.Handler())
}

// Close stops the server, ends the contexts passed to deployment handlers and removes the files
// of large uploads it stored on disk.
func (s *Server) Close() {
	s.cancel()
	if s.httpSrv != nil {
		s.httpSrv.Close()
	}
	s.spool.close()
	s.clientsMu.Lock()
	for _, c := range s.clients {
		c.CloseIdleConnections()
	}
	s.clients = nil
	s.clientsMu.Unlock()
}

// URL is the server's root, such as http://127.0.0.1:41234; the API lives under URL()+"/v2.1".
func (s *Server) URL() string {
	if s.httpSrv == nil {
		return ""
	}
	return s.httpSrv.URL
}

// Token is the API token the server accepts, without the "Token " scheme.
func (s *Server) Token() string { return s.opts.token }

// TestWaiting is the polling of the waiters of a client from Server.Client: every 10 ms at first,
// backing off to 100 ms, instead of the production 1 s to 30 s, so that tests wait for the fake's
// builds and requests about as long as those take.
var TestWaiting = ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 10 * time.Millisecond, MaxDelay: 100 * time.Millisecond})

// Client returns a ubiops.Client for this server. Extra options are applied after the server's
// base URL, its token and ubiops.WithDefaults(TestWaiting) (so a WithDefaults among them with its
// own WaitOptions replaces the test-speed polling). Close releases the idle connections of every
// client made here.
func (s *Server) Client(opts ...ubiops.Option) *ubiops.Client {
	base := []ubiops.Option{ubiops.WithBaseURL(s.URL()), ubiops.WithToken(s.opts.token), ubiops.WithDefaults(TestWaiting)}
	c, err := ubiops.NewClient(append(base, opts...)...)
	if err != nil {
		panic("ubiopstest: " + err.Error()) // the server's own URL and token are always valid
	}
	s.clientsMu.Lock()
	s.clients = append(s.clients, c)
	s.clientsMu.Unlock()
	return c
}

// DeploymentHandler computes a deployment's result from a request's input (the JSON value the
// client sent). Its result is encoded as the request's result; an error fails the request with the
// error's text as error_message.
type DeploymentHandler func(ctx context.Context, input json.RawMessage) (any, error)

// HandleDeployment registers the code that serves the requests of a deployment in a project (all
// its versions). Without one, a deployment echoes its input.
func (s *Server) HandleDeployment(project, deployment string, h DeploymentHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.handlers[project+"/"+deployment] = h
}

// Handler returns the server's HTTP handler, for serving it on a listener of your own.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Listen serves on addr (host:port) until the listener fails or Close is called on the returned
// server; it is what cmd/ubiops-fake uses.
func (s *Server) Listen(addr string) (*http.Server, net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return hs, ln, nil
}

func (s *Server) now() time.Time { return s.opts.clock() }
