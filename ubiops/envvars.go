package ubiops

import "context"

// EnvironmentVariablesService groups the environment variables of the three scopes they can be
// defined at. Project variables apply to every deployment version in the project; deployment
// variables apply to every version of one deployment; version variables apply to one version. A
// variable at a narrower scope overrides one with the same name at a wider scope, and the lists at
// deployment and version scope include the variables inherited from the wider scopes (with
// InheritanceType and InheritanceName set), while Get, Update and Delete address only variables
// defined at that scope: to override an inherited variable, create one with the same name. A secret
// variable's value is never returned, and a secret variable cannot be made plain again.
type EnvironmentVariablesService struct {
	Project    *ProjectEnvironmentVariablesService
	Deployment *DeploymentEnvironmentVariablesService
	Version    *VersionEnvironmentVariablesService
}

// ProjectEnvironmentVariablesService manages project-wide environment variables (the
// project_environment_variables_* operations).
type ProjectEnvironmentVariablesService struct{ c *Client }

// List returns the environment variables defined for a project (project_environment_variables_list).
func (s *ProjectEnvironmentVariablesService) List(ctx context.Context, project string, opts ...CallOption) ([]EnvironmentVariableList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[[]EnvironmentVariableList](ctx, s.c, opts, call1(s.c.raw.ProjectEnvironmentVariablesList, project))
}

// Create defines an environment variable for every deployment in a project (project_environment_variables_create).
func (s *ProjectEnvironmentVariablesService) Create(ctx context.Context, project string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call2(s.c.raw.ProjectEnvironmentVariablesCreate, project, body))
}

// Get returns a project environment variable by id (project_environment_variables_get).
func (s *ProjectEnvironmentVariablesService) Get(ctx context.Context, project, envVarID string, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call2(s.c.raw.ProjectEnvironmentVariablesGet, project, envVarID))
}

// Update replaces the name, value and secrecy of a project environment variable (project_environment_variables_update).
func (s *ProjectEnvironmentVariablesService) Update(ctx context.Context, project, envVarID string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call3(s.c.raw.ProjectEnvironmentVariablesUpdate, project, envVarID, body))
}

// Delete deletes a project environment variable (project_environment_variables_delete).
func (s *ProjectEnvironmentVariablesService) Delete(ctx context.Context, project, envVarID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "id", envVarID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call2(s.c.raw.ProjectEnvironmentVariablesDelete, project, envVarID))
}

// DeploymentEnvironmentVariablesService manages the environment variables of a deployment (the
// deployment_environment_variables_* operations).
type DeploymentEnvironmentVariablesService struct{ c *Client }

// List returns a deployment's environment variables, including those inherited from the project (deployment_environment_variables_list).
func (s *DeploymentEnvironmentVariablesService) List(ctx context.Context, project, deployment string, opts ...CallOption) ([]InheritedEnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[[]InheritedEnvironmentVariableList](ctx, s.c, opts, call2(s.c.raw.DeploymentEnvironmentVariablesList, project, deployment))
}

// Create defines an environment variable for every version of a deployment (deployment_environment_variables_create).
func (s *DeploymentEnvironmentVariablesService) Create(ctx context.Context, project, deployment string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call3(s.c.raw.DeploymentEnvironmentVariablesCreate, project, deployment, body))
}

// Get returns a deployment environment variable by id (deployment_environment_variables_get).
func (s *DeploymentEnvironmentVariablesService) Get(ctx context.Context, project, deployment, envVarID string, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call3(s.c.raw.DeploymentEnvironmentVariablesGet, project, deployment, envVarID))
}

// Update replaces the name, value and secrecy of a deployment environment variable (deployment_environment_variables_update).
func (s *DeploymentEnvironmentVariablesService) Update(ctx context.Context, project, deployment, envVarID string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call4(s.c.raw.DeploymentEnvironmentVariablesUpdate, project, deployment, envVarID, body))
}

// Delete deletes a deployment environment variable (deployment_environment_variables_delete).
func (s *DeploymentEnvironmentVariablesService) Delete(ctx context.Context, project, deployment, envVarID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment, "id", envVarID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call3(s.c.raw.DeploymentEnvironmentVariablesDelete, project, deployment, envVarID))
}

// Copy copies the environment variables of another deployment (or one of its versions) to a deployment, overwriting same-named ones, and returns the copied variables (deployment_environment_variables_copy).
func (s *DeploymentEnvironmentVariablesService) Copy(ctx context.Context, project, deployment string, body EnvironmentVariableCopy, opts ...CallOption) ([]InheritedEnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment); err != nil {
		return nil, err
	}
	return decode[[]InheritedEnvironmentVariableList](ctx, s.c, opts, call3(s.c.raw.DeploymentEnvironmentVariablesCopy, project, deployment, body))
}

// VersionEnvironmentVariablesService manages the environment variables of a deployment version (the
// deployment_version_environment_variables_* operations).
type VersionEnvironmentVariablesService struct{ c *Client }

// List returns a version's environment variables, including those inherited from its deployment and project (deployment_version_environment_variables_list).
func (s *VersionEnvironmentVariablesService) List(ctx context.Context, project, deployment, version string, opts ...CallOption) ([]InheritedEnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[[]InheritedEnvironmentVariableList](ctx, s.c, opts, call3(s.c.raw.DeploymentVersionEnvironmentVariablesList, project, deployment, version))
}

// Create defines an environment variable for one version of a deployment (deployment_version_environment_variables_create).
func (s *VersionEnvironmentVariablesService) Create(ctx context.Context, project, deployment, version string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionEnvironmentVariablesCreate, project, deployment, version, body))
}

// Get returns a version environment variable by id (deployment_version_environment_variables_get).
func (s *VersionEnvironmentVariablesService) Get(ctx context.Context, project, deployment, version, envVarID string, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionEnvironmentVariablesGet, project, deployment, version, envVarID))
}

// Update replaces the name, value and secrecy of a version environment variable (deployment_version_environment_variables_update).
func (s *VersionEnvironmentVariablesService) Update(ctx context.Context, project, deployment, version, envVarID string, body EnvironmentVariableCreate, opts ...CallOption) (*EnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "id", envVarID); err != nil {
		return nil, err
	}
	return decode[*EnvironmentVariableList](ctx, s.c, opts, call5(s.c.raw.DeploymentVersionEnvironmentVariablesUpdate, project, deployment, version, envVarID, body))
}

// Delete deletes a version environment variable (deployment_version_environment_variables_delete).
func (s *VersionEnvironmentVariablesService) Delete(ctx context.Context, project, deployment, version, envVarID string, opts ...CallOption) error {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version, "id", envVarID); err != nil {
		return err
	}
	return noContent(ctx, s.c, opts, call4(s.c.raw.DeploymentVersionEnvironmentVariablesDelete, project, deployment, version, envVarID))
}

// Copy copies the environment variables of another deployment (or one of its versions) to a version, overwriting same-named ones, and returns the copied variables (deployment_version_environment_variables_copy).
func (s *VersionEnvironmentVariablesService) Copy(ctx context.Context, project, deployment, version string, body EnvironmentVariableCopy, opts ...CallOption) ([]InheritedEnvironmentVariableList, error) {
	if err := checkPath("project_name", project, "deployment_name", deployment, "version", version); err != nil {
		return nil, err
	}
	return decode[[]InheritedEnvironmentVariableList](ctx, s.c, opts, call4(s.c.raw.DeploymentVersionEnvironmentVariablesCopy, project, deployment, version, body))
}
