package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// The ...ForVersion methods address one version, such as a canary, instead of the deployment's
// default version.
func ExampleRequestsService_CreateForVersion() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "canary"}); err != nil {
		log.Fatal(err)
	}

	res, err := client.Requests.CreateForVersion(ctx, "demo", "echo", "canary", "hello canary", nil)
	if err != nil {
		log.Fatal(err)
	}
	out, err := ubiops.ResultOf[string](res)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)

	// Read it back with its input and result, then delete it (requests hold customer data).
	got, err := client.Requests.GetForVersion(ctx, "demo", "echo", "canary", res.ID.String(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Status, ubiops.Value(got.Version))

	// The version's requests: a page with ListForVersion, every one with AllForVersion.
	page, err := client.Requests.ListForVersion(ctx, "demo", "echo", "canary", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("requests:", len(page))
	if err := client.Requests.DeleteForVersion(ctx, "demo", "echo", "canary", res.ID.String()); err != nil {
		log.Fatal(err)
	}
	all, err := ubiops.Collect(client.Requests.AllForVersion(ctx, "demo", "echo", "canary", nil))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after deleting:", len(all))
	// Output:
	// hello canary
	// completed canary
	// requests: 1
	// after deleting: 0
}

// Batch requests queue work and return at once; follow one with Wait, or give up on it with
// Update.
func ExampleRequestsService_BatchCreateForVersion() {
	// Requests that take a while, so that there is time to cancel one.
	api := ubiopstest.New(ubiopstest.WithRequestDuration(time.Minute))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	_, _ = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	_, _ = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "echo",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	_, _ = client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v1"})

	created, err := client.Requests.BatchCreateForVersion(ctx, "demo", "echo", "v1", []any{"first", "second"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(created), "queued")

	// Only cancelling is possible.
	updated, err := client.Requests.UpdateForVersion(ctx, "demo", "echo", "v1", created[1].ID.String(),
		ubiops.DeploymentRequestUpdate{Status: ubiops.DeploymentRequestUpdateStatusCancelled})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ubiops.Value(updated.Status))

	// WaitForVersion ends at the request's final status: a cancellation is a *WaitError.
	_, err = client.Requests.WaitForVersion(ctx, "demo", "echo", "v1", created[1].ID.String())
	var waitErr *ubiops.WaitError
	if errors.As(err, &waitErr) {
		fmt.Println("wait:", waitErr.Status)
	}
	// Output:
	// 2 queued
	// cancelled
	// wait: cancelled
}

// CancelAll cancels any number of requests, 250 per call; what could not be cancelled is in its
// *BatchError.
func ExampleRequestsService_CancelAll() {
	api := ubiopstest.New(ubiopstest.WithRequestDuration(time.Minute))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	_, _ = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	_, _ = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "echo",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	_, _ = client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v1"})
	inputs := make([]string, 600)
	for i := range inputs {
		inputs[i] = fmt.Sprint("input ", i)
	}
	results, err := ubiops.BatchCreateAll(ctx, client.Requests, "demo", "echo", inputs)
	if err != nil {
		log.Fatal(err)
	}
	ids := make([]ubiops.UUID, len(results))
	for i, r := range results {
		ids[i] = r.Request.ID
	}

	// BatchCancel and BatchCancelForVersion are single calls, for at most 250 ids...
	if _, err := client.Requests.BatchCancel(ctx, "demo", "echo", ids[:10], nil); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Requests.BatchCancelForVersion(ctx, "demo", "echo", "v1", ids[10:20], nil); err != nil {
		log.Fatal(err)
	}
	// ...CancelAll takes any number (here three calls); cancelling twice is harmless.
	if err := client.Requests.CancelAll(ctx, "demo", "echo", ids); err != nil {
		log.Fatal(err)
	}
	details, err := client.Requests.CollectAll(ctx, "demo", "echo", ids)
	if err != nil {
		log.Fatal(err)
	}
	statuses := map[ubiops.DeploymentRequestBatchDetailStatus]int{}
	for _, d := range details {
		statuses[d.Status]++
	}
	fmt.Println(statuses)
	// Output: map[cancelled:600]
}

// DeleteAll deletes any number of requests, 250 per call; Collect reads up to 250 back.
func ExampleRequestsService_DeleteAll() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	created, err := client.Requests.BatchCreate(ctx, "demo", "echo", []any{"a", "b", "c", "d"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	ids := []ubiops.UUID{created[0].ID, created[1].ID, created[2].ID, created[3].ID}

	collected, err := client.Requests.Collect(ctx, "demo", "echo", ids[:2])
	if err != nil {
		log.Fatal(err)
	}
	fromVersion, err := client.Requests.CollectForVersion(ctx, "demo", "echo", "v1", ids[2:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("collected:", len(collected)+len(fromVersion))

	// BatchDelete and BatchDeleteForVersion are single calls of at most 250 ids.
	if _, err := client.Requests.BatchDelete(ctx, "demo", "echo", ids[:1]); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Requests.BatchDeleteForVersion(ctx, "demo", "echo", "v1", ids[1:2]); err != nil {
		log.Fatal(err)
	}
	if err := client.Requests.DeleteAll(ctx, "demo", "echo", ids[2:]); err != nil {
		log.Fatal(err)
	}
	left, err := client.Requests.List(ctx, "demo", "echo", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("left:", len(left))
	// Output:
	// collected: 4
	// left: 0
}

// ListProject gives an overview of a whole project's requests, of every deployment.
func ExampleRequestsService_ListProject() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	for _, input := range []string{"one", "two"} {
		if _, err := client.Requests.Create(ctx, "demo", "echo", input, nil); err != nil {
			log.Fatal(err)
		}
	}

	overview, err := client.Requests.ListProject(ctx, "demo", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range overview {
		fmt.Println(ubiops.Value(r.Deployment), ubiops.Value(r.Version), r.Status)
	}
	// Output:
	// echo v1 completed
	// echo v1 completed
}
