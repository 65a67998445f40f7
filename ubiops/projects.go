package ubiops

import "context"

// ProjectsService manages projects (the projects_* operations).
type ProjectsService struct{ c *Client }

// List returns the projects the token can access; params may be nil (projects_list).
func (s *ProjectsService) List(ctx context.Context, params *ProjectsListParams, opts ...CallOption) ([]ProjectList, error) {
	return decode[[]ProjectList](ctx, s.c, opts, call1(s.c.raw.ProjectsList, params))
}

// Create creates a project (projects_create).
func (s *ProjectsService) Create(ctx context.Context, body ProjectCreate, opts ...CallOption) (*ProjectDetail, error) {
	return decode[*ProjectDetail](ctx, s.c, opts, call1(s.c.raw.ProjectsCreate, body))
}

// Get returns a project (projects_get).
func (s *ProjectsService) Get(ctx context.Context, project string, opts ...CallOption) (*ProjectDetail, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectDetail](ctx, s.c, opts, call1(s.c.raw.ProjectsGet, project))
}

// Update changes the given fields of a project (projects_update).
func (s *ProjectsService) Update(ctx context.Context, project string, body ProjectUpdate, opts ...CallOption) (*ProjectDetail, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectDetail](ctx, s.c, opts, call2(s.c.raw.ProjectsUpdate, project, body))
}

// Delete deletes a project and everything in it (projects_delete).
func (s *ProjectsService) Delete(ctx context.Context, project string, opts ...CallOption) error {
	if err := checkPath("project_name", project); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call1(s.c.raw.ProjectsDelete, project))
}
