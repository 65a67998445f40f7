package ubiops

import (
	"context"

	"github.com/ubiops/ubiops-go/gen"
)

// EnvironmentsService manages the environments of a project (the environments_* operations).
type EnvironmentsService struct{ c *Client }

// List returns the environments of a project; params may be nil (environments_list).
func (s *EnvironmentsService) List(ctx context.Context, project string, params *EnvironmentsListParams, opts ...CallOption) ([]EnvironmentList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentList](ctx, s.c, opts, call2(s.c.raw.EnvironmentsList, project, params))
}

// Create creates a custom environment (environments_create).
func (s *EnvironmentsService) Create(ctx context.Context, project string, body EnvironmentCreate, opts ...CallOption) (*EnvironmentList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*EnvironmentList](ctx, s.c, opts, call2(s.c.raw.EnvironmentsCreate, project, body))
}

// Get returns an environment (environments_get).
func (s *EnvironmentsService) Get(ctx context.Context, project, environment string, opts ...CallOption) (*EnvironmentDetail, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	return decode[*EnvironmentDetail](ctx, s.c, opts, call2(s.c.raw.EnvironmentsGet, project, environment))
}

// Update changes the given fields of an environment (environments_update).
func (s *EnvironmentsService) Update(ctx context.Context, project, environment string, body EnvironmentUpdate, opts ...CallOption) (*EnvironmentDetail, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	return decode[*EnvironmentDetail](ctx, s.c, opts, call3(s.c.raw.EnvironmentsUpdate, project, environment, body))
}

// Delete deletes an environment (environments_delete).
func (s *EnvironmentsService) Delete(ctx context.Context, project, environment string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call2(s.c.raw.EnvironmentsDelete, project, environment))
}

// Usage returns the deployment versions that use an environment; params may be nil (environments_usage).
func (s *EnvironmentsService) Usage(ctx context.Context, project, environment string, params *EnvironmentsUsageParams, opts ...CallOption) ([]EnvironmentUsage, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentUsage](ctx, s.c, opts, call3(s.c.raw.EnvironmentsUsage, project, environment, params))
}

// EnvironmentRevisionsService reads and rebuilds environment revisions (environment_revisions_list,
// environment_revisions_get, environment_revisions_rebuild) and uploads and downloads their files
// (Upload, Download, Open, DownloadFile; see the Files section of the package documentation).
type EnvironmentRevisionsService struct{ c *Client }

// List returns the revisions of an environment (environment_revisions_list).
func (s *EnvironmentRevisionsService) List(ctx context.Context, project, environment string, opts ...CallOption) ([]EnvironmentRevisionDetail, error) {
	if err := checkPath("project_name", project, "environment_name", environment); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentRevisionDetail](ctx, s.c, opts, call2(s.c.raw.EnvironmentRevisionsList, project, environment))
}

// Get returns one revision of an environment (environment_revisions_get).
func (s *EnvironmentRevisionsService) Get(ctx context.Context, project, environment, revisionID string, opts ...CallOption) (*EnvironmentRevisionDetail, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentRevisionDetail](ctx, s.c, opts, call3(s.c.raw.EnvironmentRevisionsGet, project, environment, revisionID))
}

// Rebuild starts a new build of an environment revision (environment_revisions_rebuild).
func (s *EnvironmentRevisionsService) Rebuild(ctx context.Context, project, environment, revisionID string, opts ...CallOption) (*EnvironmentBuildList, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID); err != nil {
		return nil, err
	}
	// The API takes an empty JSON object; a nil map would be sent as null.
	return decode[*EnvironmentBuildList](ctx, s.c, opts, call4(s.c.raw.EnvironmentRevisionsRebuild, project, environment, revisionID, gen.EnvironmentRevisionsRebuildJSONRequestBody{}))
}

// EnvironmentBuildsService manages the builds of environment revisions (environment_builds_list,
// environment_builds_get, environment_builds_update, environment_build_dependencies_list).
type EnvironmentBuildsService struct{ c *Client }

// List returns the builds of an environment revision (environment_builds_list).
func (s *EnvironmentBuildsService) List(ctx context.Context, project, environment, revisionID string, opts ...CallOption) ([]EnvironmentBuildList, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentBuildList](ctx, s.c, opts, call3(s.c.raw.EnvironmentBuildsList, project, environment, revisionID))
}

// Get returns one build of an environment revision (environment_builds_get).
func (s *EnvironmentBuildsService) Get(ctx context.Context, project, environment, revisionID, buildID string, opts ...CallOption) (*EnvironmentBuildList, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID, "build_id", buildID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentBuildList](ctx, s.c, opts, call4(s.c.raw.EnvironmentBuildsGet, project, environment, revisionID, buildID))
}

// Update changes a build, for example to cancel it (environment_builds_update).
func (s *EnvironmentBuildsService) Update(ctx context.Context, project, environment, revisionID, buildID string, body EnvironmentBuildUpdate, opts ...CallOption) (*EnvironmentBuildList, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID, "build_id", buildID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentBuildList](ctx, s.c, opts, call5(s.c.raw.EnvironmentBuildsUpdate, project, environment, revisionID, buildID, body))
}

// Dependencies returns the dependency files of a build with their contents (environment_build_dependencies_list).
func (s *EnvironmentBuildsService) Dependencies(ctx context.Context, project, environment, revisionID, buildID string, opts ...CallOption) ([]EnvironmentBuildDependency, error) {
	if err := checkPath("project_name", project, "environment_name", environment, "revision_id", revisionID, "build_id", buildID); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentBuildDependency](ctx, s.c, opts, call4(s.c.raw.EnvironmentBuildDependenciesList, project, environment, revisionID, buildID))
}
