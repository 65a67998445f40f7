package ubiopstest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// Names that need escaping in a path: each must be found again, through a client that escapes path
// segments, after it was created. Before the fix the router's still-encoded path parameters were
// compared with the stored names, so these were created but never found.
var escapedNames = []string{"my model", "modèle", "a b", "%41", "100%", "a+b", "a?b#c", "a;b=c", "日本語", "...", "a\\b", `"q"`}

// requireBadName asserts a 400 that names the body field.
func requireBadName(t *testing.T, err error, field, name string) {
	t.Helper()
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr, "%q must be refused", name)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode, "%q", name)
	assert.Contains(t, apiErr.Message, "request body field "+field, "%q", name)
}

// Names no deployment, version or environment may have: they cannot be a path segment.
var badPathNames = []string{"", ".", "..", "a/b", "/", "a\x00b", "a\nb", "a\tb", "a\rb", "a\x7fb", "a\u0085b", "a\u009fb"}

// TestEscapedNamesRoundTrip: deployments, versions, environments and environment variables with
// names that need escaping are created, read, updated (renamed too) and deleted through the client.
func TestEscapedNamesRoundTrip(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	c := srv.Client()
	ctx := context.Background()
	// Project names never need escaping (lowercase letters, digits and dashes): the round trip
	// through every operation below is that of an ordinary name.
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p-1", OrganizationName: "o"})
	require.NoError(t, err)
	got, err := c.Projects.Get(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, "p-1", got.Name)

	for _, name := range escapedNames {
		t.Run(name, func(t *testing.T) {
			dep, err := c.Deployments.Create(ctx, "p-1", ubiops.DeploymentCreate{Name: name, InputType: structuredIn, OutputType: structuredOut})
			require.NoError(t, err)
			assert.Equal(t, name, dep.Name)
			d, err := c.Deployments.Get(ctx, "p-1", name)
			require.NoError(t, err, "get deployment %q", name)
			assert.Equal(t, name, d.Name)
			d, err = c.Deployments.Update(ctx, "p-1", name, ubiops.DeploymentUpdate{Description: ubiops.Ptr("described")})
			require.NoError(t, err, "update deployment %q", name)
			assert.Equal(t, "described", d.Description)

			// A version and an environment of the same name, and variables at every scope.
			env, err := c.Environments.Create(ctx, "p-1", ubiops.EnvironmentCreate{Name: name, BaseEnvironment: ubiops.Ptr("python3-12")})
			require.NoError(t, err)
			assert.Equal(t, name, env.Name)
			e, err := c.Environments.Get(ctx, "p-1", name)
			require.NoError(t, err, "get environment %q", name)
			assert.Equal(t, name, e.Name)
			e, err = c.Environments.Update(ctx, "p-1", name, ubiops.EnvironmentUpdate{Description: ubiops.Ptr("env")})
			require.NoError(t, err, "update environment %q", name)
			assert.Equal(t, "env", e.Description)

			v, err := c.Versions.Create(ctx, "p-1", name, ubiops.DeploymentVersionCreate{Version: name, Environment: ubiops.Ptr(name)})
			require.NoError(t, err)
			assert.Equal(t, name, v.Version)
			v, err = c.Versions.Get(ctx, "p-1", name, name)
			require.NoError(t, err, "get version %q", name)
			assert.Equal(t, name, v.Version)
			assert.Equal(t, name, v.Environment)
			v, err = c.Versions.Update(ctx, "p-1", name, name, ubiops.DeploymentVersionUpdate{Description: ubiops.Ptr("v")})
			require.NoError(t, err, "update version %q", name)
			assert.Equal(t, "v", v.Description)

			dv, err := c.EnvironmentVariables.Deployment.Create(ctx, "p-1", name, ubiops.EnvironmentVariableCreate{Name: "DEP", Value: "1"})
			require.NoError(t, err)
			vv, err := c.EnvironmentVariables.Version.Create(ctx, "p-1", name, name, ubiops.EnvironmentVariableCreate{Name: "VER", Value: "1"})
			require.NoError(t, err)
			got, err := c.EnvironmentVariables.Deployment.Get(ctx, "p-1", name, dv.ID.String())
			require.NoError(t, err)
			assert.Equal(t, "DEP", got.Name)
			got, err = c.EnvironmentVariables.Version.Get(ctx, "p-1", name, name, vv.ID.String())
			require.NoError(t, err)
			assert.Equal(t, "VER", got.Name)
			_, err = c.EnvironmentVariables.Deployment.Update(ctx, "p-1", name, dv.ID.String(), ubiops.EnvironmentVariableCreate{Name: "DEP", Value: "2"})
			require.NoError(t, err)
			_, err = c.EnvironmentVariables.Version.Update(ctx, "p-1", name, name, vv.ID.String(), ubiops.EnvironmentVariableCreate{Name: "VER", Value: "2"})
			require.NoError(t, err)
			list, err := c.EnvironmentVariables.Version.List(ctx, "p-1", name, name)
			require.NoError(t, err)
			assert.Len(t, list, 2, "the version's own variable and the one it inherits")
			require.NoError(t, c.EnvironmentVariables.Version.Delete(ctx, "p-1", name, name, vv.ID.String()))
			require.NoError(t, c.EnvironmentVariables.Deployment.Delete(ctx, "p-1", name, dv.ID.String()))

			// Renames to and from the escaped names.
			renamed := name + " 2"
			_, err = c.Versions.Update(ctx, "p-1", name, name, ubiops.DeploymentVersionUpdate{Version: ubiops.Ptr(renamed)})
			require.NoError(t, err)
			_, err = c.Versions.Get(ctx, "p-1", name, renamed)
			require.NoError(t, err, "get renamed version %q", renamed)
			_, err = c.Deployments.Update(ctx, "p-1", name, ubiops.DeploymentUpdate{Name: ubiops.Ptr(renamed)})
			require.NoError(t, err)
			_, err = c.Deployments.Get(ctx, "p-1", renamed)
			require.NoError(t, err, "get renamed deployment %q", renamed)
			_, err = c.Environments.Update(ctx, "p-1", name, ubiops.EnvironmentUpdate{Name: ubiops.Ptr(renamed)})
			require.NoError(t, err)
			_, err = c.Environments.Get(ctx, "p-1", renamed)
			require.NoError(t, err, "get renamed environment %q", renamed)

			require.NoError(t, c.Versions.Delete(ctx, "p-1", renamed, renamed), "delete version %q", renamed)
			_, err = c.Versions.Get(ctx, "p-1", renamed, renamed)
			require.ErrorIs(t, err, ubiops.ErrNotFound)
			require.NoError(t, c.Deployments.Delete(ctx, "p-1", renamed), "delete deployment %q", renamed)
			_, err = c.Deployments.Get(ctx, "p-1", renamed)
			require.ErrorIs(t, err, ubiops.ErrNotFound)
			require.NoError(t, c.Environments.Delete(ctx, "p-1", renamed), "delete environment %q", renamed)
			_, err = c.Environments.Get(ctx, "p-1", renamed)
			require.ErrorIs(t, err, ubiops.ErrNotFound)
		})
	}
	deps, err := c.Deployments.List(ctx, "p-1", nil)
	require.NoError(t, err)
	assert.Empty(t, deps, "every deployment was deleted again")

	// The project's own variables, for the project scope of the round trip.
	pv, err := c.EnvironmentVariables.Project.Create(ctx, "p-1", ubiops.EnvironmentVariableCreate{Name: "PROJ", Value: "1"})
	require.NoError(t, err)
	_, err = c.EnvironmentVariables.Project.Update(ctx, "p-1", pv.ID.String(), ubiops.EnvironmentVariableCreate{Name: "PROJ", Value: "2"})
	require.NoError(t, err)
	require.NoError(t, c.EnvironmentVariables.Project.Delete(ctx, "p-1", pv.ID.String()))
	_, err = c.Projects.Update(ctx, "p-1", ubiops.ProjectUpdate{Name: ubiops.Ptr("p-2")})
	require.NoError(t, err)
	require.NoError(t, c.Projects.Delete(ctx, "p-2"))
}

// TestNamesThatCannotBeInAPathAreRefused: deployments, versions and environments refuse, at create
// and rename, the names that could not be read or deleted again: a 400 naming the body field.
func TestNamesThatCannotBeInAPathAreRefused(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	c := srv.Client()
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d"})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	require.NoError(t, err)
	_, err = c.Environments.Create(ctx, "p", ubiops.EnvironmentCreate{Name: "e", BaseEnvironment: ubiops.Ptr("python3-12")})
	require.NoError(t, err)

	for _, name := range badPathNames {
		_, err := c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: name})
		requireBadName(t, err, "name", name)
		_, err = c.Deployments.Update(ctx, "p", "d", ubiops.DeploymentUpdate{Name: ubiops.Ptr(name)})
		requireBadName(t, err, "name", name)
		_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: name})
		requireBadName(t, err, "version", name)
		_, err = c.Versions.Update(ctx, "p", "d", "v", ubiops.DeploymentVersionUpdate{Version: ubiops.Ptr(name)})
		requireBadName(t, err, "version", name)
		_, err = c.Environments.Create(ctx, "p", ubiops.EnvironmentCreate{Name: name, BaseEnvironment: ubiops.Ptr("python3-12")})
		requireBadName(t, err, "name", name)
		_, err = c.Environments.Update(ctx, "p", "e", ubiops.EnvironmentUpdate{Name: ubiops.Ptr(name)})
		requireBadName(t, err, "name", name)
	}
	deps, err := c.Deployments.List(ctx, "p", nil)
	require.NoError(t, err)
	require.Len(t, deps, 1)
	assert.Equal(t, "d", deps[0].Name, "nothing was created or renamed")
	vs, err := c.Versions.List(ctx, "p", "d", nil)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, "v", vs[0].Version)
	envs, err := c.Environments.List(ctx, "p", &ubiops.EnvironmentsListParams{EnvironmentType: ubiops.Ptr(ubiops.EnvironmentsListParamsEnvironmentTypeCustom)})
	require.NoError(t, err)
	require.Len(t, envs, 1)
	assert.Equal(t, "e", envs[0].Name)

	// Project names follow the documented rule, at create (the spec's pattern) and rename (the
	// handler).
	for _, name := range []string{"", "My-Project", "my project", "modèle", "%41", "-a", "1a", "a_b", "a.b", "a/b", "a\nb", "a\x00", strings.Repeat("a", 65)} {
		_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: name, OrganizationName: "o"})
		requireBadName(t, err, "name", name)
		_, err = c.Projects.Update(ctx, "p", ubiops.ProjectUpdate{Name: ubiops.Ptr(name)})
		requireBadName(t, err, "name", name)
	}
	_, err = c.Projects.Get(ctx, "p")
	require.NoError(t, err, "the project kept its name")
}
