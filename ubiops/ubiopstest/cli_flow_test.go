package ubiopstest_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// cliSession replays what the official UbiOps CLI (2.28, on the Python client) sends: raw HTTP
// with its user agent, the token in the Authorization header, and GET /status before every
// command.
type cliSession struct {
	t   *testing.T
	srv *ubiopstest.Server
}

// do sends one request and requires the status; it returns the decoded JSON answer.
func (s cliSession) do(method, path, contentType string, body []byte, want int) any {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL()+"/v2.1"+path, bytes.NewReader(body))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Token "+s.srv.Token())
	req.Header.Set("User-Agent", "UbiOps/cli/2.28.0 (python 4.11.0)")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	require.Equal(s.t, want, resp.StatusCode, "%s %s: %s", method, path, raw)
	var out any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(s.t, json.Unmarshal(raw, &out), "%s %s", method, path)
	}
	return out
}

func (s cliSession) json(method, path string, body any, want int) any {
	s.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(s.t, err)
	return s.do(method, path, "application/json", b, want)
}

// command is one CLI command: the status check, then its calls.
func (s cliSession) command() {
	s.t.Helper()
	st := s.do(http.MethodGet, "/status", "", nil, http.StatusOK).(map[string]any)
	require.Equal(s.t, "ok", st["status"], "the CLI refuses to go on unless the status is ok")
}

// upload sends a multipart form like requests_toolbelt's MultipartEncoder.
func (s cliSession) upload(path string, fields map[string]string, file []byte, want int) any {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(s.t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", "package.zip")
	require.NoError(s.t, err)
	_, _ = fw.Write(file)
	require.NoError(s.t, mw.Close())
	return s.do(http.MethodPost, path, mw.FormDataContentType(), buf.Bytes(), want)
}

func cliZip(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, _ = io.WriteString(w, body)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestOfficialCLIFlow replays the official CLI's documented life cycle against the fake as the
// CLI sends it: sign-in, projects (organization from /organizations), deployments and versions
// from yaml, deployments deploy, revisions, environment variables, environments, requests (plain
// text and batch), logs (both endpoints, with the CLI's date form and null filters), audit and
// instance type groups. The CLI itself cannot be installed here (PyPI is not reachable); this is
// its call sequence, taken from its code as the reference survey records it.
func TestOfficialCLIFlow(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithStrictResponses(), ubiopstest.WithBuildDuration(30*time.Millisecond),
		ubiopstest.WithRequestDuration(20*time.Millisecond))
	cli := cliSession{t: t, srv: srv}

	// ubiops signin --token: GET /status, then GET /user, which must carry the user's email.
	cli.command()
	user := cli.do(http.MethodGet, "/user", "", nil, http.StatusOK).(map[string]any)
	require.NotEmpty(t, user["email"])

	// ubiops projects create cli-project (no organization given: the first one listed).
	cli.command()
	orgs := cli.do(http.MethodGet, "/organizations", "", nil, http.StatusOK).([]any)
	require.NotEmpty(t, orgs)
	org := orgs[0].(map[string]any)["name"]
	cli.json(http.MethodPost, "/projects", map[string]any{"name": "cli-project", "organization_name": org}, http.StatusCreated)

	// ubiops deployments create -f deployment.yaml (a plain deployment) and versions create -f
	// version.yaml, with the live fields the CLI's yaml may carry.
	cli.command()
	cli.json(http.MethodPost, "/projects/cli-project/deployments", map[string]any{
		"name": "echo", "input_type": "plain", "output_type": "plain", "labels": map[string]string{"team": "cli"},
		"supports_request_format": false,
	}, http.StatusCreated)
	cli.command()
	v := cli.json(http.MethodPost, "/projects/cli-project/deployments/echo/versions", map[string]any{
		"version": "v1", "environment": "python3-12", "minimum_instances": 0, "maximum_instances": 1,
		"maximum_idle_time": 300, "request_retention_mode": "full", "request_retention_time": 604800,
		"scaling_strategy": "default", "instance_processes": 1,
	}, http.StatusCreated).(map[string]any)
	assert.Equal(t, "default", v["scaling_strategy"], "4.6.0 refuses a version answer without it")

	// ubiops deployments deploy: patch the version, upload the zipped package; then revisions list.
	cli.command()
	cli.json(http.MethodPatch, "/projects/cli-project/deployments/echo/versions/v1", map[string]any{"maximum_instances": 2}, http.StatusOK)
	pkg := cliZip(t, map[string]string{"deployment_package/deployment.py": "class Deployment:\n    def request(self, data):\n        return data\n"})
	rev := cli.upload("/projects/cli-project/deployments/echo/versions/v1/revisions", nil, pkg, http.StatusCreated).(map[string]any)
	require.NotEmpty(t, rev["revision"])
	deadline := time.Now().Add(10 * time.Second)
	for {
		cli.command()
		r := cli.do(http.MethodGet, fmt.Sprintf("/projects/cli-project/deployments/echo/versions/v1/revisions/%s", rev["revision"]), "", nil, http.StatusOK).(map[string]any)
		if r["status"] == "success" {
			break
		}
		require.True(t, time.Now().Before(deadline), "the build did not finish: %v", r["status"])
		time.Sleep(20 * time.Millisecond)
	}
	cli.command()
	require.Len(t, cli.do(http.MethodGet, "/projects/cli-project/deployments/echo/versions/v1/revisions", "", nil, http.StatusOK), 1)

	// ubiops environment_variables create/list.
	cli.command()
	cli.json(http.MethodPost, "/projects/cli-project/environment-variables", map[string]any{"name": "DB_HOST", "value": "db", "secret": false}, http.StatusCreated)
	cli.command()
	require.Len(t, cli.do(http.MethodGet, "/projects/cli-project/environment-variables", "", nil, http.StatusOK), 1)

	// ubiops environments create -f environment.yaml, then a revision upload.
	cli.command()
	env := cli.json(http.MethodPost, "/projects/cli-project/environments", map[string]any{
		"name": "cli-env", "display_name": "CLI environment", "base_environment": "python3-12", "supports_request_format": false,
	}, http.StatusCreated).(map[string]any)
	assert.Contains(t, env, "base_environment_display_name")
	cli.command()
	cli.upload("/projects/cli-project/environments/cli-env/revisions", nil, cliZip(t, map[string]string{"requirements.txt": "numpy\n"}), http.StatusCreated)

	// ubiops deployment_requests create echo --data "hello": a str is sent as text/plain.
	cli.command()
	res := cli.do(http.MethodPost, "/projects/cli-project/deployments/echo/requests?timeout=300", "text/plain", []byte("hello"), http.StatusCreated).(map[string]any)
	assert.Equal(t, "completed", res["status"])
	assert.Equal(t, "hello", res["result"])
	requestID := res["id"].(string)
	cli.command()
	batch := cli.json(http.MethodPost, "/projects/cli-project/deployments/echo/requests/batch", []string{"a", "b"}, http.StatusCreated).([]any)
	require.Len(t, batch, 2)
	cli.command()
	cli.do(http.MethodGet, "/projects/cli-project/deployments/echo/requests/"+requestID, "", nil, http.StatusOK)

	// ubiops logs: the CLI's default start is str(datetime.now()) (local time, a space, no
	// offset); the newer CLI reads logs_list, older ones projects_log_list with null filters.
	now := time.Now().UTC()
	pyStart := now.Add(-time.Hour).Format("2006-01-02 15:04:05.000000")
	pyEnd := now.Add(time.Hour).Format("2006-01-02 15:04:05.000000")
	cli.command()
	query := "| deployment_name = `echo` | deployment_version = `v1`"
	lines := cli.do(http.MethodGet, "/projects/cli-project/logs?limit=1000&start="+urlEscape(pyStart)+"&end="+urlEscape(pyEnd)+"&query="+urlEscape(query), "", nil, http.StatusOK).([]any)
	require.NotEmpty(t, lines, "the request wrote log lines")
	cli.command()
	old := cli.json(http.MethodPost, "/projects/cli-project/logs", map[string]any{
		"filters": map[string]any{"deployment_name": "echo", "deployment_version": "v1", "deployment_request_id": nil, "system": "true"},
		"date":    pyStart, "date_range": 86400, "limit": 1000,
	}, http.StatusOK).([]any)
	require.NotEmpty(t, old)

	// ubiops audit list, instance type groups.
	cli.command()
	require.NotEmpty(t, cli.do(http.MethodGet, "/projects/cli-project/audit?limit=10", "", nil, http.StatusOK))
	cli.command()
	types := cli.do(http.MethodGet, "/projects/cli-project/instance-types", "", nil, http.StatusOK).(map[string]any)
	first := types["results"].([]any)[0].(map[string]any)["id"]
	cli.command()
	group := cli.json(http.MethodPost, "/projects/cli-project/instance-type-groups", map[string]any{
		"name": "cli-group", "instance_types": []any{map[string]any{"id": first, "priority": 0, "schedule_timeout": 300}},
	}, http.StatusCreated).(map[string]any)
	cli.command()
	renamed := cli.json(http.MethodPatch, fmt.Sprintf("/projects/cli-project/instance-type-groups/%s", group["id"]), map[string]any{"name": "cli-group-2"}, http.StatusOK).(map[string]any)
	assert.Equal(t, "cli-group-2", renamed["name"])
	assert.Len(t, renamed["instance_types"], 1, "a rename keeps the group's instance types")

	// ubiops deployments delete.
	cli.command()
	cli.do(http.MethodDelete, "/projects/cli-project/deployments/echo", "", nil, http.StatusNoContent)
}

func urlEscape(s string) string { return url.QueryEscape(s) }
