package ubiops

import "context"

// ProjectUsersService manages the users of a project (the project_users_* operations).
type ProjectUsersService struct{ c *Client }

// List returns the users of a project; params may be nil (project_users_list).
func (s *ProjectUsersService) List(ctx context.Context, project string, params *ProjectUsersListParams, opts ...CallOption) ([]ProjectUserList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]ProjectUserList](ctx, s.c, opts, call2(s.c.raw.ProjectUsersList, project, params))
}

// Create adds a user to a project (project_users_create).
func (s *ProjectUsersService) Create(ctx context.Context, project string, body ProjectUserCreate, opts ...CallOption) (*ProjectUserList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*ProjectUserList](ctx, s.c, opts, call2(s.c.raw.ProjectUsersCreate, project, body))
}

// Get returns one user of a project (project_users_get).
func (s *ProjectUsersService) Get(ctx context.Context, project, userID string, opts ...CallOption) (*ProjectUserList, error) {
	if err := checkPath("project_name", project, "user_id", userID); err != nil {
		return nil, err
	}
	return decode[*ProjectUserList](ctx, s.c, opts, call2(s.c.raw.ProjectUsersGet, project, userID))
}

// Delete removes a user from a project (project_users_delete).
func (s *ProjectUsersService) Delete(ctx context.Context, project, userID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "user_id", userID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call2(s.c.raw.ProjectUsersDelete, project, userID))
}
