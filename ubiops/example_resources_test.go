package ubiops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ubiops/ubiops-go/ubiops"
)

func ExampleProjectsService_List() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "staging", OrganizationName: "acme"}); err != nil {
		log.Fatal(err)
	}

	// The projects the token can access.
	projects, err := client.Projects.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range projects {
		fmt.Println(p.Name)
	}
	// Output:
	// demo
	// staging
}

// An inventory of a project: its deployments, each with its versions.
func ExampleDeploymentsService_List() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{Version: "v2"}); err != nil {
		log.Fatal(err)
	}

	deployments, err := client.Deployments.List(ctx, "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range deployments {
		versions, err := client.Versions.List(ctx, "demo", d.Name, nil)
		if err != nil {
			log.Fatal(err)
		}
		for _, v := range versions {
			fmt.Println(d.Name, v.Version, "default:", ubiops.Value(v.Default))
		}
	}
	// Output:
	// echo v1 default: true
	// echo v2 default: false
}

// The audit trail says who changed what, newest first.
func ExampleAuditService_ListProject() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	events, err := client.Audit.ListProject(ctx, "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range events {
		fmt.Println(e.Action, e.ObjectType, ubiops.Value(e.ObjectName))
	}

	// A deployment's own events: one page with ListDeployment, or all of them with AllDeployment.
	deploymentEvents, err := ubiops.Collect(client.Audit.AllDeployment(ctx, "demo", "echo", nil))
	if err != nil {
		log.Fatal(err)
	}
	firstPage, err := client.Audit.ListDeployment(ctx, "demo", "echo", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deployment events:", len(deploymentEvents), "on the first page:", len(firstPage))
	// Output:
	// create deployment_version v1
	// create deployment echo
	// create project demo
	// deployment events: 2 on the first page: 2
}

// BuildsService reads a build by id; the upload that starts a build names it.
func ExampleBuildsService_Get() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	dir, cleanup := exampleCodeDir()
	defer cleanup()
	up, err := client.Revisions.Upload(ctx, "demo", "echo", "v1", ubiops.RevisionUpload{Dir: dir})
	if err != nil {
		log.Fatal(err)
	}

	build, err := client.Builds.Get(ctx, "demo", "echo", "v1", up.Build.String())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(build.Revision == up.Revision, ubiops.Value(build.Trigger))
	// Output: true Deployment file upload
}

// Resources counts what a project holds now; Get reports its metered usage over a period.
func ExampleUsageService_Resources() {
	api, client := exampleProject()
	defer api.Close()

	resources, err := client.Usage.Resources(context.Background(), "demo")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deployments:", resources.Deployments, "versions:", resources.DeploymentVersions)
	// Output: deployments: 1 versions: 1
}

// The quotas say how much of each resource a project may use.
func ExampleQuotasService_List() {
	api, client := exampleProject()
	defer api.Close()

	quotas, err := client.Quotas.List(context.Background(), "demo")
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range quotas {
		fmt.Println(q.Resource, q.Quota)
	}
	// Output:
	// memory_standard 274877906944
	// cpu_standard 62
	// gpu_standard 0
}

func ExampleProjectUsersService_List() {
	api, client := exampleProject()
	defer api.Close()

	// The creator of a project is its first user.
	users, err := client.ProjectUsers.List(context.Background(), "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.Email)
	}
	// Output: user@example.com
}

// Templates are ready-made deployments to start from; a revision can copy one's code.
func ExampleTemplatesService_ListDeployments() {
	api, client := exampleProject()
	defer api.Close()

	templates, err := client.Templates.ListDeployments(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range templates {
		fmt.Println(ubiops.Value(t.Details.Name))
	}

	// A new revision with the first template's code.
	up, err := client.Revisions.Upload(context.Background(), "demo", "echo", "v1",
		ubiops.RevisionUpload{TemplateDeploymentID: templates[0].ID.String()})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("copied:", up.Success)
	// Output:
	// hello-world
	// multiplication
	// text-length
	// copied: true
}

// Find the instance types with a GPU. List returns one page; All iterates over every page.
func ExampleInstanceTypesService_List() {
	api, client := exampleProject()
	defer api.Close()

	page, err := client.InstanceTypes.List(context.Background(), "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range page.Results {
		if ubiops.Value(it.Accelerator) > 0 {
			fmt.Println(it.Name, "credits per hour:", it.CreditRate)
		}
	}
	// Output: 16384mb_t4 credits per hour: 40
}
