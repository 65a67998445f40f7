package ubiops

import "context"

// DeploymentsService manages the deployments of a project (the deployments_* operations).
type DeploymentsService struct{ c *Client }

// List returns the deployments of a project; params may be nil (deployments_list).
func (s *DeploymentsService) List(ctx context.Context, project string, params *DeploymentsListParams, opts ...CallOption) ([]DeploymentList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]DeploymentList](ctx, s.c, opts, call2(s.c.raw.DeploymentsList, project, params))
}

// Create creates a deployment; its code and settings live in versions created afterwards (deployments_create).
func (s *DeploymentsService) Create(ctx context.Context, project string, body DeploymentCreate, opts ...CallOption) (*DeploymentCreateResponse, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*DeploymentCreateResponse](ctx, s.c, opts, call2(s.c.raw.DeploymentsCreate, project, body))
}

// Get returns a deployment (deployments_get).
func (s *DeploymentsService) Get(ctx context.Context, project, deployment string, opts ...CallOption) (*DeploymentDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[*DeploymentDetail](ctx, s.c, opts, call2(s.c.raw.DeploymentsGet, project, deployment))
}

// Update changes the given fields of a deployment, such as its name or default version (deployments_update).
func (s *DeploymentsService) Update(ctx context.Context, project, deployment string, body DeploymentUpdate, opts ...CallOption) (*DeploymentDetail, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[*DeploymentDetail](ctx, s.c, opts, call3(s.c.raw.DeploymentsUpdate, project, deployment, body))
}

// Delete deletes a deployment together with its versions and requests (deployments_delete).
func (s *DeploymentsService) Delete(ctx context.Context, project, deployment string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call2(s.c.raw.DeploymentsDelete, project, deployment))
}
