package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

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
	// ubiops: GET /v2.1/projects/no-such-project: 404 Not Found: Project not found
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
		Name: "sentiment", InputType: ubiops.DeploymentCreateInputTypeStructured, OutputType: ubiops.DeploymentCreateOutputTypeStructured,
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
