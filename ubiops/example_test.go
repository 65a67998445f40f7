package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

func ExampleNewClient() {
	// With no options, NewClient reads UBIOPS_API_TOKEN and UBIOPS_API_HOST, like the official
	// UbiOps clients. Options override the environment.
	client, err := ubiops.NewClient(
		ubiops.WithToken("my-api-token"), // sent as "Token my-api-token"
		ubiops.WithBaseURL("api.ubiops.com"),
		ubiops.WithMaxRetries(5),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	// Output: https://api.ubiops.com/v2.1
}

func Example_projectLifecycle() {
	// A fake UbiOps for the example; with a real account, use ubiops.NewClient().
	api := ubiopstest.New()
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()

	created, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "fraud-detection", OrganizationName: "acme"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", created.Name, "in", created.OrganizationName)

	// Update sends only the fields that are set.
	updated, err := client.Projects.Update(ctx, "fraud-detection", ubiops.ProjectUpdate{AdvancedPermissions: ubiops.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("advanced permissions:", updated.AdvancedPermissions)

	got, err := client.Projects.Get(ctx, "fraud-detection")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("got:", got.Name)

	if err := client.Projects.Delete(ctx, "fraud-detection"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted")
	// Output:
	// created: fraud-detection in acme
	// advanced permissions: true
	// got: fraud-detection
	// deleted
}

func Example_errorHandling() {
	api := ubiopstest.New()
	api.Start()
	defer api.Close()
	client := api.Client()

	_, err := client.Projects.Get(context.Background(), "no-such-project")
	// Sentinels classify the failure...
	if errors.Is(err, ubiops.ErrNotFound) {
		fmt.Println("not found")
	}
	// ...and *APIError carries the details.
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message)
	}
	fmt.Println(err)

	// Arguments that would address the wrong resource are refused before anything is sent.
	_, err = client.Projects.Get(context.Background(), "..")
	var invalid *ubiops.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println("invalid:", invalid.Field)
	}
	// Output:
	// not found
	// 404 Project not found
	// ubiops: projects_get: GET /v2.1/projects/no-such-project: 404 Not Found: Project not found
	// invalid: project_name
}

func Example_testingWithTheFake() {
	// In a test: srv := ubiopstest.NewServer(t). The fake serves the whole API in memory and runs
	// registered Go functions as deployments.
	api := ubiopstest.New()
	api.Start()
	defer api.Close()
	api.HandleDeployment("demo", "sentiment", func(_ context.Context, input json.RawMessage) (any, error) {
		var in struct{ Text string }
		if err := json.Unmarshal(input, &in); err != nil {
			return nil, err
		}
		return map[string]string{"label": "positive", "text": in.Text}, nil
	})
	client := api.Client()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{
		Name: "sentiment", InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypeStructured), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypeStructured),
		InputFields:  &[]ubiops.DeploymentInputField{{Name: "text", DataType: ubiops.DeploymentInputFieldDataTypeString}},
		OutputFields: &[]ubiops.DeploymentOutputField{{Name: "label", DataType: ubiops.DeploymentOutputFieldDataTypeString}},
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Create(ctx, "demo", "sentiment", ubiops.DeploymentVersionCreate{Version: "v1"}); err != nil {
		log.Fatal(err)
	}

	res, err := client.Requests.Create(ctx, "demo", "sentiment", map[string]string{"text": "great library"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	var out struct{ Label string }
	if err := json.Unmarshal(res.Result, &out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Status, out.Label)
	// Output: completed positive
}

// exampleProject starts a fake UbiOps with a project, a deployment and a version, for the examples
// below; with a real account, use ubiops.NewClient() and your own names.
func exampleProject() (*ubiopstest.Server, *ubiops.Client) {
	api := ubiopstest.New(ubiopstest.WithRequestDuration(0))
	api.Start()
	client := api.Client()
	ctx := context.Background()
	_, _ = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	_, _ = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "echo",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	_, _ = client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v1"})
	return api, client
}

func ExampleInstancesService_AllProject() {
	api, client := exampleProject()
	defer api.Close()
	_ = api.SeedInstances("demo", "echo", "v1", 120, 1)

	// The iterator fetches pages (cursor-paginated) as the loop needs them.
	running := 0
	for inst, err := range client.Instances.AllProject(context.Background(), "demo", nil, ubiops.WithPageSize(25)) {
		if err != nil {
			log.Fatal(err)
		}
		if inst.Status == ubiops.ProjectInstanceListStatusRunning {
			running++
		}
	}
	fmt.Println("running instances:", running)
	// Output: running instances: 30
}

func ExampleRequestsService_All() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	inputs := make([]any, 120)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("input %d", i)
	}
	if _, err := client.Requests.BatchCreate(ctx, "demo", "echo", inputs, nil); err != nil {
		log.Fatal(err)
	}

	// An offset-paginated list, newest first; Collect gathers everything into a slice.
	all, err := ubiops.Collect(client.Requests.All(ctx, "demo", "echo", nil))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("requests:", len(all))

	// WithMaxItems stops early: here after the ten newest requests, in a single page request.
	newest, err := ubiops.Collect(client.Requests.All(ctx, "demo", "echo", nil, ubiops.WithMaxItems(10)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("newest:", len(newest))
	// Output:
	// requests: 120
	// newest: 10
}

func ExampleLogsService_Read() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Requests.Create(ctx, "demo", "echo", "hello", nil); err != nil {
		log.Fatal(err)
	}

	// Read walks any time span, paging as needed; every line is yielded once. Follow does the same
	// and then waits for new lines. The filter becomes the endpoint's LogQL-style query:
	// | deployment_name = `echo` |= "Request"
	for line, err := range client.Logs.Read(ctx, "demo", ubiops.LogQuery{
		Filter: ubiops.LogFilter{DeploymentName: "echo", Contains: []string{"Request"}},
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line.Log)
	}
	// Output:
	// Request received
	// Request completed: "hello"
}

func ExampleClient_Deploy() {
	api := ubiopstest.New(ubiopstest.WithBuildDuration(400 * time.Millisecond))
	api.Start()
	defer api.Close()
	client := api.Client()
	ctx := context.Background()
	_, _ = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	_, _ = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "model",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	_, _ = client.Versions.Create(ctx, "demo", "model", ubiops.DeploymentVersionCreate{Version: "v1"})

	// The code to ship: a directory with deployment.py (and whatever .ubiops-ignore leaves in).
	dir, err := os.MkdirTemp("", "model-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	code := "class Deployment:\n    def request(self, data):\n        return data\n"
	if err := os.WriteFile(filepath.Join(dir, "deployment.py"), []byte(code), 0o644); err != nil {
		log.Fatal(err)
	}

	// Deploy packages the directory while uploading it, then waits for the build.
	rev, err := client.Deploy(ctx, "demo", "model", "v1", dir, ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond,
		OnStatus: func(status string) { fmt.Println("build:", status) },
	}))
	var failed *ubiops.WaitError
	switch {
	case errors.As(err, &failed):
		fmt.Println("build failed:", failed.Message)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("deployed:", ubiops.Value(rev.Status)) // a field that may be null is a pointer
	}
	// Output:
	// build: queued
	// build: building
	// build: success
	// deployed: success
}

func ExampleBatchCreateAll() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	// Any number of inputs of any type: they go out 250 per call, 4 calls at a time, and come back
	// in order.
	inputs := make([]string, 1000)
	for i := range inputs {
		inputs[i] = fmt.Sprintf("text %d", i)
	}
	results, err := ubiops.BatchCreateAll(ctx, client.Requests, "demo", "echo", inputs)
	var batchErr *ubiops.BatchError
	switch {
	case errors.As(err, &batchErr):
		// Failed inputs were not created and may be resent; unknown ones may exist: check first.
		fmt.Println("failed:", batchErr.FailedIndices(), "unknown:", batchErr.UnknownIndices())
	case err != nil:
		log.Fatal(err)
	}
	ids := make([]ubiops.UUID, 0, len(results))
	for _, r := range results {
		if r.Created() {
			ids = append(ids, r.Request.ID)
		}
	}

	// WaitAll polls the unfinished requests, 250 ids per call, until each has finished.
	done, err := client.Requests.WaitAll(ctx, "demo", "echo", ids, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	last, _ := ubiops.DecodeResult[string](done[999].Result)
	fmt.Println(len(done), "requests,", done[0].Status, "- the last says:", last)
	// Output: 1000 requests, completed - the last says: text 999
}

// RunBatch is create, wait, collect and decode in one call: one typed outcome per input, in input
// order.
func ExampleRunBatch() {
	api, client := exampleProject()
	defer api.Close()

	inputs := []string{"first", "second", "third"}
	outcomes, err := ubiops.RunBatch[string, string](context.Background(), client.Requests, "demo", "echo", inputs,
		ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 10 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range outcomes {
		fmt.Println(inputs[o.Index], "->", o.State, o.Output)
	}
	// Output:
	// first -> completed first
	// second -> completed second
	// third -> completed third
}
