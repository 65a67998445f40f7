package ubiops_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"strings"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// Stream a direct request's partial results as the deployment produces them (an LLM's tokens,
// say), then read the full answer.
func ExampleRequestsService_Stream() {
	api := ubiopstest.New()
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "chat", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Deployments.Create(ctx, "chat", ubiops.DeploymentCreate{Name: "llm",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Create(ctx, "chat", "llm", ubiops.DeploymentVersionCreate{Version: "v1"}); err != nil {
		log.Fatal(err)
	}
	// What the deployment would do: emit words as it goes.
	api.HandleDeploymentStream("chat", "llm", func(ctx context.Context, in json.RawMessage, emit func(string) error) (any, error) {
		words := []string{"Streaming", " is", " how", " LLMs", " answer."}
		for _, w := range words {
			if err := emit(w); err != nil {
				return nil, err // the client went away
			}
		}
		return strings.Join(words, ""), nil
	})

	stream := client.Requests.Stream(ctx, "chat", "llm", "Tell me about streaming", nil)
	for chunk, err := range stream.Chunks() {
		if err != nil {
			log.Fatal(err) // *RequestFailedError, *StreamError, or the call's error
		}
		fmt.Printf("%q\n", chunk)
	}
	answer, err := ubiops.ResultOf[string](stream.Response())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(answer)
	// Output:
	// "Streaming"
	// " is"
	// " how"
	// " LLMs"
	// " answer."
	// Streaming is how LLMs answer.
}
