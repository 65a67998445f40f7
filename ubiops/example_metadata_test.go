package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// WithResponseInto captures the HTTP answer of a successful call, for its status and headers.
func ExampleWithResponseInto() {
	api, client := exampleProject()
	defer api.Close()

	var resp *http.Response
	_, err := client.Deployments.Create(context.Background(), "demo", ubiops.DeploymentCreate{Name: "scorer",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)},
		ubiops.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	// The live API states its rate limit on every answer (the fake only on a 429): a program can
	// pace itself to spread what is left of the window over the rest of it.
	pause := func(rl ubiops.RateLimit) time.Duration { return rl.Reset / time.Duration(rl.Remaining+1) }
	if rl, ok := ubiops.RateLimitOf(resp.Header); ok {
		time.Sleep(pause(rl))
	}
	// Output: 201 application/json
}

// A call refused for the rate limit carries the limit in its *APIError's headers.
func ExampleRateLimitOf() {
	// A fake that allows two requests a minute.
	api := ubiopstest.New(ubiopstest.WithRateLimit(2, time.Minute))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Projects.Get(ctx, "demo"); err != nil {
		log.Fatal(err)
	}

	// The client retries a 429 after the wait the server names; WithNoRetry shows the refusal.
	_, err := client.Projects.Get(ctx, "demo", ubiops.WithNoRetry())
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		rl, ok := ubiops.RateLimitOf(apiErr.Header)
		fmt.Println(errors.Is(err, ubiops.ErrRateLimited), ok)
		fmt.Println(rl.Remaining, "of", rl.Limit, "left; resets within a minute:", rl.Reset > 0 && rl.Reset <= time.Minute)
		fmt.Println("retry after the reset:", apiErr.RetryAfter == rl.Reset)
	}
	// Output:
	// true true
	// 0 of 2 left; resets within a minute: true
	// retry after the reset: true
}
