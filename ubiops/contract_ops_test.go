package ubiops

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Contract test registry: every operation in api/openapi.yaml registers one call through this
// package's public API (see the contract_*_test.go files). TestContract runs them all against a
// server that validates each request and answer against the spec.

// Path parameter values used by every contract call. Each name has its own value and the contract
// server checks them, so a wrapper that swaps two arguments fails.
const (
	tProject     = "contract-project"
	tDeployment  = "contract-deployment"
	tVersion     = "contract-version"
	tEnvironment = "contract-environment"
	tEnvVarID    = "0f1e2d3c-4b5a-4697-8877-665544332211" // {id} of environment variables
	tRequestID   = "1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d"
	tRevisionID  = "2b3c4d5e-6f7a-4b1c-9d2e-3f4a5b6c7d8e"
	tBuildID     = "3c4d5e6f-7a8b-4c2d-8e3f-4a5b6c7d8e9f"
	tInstanceID  = "4d5e6f7a-8b9c-4d3e-9f4a-5b6c7d8e9fa0"
	tGroupID     = "5e6f7a8b-9cad-4e4f-8a5b-6c7d8e9fa0b1" // {instance_type_group_id}
	tUserID      = "6f7a8b9c-adbe-4f5a-9b6c-7d8e9fa0b1c2"
)

// contractPathValues maps each path parameter name to the value contract calls must send.
var contractPathValues = map[string]string{
	"project_name":           tProject,
	"deployment_name":        tDeployment,
	"version":                tVersion,
	"environment_name":       tEnvironment,
	"id":                     tEnvVarID,
	"request_id":             tRequestID,
	"revision_id":            tRevisionID,
	"build_id":               tBuildID,
	"instance_id":            tInstanceID,
	"instance_type_group_id": tGroupID,
	"user_id":                tUserID,
}

type contractCall func(ctx context.Context, c *Client) error

var (
	contractMu    sync.Mutex
	contractCalls = map[string]contractCall{}
)

// registerContract records the call that exercises operationID. Call it from init functions.
func registerContract(operationID string, call contractCall) {
	contractMu.Lock()
	defer contractMu.Unlock()
	if _, dup := contractCalls[operationID]; dup {
		panic("contract call registered twice: " + operationID)
	}
	contractCalls[operationID] = call
}

// exampleBody returns the request body of operationID as a T: the spec's first request example if
// it has one, otherwise a minimal valid body synthesised from the request schema. Decoding the
// example into the Go type and sending it again checks that the types round-trip the spec.
func exampleBody[T any](operationID string) T {
	var v T
	raw, err := contractRequestBody(operationID)
	if err != nil {
		panic(fmt.Sprintf("request body for %s: %v", operationID, err))
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		panic(fmt.Sprintf("request body for %s does not decode into %T: %v", operationID, v, err))
	}
	return v
}

func init() {
	registerContract("service_status", func(ctx context.Context, c *Client) error {
		st, err := c.Status(ctx)
		if err == nil && st.Status != "ok" {
			err = fmt.Errorf("status %q, want the example's ok", st.Status)
		}
		return err
	})
	registerContract("projects_list", func(ctx context.Context, c *Client) error {
		_, err := c.Projects.List(ctx, &ProjectsListParams{Organization: Ptr("contract-organization"), Labels: Ptr("team:ml")})
		return err
	})
	registerContract("projects_create", func(ctx context.Context, c *Client) error {
		_, err := c.Projects.Create(ctx, exampleBody[ProjectCreate]("projects_create"))
		return err
	})
	registerContract("projects_get", func(ctx context.Context, c *Client) error {
		_, err := c.Projects.Get(ctx, tProject)
		return err
	})
	registerContract("projects_update", func(ctx context.Context, c *Client) error {
		_, err := c.Projects.Update(ctx, tProject, exampleBody[ProjectUpdate]("projects_update"))
		return err
	})
	registerContract("projects_delete", func(ctx context.Context, c *Client) error {
		return c.Projects.Delete(ctx, tProject)
	})
	registerContract("revisions_file_upload", func(ctx context.Context, c *Client) error {
		_, err := c.Revisions.Upload(ctx, tProject, tDeployment, tVersion,
			RevisionUpload{File: strings.NewReader("PK\x03\x04 package"), FileName: "package.zip"})
		return err
	})
	registerContract("revisions_file_download", func(ctx context.Context, c *Client) error {
		_, err := c.Revisions.Download(ctx, tProject, tDeployment, tVersion, tRevisionID, io.Discard)
		return err
	})
	registerContract("environment_revisions_file_upload", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentRevisions.Upload(ctx, tProject, tEnvironment,
			EnvironmentRevisionUpload{SourceEnvironment: "other-environment"})
		return err
	})
	registerContract("environment_revisions_file_download", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentRevisions.Download(ctx, tProject, tEnvironment, tRevisionID, io.Discard)
		return err
	})
}
