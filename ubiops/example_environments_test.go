package ubiops_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ubiops/ubiops-go/ubiops"
)

// A custom environment is a base environment plus your dependencies, built once and shared by
// the versions that run in it.
func ExampleEnvironmentRevisionsService_Upload() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "py311-nlp", BaseEnvironment: ubiops.Ptr("python3-11"),
	}); err != nil {
		log.Fatal(err)
	}

	// The environment's files: requirements.txt (and ubiops.yaml, for system packages).
	dir, err := os.MkdirTemp("", "environment-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("numpy==2.1.0\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	// Dir is packaged while it is uploaded, files at the archive's root as environments expect.
	created, err := client.EnvironmentRevisions.Upload(ctx, "demo", "py311-nlp", ubiops.EnvironmentRevisionUpload{Dir: dir})
	if err != nil {
		log.Fatal(err)
	}
	// The upload starts a build; wait for it before versions use the environment.
	build, err := client.EnvironmentBuilds.Wait(ctx, "demo", "py311-nlp", created.Revision.String(), created.Build.String())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("build:", build.Status)

	revisions, err := client.EnvironmentRevisions.List(ctx, "demo", "py311-nlp")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("revisions:", len(revisions))
	// Output:
	// build: success
	// revisions: 1
}

// A build's dependency files show what it installed from.
func ExampleEnvironmentBuildsService_Dependencies() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "py311-nlp", BaseEnvironment: ubiops.Ptr("python3-11"),
	}); err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "environment-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "requirements.txt"), []byte("numpy==2.1.0\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	created, err := client.EnvironmentRevisions.Upload(ctx, "demo", "py311-nlp", ubiops.EnvironmentRevisionUpload{Dir: dir})
	if err != nil {
		log.Fatal(err)
	}

	// A revision's builds: the first one, then one per rebuild.
	builds, err := client.EnvironmentBuilds.List(ctx, "demo", "py311-nlp", created.Revision.String())
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range builds {
		deps, err := client.EnvironmentBuilds.Dependencies(ctx, "demo", "py311-nlp", created.Revision.String(), b.ID.String())
		if err != nil {
			log.Fatal(err)
		}
		for _, d := range deps {
			fmt.Printf("%s: %q\n", d.Name, ubiops.Value(d.Content))
		}
	}
	// Output: requirements.txt: "numpy==2.1.0\n"
}

// Which versions run in an environment: check before changing or deleting it.
func ExampleEnvironmentsService_Usage() {
	api, client := exampleProject()
	defer api.Close()
	ctx := context.Background()
	if _, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "py311-nlp", BaseEnvironment: ubiops.Ptr("python3-11"),
	}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Versions.Create(ctx, "demo", "echo", ubiops.DeploymentVersionCreate{
		Version: "v2", Environment: ubiops.Ptr("py311-nlp"),
	}); err != nil {
		log.Fatal(err)
	}

	users, err := client.Environments.Usage(ctx, "demo", "py311-nlp", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.Deployment, u.Version)
	}

	// List shows the base environments next to the project's own.
	environments, err := client.Environments.List(ctx, "demo", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range environments {
		if e.BaseEnvironment != nil {
			fmt.Println("custom:", e.Name, "on", *e.BaseEnvironment)
		}
	}
	// Output:
	// echo v2
	// custom: py311-nlp on python3-11
}
