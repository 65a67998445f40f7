// Command otel traces ubiops-go's calls with OpenTelemetry: otelhttp's transport, installed with
// ubiops.WithMiddleware, records one span per attempt (the middleware sits below the retries), and
// names each span after the API operation, which ubiops.OperationID reads from the request's
// context. It runs against the embedded fake, which fails the first project lookup once with a 503
// so that the retry shows as a second span of the same operation.
//
// This example is a module of its own so that OpenTelemetry never enters ubiops-go's go.mod.
//
//	go run .
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

// tracing is the middleware: otelhttp's transport, spans named after the operation.
func tracing(tp *sdktrace.TracerProvider) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return otelhttp.NewTransport(next,
			otelhttp.WithTracerProvider(tp),
			otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
				if op := ubiops.OperationID(r.Context()); op != "" {
					return "ubiops " + op
				}
				return "HTTP " + r.Method
			}))
	}
}

func run() error {
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	fake := ubiopstest.New()
	fake.Start()
	defer fake.Close()
	client := fake.Client(ubiops.WithMiddleware(tracing(tp)))
	defer client.CloseIdleConnections()

	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		return err
	}
	fake.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
	if _, err := client.Projects.Get(ctx, "demo"); err != nil { // a 503, retried: two attempts
		return err
	}
	if _, err := client.Deployments.List(ctx, "demo", nil); err != nil {
		return err
	}

	spans := recorder.Ended()
	for _, s := range spans {
		fmt.Printf("span %-26s status %s\n", s.Name(), statusOf(s.Attributes()))
	}
	if len(spans) != 4 {
		fmt.Fprintf(os.Stderr, "want 4 spans (create, get twice, list), got %d\n", len(spans))
		os.Exit(1)
	}
	return nil
}

// statusOf is the HTTP status a span recorded.
func statusOf(attrs []attribute.KeyValue) string {
	for _, a := range attrs {
		if a.Key == "http.response.status_code" || a.Key == "http.status_code" {
			return a.Value.Emit()
		}
	}
	return "?"
}
