package ubiops_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ubiops/ubiops-go/ubiops"
)

// List returns one page of a version's instances, with a cursor to the next; the events of an
// instance say what happened to it.
func ExampleInstancesService_List() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	_ = api.SeedInstances("demo", "echo", "v1", 6, 3)

	// One page, filtered by status; page.Next is the cursor of the next page, nil after the last.
	page, err := client.Instances.List(ctx, "demo", "echo", "v1", &ubiops.InstancesListParams{Status: ubiops.Ptr("running"), Limit: ubiops.Ptr(10)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("running:", len(page.Results), "more pages:", page.Next != nil)

	instance := page.Results[0]
	events, err := client.Instances.ListEvents(ctx, "demo", "echo", "v1", instance.ID.String(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("events on the first page:", len(events.Results))
	// AllEvents follows the cursor through every page.
	all, err := ubiops.Collect(client.Instances.AllEvents(ctx, "demo", "echo", "v1", instance.ID.String(), nil, ubiops.WithPageSize(1)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("events in all:", len(all))
	// Output:
	// running: 2 more pages: false
	// events on the first page: 3
	// events in all: 3
}

// An instance id from a project-wide list (or a log line) leads to its deployment and version.
func ExampleInstancesService_GetProject() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	_ = api.SeedInstances("demo", "echo", "v1", 4, 0)

	page, err := client.Instances.ListProject(ctx, "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, inst := range page.Results {
		detail, err := client.Instances.GetProject(ctx, "demo", inst.ID.String())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ubiops.Value(detail.Deployment), ubiops.Value(detail.Version), detail.Status)
	}
	// Output:
	// echo v1 running
	// echo v1 pending
	// echo v1 initialising
	// echo v1 stopping
}

// An instance type group lists the instance types a version may run on, in order of preference.
func ExampleInstanceTypeGroupsService_Usage() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()

	// Prefer the 2 GB type, fall back to 4 GB.
	var preferred []ubiops.InstanceTypeGroupCreateInstanceType
	for it, err := range client.InstanceTypes.All(ctx, "demo", nil) {
		if err != nil {
			log.Fatal(err)
		}
		switch it.Name {
		case "2048mb":
			preferred = append(preferred, ubiops.InstanceTypeGroupCreateInstanceType{ID: ubiops.Ptr(it.ID), Priority: ubiops.Ptr(0)})
		case "4096mb":
			preferred = append(preferred, ubiops.InstanceTypeGroupCreateInstanceType{ID: ubiops.Ptr(it.ID), Priority: ubiops.Ptr(1)})
		}
	}
	group, err := client.InstanceTypeGroups.Create(ctx, "demo", ubiops.InstanceTypeGroupCreate{Name: "cpu-small", InstanceTypes: &preferred})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Update(ctx, "demo", "echo", "v1", ubiops.DeploymentVersionUpdate{InstanceTypeGroupName: ubiops.Ptr("cpu-small")}); err != nil {
		log.Fatal(err)
	}

	// Which versions use the group: one page with Usage, every page with AllUsage.
	usage, err := client.InstanceTypeGroups.Usage(ctx, "demo", group.ID.String(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range usage.Results {
		fmt.Println(ubiops.Value(u.Deployment), ubiops.Value(u.Version))
	}
	all, err := ubiops.Collect(client.InstanceTypeGroups.AllUsage(ctx, "demo", group.ID.String(), nil))
	if err != nil {
		log.Fatal(err)
	}
	groups, err := client.InstanceTypeGroups.List(ctx, "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(all), "version uses", ubiops.Value(groups.Results[0].Name), "of", len(groups.Results[0].InstanceTypes), "types")
	// Output:
	// echo v1
	// 1 version uses cpu-small of 2 types
}
