package ubiops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ubiops/ubiops-go/ubiops"
)

// Variables are defined at three scopes; a narrower one overrides a wider one of the same name,
// and a version's list shows what it inherits.
func ExampleEnvironmentVariablesService() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	vars := client.EnvironmentVariables

	// Every deployment in the project logs at INFO and shares one secret...
	if _, err := vars.Project.Create(ctx, "demo", ubiops.EnvironmentVariableCreate{Name: "LOG_LEVEL", Value: "INFO"}); err != nil {
		log.Fatal(err)
	}
	if _, err := vars.Project.Create(ctx, "demo", ubiops.EnvironmentVariableCreate{Name: "DB_PASSWORD", Value: "s3cret", Secret: true}); err != nil {
		log.Fatal(err)
	}
	// ...this deployment logs at DEBUG...
	if _, err := vars.Deployment.Create(ctx, "demo", "echo", ubiops.EnvironmentVariableCreate{Name: "LOG_LEVEL", Value: "DEBUG"}); err != nil {
		log.Fatal(err)
	}
	// ...and only this version loads a newer model.
	if _, err := vars.Version.Create(ctx, "demo", "echo", "v1", ubiops.EnvironmentVariableCreate{Name: "MODEL", Value: "bert-v2"}); err != nil {
		log.Fatal(err)
	}

	effective, err := vars.Version.List(ctx, "demo", "echo", "v1")
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range effective {
		value := ubiops.Value(v.Value)
		if v.Secret {
			value = "(secret)" // a secret's value is never returned
		}
		// InheritanceType says where an inherited variable is defined.
		from := ubiops.Value(v.InheritanceType)
		if from == "" {
			from = "version"
		}
		fmt.Println(v.Name, value, "from the", from)
	}
	// Output:
	// MODEL bert-v2 from the version
	// LOG_LEVEL DEBUG from the deployment
	// DB_PASSWORD (secret) from the project
}

// Project variables apply to every deployment; List returns those defined on the project itself.
func ExampleProjectEnvironmentVariablesService_List() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	created, err := client.EnvironmentVariables.Project.Create(ctx, "demo", ubiops.EnvironmentVariableCreate{Name: "REGION", Value: "eu-west"})
	if err != nil {
		log.Fatal(err)
	}
	// Update replaces name, value and secrecy together.
	if _, err := client.EnvironmentVariables.Project.Update(ctx, "demo", created.ID.String(),
		ubiops.EnvironmentVariableCreate{Name: "REGION", Value: "eu-central"}); err != nil {
		log.Fatal(err)
	}

	list, err := client.EnvironmentVariables.Project.List(ctx, "demo")
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range list {
		fmt.Println(v.Name, ubiops.Value(v.Value))
	}
	// Output: REGION eu-central
}

// Copy gives a new deployment the variables of an existing one.
func ExampleDeploymentEnvironmentVariablesService_Copy() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.EnvironmentVariables.Deployment.Create(ctx, "demo", "echo", ubiops.EnvironmentVariableCreate{Name: "BATCH_SIZE", Value: "32"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "echo-canary",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)}); err != nil {
		log.Fatal(err)
	}

	copied, err := client.EnvironmentVariables.Deployment.Copy(ctx, "demo", "echo-canary", ubiops.EnvironmentVariableCopy{SourceDeployment: "echo"})
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range copied {
		fmt.Println("copied", v.Name, ubiops.Value(v.Value))
	}
	list, err := client.EnvironmentVariables.Deployment.List(ctx, "demo", "echo-canary")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(list), "variable")
	// Output:
	// copied BATCH_SIZE 32
	// 1 variable
}

// A version's own variables, for settings that differ between versions of one deployment; a
// version's variables can also be copied from another version (Copy with SourceVersion).
func ExampleVersionEnvironmentVariablesService_Copy() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.EnvironmentVariables.Version.Create(ctx, "demo", "echo", "v1", ubiops.EnvironmentVariableCreate{Name: "THRESHOLD", Value: "0.8"}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v2"}); err != nil {
		log.Fatal(err)
	}

	// v2 starts from v1's settings.
	if _, err := client.EnvironmentVariables.Version.Copy(ctx, "demo", "echo", "v2", ubiops.EnvironmentVariableCopy{
		SourceDeployment: "echo", SourceVersion: ubiops.Ptr("v1"),
	}); err != nil {
		log.Fatal(err)
	}
	list, err := client.EnvironmentVariables.Version.List(ctx, "demo", "echo", "v2")
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range list {
		fmt.Println(v.Name, ubiops.Value(v.Value))
	}
	// Output: THRESHOLD 0.8
}
