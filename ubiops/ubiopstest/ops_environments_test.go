package ubiopstest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

const envTestBuild = 40 * time.Millisecond

// envTestServer starts a strict server with a project named demo.
func envTestServer(t *testing.T, build time.Duration) (*ubiopstest.Server, *ubiops.Client) {
	t.Helper()
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(build))
	client := srv.Client()
	_, err := client.Projects.Create(context.Background(), ubiops.ProjectCreate{Name: "demo", OrganizationName: "org"})
	require.NoError(t, err)
	return srv, client
}

// envTestZip builds a zip archive of the given files (name -> content).
func envTestZip(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		require.NoError(t, err)
		_, err = w.Write([]byte(files[i+1]))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func envTestCreate(t *testing.T, client *ubiops.Client, name, base string) *ubiops.EnvironmentList {
	t.Helper()
	env, err := client.Environments.Create(context.Background(), "demo", ubiops.EnvironmentCreate{Name: name, BaseEnvironment: &base})
	require.NoError(t, err)
	return env
}

func envTestUpload(t *testing.T, client *ubiops.Client, env string, archive []byte) *ubiops.EnvironmentRevisionCreate {
	t.Helper()
	res, err := client.EnvironmentRevisions.Upload(context.Background(), "demo", env, ubiops.EnvironmentRevisionUpload{File: bytes.NewReader(archive)})
	require.NoError(t, err)
	require.True(t, res.Success)
	return res
}

// envTestWaitBuild polls a build until it has finished and returns it.
func envTestWaitBuild(t *testing.T, client *ubiops.Client, env string, res *ubiops.EnvironmentRevisionCreate) *ubiops.EnvironmentBuildList {
	t.Helper()
	var b *ubiops.EnvironmentBuildList
	require.Eventually(t, func() bool {
		var err error
		b, err = client.EnvironmentBuilds.Get(context.Background(), "demo", env, res.Revision.String(), res.Build.String())
		require.NoError(t, err)
		return b.Status != ubiops.EnvironmentBuildListStatusQueued && b.Status != ubiops.EnvironmentBuildListStatusProcessing
	}, 5*time.Second, 5*time.Millisecond)
	return b
}

// envTestGet sends a GET straight to the server, to see status and headers.
func envTestGet(t *testing.T, srv *ubiopstest.Server, path string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body), resp.Header
}

// envTestMultipart posts a multipart body to the upload endpoint directly (the client refuses some
// of these bodies before sending them).
func envTestMultipart(t *testing.T, srv *ubiopstest.Server, env string, fields map[string]string, file []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	if file != nil {
		w, err := mw.CreateFormFile("file", "env.zip")
		require.NoError(t, err)
		_, err = w.Write(file)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/v2.1/projects/demo/environments/"+env+"/revisions", &buf)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Token "+srv.Token())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestEnvironmentsBaseAndCustom(t *testing.T) {
	ctx := context.Background()
	srv, client := envTestServer(t, envTestBuild)

	all, err := client.Environments.List(ctx, "demo", nil)
	require.NoError(t, err)
	names := map[string]ubiops.EnvironmentList{}
	for _, e := range all {
		names[e.Name] = e
		assert.Nil(t, e.Project, "base environment %s has no project", e.Name)
		assert.Nil(t, e.BaseEnvironment, "base environment %s has no base", e.Name)
		assert.Equal(t, "active", e.Status)
	}
	for _, want := range []string{"python3-11", "python3-12", "python3-12-cuda"} {
		assert.Contains(t, names, want)
	}
	assert.True(t, names["python3-12-cuda"].GPURequired)
	assert.False(t, names["python3-12"].GPURequired)

	base, err := client.Environments.Get(ctx, "demo", "python3-12")
	require.NoError(t, err)
	assert.Nil(t, base.LatestRevision)
	assert.Nil(t, base.ActiveBuild)

	// Base environments are read-only.
	_, err = client.Environments.Update(ctx, "demo", "python3-12", ubiops.EnvironmentUpdate{Description: ubiops.Ptr("mine")})
	assert.ErrorIs(t, err, ubiops.ErrForbidden)
	assert.ErrorIs(t, client.Environments.Delete(ctx, "demo", "python3-12"), ubiops.ErrForbidden)
	_, err = client.EnvironmentRevisions.Upload(ctx, "demo", "python3-12", ubiops.EnvironmentRevisionUpload{File: bytes.NewReader(envTestZip(t, "requirements.txt", "x"))})
	assert.ErrorIs(t, err, ubiops.ErrForbidden)
	revs, err := client.EnvironmentRevisions.List(ctx, "demo", "python3-12")
	require.NoError(t, err)
	assert.Empty(t, revs)

	// Custom environments are built on an existing base environment.
	custom, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "gpu-custom", BaseEnvironment: ubiops.Ptr("python3-12-cuda"), Labels: &map[string]string{"team": "ml"},
	})
	require.NoError(t, err)
	assert.Equal(t, "python3-12-cuda", *custom.BaseEnvironment)
	assert.Equal(t, "demo", *custom.Project)
	assert.True(t, custom.GPURequired, "inherits the base environment's GPU requirement")
	assert.Equal(t, "active", custom.Status)
	envTestCreate(t, client, "plain", "python3-11")

	_, err = client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "x", BaseEnvironment: ubiops.Ptr("python2-7")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "unknown base environment")
	_, err = client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "x", BaseEnvironment: ubiops.Ptr("plain")})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "a custom environment is no base")
	_, err = client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "plain", BaseEnvironment: ubiops.Ptr("python3-12")})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{Name: "python3-12", BaseEnvironment: ubiops.Ptr("python3-12")})
	assert.ErrorIs(t, err, ubiops.ErrConflict, "a base environment's name is taken")
	_, err = client.Environments.Create(ctx, "nope", ubiops.EnvironmentCreate{Name: "y", BaseEnvironment: ubiops.Ptr("python3-12")})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	list := func(typ ubiops.EnvironmentsListParamsEnvironmentType, labels string) []string {
		t.Helper()
		params := &ubiops.EnvironmentsListParams{}
		if typ != "" {
			params.EnvironmentType = &typ
		}
		if labels != "" {
			params.Labels = &labels
		}
		envs, err := client.Environments.List(ctx, "demo", params)
		require.NoError(t, err)
		var out []string
		for _, e := range envs {
			out = append(out, e.Name)
		}
		return out
	}
	assert.Equal(t, []string{"gpu-custom", "plain"}, list(ubiops.EnvironmentsListParamsEnvironmentTypeCustom, ""))
	baseNames := list(ubiops.EnvironmentsListParamsEnvironmentTypeBase, "")
	assert.Len(t, baseNames, len(all))
	assert.NotContains(t, baseNames, "plain")
	assert.Len(t, list(ubiops.EnvironmentsListParamsEnvironmentTypeAll, ""), len(all)+2)
	assert.Equal(t, []string{"gpu-custom"}, list("", "team:ml"))
	assert.Equal(t, []string{"gpu-custom"}, list("", "team:web,team:ml"))
	assert.Empty(t, list("", "team:web"))

	status, _, _ := envTestGet(t, srv, "/v2.1/projects/demo/environments?labels=nocolon")
	assert.Equal(t, http.StatusBadRequest, status)

	// Another project sees the base environments but not this project's custom ones.
	_, err = client.Projects.Create(ctx, ubiops.ProjectCreate{Name: "other", OrganizationName: "org"})
	require.NoError(t, err)
	others, err := client.Environments.List(ctx, "other", nil)
	require.NoError(t, err)
	assert.Len(t, others, len(all))
	_, err = client.Environments.Get(ctx, "other", "plain")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.Environments.Get(ctx, "other", "python3-11")
	assert.NoError(t, err)
}

func TestEnvironmentsLifecycle(t *testing.T) {
	ctx := context.Background()
	_, client := envTestServer(t, envTestBuild)

	created, err := client.Environments.Create(ctx, "demo", ubiops.EnvironmentCreate{
		Name: "custom", BaseEnvironment: ubiops.Ptr("python3-11"), Description: ubiops.Ptr("mine"),
		Labels: &map[string]string{"a": "1", "b": "2"},
	})
	require.NoError(t, err)
	assert.Equal(t, "custom", val(created.DisplayName), "the name is the default display name")
	assert.Equal(t, "mine", created.Description)
	assert.Equal(t, map[string]string{"a": "1", "b": "2"}, created.Labels)
	assert.False(t, created.Implicit)
	assert.False(t, created.Hidden)
	assert.False(t, created.Deprecated)

	got, err := client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.ID)
	assert.Nil(t, got.ActiveRevision)
	assert.Nil(t, got.ActiveBuild)
	assert.Nil(t, got.LatestRevision)
	assert.Nil(t, got.LatestBuild)

	// PATCH changes only what is sent; labels are replaced entirely.
	upd, err := client.Environments.Update(ctx, "demo", "custom", ubiops.EnvironmentUpdate{
		DisplayName: ubiops.Ptr("Custom env"), Labels: &map[string]string{"c": "3"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Custom env", val(upd.DisplayName))
	assert.Equal(t, "mine", upd.Description)
	assert.Equal(t, map[string]string{"c": "3"}, upd.Labels)
	assert.False(t, upd.LastUpdated.Before(upd.CreationDate.Time))

	envTestCreate(t, client, "taken", "python3-12")
	_, err = client.Environments.Update(ctx, "demo", "custom", ubiops.EnvironmentUpdate{Name: ubiops.Ptr("taken")})
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	_, err = client.Environments.Update(ctx, "demo", "custom", ubiops.EnvironmentUpdate{Name: ubiops.Ptr("python3-10")})
	assert.ErrorIs(t, err, ubiops.ErrConflict)

	renamed, err := client.Environments.Update(ctx, "demo", "custom", ubiops.EnvironmentUpdate{Name: ubiops.Ptr("renamed")})
	require.NoError(t, err)
	assert.Equal(t, "renamed", renamed.Name)
	assert.Equal(t, created.ID, renamed.ID)
	_, err = client.Environments.Get(ctx, "demo", "custom")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.Environments.Get(ctx, "demo", "renamed")
	require.NoError(t, err)
	_, err = client.Environments.Update(ctx, "demo", "missing", ubiops.EnvironmentUpdate{Description: ubiops.Ptr("x")})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	usage, err := client.Environments.Usage(ctx, "demo", "renamed", nil)
	require.NoError(t, err)
	assert.Empty(t, usage)

	require.NoError(t, client.Environments.Delete(ctx, "demo", "renamed"))
	_, err = client.Environments.Get(ctx, "demo", "renamed")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	assert.ErrorIs(t, client.Environments.Delete(ctx, "demo", "renamed"), ubiops.ErrNotFound)
	_, err = client.Environments.Get(ctx, "nope", "python3-12")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// Every mutation is audited.
	events, err := client.Audit.ListProject(ctx, "demo", nil)
	require.NoError(t, err)
	actions := map[ubiops.AuditListAction]int{}
	for _, ev := range events {
		if ev.ObjectType == "environment" {
			actions[ev.Action]++
		}
	}
	assert.Equal(t, 2, actions[ubiops.AuditListActionCreate])
	assert.Equal(t, 2, actions[ubiops.AuditListActionUpdate])
	assert.Equal(t, 1, actions[ubiops.AuditListActionDelete])
}

func TestEnvironmentUploadBuildsAndDownloads(t *testing.T) {
	ctx := context.Background()
	// Long enough that the checks made right after an upload or rebuild see the build unfinished.
	srv, client := envTestServer(t, 300*time.Millisecond)
	envTestCreate(t, client, "custom", "python3-12")

	archive := envTestZip(t,
		"myenv/requirements.txt", "numpy==2.0.0\nrequests\n",
		"myenv/ubiops.yaml", "apt:\n  packages:\n    - curl\n",
		"myenv/README.md", "not a dependency file",
	)
	res, err := client.EnvironmentRevisions.Upload(ctx, "demo", "custom", ubiops.EnvironmentRevisionUpload{File: bytes.NewReader(archive), FileName: "myenv.zip"})
	require.NoError(t, err)
	assert.True(t, res.Success)
	rev, build := res.Revision.String(), res.Build.String()

	first, err := client.EnvironmentBuilds.Get(ctx, "demo", "custom", rev, build)
	require.NoError(t, err)
	assert.Contains(t, []ubiops.EnvironmentBuildListStatus{ubiops.EnvironmentBuildListStatusQueued, ubiops.EnvironmentBuildListStatusProcessing}, first.Status)
	assert.Equal(t, "Environment file upload", first.Trigger)
	assert.Equal(t, res.Revision, first.Revision)

	env, err := client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Equal(t, res.Revision, *env.LatestRevision)
	assert.Equal(t, res.Build, *env.LatestBuild)
	assert.Nil(t, env.ActiveBuild, "no build has succeeded yet")

	done := envTestWaitBuild(t, client, "custom", res)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, done.Status)
	assert.Empty(t, val(done.ErrorMessage))

	env, err = client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Equal(t, res.Revision, *env.ActiveRevision)
	assert.Equal(t, res.Build, *env.ActiveBuild)

	deps, err := client.EnvironmentBuilds.Dependencies(ctx, "demo", "custom", rev, build)
	require.NoError(t, err)
	assert.Equal(t, []ubiops.EnvironmentBuildDependency{
		{Name: "requirements.txt", Content: ubiops.Ptr("numpy==2.0.0\nrequests\n")},
		{Name: "ubiops.yaml", Content: ubiops.Ptr("apt:\n  packages:\n    - curl\n")},
	}, deps)

	revs, err := client.EnvironmentRevisions.List(ctx, "demo", "custom")
	require.NoError(t, err)
	require.Len(t, revs, 1)
	assert.Equal(t, res.Revision, revs[0].ID)
	assert.Equal(t, "custom", revs[0].Environment)
	assert.Equal(t, "user@example.com", revs[0].CreatedBy)
	assert.False(t, revs[0].Expired)
	one, err := client.EnvironmentRevisions.Get(ctx, "demo", "custom", rev)
	require.NoError(t, err)
	assert.Equal(t, revs[0], *one)

	builds, err := client.EnvironmentBuilds.List(ctx, "demo", "custom", rev)
	require.NoError(t, err)
	require.Len(t, builds, 1)
	assert.Equal(t, *done, builds[0])

	// The download returns the uploaded bytes under the uploaded name.
	var buf bytes.Buffer
	n, err := client.EnvironmentRevisions.Download(ctx, "demo", "custom", rev, &buf)
	require.NoError(t, err)
	assert.Equal(t, int64(len(archive)), n)
	assert.Equal(t, archive, buf.Bytes())
	status, body, hdr := envTestGet(t, srv, "/v2.1/projects/demo/environments/custom/revisions/"+rev+"/download")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, string(archive), body)
	assert.Contains(t, hdr.Get("Content-Disposition"), `filename="myenv.zip"`)

	// A rebuild is a new build of the same revision.
	rebuilt, err := client.EnvironmentRevisions.Rebuild(ctx, "demo", "custom", rev)
	require.NoError(t, err)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusQueued, rebuilt.Status)
	assert.Equal(t, "Rebuild triggered", rebuilt.Trigger)
	assert.Equal(t, res.Revision, rebuilt.Revision)
	builds, err = client.EnvironmentBuilds.List(ctx, "demo", "custom", rev)
	require.NoError(t, err)
	require.Len(t, builds, 2)
	assert.Equal(t, rebuilt.ID, builds[1].ID, "oldest first")
	env, err = client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Equal(t, rebuilt.ID, *env.LatestBuild)
	assert.Equal(t, res.Build, *env.ActiveBuild, "the previous build stays active until the rebuild succeeds")
	envTestWaitBuild(t, client, "custom", &ubiops.EnvironmentRevisionCreate{Revision: res.Revision, Build: rebuilt.ID})
	env, err = client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Equal(t, rebuilt.ID, *env.ActiveBuild)

	// Unknown revisions and builds are 404s.
	missing := "00000000-0000-0000-0000-000000000001"
	_, err = client.EnvironmentRevisions.Get(ctx, "demo", "custom", missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentRevisions.Rebuild(ctx, "demo", "custom", missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentBuilds.Get(ctx, "demo", "custom", rev, missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentBuilds.Dependencies(ctx, "demo", "custom", rev, missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentBuilds.List(ctx, "demo", "custom", missing)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentRevisions.Download(ctx, "demo", "custom", missing, io.Discard)
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = client.EnvironmentRevisions.List(ctx, "demo", "missing")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// A second upload becomes the latest revision.
	second := envTestUpload(t, client, "custom", envTestZip(t, "install_packages.R", "install.packages('x')\n"))
	revs, err = client.EnvironmentRevisions.List(ctx, "demo", "custom")
	require.NoError(t, err)
	require.Len(t, revs, 2)
	assert.Equal(t, second.Revision, revs[1].ID)
	deps, err = client.EnvironmentBuilds.Dependencies(ctx, "demo", "custom", second.Revision.String(), second.Build.String())
	require.NoError(t, err)
	assert.Equal(t, []ubiops.EnvironmentBuildDependency{{Name: "install_packages.R", Content: ubiops.Ptr("install.packages('x')\n")}}, deps)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, envTestWaitBuild(t, client, "custom", second).Status)
}

func TestEnvironmentUploadFailures(t *testing.T) {
	ctx := context.Background()
	srv, client := envTestServer(t, envTestBuild)
	envTestCreate(t, client, "custom", "python3-12")

	// A zip without any dependency file fails its build.
	res := envTestUpload(t, client, "custom", envTestZip(t, "main.py", "print('hi')\n", "docs/requirements.txt", "x"))
	b := envTestWaitBuild(t, client, "custom", res)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusFailed, b.Status)
	assert.Contains(t, val(b.ErrorMessage), "dependency file")
	deps, err := client.EnvironmentBuilds.Dependencies(ctx, "demo", "custom", res.Revision.String(), res.Build.String())
	require.NoError(t, err)
	assert.Empty(t, deps)

	// So does something that is not a zip archive.
	res = envTestUpload(t, client, "custom", []byte("this is not a zip archive"))
	b = envTestWaitBuild(t, client, "custom", res)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusFailed, b.Status)
	assert.Contains(t, val(b.ErrorMessage), "not a valid zip")

	env, err := client.Environments.Get(ctx, "demo", "custom")
	require.NoError(t, err)
	assert.Nil(t, env.ActiveBuild, "no build succeeded")
	assert.Equal(t, res.Build, *env.LatestBuild)

	// Exactly one of file and source_environment.
	status, body := envTestMultipart(t, srv, "custom", nil, nil)
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, body = envTestMultipart(t, srv, "custom", map[string]string{"source_environment": "custom"}, envTestZip(t, "requirements.txt", "x"))
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, body = envTestMultipart(t, srv, "custom", map[string]string{"other": "x"}, envTestZip(t, "requirements.txt", "x"))
	assert.Equal(t, http.StatusBadRequest, status, body)
	status, _ = envTestMultipart(t, srv, "missing", nil, envTestZip(t, "requirements.txt", "x"))
	assert.Equal(t, http.StatusNotFound, status)
	status, body = envTestMultipart(t, srv, "custom", nil, envTestZip(t, "requirements.txt", "x"))
	assert.Equal(t, http.StatusCreated, status, body)
}

func TestEnvironmentBuildCancel(t *testing.T) {
	ctx := context.Background()
	_, client := envTestServer(t, time.Hour)
	envTestCreate(t, client, "custom", "python3-12")
	res := envTestUpload(t, client, "custom", envTestZip(t, "requirements.txt", "x\n"))
	rev, build := res.Revision.String(), res.Build.String()

	b, err := client.EnvironmentBuilds.Get(ctx, "demo", "custom", rev, build)
	require.NoError(t, err)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusQueued, b.Status)

	cancelled, err := client.EnvironmentBuilds.Update(ctx, "demo", "custom", rev, build, ubiops.EnvironmentBuildUpdate{Status: ubiops.EnvironmentBuildUpdateStatusCancelled})
	require.NoError(t, err)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusCancelled, cancelled.Status)
	assert.Empty(t, val(cancelled.ErrorMessage))
	b, err = client.EnvironmentBuilds.Get(ctx, "demo", "custom", rev, build)
	require.NoError(t, err)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusCancelled, b.Status)

	_, err = client.EnvironmentBuilds.Update(ctx, "demo", "custom", rev, build, ubiops.EnvironmentBuildUpdate{Status: ubiops.EnvironmentBuildUpdateStatusCancelled})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "a cancelled build is finished")
	_, err = client.EnvironmentBuilds.Update(ctx, "demo", "custom", rev, "00000000-0000-0000-0000-000000000001", ubiops.EnvironmentBuildUpdate{Status: ubiops.EnvironmentBuildUpdateStatusCancelled})
	assert.ErrorIs(t, err, ubiops.ErrNotFound)

	// A finished build cannot be cancelled.
	_, fast := envTestServer(t, 0)
	envTestCreate(t, fast, "custom", "python3-12")
	res = envTestUpload(t, fast, "custom", envTestZip(t, "requirements.txt", "x\n"))
	b = envTestWaitBuild(t, fast, "custom", res)
	require.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, b.Status)
	_, err = fast.EnvironmentBuilds.Update(ctx, "demo", "custom", res.Revision.String(), res.Build.String(), ubiops.EnvironmentBuildUpdate{Status: ubiops.EnvironmentBuildUpdateStatusCancelled})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
}

func TestEnvironmentCopyFromSource(t *testing.T) {
	ctx := context.Background()
	_, client := envTestServer(t, envTestBuild)
	envTestCreate(t, client, "source", "python3-11")
	envTestCreate(t, client, "target", "python3-11")
	envTestCreate(t, client, "empty", "python3-11")
	archive := envTestZip(t, "environment.yaml", "dependencies:\n  - numpy\n", "requirements.txt", "pandas\n")
	src := envTestUpload(t, client, "source", archive)
	envTestWaitBuild(t, client, "source", src)

	res, err := client.EnvironmentRevisions.Upload(ctx, "demo", "target", ubiops.EnvironmentRevisionUpload{SourceEnvironment: "source"})
	require.NoError(t, err)
	assert.True(t, res.Success)
	assert.NotEqual(t, src.Revision, res.Revision)
	b := envTestWaitBuild(t, client, "target", res)
	assert.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, b.Status)
	deps, err := client.EnvironmentBuilds.Dependencies(ctx, "demo", "target", res.Revision.String(), res.Build.String())
	require.NoError(t, err)
	assert.Equal(t, []ubiops.EnvironmentBuildDependency{
		{Name: "environment.yaml", Content: ubiops.Ptr("dependencies:\n  - numpy\n")},
		{Name: "requirements.txt", Content: ubiops.Ptr("pandas\n")},
	}, deps)
	var buf bytes.Buffer
	_, err = client.EnvironmentRevisions.Download(ctx, "demo", "target", res.Revision.String(), &buf)
	require.NoError(t, err)
	assert.Equal(t, archive, buf.Bytes())

	_, err = client.EnvironmentRevisions.Upload(ctx, "demo", "target", ubiops.EnvironmentRevisionUpload{SourceEnvironment: "missing"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = client.EnvironmentRevisions.Upload(ctx, "demo", "target", ubiops.EnvironmentRevisionUpload{SourceEnvironment: "empty"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "an environment without a file")
	_, err = client.EnvironmentRevisions.Upload(ctx, "demo", "target", ubiops.EnvironmentRevisionUpload{SourceEnvironment: "python3-11"})
	assert.ErrorIs(t, err, ubiops.ErrBadRequest, "base environments have no file")
}

func TestEnvironmentDeleteRefusedWhileInUse(t *testing.T) {
	ctx := context.Background()
	_, client := envTestServer(t, envTestBuild)
	envTestCreate(t, client, "custom", "python3-12")
	_, err := client.Deployments.Create(ctx, "demo", ubiops.DeploymentCreate{
		Name: "dep", InputType: plainIn, OutputType: plainOut,
	})
	require.NoError(t, err)
	v, err := client.Versions.Create(ctx, "demo", "dep", ubiops.DeploymentVersionCreate{Version: "v1", Environment: ubiops.Ptr("custom")})
	require.NoError(t, err)
	assert.Equal(t, "custom", v.Environment)

	err = client.Environments.Delete(ctx, "demo", "custom")
	assert.ErrorIs(t, err, ubiops.ErrConflict)
	var apiErr *ubiops.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "dep/v1")

	usage, err := client.Environments.Usage(ctx, "demo", "custom", nil)
	require.NoError(t, err)
	require.Len(t, usage, 1)
	assert.Equal(t, v.ID, usage[0].ID)
	assert.Equal(t, "dep", usage[0].Deployment)
	assert.Equal(t, "v1", usage[0].Version)
	assert.Equal(t, "custom", usage[0].Environment)
	assert.Equal(t, v.Status, usage[0].Status)
	custom := ubiops.EnvironmentsUsageParamsEnvironmentTypeCustom
	usage, err = client.Environments.Usage(ctx, "demo", "custom", &ubiops.EnvironmentsUsageParams{EnvironmentType: &custom})
	require.NoError(t, err)
	assert.Len(t, usage, 1)
	base := ubiops.EnvironmentsUsageParamsEnvironmentTypeBase
	_, err = client.Environments.Usage(ctx, "demo", "custom", &ubiops.EnvironmentsUsageParams{EnvironmentType: &base})
	assert.ErrorIs(t, err, ubiops.ErrNotFound, "custom is not a base environment")
	usage, err = client.Environments.Usage(ctx, "demo", "python3-12", nil)
	require.NoError(t, err)
	assert.Empty(t, usage)

	// The version follows a rename of its environment.
	_, err = client.Environments.Update(ctx, "demo", "custom", ubiops.EnvironmentUpdate{Name: ubiops.Ptr("renamed"), DisplayName: ubiops.Ptr("Renamed")})
	require.NoError(t, err)
	got, err := client.Versions.Get(ctx, "demo", "dep", "v1")
	require.NoError(t, err)
	assert.Equal(t, "renamed", got.Environment)
	assert.Equal(t, "Renamed", got.EnvironmentDisplayName)
	usage, err = client.Environments.Usage(ctx, "demo", "renamed", nil)
	require.NoError(t, err)
	require.Len(t, usage, 1)
	assert.Equal(t, "Renamed", usage[0].EnvironmentDisplayName)

	require.NoError(t, client.Versions.Delete(ctx, "demo", "dep", "v1"))
	require.NoError(t, client.Environments.Delete(ctx, "demo", "renamed"))
	_, err = client.Environments.Get(ctx, "demo", "renamed")
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
}
