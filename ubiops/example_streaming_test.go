package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// A RequestStream is read once: Chunks sends the request and yields the partial results, then
// Response holds the full answer. StreamForVersion streams from one version.
func ExampleRequestStream() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	stream := client.Requests.StreamForVersion(ctx, "demo", "echo", "v1", "one two three", nil)
	var text strings.Builder
	for chunk, err := range stream.Chunks() {
		if err != nil {
			log.Fatal(err)
		}
		text.WriteString(chunk) // show it to the user as it comes
	}
	res := stream.Response()
	fmt.Println(text.String(), "|", res.Status)
	// Output: one two three | completed
}

// A stream that breaks after it started is a *StreamError: what was yielded before stays valid, and
// the request is not sent again.
func ExampleStreamError() {
	api, client := exampleProject()
	defer api.Close()
	// The connection drops after two chunks.
	api.InjectFault(ubiopstest.OpDeploymentRequestsStream, ubiopstest.Fault{DropAfterChunks: 2})

	var partial []string
	for chunk, err := range client.Requests.Stream(context.Background(), "demo", "echo", "one two three four", nil).Chunks() {
		var streamErr *ubiops.StreamError
		if errors.As(err, &streamErr) {
			fmt.Println("broken after", streamErr.Chunks, "chunks:", errors.Is(err, ubiops.ErrStreamBroken))
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		partial = append(partial, chunk)
	}
	fmt.Println(len(partial), "partial results kept")
	// Output:
	// broken after 2 chunks: true
	// 2 partial results kept
}
