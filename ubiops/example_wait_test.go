package ubiops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// waitExample starts a fake UbiOps whose builds take buildDuration, with project "demo",
// deployment "echo" and its version "v1"; with a real account, use ubiops.NewClient() and your own
// names.
func waitExample(buildDuration time.Duration) (*ubiopstest.Server, *ubiops.Client) {
	api := ubiopstest.New(ubiopstest.WithBuildDuration(buildDuration), ubiopstest.WithRequestDuration(100*time.Millisecond))
	api.Start()
	client := api.Client()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "echo",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v1"}); err != nil {
		log.Fatal(err)
	}
	return api, client
}

func ExampleRevisionsService_Wait() {
	api, client := waitExample(400 * time.Millisecond)
	defer api.Close()
	ctx := context.Background()

	// A deployment package is a zip with deployment.py at its root or in one top-level folder.
	pkg := waitZip("deployment_package/deployment.py", waitDeploymentPy)
	created, err := client.Revisions.Upload(ctx, "demo", "echo", "v1", ubiops.RevisionUpload{File: bytes.NewReader(pkg), FileName: "echo.zip"})
	if err != nil {
		log.Fatal(err)
	}

	// The upload returns at once; the build runs on. Wait polls it, reporting each new status.
	revision, err := client.Revisions.Wait(ctx, "demo", "echo", "v1", created.Revision.String(), ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 10 * time.Millisecond, // the defaults (1 s, backing off to 30 s) suit real builds
		MaxDelay: 50 * time.Millisecond,
		Timeout:  time.Minute,
		OnStatus: func(status string) { fmt.Println("status:", status) },
	}))
	if err != nil {
		log.Fatal(err)
	}
	// A field that may be null is a pointer: this one is nil until the build has looked.
	fmt.Println("has a request method:", ubiops.Value(revision.HasRequestMethod))
	// Output:
	// status: queued
	// status: building
	// status: success
	// has a request method: true
}

func ExampleVersionsService_WaitAvailable() {
	api, client := waitExample(100 * time.Millisecond)
	defer api.Close()
	ctx := context.Background()

	pkg := waitZip("deployment_package/deployment.py", waitDeploymentPy)
	if _, err := client.Revisions.Upload(ctx, "demo", "echo", "v1", ubiops.RevisionUpload{File: bytes.NewReader(pkg), FileName: "echo.zip"}); err != nil {
		log.Fatal(err)
	}

	// WaitAvailable follows the environment build (for a custom environment), the revision's build
	// and the version itself, under one timeout.
	version, err := client.Versions.WaitAvailable(ctx, "demo", "echo", "v1", ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: time.Minute,
	}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(version.Version, version.Status)
	// Output: v1 available
}

func ExampleRequestsService_Wait() {
	api, client := waitExample(0)
	defer api.Close()
	ctx := context.Background()

	// A batch request answers while still pending; Wait returns it once completed, with its result.
	created, err := client.Requests.BatchCreate(ctx, "demo", "echo", []any{"hello"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	request, err := client.Requests.Wait(ctx, "demo", "echo", created[0].ID.String(), ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: time.Minute,
	}))
	if err != nil {
		log.Fatal(err)
	}
	var result string
	if err := json.Unmarshal(request.Result, &result); err != nil {
		log.Fatal(err)
	}
	fmt.Println(request.Status, result)
	// Output: completed hello
}

func ExampleWaitError() {
	api, client := waitExample(50 * time.Millisecond)
	defer api.Close()
	ctx := context.Background()

	// A package without deployment.py uploads fine, but its build fails.
	pkg := waitZip("deployment_package/README.md", "the code is missing")
	if _, err := client.Revisions.Upload(ctx, "demo", "echo", "v1", ubiops.RevisionUpload{File: bytes.NewReader(pkg), FileName: "echo.zip"}); err != nil {
		log.Fatal(err)
	}

	_, err := client.Versions.WaitAvailable(ctx, "demo", "echo", "v1", ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: time.Minute,
	}))
	// ErrWaitFailed tells a failed build from a timeout or a failed call...
	fmt.Println("failed:", errors.Is(err, ubiops.ErrWaitFailed))
	// ...and *WaitError carries the final status, the reason and the object.
	var waitErr *ubiops.WaitError
	if errors.As(err, &waitErr) {
		revision := waitErr.Object.(*ubiops.RevisionList)
		fmt.Println(ubiops.Value(revision.Status), strings.HasPrefix(waitErr.Message, "No deployment.py found"))
	}
	// Output:
	// failed: true
	// failed true
}
