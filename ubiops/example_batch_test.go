package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// BatchCreateSeq takes its inputs from a sequence, of any length, and holds only the chunks in
// flight: for inputs read from a file or a database cursor.
func ExampleBatchCreateSeq() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	// Any iter.Seq: lines of a file, rows of a query, or, here, a slice's values.
	inputs := slices.Values([]string{"alpha", "beta", "gamma", "delta", "epsilon"})
	created := 0
	var notCreated []ubiops.BatchResult // Err says why; Unknown, that it may exist all the same
	for result, err := range ubiops.BatchCreateSeq(ctx, client.Requests, "demo", "echo", inputs,
		// Two inputs per call, one call at a time, to version v1.
		ubiops.WithBatchOptions(ubiops.BatchOptions{Version: "v1", ChunkSize: 2, Concurrency: 1})) {
		if err != nil {
			log.Fatal(err) // an input that cannot be encoded, or the context
		}
		if result.Created() {
			created++
		} else {
			notCreated = append(notCreated, result)
		}
	}
	fmt.Println("created:", created, "not created:", len(notCreated))
	// Output: created: 5 not created: 0
}

// A *BatchError says which chunks were not created (safe to send again) and which may or may not
// exist (check before sending again); the results hold every success.
func ExampleBatchError() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	// The second call is refused; the answer to the third is lost after the server created it.
	api.InjectFault(ubiopstest.OpBatchDeploymentRequestsCreate, ubiopstest.Fault{Status: http.StatusBadRequest, Skip: 1, Times: 1})
	api.InjectFault(ubiopstest.OpBatchDeploymentRequestsCreate, ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})

	inputs := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	results, err := ubiops.BatchCreateAll(ctx, client.Requests, "demo", "echo", inputs,
		ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 3, Concurrency: 1}))
	var batchErr *ubiops.BatchError
	if errors.As(err, &batchErr) {
		span := func(c ubiops.ChunkError) string { return fmt.Sprintf("inputs [%d, %d)", c.Start, c.End) }
		for _, chunk := range batchErr.Failed {
			fmt.Println(span(chunk), "not created, bad request:", errors.Is(chunk.Err, ubiops.ErrBadRequest))
		}
		for _, chunk := range batchErr.Unknown {
			fmt.Println(span(chunk), "unknown:", chunk.Unknown)
		}
		fmt.Println("resend:", batchErr.FailedIndices(), "check first:", batchErr.UnknownIndices())
	}
	created := 0
	for _, r := range results {
		if r.Created() {
			created++
		}
	}
	fmt.Println("created:", created)
	// Output:
	// inputs [3, 6) not created, bad request: true
	// inputs [6, 8) unknown: true
	// resend: [3 4 5] check first: [6 7]
	// created: 3
}

// RunBatch's outcomes put every input in one state; a program acts on each.
func ExampleBatchOutcome() {
	api, client := exampleProject()
	defer api.Close()
	// The model refuses empty texts.
	api.HandleDeployment("demo", "echo", func(_ context.Context, input json.RawMessage) (any, error) {
		var text string
		if err := json.Unmarshal(input, &text); err != nil || text == "" {
			return nil, errors.New("empty text")
		}
		return strings.ToUpper(text), nil
	})
	// The third call (inputs 4 and 5) is refused.
	api.InjectFault(ubiopstest.OpBatchDeploymentRequestsCreate, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Skip: 2, Times: 1})

	inputs := []string{"good", "", "better", "best", "again", "more"}
	outcomes, err := ubiops.RunBatch[string, string](context.Background(), client.Requests, "demo", "echo", inputs,
		ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 2, Concurrency: 1}),
		ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 10 * time.Millisecond, Timeout: 10 * time.Second}))
	if err != nil {
		fmt.Println("not all created:", errors.Is(err, ubiops.ErrServer))
	}
	var retry []string
	states := map[ubiops.BatchState]int{}
	for _, o := range outcomes {
		states[o.State]++
		switch o.State {
		case ubiops.BatchCompleted:
			fmt.Printf("%q -> %q\n", inputs[o.Index], o.Output)
		case ubiops.BatchRequestFailed:
			var failed *ubiops.RequestFailedError
			if errors.As(o.Err, &failed) {
				fmt.Printf("%q failed: %s\n", inputs[o.Index], failed.Message)
			}
		case ubiops.BatchNotCreated:
			retry = append(retry, inputs[o.Index]) // never sent: safe to send again
		case ubiops.BatchUnknown:
			// Sent, no answer: it may exist. Look it up (Requests.List) before sending it again.
		case ubiops.BatchUnfinished:
			// Created, still running when the wait ended: collect it later.
		}
	}
	fmt.Println("to retry:", retry)
	fmt.Println(states)
	// Output:
	// not all created: true
	// "good" -> "GOOD"
	// "" failed: empty text
	// "better" -> "BETTER"
	// "best" -> "BEST"
	// to retry: [again more]
	// map[completed:3 not_created:2 request_failed:1]
}
