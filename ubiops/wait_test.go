package ubiops_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// waitDeploymentPy is the code of a deployment that builds: a deployment.py with a request method.
const waitDeploymentPy = `class Deployment:
    def __init__(self, base_directory, context):
        pass

    def request(self, data):
        return data
`

// waitZip builds a zip archive from name, content pairs.
func waitZip(nameContent ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(nameContent); i += 2 {
		f, err := zw.Create(nameContent[i])
		if err != nil {
			panic(err)
		}
		if _, err := io.WriteString(f, nameContent[i+1]); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// waitGoodPackage is a deployment package that builds; waitBadPackage one that fails (no
// deployment.py).
func waitGoodPackage() []byte {
	return waitZip("deployment_package/deployment.py", waitDeploymentPy, "deployment_package/requirements.txt", "")
}

func waitBadPackage() []byte { return waitZip("deployment_package/README.md", "no code here") }

// waitFast polls quickly, so that the tests run in well under a second each.
func waitFast() ubiops.CallOption { return ubiops.WithWaitOptions(waitFastOptions()) }

// waitFastOptions are waitFast's WaitOptions, for a test to adjust.
func waitFastOptions() ubiops.WaitOptions {
	return ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
}

// waitSetup starts a fake with project p, plain deployment d and version v (base environment).
func waitSetup(t *testing.T, opts ...ubiopstest.Option) (*ubiopstest.Server, *ubiops.Client) {
	t.Helper()
	return waitSetupClient(t, nil, opts...)
}

// waitSetupClient is waitSetup with options for the client.
func waitSetupClient(t *testing.T, clientOpts []ubiops.Option, opts ...ubiopstest.Option) (*ubiopstest.Server, *ubiops.Client) {
	t.Helper()
	srv := ubiopstest.NewServer(t, append([]ubiopstest.Option{ubiopstest.WithStrictResponses()}, opts...)...)
	c := srv.Client(clientOpts...)
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d",
		InputType: ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain), OutputType: ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	require.NoError(t, err)
	return srv, c
}

// waitUpload uploads a deployment package to version v of deployment d and returns the revision id.
func waitUpload(t *testing.T, c *ubiops.Client, version string, pkg []byte) string {
	t.Helper()
	created, err := c.Revisions.Upload(context.Background(), "p", "d", version, ubiops.RevisionUpload{File: bytes.NewReader(pkg), FileName: "x.zip"})
	require.NoError(t, err)
	return created.Revision.String()
}

// waitEnvironment creates custom environment name in project p and uploads archive to it; it
// returns the revision and build ids.
func waitEnvironment(t *testing.T, c *ubiops.Client, name string, archive []byte) (revision, build string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.Environments.Create(ctx, "p", ubiops.EnvironmentCreate{Name: name, BaseEnvironment: ubiops.Ptr("python3-11")})
	require.NoError(t, err)
	created, err := c.EnvironmentRevisions.Upload(ctx, "p", name, ubiops.EnvironmentRevisionUpload{File: bytes.NewReader(archive), FileName: "env.zip"})
	require.NoError(t, err)
	return created.Revision.String(), created.Build.String()
}

// waitStatuses records what OnStatus receives.
type waitStatuses struct {
	mu   sync.Mutex
	seen []string
}

func (s *waitStatuses) record(status string) {
	s.mu.Lock()
	s.seen = append(s.seen, status)
	s.mu.Unlock()
}

func (s *waitStatuses) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// waitOptionsRecording is waitFast with OnStatus recording into s.
func waitOptionsRecording(s *waitStatuses) ubiops.CallOption {
	o := waitFastOptions()
	o.OnStatus = s.record
	return ubiops.WithWaitOptions(o)
}

// waitRoundTripper is a middleware made of a function.
type waitRoundTripper func(*http.Request) (*http.Response, error)

func (f waitRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// requireWaitError asserts that err is a *WaitError with the given status, and returns it.
func requireWaitError(t *testing.T, err error, status string) *ubiops.WaitError {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, ubiops.ErrWaitFailed)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var we *ubiops.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, status, we.Status)
	assert.Contains(t, we.Error(), `"`+status+`"`, "the message names the status")
	return we
}

// requireTimeout asserts that err is the wait's own timeout.
func requireTimeout(t *testing.T, err error, what string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ubiops.ErrWaitFailed)
	assert.Contains(t, err.Error(), "timed out")
	assert.Contains(t, err.Error(), what, "the error says what was awaited")
	assert.Contains(t, err.Error(), "last status", "the error gives the last status seen")
}

func TestRevisionsWaitSucceeds(t *testing.T) {
	srv, c := waitSetup(t, ubiopstest.WithBuildDuration(300*time.Millisecond))
	id := waitUpload(t, c, "v", waitGoodPackage())

	var statuses waitStatuses
	rev, err := c.Revisions.Wait(context.Background(), "p", "d", "v", id, waitOptionsRecording(&statuses))
	require.NoError(t, err)
	assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusSuccess), rev.Status)
	assert.Equal(t, id, rev.ID.String())
	assert.True(t, *rev.HasRequestMethod)

	assert.Equal(t, []string{"queued", "building", "success"}, statuses.all(), "once per change, in order")
	assert.Greater(t, srv.Count("revisions_get"), 3, "more polls than statuses: OnStatus is not called per poll")
}

func TestRevisionsWaitFailedBuild(t *testing.T) {
	_, c := waitSetup(t, ubiopstest.WithBuildDuration(60*time.Millisecond))
	id := waitUpload(t, c, "v", waitBadPackage())

	rev, err := c.Revisions.Wait(context.Background(), "p", "d", "v", id, waitFast())
	assert.Nil(t, rev)
	we := requireWaitError(t, err, "failed")
	assert.Contains(t, we.Message, "deployment.py", "the build's error message")
	assert.Contains(t, err.Error(), we.Message)
	assert.Contains(t, err.Error(), "revision "+id)
	obj, ok := we.Object.(*ubiops.RevisionList)
	require.True(t, ok, "Object is the final revision, got %T", we.Object)
	assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusFailed), obj.Status)
}

func TestRevisionsWaitTimeout(t *testing.T) {
	_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
	id := waitUpload(t, c, "v", waitGoodPackage())

	opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 60 * time.Millisecond})
	start := time.Now()
	_, err := c.Revisions.Wait(context.Background(), "p", "d", "v", id, opts)
	requireTimeout(t, err, "revision "+id)
	assert.Contains(t, err.Error(), `last status "queued"`)
	assert.Less(t, time.Since(start), 500*time.Millisecond, "the timeout ends the wait, not the build")
}

func TestRevisionsWaitContext(t *testing.T) {
	srv, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
	id := waitUpload(t, c, "v", waitGoodPackage())

	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(40*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Revisions.Wait(ctx, "p", "d", "v", id, waitFast())
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "revision "+id)
		assert.Contains(t, err.Error(), "last status")
		assert.Less(t, time.Since(start), 500*time.Millisecond)
	})

	t.Run("caller's deadline before the timeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 40*time.Millisecond)
		defer cancel()
		opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 10 * time.Second})
		_, err := c.Revisions.Wait(ctx, "p", "d", "v", id, opts)
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotContains(t, err.Error(), "timed out after", "the caller's deadline is not the wait's timeout")
	})

	t.Run("a long delay does not outlive the context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(40*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Revisions.Wait(ctx, "p", "d", "v", id, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: time.Hour}))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 500*time.Millisecond)
	})

	t.Run("already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		before := srv.Received("revisions_get")
		_, err := c.Revisions.Wait(ctx, "p", "d", "v", id, waitFast())
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "no status seen yet")
		assert.Equal(t, before, srv.Received("revisions_get"), "nothing is sent")
	})

	t.Run("nil context", func(t *testing.T) {
		var ctx context.Context
		_, err := c.Revisions.Wait(ctx, "p", "d", "v", id, waitFast())
		var ve *ubiops.ValidationError
		assert.ErrorAs(t, err, &ve)
	})
}

func TestWaitOptionDefaults(t *testing.T) {
	// With builds that finish at once, the first poll (which is immediate) sees success, so the
	// 1 s default delay is never slept.
	_, c := waitSetup(t, ubiopstest.WithBuildDuration(0))
	id := waitUpload(t, c, "v", waitGoodPackage())
	for name, opts := range map[string][]ubiops.CallOption{"none": nil, "zero": {ubiops.WithWaitOptions(ubiops.WaitOptions{})}} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			rev, err := c.Revisions.Wait(context.Background(), "p", "d", "v", id, opts...)
			require.NoError(t, err)
			assert.Equal(t, ubiops.Ptr(ubiops.RevisionListStatusSuccess), rev.Status)
			assert.Less(t, time.Since(start), 500*time.Millisecond)
		})
	}

	t.Run("errors from polls end the wait", func(t *testing.T) {
		_, err := c.Revisions.Wait(context.Background(), "p", "d", "v", "6c1d0b43-5b0c-4a7b-9a5e-000000000000")
		assert.ErrorIs(t, err, ubiops.ErrNotFound)
		assert.NotErrorIs(t, err, ubiops.ErrWaitFailed)
		_, err = c.Revisions.Wait(context.Background(), "p", "d", "v", "")
		var ve *ubiops.ValidationError
		assert.ErrorAs(t, err, &ve)
	})
}

func TestWaitBacksOff(t *testing.T) {
	const build = 600 * time.Millisecond
	polls := func(t *testing.T, opts ubiops.CallOption) int {
		srv, c := waitSetup(t, ubiopstest.WithBuildDuration(build))
		id := waitUpload(t, c, "v", waitGoodPackage())
		_, err := c.Revisions.Wait(context.Background(), "p", "d", "v", id, opts)
		require.NoError(t, err)
		return srv.Count("revisions_get")
	}
	// Doubling from 5 ms, the delays (each at least half its nominal value) add up to the build's
	// 600 ms within 9 polls; polling every 5 ms would take over 60.
	growing := polls(t, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: time.Hour}))
	assert.LessOrEqual(t, growing, 12, "the delays grow")
	// Capped at 20 ms, a delay is at most 20 ms: at least 30 polls fit in 600 ms (minus the time
	// the polls themselves take).
	capped := polls(t, ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond}))
	assert.GreaterOrEqual(t, capped, 15, "MaxDelay caps the delays")
}

func TestEnvironmentBuildsWait(t *testing.T) {
	t.Run("success", func(t *testing.T) {
		srv, c := waitSetup(t, ubiopstest.WithBuildDuration(300*time.Millisecond))
		revision, build := waitEnvironment(t, c, "env", waitZip("requirements.txt", "numpy\n"))
		var statuses waitStatuses
		b, err := c.EnvironmentBuilds.Wait(context.Background(), "p", "env", revision, build, waitOptionsRecording(&statuses))
		require.NoError(t, err)
		assert.Equal(t, ubiops.EnvironmentBuildListStatusSuccess, b.Status)
		assert.Equal(t, build, b.ID.String())
		assert.Equal(t, []string{"queued", "processing", "success"}, statuses.all())
		assert.Greater(t, srv.Count("environment_builds_get"), 3)
	})

	t.Run("failed", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(60*time.Millisecond))
		revision, build := waitEnvironment(t, c, "env", waitZip("README.md", "no dependency files"))
		b, err := c.EnvironmentBuilds.Wait(context.Background(), "p", "env", revision, build, waitFast())
		assert.Nil(t, b)
		we := requireWaitError(t, err, "failed")
		assert.Contains(t, we.Message, "dependency file")
		assert.Contains(t, err.Error(), "build "+build+" of environment env")
		obj, ok := we.Object.(*ubiops.EnvironmentBuildList)
		require.True(t, ok, "Object is the final build, got %T", we.Object)
		assert.Equal(t, ubiops.EnvironmentBuildListStatusFailed, obj.Status)
	})

	t.Run("cancelled", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
		revision, build := waitEnvironment(t, c, "env", waitZip("requirements.txt", "numpy\n"))
		var statuses waitStatuses
		done := make(chan error, 1)
		go func() {
			_, err := c.EnvironmentBuilds.Wait(context.Background(), "p", "env", revision, build, waitOptionsRecording(&statuses))
			done <- err
		}()
		time.Sleep(30 * time.Millisecond)
		_, err := c.EnvironmentBuilds.Update(context.Background(), "p", "env", revision, build,
			ubiops.EnvironmentBuildUpdate{Status: ubiops.EnvironmentBuildUpdateStatusCancelled})
		require.NoError(t, err)
		we := requireWaitError(t, <-done, "cancelled")
		assert.Empty(t, we.Message)
		assert.Equal(t, "cancelled", statuses.all()[len(statuses.all())-1])
	})

	t.Run("timeout", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
		revision, build := waitEnvironment(t, c, "env", waitZip("requirements.txt", "numpy\n"))
		opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 60 * time.Millisecond})
		_, err := c.EnvironmentBuilds.Wait(context.Background(), "p", "env", revision, build, opts)
		requireTimeout(t, err, "build "+build+" of environment env")
	})

	t.Run("context", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
		revision, build := waitEnvironment(t, c, "env", waitZip("requirements.txt", "numpy\n"))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(40*time.Millisecond, cancel)
		_, err := c.EnvironmentBuilds.Wait(ctx, "p", "env", revision, build, waitFast())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestVersionsWaitAvailable(t *testing.T) {
	t.Run("base environment", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(300*time.Millisecond))
		waitUpload(t, c, "v", waitGoodPackage())
		var statuses waitStatuses
		v, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", waitOptionsRecording(&statuses))
		require.NoError(t, err)
		assert.Equal(t, "available", v.Status)
		assert.Equal(t, []string{"revision: queued", "revision: building", "revision: success", "version: available"}, statuses.all())
	})

	t.Run("custom environment is built first", func(t *testing.T) {
		srv, c := waitSetup(t, ubiopstest.WithBuildDuration(300*time.Millisecond))
		waitEnvironment(t, c, "env", waitZip("requirements.txt", "numpy\n"))
		_, err := c.Versions.Create(context.Background(), "p", "d", ubiops.DeploymentVersionCreate{Version: "custom", Environment: ubiops.Ptr("env")})
		require.NoError(t, err)
		waitUpload(t, c, "custom", waitGoodPackage())

		var statuses waitStatuses
		v, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "custom", waitOptionsRecording(&statuses))
		require.NoError(t, err)
		assert.Equal(t, "available", v.Status)
		assert.Equal(t, "custom", v.Version)
		seen := statuses.all()
		require.NotEmpty(t, seen)
		assert.Equal(t, "environment build: queued", seen[0])
		assert.Contains(t, seen, "environment build: processing")
		assert.Contains(t, seen, "revision: success")
		assert.Equal(t, "version: available", seen[len(seen)-1])
		envDone := slices.Index(seen, "environment build: success")
		require.GreaterOrEqual(t, envDone, 0, "statuses: %v", seen)
		for _, s := range seen[:envDone] {
			assert.True(t, strings.HasPrefix(s, "environment build: "), "nothing else before the environment is built: %v", seen)
		}
		assert.Greater(t, srv.Count("environment_builds_get"), 0)
	})

	t.Run("failed environment build", func(t *testing.T) {
		srv, c := waitSetup(t, ubiopstest.WithBuildDuration(60*time.Millisecond))
		_, build := waitEnvironment(t, c, "env", waitZip("README.md", "no dependency files"))
		_, err := c.Versions.Create(context.Background(), "p", "d", ubiops.DeploymentVersionCreate{Version: "custom", Environment: ubiops.Ptr("env")})
		require.NoError(t, err)
		waitUpload(t, c, "custom", waitGoodPackage())

		_, err = c.Versions.WaitAvailable(context.Background(), "p", "d", "custom", waitFast())
		we := requireWaitError(t, err, "failed")
		obj, ok := we.Object.(*ubiops.EnvironmentBuildList)
		require.True(t, ok, "Object is the environment build, got %T", we.Object)
		assert.Equal(t, build, obj.ID.String())
		assert.Contains(t, we.Message, "dependency file")
		assert.Zero(t, srv.Count("revisions_get"), "the revision is not awaited once the environment failed")
	})

	t.Run("failed revision", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(60*time.Millisecond))
		id := waitUpload(t, c, "v", waitBadPackage())
		_, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", waitFast())
		we := requireWaitError(t, err, "failed")
		obj, ok := we.Object.(*ubiops.RevisionList)
		require.True(t, ok, "Object is the revision, got %T", we.Object)
		assert.Equal(t, id, obj.ID.String())
		assert.Contains(t, we.Message, "deployment.py")
	})

	t.Run("no revision yet", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(100*time.Millisecond))
		uploaded := make(chan error, 1)
		time.AfterFunc(60*time.Millisecond, func() {
			_, err := c.Revisions.Upload(context.Background(), "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(waitGoodPackage()), FileName: "x.zip"})
			uploaded <- err
		})
		var statuses waitStatuses
		v, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", waitOptionsRecording(&statuses))
		require.NoError(t, <-uploaded)
		require.NoError(t, err)
		assert.Equal(t, "available", v.Status)
		seen := statuses.all()
		assert.Equal(t, "version: unavailable", seen[0], "the version is polled until it has a revision")
		assert.Contains(t, seen, "revision: success")
		assert.Equal(t, "version: available", seen[len(seen)-1])
	})

	t.Run("one timeout covers every stage", func(t *testing.T) {
		// No revision for 80 ms, then a 100 ms build: each stage fits in the 150 ms timeout, but
		// not both.
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(100*time.Millisecond))
		uploaded := make(chan error, 1)
		time.AfterFunc(80*time.Millisecond, func() {
			_, err := c.Revisions.Upload(context.Background(), "p", "d", "v", ubiops.RevisionUpload{File: bytes.NewReader(waitGoodPackage()), FileName: "x.zip"})
			uploaded <- err
		})
		opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 150 * time.Millisecond})
		_, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", opts)
		require.NoError(t, <-uploaded)
		requireTimeout(t, err, "of version v of deployment d")
	})

	t.Run("timeout", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
		id := waitUpload(t, c, "v", waitGoodPackage())
		opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 60 * time.Millisecond})
		_, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", opts)
		requireTimeout(t, err, "revision "+id)
	})

	t.Run("context", func(t *testing.T) {
		_, c := waitSetup(t, ubiopstest.WithBuildDuration(time.Second))
		waitUpload(t, c, "v", waitGoodPackage())
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(40*time.Millisecond, cancel)
		_, err := c.Versions.WaitAvailable(ctx, "p", "d", "v", waitFast())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
	})

	t.Run("unavailable after its revision failed", func(t *testing.T) {
		// The revision's failure shows only on a later read (as when statuses lag): the first read
		// of the failed revision is rewritten to success, so the wait reaches the version, finds it
		// unavailable and looks at its revision again.
		var once sync.Once
		lie := func(next http.RoundTripper) http.RoundTripper {
			return waitRoundTripper(func(r *http.Request) (*http.Response, error) {
				resp, err := next.RoundTrip(r)
				if err != nil || r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/revisions/") {
					return resp, err
				}
				body, err := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if err != nil {
					return nil, err
				}
				var rev map[string]any
				if json.Unmarshal(body, &rev) == nil && rev["status"] == "failed" {
					once.Do(func() {
						rev["status"], rev["error_message"] = "success", ""
						body, _ = json.Marshal(rev)
					})
				}
				resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
				resp.Header.Del("Content-Length")
				return resp, nil
			})
		}
		_, c := waitSetupClient(t, []ubiops.Option{ubiops.WithMiddleware(lie)}, ubiopstest.WithBuildDuration(60*time.Millisecond))
		waitUpload(t, c, "v", waitBadPackage())

		var statuses waitStatuses
		_, err := c.Versions.WaitAvailable(context.Background(), "p", "d", "v", waitOptionsRecording(&statuses))
		we := requireWaitError(t, err, "unavailable")
		obj, ok := we.Object.(*ubiops.DeploymentVersionDetail)
		require.True(t, ok, "Object is the version, got %T", we.Object)
		assert.Equal(t, "v", obj.Version)
		assert.Contains(t, we.Message, "deployment.py", "the revision's error message")
		assert.Contains(t, err.Error(), "version v of deployment d")
		assert.Contains(t, statuses.all(), "revision: success")
		assert.Equal(t, "version: unavailable", statuses.all()[len(statuses.all())-1])
	})
}

// waitRequestSetup is waitSetup whose deployment's handler upper-cases its input (a string) or
// fails on "fail", with a client that records the query of every request read.
func waitRequestSetup(t *testing.T, opts ...ubiopstest.Option) (*ubiopstest.Server, *ubiops.Client, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var queries []string
	record := func(next http.RoundTripper) http.RoundTripper {
		return waitRoundTripper(func(r *http.Request) (*http.Response, error) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/requests/") {
				mu.Lock()
				queries = append(queries, r.URL.RawQuery)
				mu.Unlock()
			}
			return next.RoundTrip(r)
		})
	}
	srv, c := waitSetupClient(t, []ubiops.Option{ubiops.WithMiddleware(record)}, opts...)
	srv.HandleDeployment("p", "d", func(_ context.Context, input json.RawMessage) (any, error) {
		var s string
		if err := json.Unmarshal(input, &s); err != nil {
			return nil, err
		}
		if s == "fail" {
			return nil, errors.New("model exploded")
		}
		return strings.ToUpper(s), nil
	})
	return srv, c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), queries...)
	}
}

// waitBatch creates one batch request to the default version and returns its id.
func waitBatch(t *testing.T, c *ubiops.Client, input string) string {
	t.Helper()
	created, err := c.Requests.BatchCreate(context.Background(), "p", "d", []any{input}, nil)
	require.NoError(t, err)
	require.Len(t, created, 1)
	return created[0].ID.String()
}

func TestRequestsWait(t *testing.T) {
	t.Run("completed", func(t *testing.T) {
		_, c, queries := waitRequestSetup(t, ubiopstest.WithRequestDuration(300*time.Millisecond))
		id := waitBatch(t, c, "hello")
		var statuses waitStatuses
		r, err := c.Requests.Wait(context.Background(), "p", "d", id, waitOptionsRecording(&statuses))
		require.NoError(t, err)
		assert.Equal(t, ubiops.DeploymentRequestSingleDetailStatusCompleted, r.Status)
		assert.JSONEq(t, `"HELLO"`, string(r.Result), "the result is fetched")
		assert.JSONEq(t, `"hello"`, string(r.RequestData))
		assert.Equal(t, []string{"pending", "processing", "completed"}, statuses.all())

		q := queries()
		require.Greater(t, len(q), 3)
		for _, polled := range q[:len(q)-1] {
			assert.Equal(t, "metadata_only=true", polled, "polls ask for metadata only")
		}
		assert.Empty(t, q[len(q)-1], "the final read asks for everything")
	})

	t.Run("for a version", func(t *testing.T) {
		srv, c, queries := waitRequestSetup(t, ubiopstest.WithRequestDuration(100*time.Millisecond))
		created, err := c.Requests.BatchCreateForVersion(context.Background(), "p", "d", "v", []any{"hi"}, nil)
		require.NoError(t, err)
		r, err := c.Requests.WaitForVersion(context.Background(), "p", "d", "v", created[0].ID.String(), waitFast())
		require.NoError(t, err)
		assert.JSONEq(t, `"HI"`, string(r.Result))
		assert.Equal(t, ubiops.Ptr("v"), r.Version)
		assert.Zero(t, srv.Count("deployment_requests_get"))
		assert.Equal(t, len(queries()), srv.Count("deployment_version_requests_get"))
	})

	t.Run("failed", func(t *testing.T) {
		_, c, queries := waitRequestSetup(t, ubiopstest.WithRequestDuration(60*time.Millisecond))
		id := waitBatch(t, c, "fail")
		r, err := c.Requests.Wait(context.Background(), "p", "d", id, waitFast())
		assert.Nil(t, r)
		we := requireWaitError(t, err, "failed")
		assert.Equal(t, "model exploded", we.Message)
		assert.Contains(t, err.Error(), "request "+id)
		assert.Contains(t, err.Error(), "model exploded")
		obj, ok := we.Object.(*ubiops.DeploymentRequestSingleDetail)
		require.True(t, ok, "Object is the request, got %T", we.Object)
		assert.Equal(t, id, obj.ID.String())
		for _, q := range queries() {
			assert.Equal(t, "metadata_only=true", q, "no full read of a failed request")
		}
	})

	t.Run("cancelled while pending", func(t *testing.T) {
		_, c, _ := waitRequestSetup(t, ubiopstest.WithRequestDuration(time.Second))
		id := waitBatch(t, c, "hello")
		_, err := c.Requests.Update(context.Background(), "p", "d", id, ubiops.DeploymentRequestUpdate{Status: ubiops.DeploymentRequestUpdateStatusCancelled})
		require.NoError(t, err)
		_, err = c.Requests.Wait(context.Background(), "p", "d", id, waitFast())
		requireWaitError(t, err, "cancelled")
	})

	t.Run("cancellation requested while processing", func(t *testing.T) {
		// A processing request that is cancelled stays cancelled_pending until the instance lets
		// go of it (here: the rest of its second); the wait ends at once.
		_, c, _ := waitRequestSetup(t, ubiopstest.WithRequestDuration(time.Second))
		id := waitBatch(t, c, "hello")
		time.Sleep(300 * time.Millisecond) // past the first quarter: processing
		_, err := c.Requests.Update(context.Background(), "p", "d", id, ubiops.DeploymentRequestUpdate{Status: ubiops.DeploymentRequestUpdateStatusCancelled})
		require.NoError(t, err)
		start := time.Now()
		_, err = c.Requests.Wait(context.Background(), "p", "d", id, waitFast())
		requireWaitError(t, err, "cancelled_pending")
		assert.Less(t, time.Since(start), 300*time.Millisecond)
	})

	t.Run("timeout", func(t *testing.T) {
		_, c, _ := waitRequestSetup(t, ubiopstest.WithRequestDuration(time.Second))
		id := waitBatch(t, c, "hello")
		opts := ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Timeout: 60 * time.Millisecond})
		_, err := c.Requests.Wait(context.Background(), "p", "d", id, opts)
		requireTimeout(t, err, "request "+id)
		assert.Contains(t, err.Error(), `last status "pending"`)
	})

	t.Run("context", func(t *testing.T) {
		_, c, _ := waitRequestSetup(t, ubiopstest.WithRequestDuration(time.Second))
		id := waitBatch(t, c, "hello")
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(40*time.Millisecond, cancel)
		_, err := c.Requests.WaitForVersion(ctx, "p", "d", "v", id, waitFast())
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "request "+id)
	})
}

func TestWaitError(t *testing.T) {
	err := error(&ubiops.WaitError{Status: "failed", Message: "out of memory"})
	assert.ErrorIs(t, err, ubiops.ErrWaitFailed)
	assert.Equal(t, `ubiops: awaited object ended with status "failed": out of memory`, err.Error())
	assert.ErrorIs(t, errors.Join(errors.New("context"), err), ubiops.ErrWaitFailed, "through wrapping too")
	assert.Equal(t, `ubiops: awaited object ended with status "cancelled"`, (&ubiops.WaitError{Status: "cancelled"}).Error())
	assert.NotErrorIs(t, errors.New("other"), ubiops.ErrWaitFailed)
}
