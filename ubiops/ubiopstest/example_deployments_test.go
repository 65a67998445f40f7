package ubiopstest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// exampleServer starts a fake with project "demo", deployment "model" (plain input and output) and
// its version "v1", for the examples below.
func exampleServer(opts ...ubiopstest.Option) (*ubiopstest.Server, *ubiops.Client) {
	srv := ubiopstest.New(opts...)
	srv.Start()
	client := srv.Client()
	ctx := context.Background()
	_, _ = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "demo", OrganizationName: "acme"})
	_, _ = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "model",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	_, _ = client.Versions.Create(ctx, "demo", "model", ubiops.DeploymentVersionCreate{Version: "v1"})
	return srv, client
}

// A DeploymentHandler is the fake's stand-in for a deployment's code: it gets the request's input
// as JSON and returns the result, or an error that fails the request.
func ExampleDeploymentHandler() {
	srv, client := exampleServer()
	defer srv.Close()

	var shout ubiopstest.DeploymentHandler = func(_ context.Context, input json.RawMessage) (any, error) {
		var text string // a plain deployment's input is a string
		if err := json.Unmarshal(input, &text); err != nil {
			return nil, err
		}
		if len(text) > 10 {
			return nil, errors.New("too long to shout")
		}
		return strings.ToUpper(text) + "!", nil
	}
	srv.HandleDeployment("demo", "model", shout)

	for _, input := range []string{"hello", "a whole paragraph"} {
		res, err := client.Requests.Create(context.Background(), "demo", "model", input, nil)
		if err != nil {
			log.Fatal(err)
		}
		out, err := ubiops.ResultOf[string](res)
		var failed *ubiops.RequestFailedError
		if errors.As(err, &failed) {
			fmt.Printf("%q failed: %s\n", input, failed.Message)
			continue
		}
		fmt.Printf("%q -> %q\n", input, out)
	}
	// Output:
	// "hello" -> "HELLO!"
	// "a whole paragraph" failed: too long to shout
}

// A StreamHandler emits partial results; WithStreamChunkDelay spaces them out, so that a test can
// watch them arrive one by one.
func ExampleStreamHandler() {
	srv, client := exampleServer(ubiopstest.WithStreamChunkDelay(5 * time.Millisecond))
	defer srv.Close()

	var count ubiopstest.StreamHandler = func(ctx context.Context, _ json.RawMessage, emit func(string) error) (any, error) {
		for _, n := range []string{"one", "two", "three"} {
			if err := emit(n); err != nil {
				return nil, err // the client is gone
			}
		}
		return "done", nil
	}
	srv.HandleDeploymentStream("demo", "model", count)

	stream := client.Requests.Stream(context.Background(), "demo", "model", "count", nil)
	for chunk, err := range stream.Chunks() {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(chunk)
	}
	result, err := ubiops.ResultOf[string](stream.Response())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(result)
	// Output:
	// one
	// two
	// three
	// done
}

// RevisionArchive returns the package the fake stored for a revision: a test can check what code
// would have deployed.
func ExampleServer_RevisionArchive() {
	srv, client := exampleServer()
	defer srv.Close()
	dir, err := os.MkdirTemp("", "model-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "deployment.py"), []byte("class Deployment: ..."), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets.env"), []byte("TOKEN=..."), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".ubiops-ignore"), []byte("*.env\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	// The code under test: it ships a directory.
	up, err := client.Revisions.Upload(context.Background(), "demo", "model", "v1", ubiops.RevisionUpload{Dir: dir})
	if err != nil {
		log.Fatal(err)
	}

	archive, ok := srv.RevisionArchive("demo", "model", "v1", up.Revision.String())
	if !ok {
		log.Fatal("no such revision")
	}
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range zr.File {
		fmt.Println(f.Name) // the secrets stayed home
	}
	// Output: deployment_package/deployment.py
}

// SeedLogs gives a project log lines, for testing code that reads logs.
func ExampleServer_SeedLogs() {
	srv, client := exampleServer()
	defer srv.Close()
	start := time.Now().Add(-time.Hour)
	err := srv.SeedLogs("demo",
		ubiops.Logs{Date: ubiops.NewTime(start), Log: "loading model", DeploymentName: ubiops.Ptr("model")},
		ubiops.Logs{Date: ubiops.NewTime(start.Add(time.Second)), Log: "out of memory", DeploymentName: ubiops.Ptr("model"),
			Level: ubiops.Ptr(ubiops.LogsLevelError), System: ubiops.Ptr(false)},
	)
	if err != nil {
		log.Fatal(err)
	}

	// The code under test: report the errors of the last two hours.
	for line, err := range client.Logs.Read(context.Background(), "demo", ubiops.LogQuery{
		Start:  time.Now().Add(-2 * time.Hour),
		Filter: ubiops.LogFilter{DeploymentName: "model", Level: "error"},
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line.Log)
	}
	// Output: out of memory
}
