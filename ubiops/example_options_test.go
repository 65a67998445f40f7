package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// Without WithToken and WithBaseURL, NewClient reads the environment variables the official UbiOps
// clients read, so one environment configures them all.
func ExampleNewClient_environment() {
	fmt.Println(ubiops.EnvToken, ubiops.EnvHost)
	// Without a host, the client talks to UbiOps' own endpoint.
	fmt.Println(ubiops.DefaultBaseURL)

	// A missing token is an error at once, not a 401 on every call later. (An explicit empty
	// WithToken is missing too: the environment is not consulted then.)
	_, err := ubiops.NewClient(ubiops.WithToken(""))
	fmt.Println(errors.Is(err, ubiops.ErrNoToken))
	// Output:
	// UBIOPS_API_TOKEN UBIOPS_API_HOST
	// https://api.ubiops.com/v2.1
	// true
}

// An unusable setting is a *ConfigError naming the setting (never the token's value).
func ExampleConfigError() {
	// Plain http:// to another host than this one would send the token in clear text.
	_, err := ubiops.NewClient(ubiops.WithToken("my-api-token"), ubiops.WithBaseURL("http://ubiops.internal.example"))
	var cfgErr *ubiops.ConfigError
	if errors.As(err, &cfgErr) {
		fmt.Println("refused:", cfgErr.Setting)
	}

	// WithInsecureHTTP accepts it, for a gateway on a network you trust.
	client, err := ubiops.NewClient(ubiops.WithToken("my-api-token"), ubiops.WithBaseURL("http://ubiops.internal.example"),
		ubiops.WithInsecureHTTP())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client) // a Client prints without its token
	// Output:
	// refused: base URL
	// ubiops.Client{http://ubiops.internal.example/v2.1}
}

// The options of NewClient tune the transport, the retries and the bounds of every call.
func ExampleOption() {
	// Options are values, so a program can assemble them from its own configuration.
	opts := []ubiops.Option{
		ubiops.WithToken("my-api-token"),
		// Your own http.Client (proxy, TLS settings, an overall timeout): the client wraps a copy.
		ubiops.WithHTTPClient(&http.Client{Timeout: 5 * time.Minute}),
		// Each attempt must get its answer's headers within 30 s; the retries get a fresh 30 s.
		ubiops.WithAttemptTimeout(30 * time.Second),
		// More patience than DefaultRetryPolicy: 5 retries, backing off from 1 s to at most 1 min.
		ubiops.WithRetryPolicy(ubiops.RetryPolicy{MaxRetries: 5, BaseDelay: time.Second, MaxDelay: time.Minute}),
		// Deployments with large results need a larger bound on decoded answers.
		ubiops.WithMaxResponseBytes(4 * ubiops.DefaultMaxResponseBytes),
		// Name your program in the User-Agent, before the library's own.
		ubiops.WithUserAgent("fraud-scorer/2.3"),
	}
	client, err := ubiops.NewClient(opts...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	fmt.Println("default retries:", ubiops.DefaultRetryPolicy().MaxRetries)
	// Output:
	// https://api.ubiops.com/v2.1
	// default retries: 3
}

// Middleware sees every attempt, below the retries, with the API operation in the request's
// context: the place for tracing, metrics or request signing.
func ExampleWithMiddleware() {
	api := ubiopstest.New()
	api.Start()
	defer api.Close()

	trace := func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err == nil {
				fmt.Println(ubiops.OperationID(req.Context()), req.Header.Values("X-Team"), resp.StatusCode,
					strings.HasPrefix(req.Header.Get("User-Agent"), "fraud-scorer/2.3 ubiops-go/"+ubiops.Version))
			}
			return resp, err
		})
	}
	client := api.Client(
		ubiops.WithMiddleware(trace),
		ubiops.WithUserAgent("fraud-scorer/2.3"),
		// WithDefaults applies call options to every call: here a header on every request.
		ubiops.WithDefaults(ubiops.WithHeader("X-Team", "risk")),
	)
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	// A call's own headers add to the default ones.
	if _, err := client.Projects.Get(ctx, "demo", ubiops.WithHeader("X-Team", "platform")); err != nil {
		log.Fatal(err)
	}
	// Output:
	// projects_create [risk] 201 true
	// projects_get [risk platform] 200 true
}

// roundTripperFunc makes a function an http.RoundTripper, for the middleware examples.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// WithLogger receives one debug line per attempt: here a 503 answered once and then retried.
func ExampleWithLogger() {
	api := ubiopstest.New()
	api.Start()
	defer api.Close()

	// Leave out what changes from run to run (time, durations) to keep this example's output fixed.
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, "duration", "retry_in":
				return slog.Attr{}
			}
			return a
		},
	}))
	client := api.Client(ubiops.WithLogger(logger),
		ubiops.WithRetryPolicy(ubiops.RetryPolicy{MaxRetries: 3, BaseDelay: 10 * time.Millisecond}))
	if _, err := client.Projects.Create(context.Background(), ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	api.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Times: 1})

	if _, err := client.Projects.Get(context.Background(), "demo"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level=DEBUG msg="ubiops request" operation=projects_create method=POST path=/v2.1/projects attempt=1 status=201
	// level=DEBUG msg="ubiops request" operation=projects_get method=GET path=/v2.1/projects/demo attempt=1 status=503 retry_reason="status 503"
	// level=DEBUG msg="ubiops request" operation=projects_get method=GET path=/v2.1/projects/demo attempt=2 status=200
}

// Per-call options change how one call is sent and retried.
func ExampleCallOption() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	fast := ubiops.RetryPolicy{MaxRetries: 3, BaseDelay: 10 * time.Millisecond}

	// A PATCH is not retried after a 5xx: the change may have been made. WithIdempotent says
	// repeating it is harmless (it sets fixed values), so it is retried like a GET.
	api.InjectFault(ubiopstest.OpProjectsUpdate, ubiopstest.Fault{Status: http.StatusBadGateway, Times: 1})
	update := ubiops.ProjectUpdate{Labels: &map[string]string{"team": "risk"}}
	_, err := client.Projects.Update(ctx, "demo", update, ubiops.WithCallRetryPolicy(fast))
	fmt.Println("update:", errors.Is(err, ubiops.ErrServer))
	api.InjectFault(ubiopstest.OpProjectsUpdate, ubiopstest.Fault{Status: http.StatusBadGateway, Times: 1})
	_, err = client.Projects.Update(ctx, "demo", update, ubiops.WithIdempotent(), ubiops.WithCallRetryPolicy(fast))
	fmt.Println("idempotent update:", err)

	// WithNoRetry sends a request exactly once, for a caller with retries of its own.
	api.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
	_, err = client.Projects.Get(ctx, "demo", ubiops.WithNoRetry())
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("no retry:", apiErr.StatusCode, "after", apiErr.Attempts, "attempt")
	}

	// WithCallAttemptTimeout bounds each attempt of one call: here an answer that takes too long.
	api.SetLatency(ubiopstest.OpDeploymentsGet, 500*time.Millisecond)
	_, err = client.Deployments.Get(ctx, "demo", "echo", ubiops.WithCallAttemptTimeout(50*time.Millisecond), ubiops.WithNoRetry())
	var timeout *ubiops.AttemptTimeoutError
	fmt.Println("attempt timeout:", errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded))

	// WithCallMaxResponseBytes bounds what one call may decode; Collect a large batch with a
	// larger bound than the client's. Here a tiny bound shows the error.
	_, err = client.Versions.List(ctx, "demo", "echo", nil, ubiops.WithCallMaxResponseBytes(100))
	var tooLarge *ubiops.ResponseTooLargeError
	if errors.As(err, &tooLarge) {
		fmt.Println("too large: limit", tooLarge.Limit, errors.Is(err, ubiops.ErrResponseTooLarge))
	}
	// Output:
	// update: true
	// idempotent update: <nil>
	// no retry: 503 after 1 attempt
	// attempt timeout: true true
	// too large: limit 100 true
}
