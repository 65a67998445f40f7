package ubiopstest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

const (
	depTestBuild   = 40 * time.Millisecond
	depTestProject = "dep-project"
)

var depTestCode = `class Deployment:
    def __init__(self, base_directory, context):
        pass

    def request(self, data):
        return data
`

func depTestServer(t *testing.T) (*ubiopstest.Server, *ubiops.Client, context.Context) {
	t.Helper()
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(depTestBuild))
	c := srv.Client()
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: depTestProject, OrganizationName: "org"})
	require.NoError(t, err)
	return srv, c, ctx
}

// depTestZip builds a zip archive of name/content pairs.
func depTestZip(t *testing.T, files ...string) []byte {
	t.Helper()
	require.Zero(t, len(files)%2)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(files); i += 2 {
		w, err := zw.Create(files[i])
		require.NoError(t, err)
		_, err = w.Write([]byte(files[i+1]))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func depTestStatus(err error) int {
	var apiErr *ubiops.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func depTestDeployment(t *testing.T, c *ubiops.Client, name string, labels map[string]string) *ubiops.DeploymentCreateResponse {
	t.Helper()
	body := ubiops.DeploymentCreate{Name: name, InputType: plainIn, OutputType: plainOut}
	if labels != nil {
		body.Labels = &labels
	}
	d, err := c.Deployments.Create(context.Background(), depTestProject, body)
	require.NoError(t, err)
	return d
}

func depTestVersion(t *testing.T, c *ubiops.Client, deployment, version string) *ubiops.DeploymentVersionDetail {
	t.Helper()
	v, err := c.Versions.Create(context.Background(), depTestProject, deployment, ubiops.DeploymentVersionCreate{Version: version})
	require.NoError(t, err)
	return v
}

func depTestUpload(t *testing.T, c *ubiops.Client, deployment, version string, archive []byte, name string) *ubiops.RevisionCreate {
	t.Helper()
	res, err := c.Revisions.Upload(context.Background(), depTestProject, deployment, version, ubiops.RevisionUpload{File: bytes.NewReader(archive), FileName: name})
	require.NoError(t, err)
	return res
}

// depTestWaitRevision polls a revision until its build has finished.
func depTestWaitRevision(t *testing.T, c *ubiops.Client, deployment, version string, revision ubiops.UUID) *ubiops.RevisionList {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, err := c.Revisions.Get(context.Background(), depTestProject, deployment, version, revision.String())
		require.NoError(t, err)
		if st := val(r.Status); st == ubiops.RevisionListStatusSuccess || st == ubiops.RevisionListStatusFailed {
			return r
		}
		require.True(t, time.Now().Before(deadline), "revision %s still %s", revision, r.Status)
		time.Sleep(depTestBuild / 8)
	}
}

// depTestMultipart posts a raw multipart upload (for bodies the client refuses to send).
func depTestMultipart(t *testing.T, srv *ubiopstest.Server, deployment, version string, fields map[string]string, file []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	if file != nil {
		w, err := mw.CreateFormFile("file", "deployment.zip")
		require.NoError(t, err)
		_, err = w.Write(file)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/v2.1/projects/"+depTestProject+"/deployments/"+deployment+"/versions/"+version+"/revisions", &buf)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// depTestDownload downloads a revision with a raw request, returning its bytes and headers.
func depTestDownload(t *testing.T, srv *ubiopstest.Server, deployment, version string, revision ubiops.UUID) ([]byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+"/v2.1/projects/"+depTestProject+"/deployments/"+deployment+"/versions/"+version+"/revisions/"+revision.String()+"/download", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b, resp.Header
}

func TestDeploymentsLifecycle(t *testing.T) {
	_, c, ctx := depTestServer(t)

	inputs := []ubiops.DeploymentInputField{
		{Name: "a", DataType: ubiops.DeploymentInputFieldDataTypeInt},
		{Name: "b", DataType: ubiops.DeploymentInputFieldDataTypeDouble, Widget: &ubiops.DeploymentInputFieldWidget{
			Type: ubiops.Ptr(ubiops.DeploymentInputFieldWidgetType("slider")), Configuration: &map[string]any{"min": 0, "max": 10},
		}},
	}
	outputs := []ubiops.DeploymentOutputField{{Name: "sum", DataType: ubiops.DeploymentOutputFieldDataTypeDouble}}
	labels := map[string]string{"team": "ml"}
	created, err := c.Deployments.Create(ctx, depTestProject, ubiops.DeploymentCreate{
		Name: "adder", Description: ubiops.Ptr("Adds numbers"), InputType: structuredIn, OutputType: structuredOut,
		InputFields: &inputs, OutputFields: &outputs, Labels: &labels,
	})
	require.NoError(t, err)
	assert.Equal(t, "adder", created.Name)
	assert.Equal(t, depTestProject, created.Project)
	assert.Equal(t, "Adds numbers", created.Description)
	assert.Equal(t, labels, created.Labels)
	require.Len(t, created.InputFields, 2)
	assert.Equal(t, "slider", string(*created.InputFields[1].Widget.Type))
	assert.Len(t, created.OutputFields, 1)

	_, err = c.Deployments.Create(ctx, depTestProject, ubiops.DeploymentCreate{Name: "adder", InputType: plainIn, OutputType: plainOut})
	assert.Equal(t, http.StatusConflict, depTestStatus(err), "duplicate name")
	_, err = c.Deployments.Create(ctx, depTestProject, ubiops.DeploymentCreate{Name: "bad", InputType: plainIn, OutputType: plainOut, InputFields: &inputs})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "plain input with fields")
	dup := []ubiops.DeploymentOutputField{outputs[0], outputs[0]}
	_, err = c.Deployments.Create(ctx, depTestProject, ubiops.DeploymentCreate{Name: "bad", InputType: plainIn, OutputType: structuredOut, OutputFields: &dup})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "duplicate field names")
	_, err = c.Deployments.Create(ctx, "no-such-project", ubiops.DeploymentCreate{Name: "x", InputType: plainIn, OutputType: plainOut})
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))

	got, err := c.Deployments.Get(ctx, depTestProject, "adder")
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Nil(t, got.DefaultVersion, "no version, no default")
	assert.Equal(t, created.CreationDate.UTC(), got.CreationDate.UTC())

	depTestDeployment(t, c, "echo", nil)
	list, err := c.Deployments.List(ctx, depTestProject, nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "adder", list[0].Name)
	assert.Equal(t, "echo", list[1].Name)

	// Update: rename, description, labels, fields.
	newInputs := []ubiops.DeploymentInputField{{Name: "x", DataType: ubiops.DeploymentInputFieldDataTypeString}}
	upd, err := c.Deployments.Update(ctx, depTestProject, "adder", ubiops.DeploymentUpdate{
		Name: ubiops.Ptr("summer"), Labels: &map[string]string{"team": "data"}, InputFields: &newInputs,
	})
	require.NoError(t, err)
	assert.Equal(t, "summer", upd.Name)
	assert.Equal(t, "Adds numbers", upd.Description, "fields not sent stay")
	assert.Equal(t, map[string]string{"team": "data"}, upd.Labels)
	require.Len(t, upd.InputFields, 1)
	assert.Equal(t, "x", upd.InputFields[0].Name)
	assert.Len(t, upd.OutputFields, 1)
	assert.False(t, upd.LastUpdated.Before(upd.CreationDate.Time))
	_, err = c.Deployments.Get(ctx, depTestProject, "adder")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err), "the old name is gone")
	_, err = c.Deployments.Get(ctx, depTestProject, "summer")
	require.NoError(t, err)

	_, err = c.Deployments.Update(ctx, depTestProject, "summer", ubiops.DeploymentUpdate{Name: ubiops.Ptr("echo")})
	assert.Equal(t, http.StatusConflict, depTestStatus(err), "rename onto another deployment")
	_, err = c.Deployments.Update(ctx, depTestProject, "summer", ubiops.DeploymentUpdate{DefaultVersion: ubiops.Ptr("v9")})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "default_version must name a version")
	_, err = c.Deployments.Update(ctx, depTestProject, "echo", ubiops.DeploymentUpdate{InputFields: &newInputs})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "fields for a plain input")
	_, err = c.Deployments.Update(ctx, depTestProject, "nope", ubiops.DeploymentUpdate{Description: ubiops.Ptr("x")})
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))

	require.NoError(t, c.Deployments.Delete(ctx, depTestProject, "summer"))
	_, err = c.Deployments.Get(ctx, depTestProject, "summer")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	assert.Equal(t, http.StatusNotFound, depTestStatus(c.Deployments.Delete(ctx, depTestProject, "summer")))
	list, err = c.Deployments.List(ctx, depTestProject, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "echo", list[0].Name)
}

func TestDeploymentsLabelFilter(t *testing.T) {
	_, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "a", map[string]string{"team": "ml", "stage": "prod"})
	depTestDeployment(t, c, "b", map[string]string{"team": "ml", "stage": "dev"})
	depTestDeployment(t, c, "c", map[string]string{"team": "web"})
	depTestDeployment(t, c, "d", nil)

	names := func(filter string) []string {
		list, err := c.Deployments.List(ctx, depTestProject, &ubiops.DeploymentsListParams{Labels: ubiops.Ptr(filter)})
		require.NoError(t, err)
		var out []string
		for _, d := range list {
			out = append(out, d.Name)
		}
		return out
	}
	assert.Equal(t, []string{"a", "b"}, names("team:ml"))
	assert.Equal(t, []string{"a"}, names("stage:prod"))
	// As documented, at least one of the pairs must match.
	assert.Equal(t, []string{"a", "c"}, names("stage:prod,team:web"))
	assert.Empty(t, names("team:nobody"))
	_, err := c.Deployments.List(ctx, depTestProject, &ubiops.DeploymentsListParams{Labels: ubiops.Ptr("novalue")})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err))

	depTestVersion(t, c, "a", "v1")
	_, err = c.Versions.Create(ctx, depTestProject, "a", ubiops.DeploymentVersionCreate{Version: "v2", Labels: &map[string]string{"kind": "canary"}})
	require.NoError(t, err)
	vs, err := c.Versions.List(ctx, depTestProject, "a", &ubiops.DeploymentVersionsListParams{Labels: ubiops.Ptr("kind:canary")})
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, "v2", vs[0].Version)
	vs, err = c.Versions.List(ctx, depTestProject, "a", nil)
	require.NoError(t, err)
	assert.Len(t, vs, 2)
}

func TestDeploymentVersionsLifecycle(t *testing.T) {
	_, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)

	v1 := depTestVersion(t, c, "dep", "v1")
	assert.Equal(t, "dep", v1.Deployment)
	assert.True(t, val(v1.Default), "the first version is the default")
	assert.Equal(t, "unavailable", v1.Status)
	assert.Nil(t, v1.ActiveRevision)
	assert.Nil(t, v1.LatestRevision)
	assert.Nil(t, v1.HasRequestMethod)
	assert.Equal(t, 5, v1.MaximumInstances)
	assert.Equal(t, 0, v1.MinimumInstances)
	assert.Equal(t, 300, v1.MaximumIdleTime)
	assert.Equal(t, 604800, v1.RequestRetentionTime)
	assert.Equal(t, ubiops.DeploymentVersionDetailRequestRetentionModeFull, v1.RequestRetentionMode)
	assert.NotEmpty(t, v1.Environment)
	assert.NotEmpty(t, v1.EnvironmentDisplayName)
	assert.Equal(t, "512mb", v1.InstanceTypeGroupName)
	assert.Empty(t, v1.Ports)
	assert.Nil(t, v1.Monitoring)
	d, err := c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Equal(t, "v1", *d.DefaultVersion)

	v2, err := c.Versions.Create(ctx, depTestProject, "dep", ubiops.DeploymentVersionCreate{
		Version: "v2", Environment: ubiops.Ptr("python3-12"), MaximumInstances: ubiops.Ptr(2), MinimumInstances: ubiops.Ptr(1),
		Monitoring: ubiops.NullableValue("ops"), Ports: &[]ubiops.DeploymentVersionPort{{PublicPort: 2222, DeploymentPort: 22, Protocol: "tcp"}},
		Description: ubiops.Ptr("second"),
	})
	require.NoError(t, err)
	assert.False(t, val(v2.Default))
	assert.Equal(t, "python3-12", v2.Environment)
	assert.Equal(t, 2, v2.MaximumInstances)
	assert.Equal(t, "ops", *v2.Monitoring)
	require.Len(t, v2.Ports, 1)

	_, err = c.Versions.Create(ctx, depTestProject, "dep", ubiops.DeploymentVersionCreate{Version: "v2"})
	assert.Equal(t, http.StatusConflict, depTestStatus(err))
	_, err = c.Versions.Create(ctx, depTestProject, "dep", ubiops.DeploymentVersionCreate{Version: "v3", Environment: ubiops.Ptr("cobol-85")})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "unknown environment")
	_, err = c.Versions.Create(ctx, depTestProject, "dep", ubiops.DeploymentVersionCreate{Version: "v3", MinimumInstances: ubiops.Ptr(6)})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "minimum above maximum")
	_, err = c.Versions.Create(ctx, depTestProject, "nope", ubiops.DeploymentVersionCreate{Version: "v3"})
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))

	// Update: rename, labels, scaling, monitoring off; unsent fields stay.
	upd, err := c.Versions.Update(ctx, depTestProject, "dep", "v2", ubiops.DeploymentVersionUpdate{
		Version: ubiops.Ptr("v3"), Labels: &map[string]string{"k": "v"}, MaximumInstances: ubiops.Ptr(4), Monitoring: ubiops.Null[string](),
	})
	require.NoError(t, err)
	assert.Equal(t, "v3", upd.Version)
	assert.Equal(t, map[string]string{"k": "v"}, upd.Labels)
	assert.Equal(t, 4, upd.MaximumInstances)
	assert.Equal(t, 1, upd.MinimumInstances)
	assert.Nil(t, upd.Monitoring)
	assert.Equal(t, "second", upd.Description)
	assert.Len(t, upd.Ports, 1)
	_, err = c.Versions.Get(ctx, depTestProject, "dep", "v2")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, err = c.Versions.Update(ctx, depTestProject, "dep", "v3", ubiops.DeploymentVersionUpdate{Version: ubiops.Ptr("v1")})
	assert.Equal(t, http.StatusConflict, depTestStatus(err))
	_, err = c.Versions.Update(ctx, depTestProject, "dep", "v3", ubiops.DeploymentVersionUpdate{MinimumInstances: ubiops.Ptr(9)})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err))
	_, err = c.Versions.Update(ctx, depTestProject, "dep", "v3", ubiops.DeploymentVersionUpdate{Environment: ubiops.Ptr("cobol-85")})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err))
	upd, err = c.Versions.Update(ctx, depTestProject, "dep", "v3", ubiops.DeploymentVersionUpdate{Environment: ubiops.Ptr("python3-10")})
	require.NoError(t, err)
	assert.Equal(t, "python3-10", upd.Environment)

	// The default version moves on update and on delete.
	d, err = c.Deployments.Update(ctx, depTestProject, "dep", ubiops.DeploymentUpdate{DefaultVersion: ubiops.Ptr("v3")})
	require.NoError(t, err)
	assert.Equal(t, "v3", *d.DefaultVersion)
	list, err := c.Versions.List(ctx, depTestProject, "dep", nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.False(t, val(list[0].Default))
	assert.True(t, val(list[1].Default))
	// Renaming the default version renames the deployment's default.
	_, err = c.Versions.Update(ctx, depTestProject, "dep", "v3", ubiops.DeploymentVersionUpdate{Version: ubiops.Ptr("v4")})
	require.NoError(t, err)
	d, err = c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Equal(t, "v4", *d.DefaultVersion)

	require.NoError(t, c.Versions.Delete(ctx, depTestProject, "dep", "v4"))
	d, err = c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Equal(t, "v1", *d.DefaultVersion, "another version becomes the default")
	got, err := c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.True(t, val(got.Default))
	require.NoError(t, c.Versions.Delete(ctx, depTestProject, "dep", "v1"))
	d, err = c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Nil(t, d.DefaultVersion, "no version left")
	assert.Equal(t, http.StatusNotFound, depTestStatus(c.Versions.Delete(ctx, depTestProject, "dep", "v1")))
	list, err = c.Versions.List(ctx, depTestProject, "dep", nil)
	require.NoError(t, err)
	assert.Empty(t, list)

	// A new first version becomes the default again.
	depTestVersion(t, c, "dep", "v5")
	d, err = c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Equal(t, "v5", *d.DefaultVersion)
}

func TestRevisionUploadBuildsToSuccess(t *testing.T) {
	srv, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestVersion(t, c, "dep", "v1")

	code := depTestCode + "\n    def requests(self, data):\n        return data\n"
	archive := depTestZip(t, "deployment_package/deployment.py", code, "deployment_package/requirements.txt", "numpy\n")
	res := depTestUpload(t, c, "dep", "v1", archive, "my-model.zip")
	assert.True(t, res.Success)

	v, err := c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "building", v.Status)
	assert.Equal(t, res.Revision, *v.LatestRevision)
	assert.Nil(t, v.ActiveRevision, "not active before the build succeeded")
	assert.NotNil(t, v.LastFileUpload)
	b, err := c.Builds.Get(ctx, depTestProject, "dep", "v1", res.Build.String())
	require.NoError(t, err)
	assert.Contains(t, []ubiops.BuildListStatus{ubiops.BuildListStatusQueued, ubiops.BuildListStatusBuilding}, b.Status)
	assert.Equal(t, "Deployment file upload", val(b.Trigger))
	assert.Equal(t, res.Revision, b.Revision)

	r := depTestWaitRevision(t, c, "dep", "v1", res.Revision)
	assert.Equal(t, ubiops.RevisionListStatusSuccess, val(r.Status))
	assert.Empty(t, val(r.ErrorMessage))
	assert.True(t, val(r.HasRequestMethod))
	assert.True(t, val(r.HasRequestsMethod))
	assert.Equal(t, "v1", r.Version)
	assert.Equal(t, "user@example.com", r.CreatedBy)
	b, err = c.Builds.Get(ctx, depTestProject, "dep", "v1", res.Build.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.BuildListStatusSuccess, b.Status)
	assert.Empty(t, b.ErrorMessage)

	v, err = c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "available", v.Status)
	assert.Equal(t, res.Revision, *v.ActiveRevision)
	assert.True(t, *v.HasRequestMethod)
	assert.True(t, *v.HasRequestsMethod)

	// The download is the uploaded package, under its file name.
	var buf bytes.Buffer
	n, err := c.Revisions.Download(ctx, depTestProject, "dep", "v1", res.Revision.String(), &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(archive)), n)
	assert.Equal(t, archive, buf.Bytes())
	body, hdr := depTestDownload(t, srv, "dep", "v1", res.Revision)
	assert.Equal(t, archive, body)
	assert.Contains(t, hdr.Get("Content-Disposition"), `filename="my-model.zip"`)
	stored, found := srv.RevisionArchive(depTestProject, "dep", "v1", res.Revision.String())
	require.True(t, found)
	assert.Equal(t, archive, stored)
	_, found = srv.RevisionArchive(depTestProject, "dep", "v1", "00000000-0000-0000-0000-000000000000")
	assert.False(t, found)

	revs, err := c.Revisions.List(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	require.Len(t, revs, 1)
	assert.Equal(t, res.Revision, revs[0].ID)

	// The build wrote log lines for the version.
	logs, err := c.Logs.ListDeprecated(ctx, depTestProject, ubiops.LogsCreate{Filters: &ubiops.LogsCreateFilters{
		DeploymentName: ubiops.Ptr("dep"), DeploymentVersion: ubiops.Ptr("v1"),
	}})
	require.NoError(t, err)
	var lines []string
	for _, l := range logs {
		lines = append(lines, l.Log)
	}
	assert.Contains(t, strings.Join(lines, "\n"), "succeeded")

	// 404s.
	_, err = c.Revisions.Get(ctx, depTestProject, "dep", "v1", "not-a-revision")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, err = c.Builds.Get(ctx, depTestProject, "dep", "v1", res.Revision.String())
	assert.Equal(t, http.StatusNotFound, depTestStatus(err), "a revision id is not a build id")
	_, err = c.Revisions.Download(ctx, depTestProject, "dep", "v1", "00000000-0000-0000-0000-000000000000", io.Discard)
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, err = c.Revisions.List(ctx, depTestProject, "dep", "v2")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, err = c.Revisions.Upload(ctx, depTestProject, "dep", "v2", ubiops.RevisionUpload{File: bytes.NewReader(archive)})
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
}

func TestRevisionUploadFailures(t *testing.T) {
	srv, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestVersion(t, c, "dep", "v1")

	notZip := depTestUpload(t, c, "dep", "v1", []byte("this is not a zip"), "")
	r := depTestWaitRevision(t, c, "dep", "v1", notZip.Revision)
	assert.Equal(t, ubiops.RevisionListStatusFailed, val(r.Status))
	assert.Contains(t, val(r.ErrorMessage), "zip")
	b, err := c.Builds.Get(ctx, depTestProject, "dep", "v1", notZip.Build.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.BuildListStatusFailed, b.Status)
	assert.Equal(t, val(r.ErrorMessage), b.ErrorMessage)

	noCode := depTestUpload(t, c, "dep", "v1", depTestZip(t, "pkg/requirements.txt", "numpy\n", "pkg/sub/deployment.py", depTestCode), "")
	r = depTestWaitRevision(t, c, "dep", "v1", noCode.Revision)
	assert.Equal(t, ubiops.RevisionListStatusFailed, val(r.Status))
	assert.Contains(t, val(r.ErrorMessage), "deployment.py")
	v, err := c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "unavailable", v.Status, "no build succeeded yet")
	assert.Nil(t, v.ActiveRevision)
	assert.Equal(t, noCode.Revision, *v.LatestRevision)
	assert.False(t, *v.HasRequestMethod)

	// A package with deployment.py at the root builds; a later failure keeps it active.
	good := depTestUpload(t, c, "dep", "v1", depTestZip(t, "deployment.py", depTestCode), "")
	require.Equal(t, ubiops.RevisionListStatusSuccess, val(depTestWaitRevision(t, c, "dep", "v1", good.Revision).Status))
	bad := depTestUpload(t, c, "dep", "v1", depTestZip(t, "README.md", "nothing here"), "")
	require.Equal(t, ubiops.RevisionListStatusFailed, val(depTestWaitRevision(t, c, "dep", "v1", bad.Revision).Status))
	v, err = c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "available", v.Status)
	assert.Equal(t, good.Revision, *v.ActiveRevision)
	assert.Equal(t, bad.Revision, *v.LatestRevision)
	revs, err := c.Revisions.List(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Len(t, revs, 4)

	// Exactly one source: a file, a source version, or a template.
	archive := depTestZip(t, "deployment.py", depTestCode)
	for _, tc := range []struct {
		fields map[string]string
		file   []byte
	}{
		{nil, nil},
		{map[string]string{"source_deployment": "dep", "source_version": "v1"}, archive},
		{map[string]string{"source_deployment": "dep"}, nil},
		{map[string]string{"source_version": "v1"}, nil},
		{map[string]string{"template_deployment_id": "not-a-uuid"}, nil},
		{map[string]string{"template_deployment_id": "00000000-0000-0000-0000-000000000000"}, nil},
		{map[string]string{"source_deployment": "dep", "source_version": "v9"}, nil},
		{map[string]string{"source_deployment": "nope", "source_version": "v1"}, nil},
		{map[string]string{"unknown_field": "x"}, archive},
	} {
		status, body := depTestMultipart(t, srv, "dep", "v1", tc.fields, tc.file)
		assert.Equal(t, http.StatusBadRequest, status, "%v file=%v: %s", tc.fields, tc.file != nil, body)
	}
	status, body := depTestMultipart(t, srv, "dep", "v1", nil, archive)
	assert.Equal(t, http.StatusCreated, status, body)
}

func TestRevisionCopyFromVersionAndTemplate(t *testing.T) {
	srv, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "src", nil)
	depTestVersion(t, c, "src", "v1")
	depTestDeployment(t, c, "dst", nil)
	depTestVersion(t, c, "dst", "v1")
	depTestVersion(t, c, "dst", "v2")

	_, err := c.Revisions.Upload(ctx, depTestProject, "dst", "v1", ubiops.RevisionUpload{SourceDeployment: "src", SourceVersion: "v1"})
	assert.Equal(t, http.StatusBadRequest, depTestStatus(err), "the source has no deployment file")

	first := depTestZip(t, "deployment.py", depTestCode)
	depTestUpload(t, c, "src", "v1", first, "")
	latest := depTestZip(t, "deployment_package/deployment.py", depTestCode, "deployment_package/extra.txt", "x")
	depTestUpload(t, c, "src", "v1", latest, "")

	res, err := c.Revisions.Upload(ctx, depTestProject, "dst", "v1", ubiops.RevisionUpload{SourceDeployment: "src", SourceVersion: "v1"})
	require.NoError(t, err)
	r := depTestWaitRevision(t, c, "dst", "v1", res.Revision)
	assert.Equal(t, ubiops.RevisionListStatusSuccess, val(r.Status))
	body, hdr := depTestDownload(t, srv, "dst", "v1", res.Revision)
	assert.Equal(t, latest, body, "the source's latest package is copied")
	assert.Contains(t, hdr.Get("Content-Disposition"), `filename="dst_v1_`+res.Revision.String()+`.zip"`)

	templates, err := c.Templates.ListDeployments(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(templates), 2)
	seen := map[ubiops.UUID]bool{}
	for _, tmpl := range templates {
		assert.False(t, seen[tmpl.ID], "template ids are unique")
		seen[tmpl.ID] = true
		require.NotNil(t, tmpl.Details.Name)
		require.NotNil(t, tmpl.Details.Version)
		require.NotNil(t, tmpl.Details.Version.Environment)
	}
	res, err = c.Revisions.Upload(ctx, depTestProject, "dst", "v2", ubiops.RevisionUpload{TemplateDeploymentID: templates[0].ID.String()})
	require.NoError(t, err)
	r = depTestWaitRevision(t, c, "dst", "v2", res.Revision)
	assert.Equal(t, ubiops.RevisionListStatusSuccess, val(r.Status), val(r.ErrorMessage))
	assert.True(t, val(r.HasRequestMethod))
	body, _ = depTestDownload(t, srv, "dst", "v2", res.Revision)
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err, "a template's package is a zip archive")
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	assert.Contains(t, names, "deployment_package/deployment.py")

	// Every template builds.
	for i, tmpl := range templates {
		res, err := c.Revisions.Upload(ctx, depTestProject, "dst", "v2", ubiops.RevisionUpload{TemplateDeploymentID: tmpl.ID.String()})
		require.NoError(t, err)
		r := depTestWaitRevision(t, c, "dst", "v2", res.Revision)
		assert.Equal(t, ubiops.RevisionListStatusSuccess, val(r.Status), "template %d: %s", i, val(r.ErrorMessage))
	}
}

func TestRevisionRebuild(t *testing.T) {
	_, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestVersion(t, c, "dep", "v1")
	res := depTestUpload(t, c, "dep", "v1", depTestZip(t, "deployment.py", depTestCode), "")
	require.Equal(t, ubiops.RevisionListStatusSuccess, val(depTestWaitRevision(t, c, "dep", "v1", res.Revision).Status))

	r, err := c.Revisions.Rebuild(ctx, depTestProject, "dep", "v1", res.Revision.String())
	require.NoError(t, err)
	assert.Equal(t, res.Revision, r.ID)
	assert.Contains(t, []ubiops.RevisionListStatus{ubiops.RevisionListStatusQueued, ubiops.RevisionListStatusBuilding}, val(r.Status), "a new build runs")
	v, err := c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "building", v.Status)
	assert.Equal(t, res.Revision, *v.ActiveRevision, "the previous build stays active meanwhile")
	assert.Equal(t, ubiops.RevisionListStatusSuccess, val(depTestWaitRevision(t, c, "dep", "v1", res.Revision).Status))
	v, err = c.Versions.Get(ctx, depTestProject, "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "available", v.Status)
	b, err := c.Builds.Get(ctx, depTestProject, "dep", "v1", res.Build.String())
	require.NoError(t, err)
	assert.Equal(t, "Deployment file upload", val(b.Trigger), "the first build is kept")

	_, err = c.Revisions.Rebuild(ctx, depTestProject, "dep", "v1", "00000000-0000-0000-0000-000000000000")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))

	events, err := c.Audit.ListDeployment(ctx, depTestProject, "dep", &ubiops.DeploymentAuditEventsListParams{
		Action: ubiops.Ptr(ubiops.DeploymentAuditEventsListParamsActionInfo),
	})
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Contains(t, events[0].Event, "rebuild")
}

func TestDeploymentAuditEvents(t *testing.T) {
	_, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestDeployment(t, c, "other", nil)
	depTestVersion(t, c, "dep", "v1")
	depTestVersion(t, c, "other", "v1")
	_, err := c.Versions.Update(ctx, depTestProject, "dep", "v1", ubiops.DeploymentVersionUpdate{Description: ubiops.Ptr("x")})
	require.NoError(t, err)
	depTestUpload(t, c, "dep", "v1", depTestZip(t, "deployment.py", depTestCode), "")
	_, err = c.Deployments.Update(ctx, depTestProject, "dep", ubiops.DeploymentUpdate{Name: ubiops.Ptr("renamed")})
	require.NoError(t, err)

	events, err := c.Audit.ListDeployment(ctx, depTestProject, "renamed", nil)
	require.NoError(t, err)
	require.Len(t, events, 5, "create, version create, version update, upload, update")
	for i := 1; i < len(events); i++ {
		assert.False(t, events[i].Date.After(events[i-1].Date.Time), "newest first")
	}
	assert.Equal(t, ubiops.AuditListActionUpdate, events[0].Action)
	assert.Equal(t, "deployment", events[0].ObjectType)
	assert.Equal(t, "renamed", *events[0].ObjectName)
	last := events[len(events)-1]
	assert.Equal(t, ubiops.AuditListActionCreate, last.Action)
	assert.Equal(t, "renamed", *last.ObjectName, "object names follow renames")
	var versionEvents int
	for _, e := range events {
		if e.ObjectType == "deployment_version" {
			versionEvents++
			assert.Equal(t, "v1", *e.ObjectName)
		}
	}
	assert.Equal(t, 3, versionEvents)

	creates, err := c.Audit.ListDeployment(ctx, depTestProject, "renamed", &ubiops.DeploymentAuditEventsListParams{
		Action: ubiops.Ptr(ubiops.DeploymentAuditEventsListParamsActionCreate),
	})
	require.NoError(t, err)
	assert.Len(t, creates, 3)
	page, err := c.Audit.ListDeployment(ctx, depTestProject, "renamed", &ubiops.DeploymentAuditEventsListParams{Limit: ubiops.Ptr(2), Offset: ubiops.Ptr(1)})
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, events[1].ID, page[0].ID)
	assert.Equal(t, events[2].ID, page[1].ID)

	_, err = c.Audit.ListDeployment(ctx, depTestProject, "dep", nil)
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	other, err := c.Audit.ListDeployment(ctx, depTestProject, "other", nil)
	require.NoError(t, err)
	assert.Len(t, other, 2, "only the deployment's own events")

	// Deleting a version empties the object name of its events.
	require.NoError(t, c.Versions.Delete(ctx, depTestProject, "renamed", "v1"))
	events, err = c.Audit.ListDeployment(ctx, depTestProject, "renamed", nil)
	require.NoError(t, err)
	require.Len(t, events, 6)
	assert.Equal(t, ubiops.AuditListActionDelete, events[0].Action)
	for _, e := range events {
		if e.ObjectType == "deployment_version" {
			assert.Nil(t, e.ObjectName)
		}
	}
}

func TestDeploymentDeleteCascades(t *testing.T) {
	srv, c, ctx := depTestServer(t)
	depTestDeployment(t, c, "dep", nil)
	depTestVersion(t, c, "dep", "v1")
	res := depTestUpload(t, c, "dep", "v1", depTestZip(t, "deployment.py", depTestCode), "")

	require.NoError(t, c.Deployments.Delete(ctx, depTestProject, "dep"))
	_, err := c.Versions.Get(ctx, depTestProject, "dep", "v1")
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, err = c.Revisions.Get(ctx, depTestProject, "dep", "v1", res.Revision.String())
	assert.Equal(t, http.StatusNotFound, depTestStatus(err))
	_, found := srv.RevisionArchive(depTestProject, "dep", "v1", res.Revision.String())
	assert.False(t, found)

	// A new deployment of the same name starts empty, with an audit trail of its own.
	depTestDeployment(t, c, "dep", nil)
	versions, err := c.Versions.List(ctx, depTestProject, "dep", nil)
	require.NoError(t, err)
	assert.Empty(t, versions)
	d, err := c.Deployments.Get(ctx, depTestProject, "dep")
	require.NoError(t, err)
	assert.Nil(t, d.DefaultVersion)
	events, err := c.Audit.ListDeployment(ctx, depTestProject, "dep", nil)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, ubiops.AuditListActionCreate, events[0].Action)
}

// TestProjectAuditKeepsSameNamedVersionsApart: deleting version v1 of one deployment must not
// blank the events of version v1 of another deployment in the project's audit list.
func TestProjectAuditKeepsSameNamedVersionsApart(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses())
	c := srv.Client()
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "audit", OrganizationName: "o"})
	require.NoError(t, err)
	for _, d := range []string{"first", "second"} {
		_, err := c.Deployments.Create(ctx, "audit", ubiops.DeploymentCreate{Name: d, InputType: plainIn, OutputType: plainOut})
		require.NoError(t, err)
		_, err = c.Versions.Create(ctx, "audit", d, ubiops.DeploymentVersionCreate{Version: "v1"})
		require.NoError(t, err)
	}
	require.NoError(t, c.Versions.Delete(ctx, "audit", "first", "v1"))
	events, err := c.Audit.ListProject(ctx, "audit", &ubiops.ProjectAuditEventsListParams{Limit: ubiops.Ptr(200)})
	require.NoError(t, err)
	byEvent := map[string]ubiops.AuditList{}
	for _, e := range events {
		byEvent[e.Event] = e
	}
	second := byEvent["Created version v1 for deployment second"]
	assert.Equal(t, "v1", *second.ObjectName, "the other deployment's v1 keeps its name")
	first := byEvent["Created version v1 for deployment first"]
	assert.Nil(t, first.ObjectName, "the deleted version's events are blank")
}
