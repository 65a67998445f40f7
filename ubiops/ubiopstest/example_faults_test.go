package ubiopstest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// InjectFault makes an operation fail, to test how code copes: an error answer, or a connection
// that closes before or after the operation ran. Count and Received tell what reached the state.
func ExampleServer_InjectFault() {
	srv := ubiopstest.New()
	srv.Start()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	drops := []struct {
		name string
		drop ubiopstest.Drop
	}{{"NoDrop", ubiopstest.NoDrop}, {"DropBefore", ubiopstest.DropBefore}, {"DropAfter", ubiopstest.DropAfter}}
	for i, d := range drops {
		// Faults are keyed by operation id: the Op constants. Times: 1 fails the next call only.
		srv.InjectFault(ubiopstest.OpProjectsCreate, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Drop: d.drop, Times: 1})
		name := fmt.Sprintf("project-%d", i)
		_, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: name, OrganizationName: "acme"})
		_, getErr := client.Projects.Get(ctx, name)
		// A create is not retried once it may have reached the server, so each fails; only after
		// DropAfter does the project exist, and the client cannot know.
		fmt.Printf("%s: failed %v, exists %v, received %d, ran %d\n", d.name, err != nil, getErr == nil,
			srv.Received(ubiopstest.OpProjectsCreate), srv.Count(ubiopstest.OpProjectsCreate))
		srv.ResetCounts()
	}

	// A fault on "*" hits every operation, until ClearFaults.
	srv.InjectFault("*", ubiopstest.Fault{Status: http.StatusForbidden})
	_, err := client.Projects.List(ctx, nil)
	fmt.Println("forbidden:", errors.Is(err, ubiops.ErrForbidden))
	srv.ClearFaults()
	_, err = client.Projects.List(ctx, nil)
	fmt.Println("after ClearFaults:", err)
	// Output:
	// NoDrop: failed true, exists false, received 1, ran 0
	// DropBefore: failed true, exists false, received 1, ran 0
	// DropAfter: failed true, exists true, received 1, ran 1
	// forbidden: true
	// after ClearFaults: <nil>
}

// Latency, for everything (WithLatency) or one operation (SetLatency), tests timeouts and slow
// paths.
func ExampleServer_SetLatency() {
	srv := ubiopstest.New(ubiopstest.WithLatency(time.Millisecond))
	srv.Start()
	defer srv.Close()
	client := srv.Client()

	srv.SetLatency(ubiopstest.OpProjectsList, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := client.Projects.List(ctx, nil)
	fmt.Println("timed out:", errors.Is(err, context.DeadlineExceeded))
	// Output: timed out: true
}
