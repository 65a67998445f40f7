package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// The sentinel errors sort failures into classes with errors.Is, whatever the call: a program can
// decide once what to do with each class.
func Example_errorClasses() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	advice := func(err error) string {
		switch {
		case err == nil:
			return "ok"
		// An answer of the API (an *APIError), by status.
		case errors.Is(err, ubiops.ErrBadRequest):
			return "400: fix the request"
		case errors.Is(err, ubiops.ErrUnauthorized), errors.Is(err, ubiops.ErrForbidden):
			return "401/403: check the token and its permissions"
		case errors.Is(err, ubiops.ErrNotFound):
			return "404: check the names"
		case errors.Is(err, ubiops.ErrConflict):
			return "409: it exists already"
		case errors.Is(err, ubiops.ErrRateLimited), errors.Is(err, ubiops.ErrServer):
			return "429/5xx: try again later (the client has retried already)"
		// The outcome of the work itself.
		case errors.Is(err, ubiops.ErrRequestFailed), errors.Is(err, ubiops.ErrWaitFailed):
			return "the deployment or the build failed: see the error message"
		case errors.Is(err, ubiops.ErrStreamLineTooLong):
			return "the stream sent a line over 16 MiB"
		case errors.Is(err, ubiops.ErrStreamBroken):
			return "the stream broke: the partial results so far are all there is"
		// A server that does not behave as documented.
		case errors.Is(err, ubiops.ErrRepeatedCursor), errors.Is(err, ubiops.ErrRepeatedPage), errors.Is(err, ubiops.ErrLogsStalled):
			return "the paging went round in circles"
		case errors.Is(err, ubiops.ErrResponseTooLarge):
			return "answer over the bound: raise it with WithCallMaxResponseBytes"
		case errors.Is(err, ubiops.ErrUnexpectedContentType):
			return "a download answered with something else than a file (a proxy's login page?)"
		case errors.Is(err, ubiops.ErrNoToken):
			return "no token: set UBIOPS_API_TOKEN"
		default:
			return "unexpected: " + err.Error()
		}
	}

	_, err := client.Deployments.Get(ctx, "demo", "no-such-deployment")
	fmt.Println(advice(err))
	_, err = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	fmt.Println(advice(err))
	_, err = api.Client(ubiops.WithToken("a-revoked-token")).Projects.Get(ctx, "demo")
	fmt.Println(advice(err))
	api.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: http.StatusTooManyRequests})
	_, err = client.Projects.Get(ctx, "demo", ubiops.WithNoRetry())
	fmt.Println(advice(err))

	api.HandleDeployment("demo", "echo", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("model not loaded")
	})
	res, err := client.Requests.Create(ctx, "demo", "echo", "hello", nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = ubiops.ResultOf[string](res)
	fmt.Println(advice(err))
	// Output:
	// 404: check the names
	// 409: it exists already
	// 401/403: check the token and its permissions
	// 429/5xx: try again later (the client has retried already)
	// the deployment or the build failed: see the error message
}

// A call that got no answer at all is a *RequestError: the connection failed, or the context
// ended first.
func ExampleRequestError() {
	api, client := exampleProject()
	defer api.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as when the program shuts down
	_, err := client.Projects.Get(ctx, "demo")
	var reqErr *ubiops.RequestError
	if errors.As(err, &reqErr) {
		fmt.Println(reqErr.Operation, errors.Is(err, context.Canceled))
	}

	// A connection that closes without an answer: a GET is retried; a POST that may have reached
	// the server is not, so that nothing is ever created twice.
	api.InjectFault(ubiopstest.OpDeploymentsCreate, ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
	_, err = client.Deployments.Create(context.Background(), "demo", ubiops.DeploymentCreate{Name: "other",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	if errors.As(err, &reqErr) {
		fmt.Println(reqErr.Operation, "attempts:", reqErr.Attempts)
	}
	// Output:
	// projects_get true
	// deployments_create attempts: 1
}

// A 2xx answer that is not the documented JSON is a *DecodeError: here a proxy that answers with
// a page of its own.
func ExampleDecodeError() {
	api := ubiopstest.New()
	api.Start()
	defer api.Close()
	proxy := func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(req)
			if err == nil {
				resp.Body.Close()
				resp.Body = io.NopCloser(strings.NewReader("<html>Please sign in</html>"))
				resp.ContentLength = -1
			}
			return resp, err
		})
	}
	client := api.Client(ubiops.WithMiddleware(proxy))

	_, err := client.Status(context.Background())
	var decodeErr *ubiops.DecodeError
	if errors.As(err, &decodeErr) {
		fmt.Println(decodeErr.Operation, decodeErr.StatusCode)
		var syntaxErr *json.SyntaxError
		fmt.Println("JSON error:", errors.As(err, &syntaxErr))
	}
	// Output:
	// service_status 200
	// JSON error: true
}

// A direct request that the deployment failed is a *RequestFailedError from ResultOf, with the
// deployment's error message.
func ExampleRequestFailedError() {
	api, client := exampleProject()
	defer api.Close()
	api.HandleDeployment("demo", "echo", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("input too short")
	})

	res, err := client.Requests.Create(context.Background(), "demo", "echo", "hi", nil)
	if err != nil {
		log.Fatal(err) // the call itself worked: the request exists, and failed
	}
	_, err = ubiops.ResultOf[string](res)
	var failed *ubiops.RequestFailedError
	if errors.As(err, &failed) {
		fmt.Println(failed.Status, failed.Message, errors.Is(err, ubiops.ErrRequestFailed))
	}
	// Output: failed input too short true
}
