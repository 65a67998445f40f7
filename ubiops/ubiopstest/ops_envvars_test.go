package ubiopstest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// envVarSummary is what a list entry says, without its id.
type envVarSummary struct {
	Name, Value, InheritanceType, InheritanceName string
	Secret, ValueNull                             bool
}

func summarize(list []ubiops.InheritedEnvironmentVariableList) map[string]envVarSummary {
	out := map[string]envVarSummary{}
	for _, v := range list {
		s := envVarSummary{Name: v.Name, Secret: v.Secret, ValueNull: v.Value == nil}
		s.Value = val(v.Value)
		s.InheritanceType = val(v.InheritanceType)
		s.InheritanceName = val(v.InheritanceName)
		out[v.Name] = s
	}
	return out
}

func TestProjectEnvironmentVariables(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	pev := c.EnvironmentVariables.Project

	vars, err := pev.List(ctx, "project-1")
	require.NoError(t, err)
	assert.Empty(t, vars)

	plain, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "public"})
	require.NoError(t, err)
	assert.Equal(t, "database_schema", plain.Name)
	require.NotNil(t, plain.Value)
	v := *plain.Value
	assert.Equal(t, "public", v)
	assert.False(t, plain.Secret)

	secret, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "password", Secret: true})
	require.NoError(t, err)
	assert.True(t, secret.Secret)
	assert.Nil(t, secret.Value, "a secret's value is never answered")

	empty, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "EMPTY", Value: ""})
	require.NoError(t, err)
	require.NotNil(t, empty.Value)
	v = *empty.Value
	assert.Equal(t, "", v, "an empty value is a value, not null")

	_, err = pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "other"})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "_bad", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "names are letters and underscores, not starting with one")
	_, err = pev.Create(ctx, "missing", ubiops.EnvironmentVariableCreate{Name: "A", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	vars, err = pev.List(ctx, "project-1")
	require.NoError(t, err)
	require.Len(t, vars, 3)
	assert.Equal(t, *plain, vars[0])
	assert.Equal(t, *secret, vars[1])

	got, err := pev.Get(ctx, "project-1", secret.ID.String())
	require.NoError(t, err)
	assert.Equal(t, *secret, *got)
	_, err = pev.Get(ctx, "project-1", uuid.NewString())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = pev.Get(ctx, "project-1", "nope")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Update replaces name, value and secrecy; plain may become secret, not back.
	up, err := pev.Update(ctx, "project-1", plain.ID.String(), ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "new_schema"})
	require.NoError(t, err)
	v = val(up.Value)
	assert.Equal(t, "new_schema", v)
	assert.Equal(t, plain.ID, up.ID)
	_, err = pev.Update(ctx, "project-1", secret.ID.String(), ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "x", Secret: false})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "a secret stays secret")
	_, err = pev.Update(ctx, "project-1", plain.ID.String(), ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrConflict, "a rename onto another variable's name")
	_, err = pev.Update(ctx, "project-1", uuid.NewString(), ubiops.EnvironmentVariableCreate{Name: "X", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	up, err = pev.Update(ctx, "project-1", plain.ID.String(), ubiops.EnvironmentVariableCreate{Name: "SCHEMA", Value: "s", Secret: true})
	require.NoError(t, err)
	assert.Equal(t, "SCHEMA", up.Name)
	assert.True(t, up.Secret)
	assert.Nil(t, up.Value)
	up, err = pev.Update(ctx, "project-1", plain.ID.String(), ubiops.EnvironmentVariableCreate{Name: "SCHEMA", Value: "t", Secret: true})
	require.NoError(t, err, "a secret can be updated while it stays secret")
	assert.Nil(t, up.Value)

	require.NoError(t, pev.Delete(ctx, "project-1", empty.ID.String()))
	_, err = pev.Get(ctx, "project-1", empty.ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, pev.Delete(ctx, "project-1", empty.ID.String()), ubiops.ErrNotFound)
	vars, err = pev.List(ctx, "project-1")
	require.NoError(t, err)
	assert.Len(t, vars, 2)

	// Variables belong to their project.
	mustProject(t, c, "project-2", "org")
	_, err = pev.Get(ctx, "project-2", secret.ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = pev.Create(ctx, "project-2", ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "p2"})
	require.NoError(t, err, "names are unique per scope only")

	events, err := c.Audit.ListProject(ctx, "project-1", nil)
	require.NoError(t, err)
	counts := map[ubiops.AuditListAction]int{}
	for _, e := range events {
		if e.ObjectType == "environment_variable" {
			counts[e.Action]++
		}
	}
	assert.Equal(t, map[ubiops.AuditListAction]int{ubiops.AuditListActionCreate: 3, ubiops.AuditListActionUpdate: 3, ubiops.AuditListActionDelete: 1}, counts)
}

func TestDeploymentEnvironmentVariables(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	mustDeployment(t, c, "project-1", "deployment-1")
	pev, dev := c.EnvironmentVariables.Project, c.EnvironmentVariables.Deployment

	_, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "public"})
	require.NoError(t, err)
	_, err = pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "pw", Secret: true})
	require.NoError(t, err)

	list, err := dev.List(ctx, "project-1", "deployment-1")
	require.NoError(t, err)
	assert.Equal(t, map[string]envVarSummary{
		"database_schema":   {Name: "database_schema", Value: "public", InheritanceType: "project", InheritanceName: "project-1"},
		"database_password": {Name: "database_password", Secret: true, ValueNull: true, InheritanceType: "project", InheritanceName: "project-1"},
	}, summarize(list))

	own, err := dev.Create(ctx, "project-1", "deployment-1", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "deployment_schema"})
	require.NoError(t, err, "a deployment variable may shadow a project variable")
	_, err = dev.Create(ctx, "project-1", "deployment-1", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "again"})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = dev.Create(ctx, "project-1", "missing", ubiops.EnvironmentVariableCreate{Name: "A", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	extra, err := dev.Create(ctx, "project-1", "deployment-1", ubiops.EnvironmentVariableCreate{Name: "deployment_variable_a", Value: "some_value"})
	require.NoError(t, err)

	list, err = dev.List(ctx, "project-1", "deployment-1")
	require.NoError(t, err)
	require.Len(t, list, 3)
	assert.Equal(t, own.ID, list[0].ID, "own variables first")
	assert.Equal(t, map[string]envVarSummary{
		"database_schema":       {Name: "database_schema", Value: "deployment_schema"},
		"deployment_variable_a": {Name: "deployment_variable_a", Value: "some_value"},
		"database_password":     {Name: "database_password", Secret: true, ValueNull: true, InheritanceType: "project", InheritanceName: "project-1"},
	}, summarize(list))

	// Only the deployment's own variables are addressable here.
	projectVars, err := pev.List(ctx, "project-1")
	require.NoError(t, err)
	_, err = dev.Get(ctx, "project-1", "deployment-1", projectVars[1].ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = dev.Update(ctx, "project-1", "deployment-1", projectVars[1].ID.String(), ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "x", Secret: true})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, dev.Delete(ctx, "project-1", "deployment-1", projectVars[1].ID.String()), ubiops.ErrNotFound)

	got, err := dev.Get(ctx, "project-1", "deployment-1", own.ID.String())
	require.NoError(t, err)
	assert.Equal(t, own, got)

	up, err := dev.Update(ctx, "project-1", "deployment-1", extra.ID.String(), ubiops.EnvironmentVariableCreate{Name: "deployment_variable_a", Value: "some new value", Secret: true})
	require.NoError(t, err)
	assert.True(t, up.Secret)
	assert.Nil(t, up.Value)
	_, err = dev.Update(ctx, "project-1", "deployment-1", extra.ID.String(), ubiops.EnvironmentVariableCreate{Name: "deployment_variable_a", Value: "v"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = dev.Update(ctx, "project-1", "deployment-1", extra.ID.String(), ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "v", Secret: true})
	assert.ErrorIs(t, err, ubiops.ErrConflict)

	// Deleting the override uncovers the project's variable.
	require.NoError(t, dev.Delete(ctx, "project-1", "deployment-1", own.ID.String()))
	_, err = dev.Get(ctx, "project-1", "deployment-1", own.ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	list, err = dev.List(ctx, "project-1", "deployment-1")
	require.NoError(t, err)
	assert.Equal(t, "project", summarize(list)["database_schema"].InheritanceType)
	assert.Equal(t, "public", summarize(list)["database_schema"].Value)

	_, err = dev.List(ctx, "project-1", "missing")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = dev.List(ctx, "missing", "deployment-1")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestVersionEnvironmentVariables(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	mustDeployment(t, c, "project-1", "deployment-1")
	mustVersion(t, c, "project-1", "deployment-1", "v1")
	pev, dev, vev := c.EnvironmentVariables.Project, c.EnvironmentVariables.Deployment, c.EnvironmentVariables.Version

	for _, name := range []string{"A", "B", "C"} {
		_, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: name, Value: "project"})
		require.NoError(t, err)
	}
	for _, name := range []string{"B", "C"} {
		_, err := dev.Create(ctx, "project-1", "deployment-1", ubiops.EnvironmentVariableCreate{Name: name, Value: "deployment"})
		require.NoError(t, err)
	}
	own, err := vev.Create(ctx, "project-1", "deployment-1", "v1", ubiops.EnvironmentVariableCreate{Name: "C", Value: "version"})
	require.NoError(t, err)
	_, err = vev.Create(ctx, "project-1", "deployment-1", "v1", ubiops.EnvironmentVariableCreate{Name: "C", Value: "again"})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = vev.Create(ctx, "project-1", "deployment-1", "v9", ubiops.EnvironmentVariableCreate{Name: "C", Value: "again"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	secret, err := vev.Create(ctx, "project-1", "deployment-1", "v1", ubiops.EnvironmentVariableCreate{Name: "S", Value: "hidden", Secret: true})
	require.NoError(t, err)
	assert.Nil(t, secret.Value)

	list, err := vev.List(ctx, "project-1", "deployment-1", "v1")
	require.NoError(t, err)
	require.Len(t, list, 4)
	assert.Equal(t, own.ID, list[0].ID)
	assert.Equal(t, map[string]envVarSummary{
		"C": {Name: "C", Value: "version"},
		"S": {Name: "S", Secret: true, ValueNull: true},
		"B": {Name: "B", Value: "deployment", InheritanceType: "deployment", InheritanceName: "deployment-1"},
		"A": {Name: "A", Value: "project", InheritanceType: "project", InheritanceName: "project-1"},
	}, summarize(list))

	// Deployment-scope variables are not addressable at version scope.
	dlist, err := dev.List(ctx, "project-1", "deployment-1")
	require.NoError(t, err)
	_, err = vev.Get(ctx, "project-1", "deployment-1", "v1", dlist[0].ID.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	got, err := vev.Get(ctx, "project-1", "deployment-1", "v1", own.ID.String())
	require.NoError(t, err)
	assert.Equal(t, own, got)
	up, err := vev.Update(ctx, "project-1", "deployment-1", "v1", own.ID.String(), ubiops.EnvironmentVariableCreate{Name: "C", Value: "yet another one"})
	require.NoError(t, err)
	v := val(up.Value)
	assert.Equal(t, "yet another one", v)
	_, err = vev.Update(ctx, "project-1", "deployment-1", "v1", secret.ID.String(), ubiops.EnvironmentVariableCreate{Name: "S", Value: "x"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)

	require.NoError(t, vev.Delete(ctx, "project-1", "deployment-1", "v1", own.ID.String()))
	assert.ErrorIs(t, vev.Delete(ctx, "project-1", "deployment-1", "v1", own.ID.String()), ubiops.ErrNotFound)
	list, err = vev.List(ctx, "project-1", "deployment-1", "v1")
	require.NoError(t, err)
	assert.Equal(t, "deployment", summarize(list)["C"].InheritanceType, "the deployment's C shows again")
	assert.Equal(t, "deployment", summarize(list)["C"].Value)
}

func TestCopyEnvironmentVariables(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	mustDeployment(t, c, "project-1", "source")
	mustVersion(t, c, "project-1", "source", "v1")
	mustDeployment(t, c, "project-1", "target")
	mustVersion(t, c, "project-1", "target", "v1")
	pev, dev, vev := c.EnvironmentVariables.Project, c.EnvironmentVariables.Deployment, c.EnvironmentVariables.Version

	_, err := pev.Create(ctx, "project-1", ubiops.EnvironmentVariableCreate{Name: "PROJECT_ONLY", Value: "p"})
	require.NoError(t, err)
	_, err = dev.Create(ctx, "project-1", "source", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "public"})
	require.NoError(t, err)
	_, err = dev.Create(ctx, "project-1", "source", ubiops.EnvironmentVariableCreate{Name: "database_password", Value: "pw", Secret: true})
	require.NoError(t, err)
	_, err = vev.Create(ctx, "project-1", "source", "v1", ubiops.EnvironmentVariableCreate{Name: "version_specific_variable", Value: "some_value"})
	require.NoError(t, err)

	existing, err := dev.Create(ctx, "project-1", "target", ubiops.EnvironmentVariableCreate{Name: "database_schema", Value: "old"})
	require.NoError(t, err)
	keep, err := dev.Create(ctx, "project-1", "target", ubiops.EnvironmentVariableCreate{Name: "KEEP", Value: "k"})
	require.NoError(t, err)

	// Deployment to deployment: the source's own variables, overwriting same-named ones.
	copied, err := dev.Copy(ctx, "project-1", "target", ubiops.EnvironmentVariableCopy{SourceDeployment: "source"})
	require.NoError(t, err)
	assert.Equal(t, map[string]envVarSummary{
		"database_schema":   {Name: "database_schema", Value: "public"},
		"database_password": {Name: "database_password", Secret: true, ValueNull: true},
	}, summarize(copied), "only the copied variables, as the target's own")
	for _, v := range copied {
		if v.Name == "database_schema" {
			assert.Equal(t, existing.ID, v.ID, "an overwritten variable keeps its id")
		}
	}
	list, err := dev.List(ctx, "project-1", "target")
	require.NoError(t, err)
	assert.Equal(t, map[string]envVarSummary{
		"database_schema":   {Name: "database_schema", Value: "public"},
		"database_password": {Name: "database_password", Secret: true, ValueNull: true},
		"KEEP":              {Name: "KEEP", Value: "k"},
		"PROJECT_ONLY":      {Name: "PROJECT_ONLY", Value: "p", InheritanceType: "project", InheritanceName: "project-1"},
	}, summarize(list))
	got, err := dev.Get(ctx, "project-1", "target", keep.ID.String())
	require.NoError(t, err)
	assert.Equal(t, keep, got)

	// Version to deployment.
	copied, err = dev.Copy(ctx, "project-1", "target", ubiops.EnvironmentVariableCopy{SourceDeployment: "source", SourceVersion: ubiops.Ptr("v1")})
	require.NoError(t, err)
	assert.Equal(t, map[string]envVarSummary{"version_specific_variable": {Name: "version_specific_variable", Value: "some_value"}}, summarize(copied))

	// Deployment and version to a version.
	copied, err = vev.Copy(ctx, "project-1", "target", "v1", ubiops.EnvironmentVariableCopy{SourceDeployment: "source"})
	require.NoError(t, err)
	assert.Len(t, copied, 2)
	copied, err = vev.Copy(ctx, "project-1", "target", "v1", ubiops.EnvironmentVariableCopy{SourceDeployment: "source", SourceVersion: ubiops.Ptr("v1")})
	require.NoError(t, err)
	assert.Len(t, copied, 1)
	vlist, err := vev.List(ctx, "project-1", "target", "v1")
	require.NoError(t, err)
	s := summarize(vlist)
	assert.Equal(t, "", s["database_schema"].InheritanceType, "copied into the version itself")
	assert.Equal(t, "", s["version_specific_variable"].InheritanceType)
	assert.Equal(t, "deployment", s["KEEP"].InheritanceType)
	assert.Equal(t, "project", s["PROJECT_ONLY"].InheritanceType)

	// Copying from an object without variables copies nothing.
	mustDeployment(t, c, "project-1", "bare")
	copied, err = dev.Copy(ctx, "project-1", "target", ubiops.EnvironmentVariableCopy{SourceDeployment: "bare"})
	require.NoError(t, err)
	assert.Empty(t, copied)

	// Missing sources and targets.
	_, err = dev.Copy(ctx, "project-1", "target", ubiops.EnvironmentVariableCopy{SourceDeployment: "missing"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = dev.Copy(ctx, "project-1", "target", ubiops.EnvironmentVariableCopy{SourceDeployment: "source", SourceVersion: ubiops.Ptr("v9")})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = dev.Copy(ctx, "project-1", "missing", ubiops.EnvironmentVariableCopy{SourceDeployment: "source"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = vev.Copy(ctx, "project-1", "target", "v9", ubiops.EnvironmentVariableCopy{SourceDeployment: "source"})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	events, err := c.Audit.ListProject(ctx, "project-1", &ubiops.ProjectAuditEventsListParams{Action: ubiops.Ptr(ubiops.ProjectAuditEventsListParamsActionUpdate)})
	require.NoError(t, err)
	copies := 0
	for _, e := range events {
		if e.ObjectType == "deployment" || e.ObjectType == "deployment_version" {
			copies++
		}
	}
	assert.GreaterOrEqual(t, copies, 5, "each copy is recorded")
}

func TestCopyEnvironmentVariablesBadBody(t *testing.T) {
	srv, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	mustDeployment(t, c, "project-1", "target")
	status, body, _ := rawRequest(t, srv, http.MethodPost, "/v2.1/projects/project-1/deployments/target/copy-environment-variables", srv.Token(), `{"source_version":"v1"}`)
	assert.Equal(t, http.StatusBadRequest, status, body)
	assert.Contains(t, body, "source_deployment")
}
