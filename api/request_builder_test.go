package api_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/runtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/gen"
)

// captureDoer records the request the generated client sends and answers 204.
type captureDoer struct{ req *http.Request }

func (d *captureDoer) Do(req *http.Request) (*http.Response, error) {
	d.req = req
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: req}, nil
}

func newCapture(t *testing.T, server string) (*gen.Client, *captureDoer) {
	t.Helper()
	d := &captureDoer{}
	c, err := gen.NewClient(server, gen.WithHTTPClient(d))
	require.NoError(t, err)
	return c, d
}

// The request builders (gen/templates/client.tmpl) build paths and queries by hand instead of
// through the runtime's reflection and URL parsing; these cases pin what they send.
func TestRequestBuilderPaths(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
	cases := []struct {
		server, project      string
		wantEscaped, wantRaw string
		wantHost             string
	}{
		{"http://api.test/v2.1", "p1", "/v2.1/projects/p1", "/v2.1/projects/p1", "api.test"},
		{"http://api.test/v2.1/", "a b/ü%?#", "/v2.1/projects/a%20b%2F%C3%BC%25%3F%23", "/v2.1/projects/a b/ü%?#", "api.test"},
		{"http://api.test", "p", "/projects/p", "/projects/p", "api.test"},
		{"http://api.test:/x%2Fy/", "p", "/x%2Fy/projects/p", "/x/y/projects/p", "api.test"},
		{"http://127.0.0.1:8080/", "p", "/projects/p", "/projects/p", "127.0.0.1:8080"},
	}
	for _, tc := range cases {
		c, d := newCapture(t, tc.server)
		_, err := c.ProjectsGet(ctx, tc.project)
		require.NoError(t, err, tc.server)
		u := d.req.URL
		assert.Equal(t, tc.wantEscaped, u.EscapedPath(), tc.server)
		assert.Equal(t, tc.wantRaw, u.Path, tc.server)
		assert.Equal(t, tc.wantHost, d.req.Host, tc.server)
		assert.Equal(t, http.MethodGet, d.req.Method)
		assert.Equal(t, "mine", d.req.Context().Value(ctxKey{}), "the request carries the caller's context")

		// The reference: the runtime's styling of the parameter joined to the server by URL parsing,
		// as oapi-codegen's own template does it.
		styled, err := runtime.StyleParamWithOptions("simple", false, "project_name", tc.project, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationPath, Type: "string"})
		require.NoError(t, err)
		base, err := url.Parse(strings.TrimSuffix(tc.server, "/") + "/")
		require.NoError(t, err)
		ref, err := base.Parse("./projects/" + styled)
		require.NoError(t, err)
		assert.Equal(t, ref.String(), u.String(), "same URL as the runtime's styling: %s", tc.server)
	}
}

func TestRequestBuilderQuery(t *testing.T) {
	ctx := context.Background()
	c, d := newCapture(t, "http://api.test/v2.1/?k=v")
	start := time.Date(2024, 5, 1, 8, 0, 0, 500_000_000, time.FixedZone("", 2*3600))
	status := gen.DeploymentRequestsListParamsStatus("completed")
	params := &gen.DeploymentRequestsListParams{
		Status: &status, Success: ptr(true), Limit: ptr(5), Offset: ptr(0), StartDate: &start,
		SearchID: ptr("x&y=z é+"),
	}
	_, err := c.DeploymentRequestsList(ctx, "p", "d", params)
	require.NoError(t, err)
	want := "k=v&status=completed&success=true&limit=5&offset=0&start_date=2024-05-01T08%3A00%3A00.5%2B02%3A00&search_id=x%26y%3Dz+%C3%A9%2B"
	assert.Equal(t, want, d.req.URL.RawQuery)

	// Each value as the runtime styles it (form, exploded), so the two stay interchangeable.
	ref := url.Values{}
	for name, v := range map[string]any{"status": status, "success": true, "limit": 5, "offset": 0, "start_date": start, "search_id": *params.SearchID} {
		frag, err := runtime.StyleParamWithOptions("form", true, name, v, runtime.StyleParamOptions{ParamLocation: runtime.ParamLocationQuery})
		require.NoError(t, err)
		q, err := url.ParseQuery(frag)
		require.NoError(t, err)
		ref[name] = q[name]
	}
	ref["k"] = []string{"v"}
	assert.Equal(t, ref, d.req.URL.Query())

	_, err = c.DeploymentRequestsList(ctx, "p", "d", nil)
	require.NoError(t, err)
	assert.Equal(t, "k=v", d.req.URL.RawQuery, "no parameters: the server's own query only")
}

func TestRequestBuilderBodyAndServer(t *testing.T) {
	ctx := context.Background()
	c, d := newCapture(t, "http://api.test/")
	_, err := c.ProjectsCreate(ctx, gen.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	assert.Equal(t, http.MethodPost, d.req.Method)
	assert.Equal(t, "application/json", d.req.Header.Get("Content-Type"))
	assert.Positive(t, d.req.ContentLength)
	require.NotNil(t, d.req.GetBody, "a JSON body can be replayed")
	b, err := io.ReadAll(d.req.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"p","organization_name":"o"}`, string(b))

	// A Server changed after NewClient is used (and parsed) on the next call.
	c.Server = "https://other.test/base/"
	_, err = c.ProjectsGet(ctx, "p")
	require.NoError(t, err)
	assert.Equal(t, "https://other.test/base/projects/p", d.req.URL.String())

	for _, bad := range []string{"not a url", "/relative/only", "http://[::1"} {
		_, err := gen.NewClient(bad)
		assert.Error(t, err, bad)
	}
}

type ctxKey struct{}

func ptr[T any](v T) *T { return &v }
