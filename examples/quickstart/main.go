// Command quickstart walks the main UbiOps flow with ubiops-go: a project, a deployment and a
// version, a package built and uploaded, the build awaited, a direct request, batch requests,
// environment variables, and the package downloaded again.
//
// With no UBIOPS_API_TOKEN set it starts the ubiopstest fake in-process and runs against it, so it
// works on a fresh machine:
//
//	go run ./examples/quickstart
//
// With UBIOPS_API_TOKEN (and optionally UBIOPS_API_HOST) set it runs against the real API, in an
// existing project named by -project; it creates a deployment there and deletes it at the end.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

const deploymentCode = `class Deployment:
    def __init__(self, base_directory, context):
        pass

    def request(self, data):
        return {"y": data["x"] * 2}
`

func main() {
	project := flag.String("project", "", "project to use on the real API (required with UBIOPS_API_TOKEN)")
	timeout := flag.Duration("timeout", 20*time.Minute, "give up after this long")
	flag.Parse()

	r := &report{start: time.Now()}
	if err := run(r, *project, *timeout); err != nil {
		r.fail(err)
		os.Exit(1)
	}
	fmt.Printf("OK: %d steps in %s\n", r.steps, time.Since(r.start).Round(time.Millisecond))
}

func run(r *report, projectFlag string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	var client *ubiops.Client
	project, fake := projectFlag, os.Getenv(ubiops.EnvToken) == ""
	fmt.Println("ubiops-go quickstart")
	if fake {
		srv := ubiopstest.New(ubiopstest.WithBuildDuration(400*time.Millisecond), ubiopstest.WithRequestDuration(200*time.Millisecond))
		srv.Start()
		defer srv.Close()
		client = srv.Client()
		project = "quickstart"
		srv.HandleDeployment(project, "doubler", func(_ context.Context, input json.RawMessage) (any, error) {
			var in struct{ X int }
			if err := json.Unmarshal(input, &in); err != nil {
				return nil, err
			}
			return map[string]int{"y": in.X * 2}, nil // what deployment.py computes on UbiOps
		})
		// Streaming requests get their partial results from a stream handler.
		srv.HandleDeploymentStream(project, "doubler", func(_ context.Context, input json.RawMessage, emit func(string) error) (any, error) {
			var in struct{ X int }
			if err := json.Unmarshal(input, &in); err != nil {
				return nil, err
			}
			for _, part := range []string{"doubling", fmt.Sprintf(" %d", in.X), " gives", fmt.Sprintf(" %d", 2*in.X)} {
				if err := emit(part); err != nil {
					return nil, err
				}
			}
			return map[string]int{"y": in.X * 2}, nil
		})
		r.line("api", "in-process fake UbiOps (no UBIOPS_API_TOKEN set) at %s", client.BaseURL())
		if _, err := client.Projects.Create(ctx, ubiops.ProjectCreate{Name: project, OrganizationName: "quickstart-org"}); err != nil {
			return fmt.Errorf("create project: %w", err)
		}
		r.line("project", "%s created", project)
	} else {
		if project == "" {
			return errors.New("UBIOPS_API_TOKEN is set: name an existing project with -project")
		}
		var err error
		if client, err = ubiops.NewClient(); err != nil {
			return err
		}
		r.line("api", "%s", client.BaseURL())
		if _, err := client.Projects.Get(ctx, project); err != nil {
			return fmt.Errorf("project %s: %w", project, err)
		}
		r.line("project", "%s found", project)
	}

	deployment, version := "doubler", "v1"
	if !fake {
		deployment = fmt.Sprintf("quickstart-%d", time.Now().Unix())
	}
	_, err := client.Deployments.Create(ctx, project, ubiops.DeploymentCreate{
		Name:         deployment,
		Description:  ubiops.Ptr("Doubles x; created by the ubiops-go quickstart"),
		InputType:    ubiops.Ptr(ubiops.DeploymentCreateInputTypeStructured),
		OutputType:   ubiops.Ptr(ubiops.DeploymentCreateOutputTypeStructured),
		InputFields:  &[]ubiops.DeploymentInputField{{Name: "x", DataType: ubiops.DeploymentInputFieldDataTypeInt}},
		OutputFields: &[]ubiops.DeploymentOutputField{{Name: "y", DataType: ubiops.DeploymentOutputFieldDataTypeInt}},
	})
	if err != nil {
		return fmt.Errorf("create deployment: %w", err)
	}
	r.line("deployment", "%s created (structured input x, output y)", deployment)
	if !fake {
		defer func() {
			if err := client.Deployments.Delete(context.WithoutCancel(ctx), project, deployment); err != nil {
				r.line("cleanup", "could not delete deployment %s: %v", deployment, err)
				return
			}
			r.line("cleanup", "deployment %s deleted", deployment)
		}()
	}
	created, err := client.Versions.Create(ctx, project, deployment, ubiops.DeploymentVersionCreate{
		Version: version, Environment: ubiops.Ptr("python3-12"), MinimumInstances: ubiops.Ptr(0), MaximumInstances: ubiops.Ptr(1),
		ScalingStrategy: ubiops.Ptr("default"), Labels: &map[string]string{"app": "quickstart"},
	})
	if err != nil {
		return fmt.Errorf("create version: %w", err)
	}
	r.line("version", "%s created (python3-12, scaling strategy %s, labels %v)", version, ubiops.Value(created.ScalingStrategy), created.Labels)

	dir, err := os.MkdirTemp("", "quickstart-package-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writePackage(dir); err != nil {
		return err
	}
	r.line("package", "directory with deployment.py, requirements.txt and .ubiops-ignore")
	start := time.Now()
	rev, err := client.Deploy(ctx, project, deployment, version, dir, ubiops.WithWaitOptions(ubiops.WaitOptions{
		MinDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second,
		OnStatus: func(status string) { r.line("build", "%s", status) },
	}))
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	r.line("deploy", "revision built in %s (packaged, uploaded and awaited by Deploy)", time.Since(start).Round(10*time.Millisecond))

	res, err := client.Requests.Create(ctx, project, deployment, map[string]int{"x": 21}, nil)
	if err != nil {
		return fmt.Errorf("direct request: %w", err)
	}
	if res.Status != ubiops.DeploymentRequestCreateResponseStatusCompleted {
		return fmt.Errorf("direct request %s: %s", res.Status, ubiops.Value(res.ErrorMessage))
	}
	r.line("request", `direct {"x": 21} -> %s`, compact(res.Result))

	stream := client.Requests.Stream(ctx, project, deployment, map[string]int{"x": 21}, nil)
	chunks := 0
	for chunk, err := range stream.Chunks() {
		if err != nil {
			return fmt.Errorf("streaming request: %w", err)
		}
		chunks++
		r.line("stream", "chunk %d: %q", chunks, chunk)
	}
	r.line("stream", "%d chunks, then the full answer %s", chunks, compact(stream.Response().Result))

	inputs := []any{map[string]int{"x": 1}, map[string]int{"x": 2}, map[string]int{"x": 3}}
	batch, err := ubiops.BatchCreateAll(ctx, client.Requests, project, deployment, inputs)
	if err != nil {
		return fmt.Errorf("batch requests: %w", err) // a *ubiops.BatchError says which inputs and why
	}
	ids := make([]ubiops.UUID, len(batch))
	for i, b := range batch {
		ids[i] = b.Request.ID
	}
	done, err := client.Requests.WaitAll(ctx, project, deployment, ids, nil, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 100 * time.Millisecond, MaxDelay: 5 * time.Second}))
	if err != nil {
		return fmt.Errorf("waiting for batch requests: %w", err)
	}
	results := make([]string, len(done))
	for i, d := range done {
		if d.Status != ubiops.DeploymentRequestBatchDetailStatusCompleted {
			return fmt.Errorf("batch request %d %s", i, d.Status)
		}
		results[i] = compact(d.Result)
	}
	r.line("batch", "%d requests created, awaited and collected in input order: %s", len(results), strings.Join(results, ", "))

	listed := 0
	for _, err := range client.Requests.All(ctx, project, deployment, nil, ubiops.WithPageSize(2)) {
		if err != nil {
			return fmt.Errorf("list requests: %w", err)
		}
		listed++
	}
	r.line("list", "%d requests on the deployment, iterated two per page", listed)

	if _, err := client.EnvironmentVariables.Deployment.Create(ctx, project, deployment,
		ubiops.EnvironmentVariableCreate{Name: "MODEL_MODE", Value: "fast", Secret: false}); err != nil {
		return fmt.Errorf("environment variable: %w", err)
	}
	if _, err := client.EnvironmentVariables.Version.Create(ctx, project, deployment, version,
		ubiops.EnvironmentVariableCreate{Name: "API_KEY", Value: "not-a-real-key", Secret: true}); err != nil {
		return fmt.Errorf("environment variable: %w", err)
	}
	vars, err := client.EnvironmentVariables.Version.List(ctx, project, deployment, version)
	if err != nil {
		return fmt.Errorf("list environment variables: %w", err)
	}
	var inherited, secret int
	for _, v := range vars {
		if v.InheritanceType != nil {
			inherited++
		}
		if v.Secret {
			secret++
		}
	}
	r.line("env vars", "version sees %d (%d inherited from the deployment, %d secret)", len(vars), inherited, secret)

	saved, err := client.Revisions.DownloadFile(ctx, project, deployment, version, rev.ID.String(), dir)
	if err != nil {
		return fmt.Errorf("download: %w", err)
	}
	if err := checkDownload(saved); err != nil {
		return err
	}
	r.line("download", "%s saved atomically; unzipped safely, deployment.py matches", filepath.Base(saved))
	return nil
}

// writePackage writes a minimal deployment directory; the ignore file keeps notes out of the package.
func writePackage(dir string) error {
	for name, body := range map[string]string{
		"deployment.py":    deploymentCode,
		"requirements.txt": "",
		".ubiops-ignore":   "*.md\n",
		"NOTES.md":         "not shipped\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkDownload unzips the downloaded package safely and compares it with what was deployed.
func checkDownload(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	out, err := os.MkdirTemp("", "quickstart-unzip-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)
	if err := ubiops.Unzip(f, fi.Size(), out, nil); err != nil {
		return fmt.Errorf("unzip: %w", err)
	}
	got, err := os.ReadFile(filepath.Join(out, "deployment_package", "deployment.py"))
	if err != nil {
		return fmt.Errorf("downloaded package: %w", err)
	}
	if string(got) != deploymentCode {
		return errors.New("downloaded package: deployment.py differs from the one deployed")
	}
	if _, err := os.Stat(filepath.Join(out, "deployment_package", "NOTES.md")); err == nil {
		return errors.New("downloaded package: NOTES.md was shipped despite .ubiops-ignore")
	}
	return nil
}

func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

type report struct {
	start time.Time
	steps int
}

func (r *report) line(step, format string, args ...any) {
	r.steps++
	fmt.Printf("  %-10s %s\n", step, fmt.Sprintf(format, args...))
}

func (r *report) fail(err error) {
	fmt.Printf("FAILED after %d steps: %v\n", r.steps, err)
}
