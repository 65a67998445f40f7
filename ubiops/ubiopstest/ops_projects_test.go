package ubiopstest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

func newProjectsServer(t *testing.T) (*ubiopstest.Server, *ubiops.Client) {
	t.Helper()
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(20*time.Millisecond))
	return srv, srv.Client()
}

func mustProject(t *testing.T, c *ubiops.Client, name, org string) *ubiops.ProjectDetail {
	t.Helper()
	p, err := c.Projects.Create(context.Background(), ubiops.ProjectCreate{Name: name, OrganizationName: org})
	require.NoError(t, err)
	return p
}

// mustDeployment creates a deployment through the API (deployments_create), with a body like the
// spec's plain-input example.
func mustDeployment(t *testing.T, c *ubiops.Client, project, name string) {
	t.Helper()
	_, err := c.Deployments.Create(context.Background(), project, ubiops.DeploymentCreate{
		Name: name, InputType: plainIn, OutputType: plainOut,
	})
	require.NoError(t, err)
}

// mustVersion creates a version through the API (deployment_versions_create), like the spec's
// python-version example.
func mustVersion(t *testing.T, c *ubiops.Client, project, deployment, version string) {
	t.Helper()
	_, err := c.Versions.Create(context.Background(), project, deployment, ubiops.DeploymentVersionCreate{
		Version: version, Environment: ubiops.Ptr("python3-8"),
	})
	require.NoError(t, err)
}

func TestProjectsCRUD(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)

	p, err := c.Projects.Create(ctx, ubiops.ProjectCreate{
		Name: "project-1", OrganizationName: "organization-1",
		AdvancedPermissions: ubiops.Ptr(true), Credits: ubiops.NullableValue(10000.0),
		CorsOrigins: &[]string{"https://a.example"},
	})
	require.NoError(t, err)
	assert.Equal(t, "project-1", p.Name)
	assert.Equal(t, "organization-1", p.OrganizationName)
	assert.True(t, p.AdvancedPermissions)
	require.NotNil(t, p.Credits)
	assert.Equal(t, 10000.0, *p.Credits)
	assert.False(t, p.Suspended)
	assert.Nil(t, p.SuspendedReason)
	assert.Equal(t, []string{"https://a.example"}, p.CorsOrigins)
	assert.WithinDuration(t, time.Now(), p.CreationDate.Time, time.Minute)

	// Defaults.
	p2 := mustProject(t, c, "project-2", "organization-2")
	assert.False(t, p2.AdvancedPermissions)
	assert.Nil(t, p2.Credits)
	assert.Equal(t, []string{}, p2.CorsOrigins)

	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "project-1", OrganizationName: "organization-2"})
	assert.ErrorIs(t, err, ubiops.ErrConflict, "project names are globally unique")

	got, err := c.Projects.Get(ctx, "project-1")
	require.NoError(t, err)
	assert.Equal(t, p, got)

	list, err := c.Projects.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "project-1", list[0].Name)
	assert.Equal(t, p.ID, list[0].ID)
	assert.Equal(t, "project-2", list[1].Name)

	list, err = c.Projects.List(ctx, &ubiops.ProjectsListParams{Organization: ubiops.Ptr("organization-2")})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "project-2", list[0].Name)
	list, err = c.Projects.List(ctx, &ubiops.ProjectsListParams{Organization: ubiops.Ptr("nobody")})
	require.NoError(t, err)
	assert.Empty(t, list)

	_, err = c.Projects.Get(ctx, "missing")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// PATCH changes only what is sent.
	up, err := c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{CorsOrigins: &[]string{"https://test.com"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"https://test.com"}, up.CorsOrigins)
	assert.True(t, up.AdvancedPermissions)
	assert.NotNil(t, up.Credits)

	up, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Credits: ubiops.Null[float64](), AdvancedPermissions: ubiops.Ptr(false)})
	require.NoError(t, err)
	assert.Nil(t, up.Credits)
	assert.False(t, up.AdvancedPermissions)
	assert.Equal(t, []string{"https://test.com"}, up.CorsOrigins)

	up, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Suspend: ubiops.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, up.Suspended)
	assert.NotNil(t, up.SuspendedReason)
	up, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Suspend: ubiops.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, up.Suspended)
	assert.Nil(t, up.SuspendedReason)

	// Renames.
	_, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Name: ubiops.Ptr("project-2")})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Name: ubiops.Ptr("Bad Name")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = c.Projects.Update(ctx, "missing", ubiops.ProjectUpdate{Name: ubiops.Ptr("x")})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	up, err = c.Projects.Update(ctx, "project-1", ubiops.ProjectUpdate{Name: ubiops.Ptr("renamed")})
	require.NoError(t, err)
	assert.Equal(t, "renamed", up.Name)
	assert.Equal(t, p.ID, up.ID)
	_, err = c.Projects.Get(ctx, "project-1")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	got, err = c.Projects.Get(ctx, "renamed")
	require.NoError(t, err)
	assert.Equal(t, p.ID, got.ID)

	// Delete.
	require.NoError(t, c.Projects.Delete(ctx, "renamed"))
	_, err = c.Projects.Get(ctx, "renamed")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, c.Projects.Delete(ctx, "renamed"), ubiops.ErrNotFound)
	list, err = c.Projects.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "project-2", list[0].Name)

	// The name is free again, and the new project starts empty.
	mustProject(t, c, "renamed", "organization-1")
	vars, err := c.EnvironmentVariables.Project.List(ctx, "renamed")
	require.NoError(t, err)
	assert.Empty(t, vars)
}

func TestProjectDeleteCascades(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "cascade", "org")
	mustDeployment(t, c, "cascade", "deployment-1")
	mustVersion(t, c, "cascade", "deployment-1", "v1")
	_, err := c.EnvironmentVariables.Project.Create(ctx, "cascade", ubiops.EnvironmentVariableCreate{Name: "A", Value: "1"})
	require.NoError(t, err)

	require.NoError(t, c.Projects.Delete(ctx, "cascade"))
	_, err = c.Deployments.Get(ctx, "cascade", "deployment-1")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	mustProject(t, c, "cascade", "org")
	_, err = c.Deployments.Get(ctx, "cascade", "deployment-1")
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "a project of the same name does not inherit the old one's deployments")
	vars, err := c.EnvironmentVariables.Project.List(ctx, "cascade")
	require.NoError(t, err)
	assert.Empty(t, vars)
	usage, err := c.Usage.Resources(ctx, "cascade")
	require.NoError(t, err)
	assert.Equal(t, 0, usage.Deployments)
	events, err := c.Audit.ListProject(ctx, "cascade", nil)
	require.NoError(t, err)
	require.Len(t, events, 1, "only the new project's creation")
}

func TestProjectRenameCarriesDeployments(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "before", "org")
	mustDeployment(t, c, "before", "deployment-1")

	_, err := c.Projects.Update(ctx, "before", ubiops.ProjectUpdate{Name: ubiops.Ptr("after")})
	require.NoError(t, err)
	d, err := c.Deployments.Get(ctx, "after", "deployment-1")
	require.NoError(t, err)
	assert.Equal(t, "after", d.Project)
	_, err = c.Deployments.Get(ctx, "before", "deployment-1")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestProjectUsers(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")

	users, err := c.ProjectUsers.List(ctx, "project-1", nil)
	require.NoError(t, err)
	require.Len(t, users, 1, "the creator is a member")
	me := users[0]
	assert.Equal(t, "user@example.com", string(me.Email))

	id := uuid.MustParse("bd3e25a3-f77a-4cb5-92df-a7e614106e95")
	added, err := c.ProjectUsers.Create(ctx, "project-1", ubiops.ProjectUserCreate{UserID: id})
	require.NoError(t, err)
	assert.Equal(t, id, added.ID)
	assert.NotEmpty(t, added.Email)
	assert.NotEqual(t, me.Email, added.Email)

	_, err = c.ProjectUsers.Create(ctx, "project-1", ubiops.ProjectUserCreate{UserID: id})
	assert.ErrorIs(t, err, ubiops.ErrConflict, "already a member")
	_, err = c.ProjectUsers.Create(ctx, "missing", ubiops.ProjectUserCreate{UserID: id})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// The same id gives the same user in another project.
	mustProject(t, c, "project-2", "org")
	again, err := c.ProjectUsers.Create(ctx, "project-2", ubiops.ProjectUserCreate{UserID: id})
	require.NoError(t, err)
	assert.Equal(t, added, again)

	got, err := c.ProjectUsers.Get(ctx, "project-1", id.String())
	require.NoError(t, err)
	assert.Equal(t, added, got)
	_, err = c.ProjectUsers.Get(ctx, "project-1", uuid.NewString())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = c.ProjectUsers.Get(ctx, "project-1", "not-a-uuid")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	users, err = c.ProjectUsers.List(ctx, "project-1", nil)
	require.NoError(t, err)
	assert.Len(t, users, 2)
	users, err = c.ProjectUsers.List(ctx, "project-1", &ubiops.ProjectUsersListParams{UserType: ubiops.Ptr("user")})
	require.NoError(t, err)
	assert.Len(t, users, 2)
	users, err = c.ProjectUsers.List(ctx, "project-1", &ubiops.ProjectUsersListParams{UserType: ubiops.Ptr("something-new")})
	require.NoError(t, err)
	assert.Len(t, users, 2, "an unknown user_type filters nothing")
	users, err = c.ProjectUsers.List(ctx, "project-1", &ubiops.ProjectUsersListParams{UserType: ubiops.Ptr("service")})
	require.NoError(t, err)
	assert.Empty(t, users, "the fake has no service users")
	_, err = c.ProjectUsers.List(ctx, "missing", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	require.NoError(t, c.ProjectUsers.Delete(ctx, "project-1", id.String()))
	_, err = c.ProjectUsers.Get(ctx, "project-1", id.String())
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, c.ProjectUsers.Delete(ctx, "project-1", id.String()), ubiops.ErrNotFound)
	users, err = c.ProjectUsers.List(ctx, "project-1", nil)
	require.NoError(t, err)
	assert.Equal(t, []ubiops.ProjectUserList{me}, users)
	_, err = c.ProjectUsers.Get(ctx, "project-2", id.String())
	assert.NoError(t, err, "removing a user from one project leaves the others")

	events, err := c.Audit.ListProject(ctx, "project-1", &ubiops.ProjectAuditEventsListParams{Action: ubiops.Ptr(ubiops.ProjectAuditEventsListParamsActionDelete)})
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, "user", events[0].ObjectType)
}

func TestProjectAuditEvents(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "audited", "org")
	_, err := c.Projects.Update(ctx, "audited", ubiops.ProjectUpdate{AdvancedPermissions: ubiops.Ptr(true)})
	require.NoError(t, err)
	a, err := c.EnvironmentVariables.Project.Create(ctx, "audited", ubiops.EnvironmentVariableCreate{Name: "A", Value: "1"})
	require.NoError(t, err)
	_, err = c.EnvironmentVariables.Project.Create(ctx, "audited", ubiops.EnvironmentVariableCreate{Name: "B", Value: "2"})
	require.NoError(t, err)
	require.NoError(t, c.EnvironmentVariables.Project.Delete(ctx, "audited", a.ID.String()))

	events, err := c.Audit.ListProject(ctx, "audited", nil)
	require.NoError(t, err)
	require.Len(t, events, 5)
	// Newest first.
	for i := 1; i < len(events); i++ {
		assert.False(t, events[i].Date.After(events[i-1].Date.Time), "events are newest first")
	}
	assert.Equal(t, ubiops.AuditListActionDelete, events[0].Action)
	assert.Equal(t, ubiops.AuditListActionCreate, events[len(events)-1].Action)
	assert.Equal(t, "project", events[len(events)-1].ObjectType)
	for _, e := range events {
		assert.Equal(t, "user@example.com", string(e.User))
		assert.NotEmpty(t, e.Event)
	}
	// A deleted object's events have no object name any more; others keep theirs.
	for _, e := range events {
		if e.ObjectType != "environment_variable" {
			continue
		}
		name := val(e.ObjectName)
		if e.Action == ubiops.AuditListActionDelete || e.Event == "Created environment variable A for project audited" {
			assert.Nil(t, e.ObjectName, "event %q", e.Event)
		} else {
			assert.Equal(t, "B", name)
		}
	}

	creates, err := c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Action: ubiops.Ptr(ubiops.ProjectAuditEventsListParamsActionCreate)})
	require.NoError(t, err)
	assert.Len(t, creates, 3)
	updates, err := c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Action: ubiops.Ptr(ubiops.ProjectAuditEventsListParamsActionUpdate)})
	require.NoError(t, err)
	require.Len(t, updates, 1)
	assert.Equal(t, "project", updates[0].ObjectType)
	infos, err := c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Action: ubiops.Ptr(ubiops.ProjectAuditEventsListParamsActionInfo)})
	require.NoError(t, err)
	assert.Empty(t, infos)

	// Pagination.
	page, err := c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Limit: ubiops.Ptr(2)})
	require.NoError(t, err)
	assert.Equal(t, events[:2], page)
	page, err = c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Limit: ubiops.Ptr(2), Offset: ubiops.Ptr(2)})
	require.NoError(t, err)
	assert.Equal(t, events[2:4], page)
	page, err = c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Offset: ubiops.Ptr(4)})
	require.NoError(t, err)
	assert.Equal(t, events[4:], page)
	page, err = c.Audit.ListProject(ctx, "audited", &ubiops.ProjectAuditEventsListParams{Offset: ubiops.Ptr(50)})
	require.NoError(t, err)
	assert.Empty(t, page)

	_, err = c.Audit.ListProject(ctx, "missing", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestQuotas(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	quotas, err := c.Quotas.List(ctx, "project-1")
	require.NoError(t, err)
	require.NotEmpty(t, quotas)
	byResource := map[string]int64{}
	for _, q := range quotas {
		byResource[q.Resource] = q.Quota
	}
	assert.Contains(t, byResource, "memory_standard")
	assert.Contains(t, byResource, "cpu_standard")
	assert.Contains(t, byResource, "gpu_standard")
	_, err = c.Quotas.List(ctx, "missing")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestResourceUsage(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")

	u, err := c.Usage.Resources(ctx, "project-1")
	require.NoError(t, err)
	assert.Equal(t, ubiops.ProjectResourceUsage{}, *u)

	mustDeployment(t, c, "project-1", "deployment-1")
	mustDeployment(t, c, "project-1", "deployment-2")
	mustVersion(t, c, "project-1", "deployment-1", "v1")
	mustVersion(t, c, "project-1", "deployment-1", "v2")
	mustVersion(t, c, "project-1", "deployment-2", "v1")
	_, err = c.Environments.Create(ctx, "project-1", ubiops.EnvironmentCreate{Name: "custom-env", BaseEnvironment: ubiops.Ptr("python3-8")})
	require.NoError(t, err)

	u, err = c.Usage.Resources(ctx, "project-1")
	require.NoError(t, err)
	assert.Equal(t, 2, u.Deployments)
	assert.Equal(t, 3, u.DeploymentVersions)
	assert.Equal(t, 1, u.Environments)
	assert.Equal(t, 0, u.Pipelines)
	assert.Equal(t, 0, u.PipelineVersions)

	_, err = c.Usage.Resources(ctx, "missing")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestUsage(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "project-1", "org")
	mustDeployment(t, c, "project-1", "deployment-1")
	mustVersion(t, c, "project-1", "deployment-1", "v1")
	mustDeployment(t, c, "project-1", "deployment-2")

	// Default: the current month, per month.
	u, err := c.Usage.Get(ctx, "project-1", nil)
	require.NoError(t, err)
	assert.Equal(t, ubiops.ProjectUsageIntervalMonth, u.Interval)
	require.Len(t, u.DataProject, 1)
	now := time.Now().UTC()
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, u.DataProject[0].StartDate.Equal(monthStart), "%v", u.DataProject[0].StartDate)
	assert.True(t, u.DataProject[0].EndDate.Equal(monthStart.AddDate(0, 1, 0)))
	// One entry per deployment version: a deployment without versions has none (it uses nothing).
	require.Len(t, u.DataDeployments, 1)
	assert.Equal(t, "deployment-1", u.DataDeployments[0].DeploymentName)
	assert.Equal(t, "v1", u.DataDeployments[0].Version)
	require.Len(t, u.DataDeployments[0].Data, 1)
	require.NotNil(t, u.DataDeletedDeployments)
	assert.Len(t, u.DataDeletedDeployments, 1)

	// Days between two dates.
	start := time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)
	day := ubiops.ProjectsUsageGetParamsIntervalDay
	u, err = c.Usage.Get(ctx, "project-1", &ubiops.ProjectsUsageGetParams{StartDate: &start, EndDate: &end, Interval: &day})
	require.NoError(t, err)
	assert.Equal(t, ubiops.ProjectUsageIntervalDay, u.Interval)
	require.Len(t, u.DataProject, 31)
	assert.True(t, u.DataProject[0].StartDate.Equal(start))
	assert.True(t, u.DataProject[30].EndDate.Equal(end))
	for _, m := range u.DataProject {
		assert.Equal(t, 0.0, m.Value, "nothing existed in 2019")
	}
	require.Len(t, u.DataDeployments, 1)
	assert.Len(t, u.DataDeployments[0].Data, 31)

	// Months between two dates; the last is cut at the end date.
	start = time.Date(2020, 11, 12, 0, 0, 0, 0, time.UTC)
	end = time.Date(2021, 1, 20, 0, 0, 0, 0, time.UTC)
	month := ubiops.ProjectsUsageGetParamsIntervalMonth
	u, err = c.Usage.Get(ctx, "project-1", &ubiops.ProjectsUsageGetParams{StartDate: &start, EndDate: &end, Interval: &month})
	require.NoError(t, err)
	require.Len(t, u.DataProject, 3)
	assert.True(t, u.DataProject[1].StartDate.Equal(time.Date(2020, 12, 12, 0, 0, 0, 0, time.UTC)))
	assert.True(t, u.DataProject[2].EndDate.Equal(end))

	// A period that includes now: the version has used something, and the project's usage is
	// the sum of its deployments'.
	start = time.Now().Add(-time.Hour)
	end = time.Now().Add(time.Hour)
	u, err = c.Usage.Get(ctx, "project-1", &ubiops.ProjectsUsageGetParams{StartDate: &start, EndDate: &end})
	require.NoError(t, err)
	require.Len(t, u.DataProject, 1)
	sum := 0.0
	for _, d := range u.DataDeployments {
		sum += d.Data[0].Value
	}
	assert.InDelta(t, sum, u.DataProject[0].Value, 1e-3)

	// Bad periods.
	_, err = c.Usage.Get(ctx, "project-1", &ubiops.ProjectsUsageGetParams{StartDate: &end, EndDate: &start})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	long := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = c.Usage.Get(ctx, "project-1", &ubiops.ProjectsUsageGetParams{StartDate: &long, EndDate: &end, Interval: &day})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = c.Usage.Get(ctx, "missing", nil)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}

func TestUsageBadDate(t *testing.T) {
	srv, _ := newProjectsServer(t)
	status, _, _ := rawRequest(t, srv, http.MethodPost, "/v2.1/projects", srv.Token(), `{"name":"p","organization_name":"o"}`)
	require.Equal(t, http.StatusCreated, status)
	status, body, _ := rawRequest(t, srv, http.MethodGet, "/v2.1/projects/p/usage?start_date=yesterday", srv.Token(), "")
	assert.Equal(t, http.StatusBadRequest, status, body)
}
