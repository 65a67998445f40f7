package ubiops

import (
	"context"
	"fmt"
)

// Contract calls for deployments, versions, revisions, builds, environment variables and requests.
func init() {
	// Deployments.
	registerContract("deployments_list", func(ctx context.Context, c *Client) error {
		_, err := c.Deployments.List(ctx, tProject, &DeploymentsListParams{Labels: Ptr("team:ml,stage:prod"), SupportsRequestFormat: Ptr(false)})
		return err
	})
	registerContract("deployments_create", func(ctx context.Context, c *Client) error {
		_, err := c.Deployments.Create(ctx, tProject, exampleBody[DeploymentCreate]("deployments_create"))
		return err
	})
	registerContract("deployments_get", func(ctx context.Context, c *Client) error {
		_, err := c.Deployments.Get(ctx, tProject, tDeployment)
		return err
	})
	registerContract("deployments_update", func(ctx context.Context, c *Client) error {
		_, err := c.Deployments.Update(ctx, tProject, tDeployment, exampleBody[DeploymentUpdate]("deployments_update"))
		return err
	})
	registerContract("deployments_delete", func(ctx context.Context, c *Client) error {
		return c.Deployments.Delete(ctx, tProject, tDeployment)
	})

	// Versions.
	registerContract("deployment_versions_list", func(ctx context.Context, c *Client) error {
		_, err := c.Versions.List(ctx, tProject, tDeployment, &DeploymentVersionsListParams{Labels: Ptr("stage:prod")})
		return err
	})
	registerContract("deployment_versions_create", func(ctx context.Context, c *Client) error {
		_, err := c.Versions.Create(ctx, tProject, tDeployment, exampleBody[DeploymentVersionCreate]("deployment_versions_create"))
		return err
	})
	registerContract("deployment_versions_get", func(ctx context.Context, c *Client) error {
		_, err := c.Versions.Get(ctx, tProject, tDeployment, tVersion)
		return err
	})
	registerContract("deployment_versions_update", func(ctx context.Context, c *Client) error {
		_, err := c.Versions.Update(ctx, tProject, tDeployment, tVersion, exampleBody[DeploymentVersionUpdate]("deployment_versions_update"))
		return err
	})
	registerContract("deployment_versions_delete", func(ctx context.Context, c *Client) error {
		return c.Versions.Delete(ctx, tProject, tDeployment, tVersion)
	})

	// Revisions and builds.
	registerContract("revisions_list", func(ctx context.Context, c *Client) error {
		_, err := c.Revisions.List(ctx, tProject, tDeployment, tVersion)
		return err
	})
	registerContract("revisions_get", func(ctx context.Context, c *Client) error {
		_, err := c.Revisions.Get(ctx, tProject, tDeployment, tVersion, tRevisionID)
		return err
	})
	registerContract("revisions_rebuild", func(ctx context.Context, c *Client) error {
		_, err := c.Revisions.Rebuild(ctx, tProject, tDeployment, tVersion, tRevisionID)
		return err
	})
	registerContract("builds_get", func(ctx context.Context, c *Client) error {
		_, err := c.Builds.Get(ctx, tProject, tDeployment, tVersion, tBuildID)
		return err
	})

	// Environment variables: project scope.
	registerContract("project_environment_variables_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Project.List(ctx, tProject)
		return err
	})
	registerContract("project_environment_variables_create", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Project.Create(ctx, tProject, exampleBody[EnvironmentVariableCreate]("project_environment_variables_create"))
		return err
	})
	registerContract("project_environment_variables_get", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Project.Get(ctx, tProject, tEnvVarID)
		return err
	})
	registerContract("project_environment_variables_update", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Project.Update(ctx, tProject, tEnvVarID, exampleBody[EnvironmentVariableCreate]("project_environment_variables_update"))
		return err
	})
	registerContract("project_environment_variables_delete", func(ctx context.Context, c *Client) error {
		return c.EnvironmentVariables.Project.Delete(ctx, tProject, tEnvVarID)
	})

	// Environment variables: deployment scope.
	registerContract("deployment_environment_variables_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Deployment.List(ctx, tProject, tDeployment)
		return err
	})
	registerContract("deployment_environment_variables_create", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Deployment.Create(ctx, tProject, tDeployment, exampleBody[EnvironmentVariableCreate]("deployment_environment_variables_create"))
		return err
	})
	registerContract("deployment_environment_variables_get", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Deployment.Get(ctx, tProject, tDeployment, tEnvVarID)
		return err
	})
	registerContract("deployment_environment_variables_update", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Deployment.Update(ctx, tProject, tDeployment, tEnvVarID, exampleBody[EnvironmentVariableCreate]("deployment_environment_variables_update"))
		return err
	})
	registerContract("deployment_environment_variables_delete", func(ctx context.Context, c *Client) error {
		return c.EnvironmentVariables.Deployment.Delete(ctx, tProject, tDeployment, tEnvVarID)
	})
	registerContract("deployment_environment_variables_copy", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Deployment.Copy(ctx, tProject, tDeployment, exampleBody[EnvironmentVariableCopy]("deployment_environment_variables_copy"))
		return err
	})

	// Environment variables: version scope.
	registerContract("deployment_version_environment_variables_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Version.List(ctx, tProject, tDeployment, tVersion)
		return err
	})
	registerContract("deployment_version_environment_variables_create", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Version.Create(ctx, tProject, tDeployment, tVersion, exampleBody[EnvironmentVariableCreate]("deployment_version_environment_variables_create"))
		return err
	})
	registerContract("deployment_version_environment_variables_get", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Version.Get(ctx, tProject, tDeployment, tVersion, tEnvVarID)
		return err
	})
	registerContract("deployment_version_environment_variables_update", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Version.Update(ctx, tProject, tDeployment, tVersion, tEnvVarID, exampleBody[EnvironmentVariableCreate]("deployment_version_environment_variables_update"))
		return err
	})
	registerContract("deployment_version_environment_variables_delete", func(ctx context.Context, c *Client) error {
		return c.EnvironmentVariables.Version.Delete(ctx, tProject, tDeployment, tVersion, tEnvVarID)
	})
	registerContract("deployment_version_environment_variables_copy", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentVariables.Version.Copy(ctx, tProject, tDeployment, tVersion, exampleBody[EnvironmentVariableCopy]("deployment_version_environment_variables_copy"))
		return err
	})

	// Requests to the deployment's default version.
	registerContract("deployment_requests_create", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.Create(ctx, tProject, tDeployment, exampleBody[any]("deployment_requests_create"),
			&DeploymentRequestsCreateParams{Timeout: Ptr(300), Priority: Ptr(1)})
		return err
	})
	registerContract("deployment_requests_stream", func(ctx context.Context, c *Client) error {
		return readContractStream(c.Requests.Stream(ctx, tProject, tDeployment, exampleBody[any]("deployment_requests_stream"),
			&DeploymentRequestsStreamParams{Timeout: Ptr(600)}))
	})
	registerContract("deployment_version_requests_stream", func(ctx context.Context, c *Client) error {
		return readContractStream(c.Requests.StreamForVersion(ctx, tProject, tDeployment, tVersion, "plain input", nil))
	})
	registerContract("batch_deployment_requests_create", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchCreate(ctx, tProject, tDeployment, exampleBody[[]any]("batch_deployment_requests_create"),
			&BatchDeploymentRequestsCreateParams{Timeout: Ptr(14400), NotificationGroup: Ptr("contract-group"), Priority: Ptr(2)})
		return err
	})
	registerContract("deployment_requests_batch_get", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.Collect(ctx, tProject, tDeployment, exampleBody[[]UUID]("deployment_requests_batch_get"))
		return err
	})
	registerContract("deployment_requests_batch_cancel", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchCancel(ctx, tProject, tDeployment, exampleBody[[]UUID]("deployment_requests_batch_cancel"),
			&DeploymentRequestsBatchCancelParams{Status: Ptr(DeploymentRequestsBatchCancelParamsStatusPending)})
		return err
	})
	registerContract("deployment_version_requests_batch_cancel", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchCancelForVersion(ctx, tProject, tDeployment, tVersion, exampleBody[[]UUID]("deployment_version_requests_batch_cancel"),
			&DeploymentVersionRequestsBatchCancelParams{Status: Ptr(DeploymentVersionRequestsBatchCancelParamsStatusProcessing)})
		return err
	})
	registerContract("deployment_requests_batch_delete", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchDelete(ctx, tProject, tDeployment, exampleBody[[]UUID]("deployment_requests_batch_delete"))
		return err
	})
	registerContract("deployment_requests_get", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.Get(ctx, tProject, tDeployment, tRequestID, &DeploymentRequestsGetParams{MetadataOnly: Ptr(true)})
		return err
	})
	registerContract("deployment_requests_list", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.List(ctx, tProject, tDeployment, &DeploymentRequestsListParams{
			Limit: Ptr(10), Offset: Ptr(0), Status: Ptr(DeploymentRequestsListParamsStatusCompleted),
			Sort: Ptr(DeploymentRequestsListParamsSortAsc), Pipeline: Ptr(false),
		})
		return err
	})
	registerContract("deployment_requests_update", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.Update(ctx, tProject, tDeployment, tRequestID, exampleBody[DeploymentRequestUpdate]("deployment_requests_update"))
		return err
	})
	registerContract("deployment_requests_delete", func(ctx context.Context, c *Client) error {
		return c.Requests.Delete(ctx, tProject, tDeployment, tRequestID)
	})

	// Requests to a specific version.
	registerContract("deployment_version_requests_create", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.CreateForVersion(ctx, tProject, tDeployment, tVersion, exampleBody[any]("deployment_version_requests_create"),
			&DeploymentVersionRequestsCreateParams{Timeout: Ptr(3600), Priority: Ptr(0)})
		return err
	})
	registerContract("batch_deployment_version_requests_create", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchCreateForVersion(ctx, tProject, tDeployment, tVersion, exampleBody[[]any]("batch_deployment_version_requests_create"),
			&BatchDeploymentVersionRequestsCreateParams{Timeout: Ptr(172800), Priority: Ptr(3)})
		return err
	})
	registerContract("deployment_version_requests_batch_get", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.CollectForVersion(ctx, tProject, tDeployment, tVersion, exampleBody[[]UUID]("deployment_version_requests_batch_get"))
		return err
	})
	registerContract("deployment_version_requests_batch_delete", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.BatchDeleteForVersion(ctx, tProject, tDeployment, tVersion, exampleBody[[]UUID]("deployment_version_requests_batch_delete"))
		return err
	})
	registerContract("deployment_version_requests_get", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.GetForVersion(ctx, tProject, tDeployment, tVersion, tRequestID, &DeploymentVersionRequestsGetParams{MetadataOnly: Ptr(false)})
		return err
	})
	registerContract("deployment_version_requests_list", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.ListForVersion(ctx, tProject, tDeployment, tVersion, &DeploymentVersionRequestsListParams{
			Limit: Ptr(10), Offset: Ptr(20), Status: Ptr(DeploymentVersionRequestsListParamsStatusFailed),
			Sort: Ptr(DeploymentVersionRequestsListParamsSortDesc), SearchID: Ptr("1a2b"),
		})
		return err
	})
	registerContract("deployment_version_requests_update", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.UpdateForVersion(ctx, tProject, tDeployment, tVersion, tRequestID, exampleBody[DeploymentRequestUpdate]("deployment_version_requests_update"))
		return err
	})
	registerContract("deployment_version_requests_delete", func(ctx context.Context, c *Client) error {
		return c.Requests.DeleteForVersion(ctx, tProject, tDeployment, tVersion, tRequestID)
	})

	// Requests across a project.
	registerContract("project_requests_list", func(ctx context.Context, c *Client) error {
		_, err := c.Requests.ListProject(ctx, tProject, ProjectRequestsListParamsObjectTypeDeployment, &ProjectRequestsListParams{
			Limit: Ptr(25), Offset: Ptr(0), Status: Ptr(ProjectRequestsListParamsStatusPending),
			Sort: Ptr(ProjectRequestsListParamsSortDesc),
		})
		return err
	})
}

// readContractStream reads a stream to its end and checks it carried the example's chunks and answer.
func readContractStream(st *RequestStream) error {
	var chunks []string
	for chunk, err := range st.Chunks() {
		if err != nil {
			return err
		}
		chunks = append(chunks, chunk)
	}
	if len(chunks) == 0 || st.Response() == nil {
		return fmt.Errorf("stream: %d chunks, answer %v", len(chunks), st.Response())
	}
	_, err := ResultOf[string](st.Response())
	return err
}
