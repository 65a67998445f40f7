package ubiops

import (
	"context"
	"fmt"
	"time"
)

// Contract calls for project users, audit, usage, quotas, logs, environments, instances and
// templates.
func init() {
	// Project users.
	registerContract("project_users_list", func(ctx context.Context, c *Client) error {
		_, err := c.ProjectUsers.List(ctx, tProject, &ProjectUsersListParams{UserType: Ptr("user")})
		return err
	})
	registerContract("project_users_create", func(ctx context.Context, c *Client) error {
		_, err := c.ProjectUsers.Create(ctx, tProject, exampleBody[ProjectUserCreate]("project_users_create"))
		return err
	})
	registerContract("project_users_get", func(ctx context.Context, c *Client) error {
		_, err := c.ProjectUsers.Get(ctx, tProject, tUserID)
		return err
	})
	registerContract("project_users_delete", func(ctx context.Context, c *Client) error {
		return c.ProjectUsers.Delete(ctx, tProject, tUserID)
	})

	// Audit events.
	registerContract("project_audit_events_list", func(ctx context.Context, c *Client) error {
		_, err := c.Audit.ListProject(ctx, tProject, &ProjectAuditEventsListParams{
			Action: Ptr(ProjectAuditEventsListParamsActionCreate), Limit: Ptr(10), Offset: Ptr(0),
		})
		return err
	})
	registerContract("deployment_audit_events_list", func(ctx context.Context, c *Client) error {
		_, err := c.Audit.ListDeployment(ctx, tProject, tDeployment, &DeploymentAuditEventsListParams{
			Action: Ptr(DeploymentAuditEventsListParamsActionUpdate), Limit: Ptr(10), Offset: Ptr(5),
		})
		return err
	})

	// Usage, quotas and logs.
	registerContract("projects_usage_get", func(ctx context.Context, c *Client) error {
		_, err := c.Usage.Get(ctx, tProject, &ProjectsUsageGetParams{
			StartDate: Ptr(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
			EndDate:   Ptr(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)),
			Interval:  Ptr(ProjectsUsageGetParamsIntervalDay),
		})
		return err
	})
	registerContract("projects_resource_usage", func(ctx context.Context, c *Client) error {
		_, err := c.Usage.Resources(ctx, tProject)
		return err
	})
	registerContract("quotas_list", func(ctx context.Context, c *Client) error {
		_, err := c.Quotas.List(ctx, tProject)
		return err
	})
	registerContract("projects_log_list", func(ctx context.Context, c *Client) error {
		_, err := c.Logs.ListDeprecated(ctx, tProject, exampleBody[LogsCreate]("projects_log_list"))
		return err
	})
	registerContract("logs_list", func(ctx context.Context, c *Client) error {
		q := LogFilter{DeploymentName: "scorer", DeploymentVersion: "v1", System: Ptr(false), Contains: []string{"loading"}}.String()
		_, err := c.Logs.List(ctx, tProject, &LogsListParams{Query: &q, Start: Ptr("2024-05-01 10:00:00"), End: Ptr("2024-05-01T11:00:00Z"), Limit: Ptr(5000)})
		return err
	})
	registerContract("user_get", func(ctx context.Context, c *Client) error {
		u, err := c.User(ctx)
		if err == nil && u.Email == "" {
			err = fmt.Errorf("no email")
		}
		return err
	})
	registerContract("organizations_list", func(ctx context.Context, c *Client) error {
		_, err := c.Organizations(ctx)
		return err
	})

	// Environments.
	registerContract("environments_list", func(ctx context.Context, c *Client) error {
		_, err := c.Environments.List(ctx, tProject, &EnvironmentsListParams{
			Labels: Ptr("team:ml"), EnvironmentType: Ptr(EnvironmentsListParamsEnvironmentTypeCustom), SupportsRequestFormat: Ptr(true),
		})
		return err
	})
	registerContract("environments_create", func(ctx context.Context, c *Client) error {
		_, err := c.Environments.Create(ctx, tProject, exampleBody[EnvironmentCreate]("environments_create"))
		return err
	})
	registerContract("environments_get", func(ctx context.Context, c *Client) error {
		_, err := c.Environments.Get(ctx, tProject, tEnvironment)
		return err
	})
	registerContract("environments_update", func(ctx context.Context, c *Client) error {
		_, err := c.Environments.Update(ctx, tProject, tEnvironment, exampleBody[EnvironmentUpdate]("environments_update"))
		return err
	})
	registerContract("environments_delete", func(ctx context.Context, c *Client) error {
		return c.Environments.Delete(ctx, tProject, tEnvironment)
	})
	registerContract("environments_usage", func(ctx context.Context, c *Client) error {
		_, err := c.Environments.Usage(ctx, tProject, tEnvironment, &EnvironmentsUsageParams{
			EnvironmentType: Ptr(EnvironmentsUsageParamsEnvironmentTypeAll),
		})
		return err
	})

	// Environment revisions (the file upload and download are registered with files.go).
	registerContract("environment_revisions_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentRevisions.List(ctx, tProject, tEnvironment)
		return err
	})
	registerContract("environment_revisions_get", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentRevisions.Get(ctx, tProject, tEnvironment, tRevisionID)
		return err
	})
	registerContract("environment_revisions_rebuild", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentRevisions.Rebuild(ctx, tProject, tEnvironment, tRevisionID)
		return err
	})

	// Environment builds.
	registerContract("environment_builds_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentBuilds.List(ctx, tProject, tEnvironment, tRevisionID)
		return err
	})
	registerContract("environment_builds_get", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentBuilds.Get(ctx, tProject, tEnvironment, tRevisionID, tBuildID)
		return err
	})
	registerContract("environment_builds_update", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentBuilds.Update(ctx, tProject, tEnvironment, tRevisionID, tBuildID,
			exampleBody[EnvironmentBuildUpdate]("environment_builds_update"))
		return err
	})
	registerContract("environment_build_dependencies_list", func(ctx context.Context, c *Client) error {
		_, err := c.EnvironmentBuilds.Dependencies(ctx, tProject, tEnvironment, tRevisionID, tBuildID)
		return err
	})

	// Instances.
	registerContract("instances_list", func(ctx context.Context, c *Client) error {
		_, err := c.Instances.List(ctx, tProject, tDeployment, tVersion, &InstancesListParams{
			Cursor: Ptr("cD0yMDI0"), Limit: Ptr(10), Status: Ptr("running,pending"),
		})
		return err
	})
	registerContract("instances_get", func(ctx context.Context, c *Client) error {
		_, err := c.Instances.Get(ctx, tProject, tDeployment, tVersion, tInstanceID)
		return err
	})
	registerContract("instance_events_list", func(ctx context.Context, c *Client) error {
		_, err := c.Instances.ListEvents(ctx, tProject, tDeployment, tVersion, tInstanceID, &InstanceEventsListParams{
			Cursor: Ptr("cD0yMDI0"), Limit: Ptr(20),
		})
		return err
	})
	registerContract("project_instances_list", func(ctx context.Context, c *Client) error {
		_, err := c.Instances.ListProject(ctx, tProject, &ProjectInstancesListParams{
			Limit: Ptr(10), Status: Ptr("running"),
		})
		return err
	})
	registerContract("project_instances_get", func(ctx context.Context, c *Client) error {
		_, err := c.Instances.GetProject(ctx, tProject, tInstanceID)
		return err
	})

	// Instance types and instance type groups.
	registerContract("instance_types_list", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypes.List(ctx, tProject, &InstanceTypesListParams{Limit: Ptr(50)})
		return err
	})
	registerContract("instance_type_groups_list", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypeGroups.List(ctx, tProject, &InstanceTypeGroupsListParams{Cursor: Ptr("cD0yMDI0"), Limit: Ptr(10)})
		return err
	})
	registerContract("instance_type_groups_create", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypeGroups.Create(ctx, tProject, exampleBody[InstanceTypeGroupCreate]("instance_type_groups_create"))
		return err
	})
	registerContract("instance_type_groups_get", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypeGroups.Get(ctx, tProject, tGroupID)
		return err
	})
	registerContract("instance_type_groups_update", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypeGroups.Update(ctx, tProject, tGroupID, exampleBody[InstanceTypeGroupUpdate]("instance_type_groups_update"))
		return err
	})
	registerContract("instance_type_groups_delete", func(ctx context.Context, c *Client) error {
		return c.InstanceTypeGroups.Delete(ctx, tProject, tGroupID)
	})
	registerContract("instance_type_groups_usage", func(ctx context.Context, c *Client) error {
		_, err := c.InstanceTypeGroups.Usage(ctx, tProject, tGroupID, &InstanceTypeGroupsUsageParams{Limit: Ptr(10)})
		return err
	})

	// Templates.
	registerContract("template_deployments_list", func(ctx context.Context, c *Client) error {
		_, err := c.Templates.ListDeployments(ctx)
		return err
	})
}
