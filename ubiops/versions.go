package ubiops

import "context"

// VersionsService manages the versions of a deployment (the deployment_versions_* operations).
type VersionsService struct{ c *Client }

// List returns the versions of a deployment; params may be nil (deployment_versions_list).
func (s *VersionsService) List(ctx context.Context, project, deployment string, params *DeploymentVersionsListParams, opts ...CallOption) ([]DeploymentVersionList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[[]DeploymentVersionList](ctx, s.c, opts, call3(s.c.raw.DeploymentVersionsList, project, deployment, params))
}

// Create creates a version of a deployment; upload its code afterwards as a revision (deployment_versions_create).
func (s *VersionsService) Create(ctx context.Context, project, deployment string, body DeploymentVersionCreate, opts ...CallOption) (*DeploymentVersionDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[*DeploymentVersionDetail](ctx, s.c, opts, call3(s.c.raw.DeploymentVersionsCreate, project, deployment, body))
}

// Get returns a version of a deployment (deployment_versions_get).
func (s *VersionsService) Get(ctx context.Context, project, deployment, version string, opts ...CallOption) (*DeploymentVersionDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[*DeploymentVersionDetail](ctx, s.c, opts, call3(s.c.raw.DeploymentVersionsGet, project, deployment, version))
}

// Update changes the given fields of a version, such as its scaling or instance type (deployment_versions_update).
func (s *VersionsService) Update(ctx context.Context, project, deployment, version string, body DeploymentVersionUpdate, opts ...CallOption) (*DeploymentVersionDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[*DeploymentVersionDetail](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionsUpdate, project, deployment, version, body))
}

// Delete deletes a version of a deployment with its revisions and requests (deployment_versions_delete).
func (s *VersionsService) Delete(ctx context.Context, project, deployment, version string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call3(s.c.raw.DeploymentVersionsDelete, project, deployment, version))
}
