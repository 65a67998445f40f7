package ubiopstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// The fields the live API sends and takes beyond the reference pages (the official client 4.12.0
// shows them). Every server here validates its answers (WithStrictResponses), so a field the live
// API always sends and the fake forgot fails the call.

func TestVersionLiveFields(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "p", "org")
	mustDeployment(t, c, "p", "d")

	// Defaults, and the deprecated fields answered as before.
	v1, err := c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v1"})
	require.NoError(t, err)
	assert.Equal(t, "default", val(v1.ScalingStrategy))
	require.NotNil(t, v1.InstanceProcesses)
	assert.Equal(t, 1, *v1.InstanceProcesses)
	require.NotNil(t, v1.MaximumQueueSize)
	assert.Equal(t, 100000, *v1.MaximumQueueSize)
	assert.Equal(t, ubiops.Ptr(100), v1.MaximumQueueSizeExpress)
	assert.Equal(t, ubiops.Ptr(100000), v1.MaximumQueueSizeBatch)
	assert.Nil(t, v1.Monitoring)
	assert.Nil(t, v1.DefaultNotificationGroup)
	assert.Equal(t, ubiops.Ptr("512mb"), v1.InstanceType)

	// Set on create.
	v2, err := c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{
		Version: "v2", ScalingStrategy: ubiops.Ptr("aggressive"), InstanceProcesses: ubiops.Ptr(4), MaximumQueueSize: ubiops.Ptr(50),
	})
	require.NoError(t, err)
	assert.Equal(t, "aggressive", val(v2.ScalingStrategy))
	assert.Equal(t, 4, *v2.InstanceProcesses)
	assert.Equal(t, 50, *v2.MaximumQueueSize)

	// Changed on update; what is not sent stays.
	v2, err = c.Versions.Update(ctx, "p", "d", "v2", ubiops.DeploymentVersionUpdate{ScalingStrategy: ubiops.Ptr("moderate"), MaximumQueueSize: ubiops.Ptr(10)})
	require.NoError(t, err)
	assert.Equal(t, "moderate", val(v2.ScalingStrategy))
	assert.Equal(t, 10, *v2.MaximumQueueSize)
	assert.Equal(t, 4, *v2.InstanceProcesses)
	v2, err = c.Versions.Update(ctx, "p", "d", "v2", ubiops.DeploymentVersionUpdate{InstanceProcesses: ubiops.Ptr(2)})
	require.NoError(t, err)
	assert.Equal(t, 2, *v2.InstanceProcesses)
	assert.Equal(t, "moderate", val(v2.ScalingStrategy))

	list, err := c.Versions.List(ctx, "p", "d", nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "default", val(list[0].ScalingStrategy))
	assert.Equal(t, "moderate", val(list[1].ScalingStrategy))
	assert.Equal(t, 2, *list[1].InstanceProcesses)
	assert.Equal(t, 10, *list[1].MaximumQueueSize)

	// Bad values are refused, naming the field.
	bad := []struct {
		body  ubiops.DeploymentVersionCreate
		field string
	}{
		{ubiops.DeploymentVersionCreate{Version: "x", ScalingStrategy: ubiops.Ptr("wild")}, "scaling_strategy"},
		{ubiops.DeploymentVersionCreate{Version: "x", InstanceProcesses: ubiops.Ptr(0)}, "instance_processes"},
		{ubiops.DeploymentVersionCreate{Version: "x", MaximumQueueSize: ubiops.Ptr(-1)}, "maximum_queue_size"},
	}
	for _, tc := range bad {
		_, err := c.Versions.Create(ctx, "p", "d", tc.body)
		var apiErr *ubiops.APIError
		require.ErrorAs(t, err, &apiErr, tc.field)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
		assert.Contains(t, apiErr.Message, tc.field)
	}
	_, err = c.Versions.Update(ctx, "p", "d", "v1", ubiops.DeploymentVersionUpdate{ScalingStrategy: ubiops.Ptr("")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
}

func TestDeploymentsSupportRequestFormat(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	mustProject(t, c, "p", "org")
	yes, err := c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{
		Name: "openai", InputType: plainIn, OutputType: plainOut, SupportsRequestFormat: ubiops.Ptr(true),
	})
	require.NoError(t, err)
	assert.True(t, *yes.SupportsRequestFormat)
	mustDeployment(t, c, "p", "classic")
	got, err := c.Deployments.Get(ctx, "p", "classic")
	require.NoError(t, err)
	require.NotNil(t, got.SupportsRequestFormat, "always answered")
	assert.False(t, *got.SupportsRequestFormat)

	names := func(params *ubiops.DeploymentsListParams) []string {
		t.Helper()
		list, err := c.Deployments.List(ctx, "p", params)
		require.NoError(t, err)
		var out []string
		for _, d := range list {
			out = append(out, d.Name)
		}
		return out
	}
	assert.Equal(t, []string{"openai", "classic"}, names(nil))
	assert.Equal(t, []string{"openai"}, names(&ubiops.DeploymentsListParams{SupportsRequestFormat: ubiops.Ptr(true)}))
	assert.Equal(t, []string{"classic"}, names(&ubiops.DeploymentsListParams{SupportsRequestFormat: ubiops.Ptr(false)}))
}

func TestDeploymentCreateWithoutTypes(t *testing.T) {
	ctx := context.Background()
	e := rqServer(t, 20*time.Millisecond)
	e.project(t, "p")

	// Without input_type and output_type a deployment is structured, without fields.
	d, err := e.c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "bare"})
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentCreateResponseInputTypeStructured, val(d.InputType))
	assert.Equal(t, ubiops.DeploymentCreateResponseOutputTypeStructured, val(d.OutputType))
	assert.Empty(t, d.InputFields)
	assert.Empty(t, d.OutputFields)
	status, body := liveRaw(t, e.srv, http.MethodGet, "/projects/p/deployments/bare", "", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"input_type":"structured"`)
	assert.Contains(t, body, `"output_type":"structured"`)

	// Explicit nulls mean the same; fields may come without a type.
	status, body = liveRaw(t, e.srv, http.MethodPost, "/projects/p/deployments", "application/json",
		`{"name": "nulls", "input_type": null, "output_type": null, "input_fields": [{"name": "x", "data_type": "int"}]}`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, body, `"input_type":"structured"`)
	got, err := e.c.Deployments.Get(ctx, "p", "nulls")
	require.NoError(t, err)
	require.Len(t, got.InputFields, 1)
	assert.Equal(t, "x", got.InputFields[0].Name)

	// Its requests take objects, like any structured deployment's.
	_, err = e.c.Versions.Create(ctx, "p", "bare", ubiops.DeploymentVersionCreate{Version: "v1"})
	require.NoError(t, err)
	res, err := e.c.Requests.Create(ctx, "p", "bare", map[string]any{}, nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(res.Result))
	_, err = e.c.Requests.Create(ctx, "p", "bare", "text", nil)
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
}

func TestEnvironmentLiveFields(t *testing.T) {
	ctx := context.Background()
	_, client := envTestServer(t, envTestBuild)
	e, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "openai", BaseEnvironment: ubiops.Ptr("python3-12"), SupportsRequestFormat: ubiops.Ptr(true),
	})
	require.NoError(t, err)
	require.NotNil(t, e.BaseEnvironmentDisplayName)
	assert.Equal(t, "Python 3.12", *e.BaseEnvironmentDisplayName)
	require.NotNil(t, e.System)
	assert.False(t, *e.System, "a project's environment is not a system environment")
	assert.True(t, *e.SupportsRequestFormat)
	envTestCreate(t, client, "classic", "python3-11")
	got, err := client.Environments.Get(ctx, "demo", "classic")
	require.NoError(t, err)
	assert.Equal(t, "Python 3.11", *got.BaseEnvironmentDisplayName)
	assert.False(t, *got.SupportsRequestFormat)
	assert.False(t, *got.System)

	base, err := client.Environments.Get(ctx, "demo", "python3-12")
	require.NoError(t, err)
	require.NotNil(t, base.System)
	assert.True(t, *base.System, "base environments are the system's")
	assert.False(t, *base.SupportsRequestFormat)

	names := func(params *ubiops.EnvironmentsListParams) []string {
		t.Helper()
		list, err := client.Environments.List(ctx, "demo", params)
		require.NoError(t, err)
		var out []string
		for _, e := range list {
			out = append(out, e.Name)
		}
		return out
	}
	custom := ubiops.EnvironmentsListParamsEnvironmentTypeCustom
	assert.Equal(t, []string{"openai", "classic"}, names(&ubiops.EnvironmentsListParams{EnvironmentType: &custom}))
	assert.Equal(t, []string{"openai"}, names(&ubiops.EnvironmentsListParams{SupportsRequestFormat: ubiops.Ptr(true)}))
	notFormat := names(&ubiops.EnvironmentsListParams{SupportsRequestFormat: ubiops.Ptr(false)})
	assert.Contains(t, notFormat, "classic")
	assert.Contains(t, notFormat, "python3-12")
	assert.NotContains(t, notFormat, "openai")
}

func TestEnvironmentWithoutBaseEnvironment(t *testing.T) {
	ctx := context.Background()
	srv, client := envTestServer(t, envTestBuild)

	// Without a base environment it is a custom image environment: base_environment is null and
	// any (non-empty) environment file builds, as the image archive the fake cannot look into.
	e, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "image"})
	require.NoError(t, err)
	assert.Nil(t, e.BaseEnvironment)
	assert.Nil(t, e.BaseEnvironmentDisplayName)
	assert.False(t, *e.System)
	image := []byte("not a zip: a container image archive")
	res := envTestUpload(t, client, "image", image)
	b := envTestWaitBuild(t, client, "image", res)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, b.Status, val(b.ErrorMessage))
	assert.Equal(t, len(image), val(b.Size))
	deps, err := client.EnvironmentBuilds.Dependencies(ctx, "demo", "image", res.Revision.String(), res.Build.String())
	require.NoError(t, err)
	assert.Empty(t, deps)

	// An empty file does not build.
	status, body := envTestMultipart(t, srv, "image", nil, []byte{})
	require.Equal(t, http.StatusCreated, status, body)
	var empty ubiops.EnvironmentRevisionCreate
	require.NoError(t, json.Unmarshal([]byte(body), &empty))
	b = envTestWaitBuild(t, client, "image", &empty)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusFailed, b.Status)
	assert.Contains(t, val(b.ErrorMessage), "empty")
	assert.Nil(t, b.Size)

	// An explicit null is the same; versions can use the environment.
	status, body = liveRaw(t, srv, http.MethodPost, "/projects/demo/environments", "application/json", `{"name": "image2", "base_environment": null}`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.Contains(t, body, `"base_environment":null`)
	_, err = client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{Name: "d"})
	require.NoError(t, err)
	v, err := client.Versions.Create(ctx, "demo", "d", ubiops.DeploymentVersionCreate{Version: "v1", Environment: ubiops.Ptr("image2")})
	require.NoError(t, err)
	assert.Equal(t, "image2", v.Environment)
	assert.Equal(t, "image2", v.EnvironmentDisplayName)
}

func TestEnvironmentBuildSize(t *testing.T) {
	ctx := context.Background()
	archive := envTestZip(t, "requirements.txt", "numpy\n")

	// No size before the build has run.
	_, slow := envTestServer(t, time.Hour)
	envTestCreate(t, slow, "custom", "python3-12")
	res := envTestUpload(t, slow, "custom", archive)
	b, err := slow.EnvironmentBuilds.Get(ctx, "demo", "custom", res.Revision.String(), res.Build.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusQueued, b.Status)
	assert.Nil(t, b.Size)

	// The archive's size once it has.
	_, fast := envTestServer(t, 0)
	envTestCreate(t, fast, "custom", "python3-12")
	res = envTestUpload(t, fast, "custom", archive)
	b = envTestWaitBuild(t, fast, "custom", res)
	require.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, b.Status)
	assert.Equal(t, len(archive), val(b.Size))
	builds, err := fast.EnvironmentBuilds.List(ctx, "demo", "custom", res.Revision.String())
	require.NoError(t, err)
	require.Len(t, builds, 1)
	assert.Equal(t, len(archive), val(builds[0].Size))
}

func TestProjectLabelsAndCredits(t *testing.T) {
	ctx := context.Background()
	_, c := newProjectsServer(t)
	p1, err := c.Projects.Create(ctx, ubiops.ProjectCreate{
		Name: "p1", OrganizationName: "org", Labels: &map[string]string{"team": "ml", "env": "prod"}, Credits: ubiops.NullableValue(100.0),
	})
	require.NoError(t, err)
	require.NotNil(t, p1.Labels)
	assert.Equal(t, map[string]string{"team": "ml", "env": "prod"}, *p1.Labels)
	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p2", OrganizationName: "org", Labels: &map[string]string{"team": "web"}})
	require.NoError(t, err)
	p3 := mustProject(t, c, "p3", "org")
	require.NotNil(t, p3.Labels, "always answered")
	assert.Empty(t, *p3.Labels)

	// The list carries labels and credits (null: unlimited).
	list, err := c.Projects.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list, 3)
	assert.Equal(t, 100.0, val(list[0].Credits))
	assert.Equal(t, map[string]string{"team": "ml", "env": "prod"}, *list[0].Labels)
	assert.Nil(t, list[2].Credits, "unlimited")
	assert.Empty(t, *list[2].Labels)

	names := func(labels string) []string {
		t.Helper()
		list, err := c.Projects.List(ctx, &ubiops.ProjectsListParams{Labels: &labels})
		require.NoError(t, err)
		out := []string{}
		for _, p := range list {
			out = append(out, p.Name)
		}
		return out
	}
	assert.Equal(t, []string{"p1"}, names("team:ml"))
	assert.Equal(t, []string{"p1", "p2"}, names("team:web,env:prod"), "any of the pairs")
	assert.Equal(t, []string{}, names("team:none"))
	assert.Equal(t, []string{}, names("env:ml"), "a value matches its own key only")
	_, err = c.Projects.List(ctx, &ubiops.ProjectsListParams{Labels: ubiops.Ptr("no-pair")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)

	// Labels change on update (replaced as a whole), and stay when not sent.
	p2, err := c.Projects.Update(ctx, "p2", ubiops.ProjectUpdate{Labels: &map[string]string{"team": "ml"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "ml"}, *p2.Labels)
	assert.Equal(t, []string{"p1", "p2"}, names("team:ml"))
	p2, err = c.Projects.Update(ctx, "p2", ubiops.ProjectUpdate{AdvancedPermissions: ubiops.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "ml"}, *p2.Labels)
	got, err := c.Projects.Get(ctx, "p2")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"team": "ml"}, *got.Labels)
}

func TestRevisionEmpty(t *testing.T) {
	srv, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestVersion(t, c, "dep", "v1")

	res := depTestUpload(t, c, "dep", "v1", depTestZip(t, "deployment.py", "def request(data): pass\n"), "pkg.zip")
	r, err := c.Revisions.Get(ctx, depTestProject, "dep", "v1", res.Revision.String())
	require.NoError(t, err)
	require.NotNil(t, r.Empty)
	assert.False(t, *r.Empty, "the revision has a package")

	// A revision without a package (an upload of zero bytes) is empty.
	status, body := depTestMultipart(t, srv, "dep", "v1", nil, []byte{})
	require.Equal(t, http.StatusCreated, status, body)
	var none ubiops.RevisionCreate
	require.NoError(t, json.Unmarshal([]byte(body), &none))
	r, err = c.Revisions.Get(ctx, depTestProject, "dep", "v1", none.Revision.String())
	require.NoError(t, err)
	assert.True(t, *r.Empty)
	list, err := c.Revisions.List(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.False(t, *list[0].Empty)
	assert.True(t, *list[1].Empty)
}

func TestUsagePerVersion(t *testing.T) {
	ctx := context.Background()
	srv, c := newProjectsServer(t)
	mustProject(t, c, "empty", "org")
	status, body, _ := rawRequest(t, srv, http.MethodGet, "/v2.1/projects/empty/usage", srv.Token(), "")
	require.Equal(t, http.StatusOK, status, body)
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(body), &raw))
	assert.JSONEq(t, `[]`, string(raw["data_deployments"]))
	assert.Contains(t, raw, "data_deleted_deployments", "always present")

	mustProject(t, c, "p", "org")
	mustDeployment(t, c, "p", "d1")
	mustVersion(t, c, "p", "d1", "v1")
	mustVersion(t, c, "p", "d1", "v2")
	mustDeployment(t, c, "p", "d2")
	mustVersion(t, c, "p", "d2", "v1")
	start, end := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	u, err := c.Usage.Get(ctx, "p", &ubiops.ProjectsUsageGetParams{StartDate: &start, EndDate: &end})
	require.NoError(t, err)
	require.Len(t, u.DataDeployments, 3, "one entry per deployment version")
	sum := 0.0
	for i, want := range [][2]string{{"d1", "v1"}, {"d1", "v2"}, {"d2", "v1"}} {
		entry := u.DataDeployments[i]
		assert.Equal(t, want[0], entry.DeploymentName)
		assert.Equal(t, want[1], entry.Version)
		v, err := c.Versions.Get(ctx, "p", want[0], want[1])
		require.NoError(t, err)
		assert.Equal(t, v.ID.String(), entry.VersionID)
		d, err := c.Deployments.Get(ctx, "p", want[0])
		require.NoError(t, err)
		assert.Equal(t, d.ID, entry.DeploymentID)
		require.Len(t, entry.Data, 1)
		sum += entry.Data[0].Value
	}
	assert.InDelta(t, sum, u.DataProject[0].Value, 1e-3, "the project's usage is the sum of its versions'")
	require.Len(t, u.DataDeletedDeployments, 1)
	assert.Equal(t, 0.0, u.DataDeletedDeployments[0].Value)
}

func TestLogLiveFields(t *testing.T) {
	e := rqServer(t, 20*time.Millisecond)
	ctx := context.Background()
	e.project(t, "p")
	e.deployment(t, "p", "d", false, "v1")
	before := ubiops.NewTime(time.Now().Add(-time.Minute))
	since := ubiops.LogsCreate{Date: &before, DateRange: ubiops.Ptr(3600), Limit: ubiops.Ptr(500)}

	// Build lines carry the build's id.
	res, err := e.c.Revisions.Upload(ctx, "p", "d", "v1", ubiops.RevisionUpload{File: bytes.NewReader(depTestZip(t, "deployment.py", "def request(data): pass\n"))})
	require.NoError(t, err)
	fast := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond})
	_, err = e.c.Revisions.Wait(ctx, "p", "d", "v1", res.Revision.String(), fast)
	require.NoError(t, err)
	q := since
	q.Filters = &ubiops.LogsCreateFilters{DeploymentVersionRevisionID: &res.Revision}
	lines, err := e.c.Logs.ListDeprecated(ctx, "p", q)
	require.NoError(t, err)
	require.Len(t, lines, 3)
	for _, l := range lines {
		require.NotNil(t, l.BuildID, l.Log)
		assert.Equal(t, res.Build.String(), *l.BuildID)
	}

	// So do environment build lines.
	_, err = e.c.Environments.Create(ctx, "p", ubiops.EnvironmentCreate{Name: "env", BaseEnvironment: ubiops.Ptr("python3-12")})
	require.NoError(t, err)
	envRes, err := e.c.EnvironmentRevisions.Upload(ctx, "p", "env", ubiops.EnvironmentRevisionUpload{File: bytes.NewReader(envTestZip(t, "requirements.txt", "x\n"))})
	require.NoError(t, err)
	_, err = e.c.EnvironmentBuilds.Wait(ctx, "p", "env", envRes.Revision.String(), envRes.Build.String(), fast)
	require.NoError(t, err)
	q = since
	q.Filters = &ubiops.LogsCreateFilters{EnvironmentBuildID: &envRes.Build}
	lines, err = e.c.Logs.ListDeprecated(ctx, "p", q)
	require.NoError(t, err)
	require.NotEmpty(t, lines)
	for _, l := range lines {
		require.NotNil(t, l.BuildID, l.Log)
		assert.Equal(t, envRes.Build.String(), *l.BuildID)
	}

	// A request that ran names the instance (and process) that ran it.
	instances, err := e.c.Instances.List(ctx, "p", "d", "v1", nil)
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, in := range instances.Results {
		ids[in.ID.String()] = true
	}
	req, err := e.c.Requests.Create(ctx, "p", "d", "x", nil)
	require.NoError(t, err)
	q = since
	q.Filters = &ubiops.LogsCreateFilters{DeploymentRequestID: &req.ID}
	lines, err = e.c.Logs.ListDeprecated(ctx, "p", q)
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.Nil(t, lines[0].InstanceID, "received: not in an instance yet")
	require.NotNil(t, lines[1].InstanceID, lines[1].Log)
	assert.True(t, ids[*lines[1].InstanceID], "one of the version's instances")
	require.NotNil(t, lines[1].ProcessID)
	assert.Equal(t, 0, *lines[1].ProcessID)
	for _, l := range lines {
		assert.Nil(t, l.WebhookName, "the fake has no webhooks")
	}
}

func TestInstanceTypeGroupLiveFields(t *testing.T) {
	f := newInstFixture(t)
	types, err := f.client.InstanceTypes.List(f.ctx, instProject, nil)
	require.NoError(t, err)
	small, large := types.Results[1], types.Results[6]

	// Instance types may carry a schedule_timeout (default 3600) and a priority (default: their
	// position in the list).
	g, err := f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "g", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{
			{ID: ubiops.Ptr(small.ID), ScheduleTimeout: ubiops.Ptr(60)},
			{ID: ubiops.Ptr(large.ID)},
		},
	})
	require.NoError(t, err)
	require.Len(t, g.InstanceTypes, 2)
	assert.Equal(t, small.ID, g.InstanceTypes[0].ID)
	assert.Equal(t, 60, g.InstanceTypes[0].ScheduleTimeout)
	assert.Equal(t, 0, g.InstanceTypes[0].Priority)
	assert.Equal(t, 3600, g.InstanceTypes[1].ScheduleTimeout)
	assert.Equal(t, 1, g.InstanceTypes[1].Priority)

	// Only the fields sent change: a rename keeps the instance types...
	up, err := f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{Name: ubiops.Ptr("renamed")})
	require.NoError(t, err)
	assert.Equal(t, "renamed", val(up.Name))
	assert.Equal(t, g.InstanceTypes, up.InstanceTypes)
	// ...new instance types keep the name...
	up, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{
		InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{ID: ubiops.Ptr(large.ID), Priority: ubiops.Ptr(5), ScheduleTimeout: ubiops.Ptr(30)}},
	})
	require.NoError(t, err)
	assert.Equal(t, "renamed", val(up.Name))
	require.Len(t, up.InstanceTypes, 1)
	assert.Equal(t, large.ID, up.InstanceTypes[0].ID)
	assert.Equal(t, 5, up.InstanceTypes[0].Priority)
	assert.Equal(t, 30, up.InstanceTypes[0].ScheduleTimeout)
	// ...and an empty body changes nothing.
	status, body := liveRaw(t, f.srv, http.MethodPatch, "/projects/"+instProject+"/instance-type-groups/"+g.ID.String(), "application/json", `{}`)
	require.Equal(t, http.StatusOK, status, body)
	got, err := f.client.InstanceTypeGroups.Get(f.ctx, instProject, g.ID.String())
	require.NoError(t, err)
	assert.Equal(t, "renamed", val(got.Name))
	assert.Equal(t, up.InstanceTypes, got.InstanceTypes)

	// An instance type needs its id.
	_, err = f.client.InstanceTypeGroups.Create(f.ctx, instProject, ubiops.InstanceTypeGroupCreate{
		Name: "no-id", InstanceTypes: &[]ubiops.InstanceTypeGroupCreateInstanceType{{Priority: ubiops.Ptr(0)}},
	})
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "instance_types.0.id")
	_, err = f.client.InstanceTypeGroups.Update(f.ctx, instProject, g.ID.String(), ubiops.InstanceTypeGroupUpdate{Name: ubiops.Ptr("")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
}

// liveErrorMessage is the error of a 400 answer, which must name the field.
func liveErrorMessage(t *testing.T, status int, body string) string {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, status, body)
	var e struct{ Error string }
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	return e.Error
}

func TestNameBounds(t *testing.T) {
	ctx := context.Background()
	srv, c := newProjectsServer(t)
	mustProject(t, c, "p", "org")
	mustDeployment(t, c, "p", "d")
	mustVersion(t, c, "p", "d", "v1")
	_, err := c.Environments.Create(ctx, "p", ubiops.EnvironmentCreate{Name: "e", BaseEnvironment: ubiops.Ptr("python3-12")})
	require.NoError(t, err)
	long := strings.Repeat("a", 65)
	post := func(path, body string) string {
		t.Helper()
		status, answer, _ := rawRequest(t, srv, http.MethodPost, "/v2.1"+path, srv.Token(), body)
		return liveErrorMessage(t, status, answer)
	}
	patch := func(path, body string) string {
		t.Helper()
		status, answer, _ := rawRequest(t, srv, http.MethodPatch, "/v2.1"+path, srv.Token(), body)
		return liveErrorMessage(t, status, answer)
	}

	// Too long (64 characters for projects, deployments and versions, 1024 for environments).
	assert.Contains(t, post("/projects", `{"name": "`+long+`", "organization_name": "org"}`), "field name")
	assert.Contains(t, post("/projects/p/deployments", `{"name": "`+long+`"}`), "field name")
	assert.Contains(t, post("/projects/p/deployments/d/versions", `{"version": "`+long+`"}`), "field version")
	assert.Contains(t, post("/projects/p/environments", `{"name": "`+strings.Repeat("e", 1025)+`"}`), "field name")
	// Renames too.
	assert.Contains(t, patch("/projects/p", `{"name": "`+long+`"}`), "field name")
	assert.Contains(t, patch("/projects/p/deployments/d", `{"name": "`+long+`"}`), "field name")
	assert.Contains(t, patch("/projects/p/deployments/d/versions/v1", `{"version": "`+long+`"}`), "field version")
	assert.Contains(t, patch("/projects/p/environments/e", `{"name": "`+strings.Repeat("e", 1025)+`"}`), "field name")
	// At the bound is fine.
	at := strings.Repeat("a", 64)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: at})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: at})
	require.NoError(t, err)
	_, err = c.Projects.Create(ctx, ubiops.ProjectCreate{Name: at, OrganizationName: "org"})
	require.NoError(t, err)

	// The documented rule for project names: lowercase letters, digits and dashes, starting with a
	// letter.
	for _, name := range []string{"1project", "-project", "Project", "pro_ject", "pro ject", "prøject"} {
		assert.Contains(t, post("/projects", `{"name": "`+name+`", "organization_name": "org"}`), "field name", name)
		assert.Contains(t, patch("/projects/p", `{"name": "`+name+`"}`), "field name", name)
	}
	// Empty names.
	assert.Contains(t, post("/projects/p/deployments", `{"name": ""}`), "field name")
	assert.Contains(t, post("/projects/p/deployments/d/versions", `{"version": ""}`), "field version")
	assert.Contains(t, post("/projects/p/environments", `{"name": ""}`), "field name")
	_, err = c.Projects.Get(ctx, "p")
	require.NoError(t, err, "nothing was renamed")
	_, err = c.Deployments.Get(ctx, "p", "d")
	require.NoError(t, err)
	list, err := c.Projects.List(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, list, 2)
}
