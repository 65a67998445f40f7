package ubiops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeBaseURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://api.ubiops.com/v2.1", "https://api.ubiops.com/v2.1"},
		{"https://api.ubiops.com/v2.1/", "https://api.ubiops.com/v2.1"},
		{"  https://api.ubiops.com/v2.1 \n", "https://api.ubiops.com/v2.1"},
		{"api.ubiops.com", "https://api.ubiops.com/v2.1"},
		{"api.ubiops.com/v2.1", "https://api.ubiops.com/v2.1"},
		{"https://api.ubiops.com", "https://api.ubiops.com/v2.1"},
		{"https://example.com/ubiops", "https://example.com/ubiops/v2.1"},
		{"https://example.com/api/v3/", "https://example.com/api/v3"},
		{"HTTPS://example.com/v2", "https://example.com/v2"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/v2.1"},
		{"http://localhost:9000/v2.1", "http://localhost:9000/v2.1"},
		{"http://[::1]:9000", "http://[::1]:9000/v2.1"},
	}
	for _, tc := range cases {
		u, err := normalizeBaseURL(tc.in, false)
		if assert.NoError(t, err, tc.in) {
			assert.Equal(t, tc.want, u.String(), tc.in)
		}
	}
	bad := []string{"", "   ", "http://api.ubiops.com", "http://10.0.0.1/v2.1", "ftp://x/v2.1", "https://user:pw@x/v2.1", "https:///v2.1", "https://x/v2.1?token=1"}
	for _, in := range bad {
		_, err := normalizeBaseURL(in, false)
		var ce *ConfigError
		assert.ErrorAs(t, err, &ce, "%q must be refused", in)
	}
	u, err := normalizeBaseURL("http://ubiops.internal", true)
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	assert.Equal(t, "http://ubiops.internal/v2.1", u.String())
}

func TestNormalizeToken(t *testing.T) {
	cases := []struct{ in, want string }{
		{"abc123", "Token abc123"},
		{"  abc123\n", "Token abc123"},
		{"Token abc123", "Token abc123"},
		{"Bearer eyJ.x.y", "Bearer eyJ.x.y"},
		{"Token   abc123", "Token abc123"},
	}
	for _, tc := range cases {
		got, err := normalizeToken(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, string(got))
	}
	_, err := normalizeToken("   ")
	assert.ErrorIs(t, err, ErrNoToken)
	for _, in := range []string{"ab\x00c", "Token a b", "abc\r\nX-Evil: 1"} {
		_, err := normalizeToken(in)
		var ce *ConfigError
		require.ErrorAs(t, err, &ce, "%q", in)
		assert.NotContains(t, err.Error(), "abc", "the error never repeats the token")
	}
}

func TestNewClientFromEnvironment(t *testing.T) {
	t.Setenv(EnvToken, " env-token ")
	t.Setenv(EnvHost, "127.0.0.1:1/")
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, "https://127.0.0.1:1/v2.1", c.BaseURL(), "a scheme-less host gets https and /v2.1")
	t.Setenv(EnvHost, "http://127.0.0.1:1/")
	c, err = NewClient()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1/v2.1", c.BaseURL())
	assert.Equal(t, "Token env-token", string(*c.token))

	t.Setenv(EnvHost, "")
	c, err = NewClient()
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL())

	c, err = NewClient(WithToken("explicit"), WithBaseURL("http://localhost:2"))
	require.NoError(t, err, "options win over the environment")
	assert.Equal(t, "Token explicit", string(*c.token))
	assert.Equal(t, "http://localhost:2/v2.1", c.BaseURL())

	t.Setenv(EnvToken, "")
	_, err = NewClient()
	assert.ErrorIs(t, err, ErrNoToken, "a missing token fails at construction, not with a 401 later")
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = io.WriteString(w, `[]`)
	}), WithUserAgent("my-service/1.2"))
	_, err := c.Projects.List(context.Background(), nil, WithHeader("X-Trace", "abc"))
	require.NoError(t, err)
	assert.Equal(t, "Token "+testToken, got.Get("Authorization"))
	assert.Equal(t, fmt.Sprintf("my-service/1.2 ubiops-go/%s (%s)", Version, runtime.Version()), got.Get("User-Agent"))
	assert.Equal(t, "abc", got.Get("X-Trace"))
}

func TestErrorMapping(t *testing.T) {
	sentinels := map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound,
		409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 502: ErrServer, 503: ErrServer}
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}
	for status, want := range sentinels {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(status)
				_, _ = fmt.Fprintf(w, `{"error":"status was %d"}`, status)
			}), WithMaxRetries(0))
			_, err := c.Projects.Get(context.Background(), "my-project")
			require.Error(t, err)
			for _, s := range all {
				assert.Equal(t, s == want, errors.Is(err, s), "errors.Is(%v)", s)
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, http.MethodGet, apiErr.Method)
			assert.Equal(t, "/v2.1/projects/my-project", apiErr.Path)
			assert.Equal(t, fmt.Sprintf("status was %d", status), apiErr.Message)
			assert.Equal(t, fmt.Sprintf("ubiops: projects_get: GET /v2.1/projects/my-project: %d %s: status was %d", status, http.StatusText(status), status), err.Error())
		})
	}
}

func TestErrorMessageShapes(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"error":"plain"}`, "plain"},
		{`{"error_message":"alternative field"}`, "alternative field"},
		{`{"error":["a","b"]}`, "a; b"},
		{`{"error":null,"error_message":"second"}`, "second"},
		{`{"detail":"other"}`, ""},
		{`Bad Gateway`, "Bad Gateway"},
		{"first line\nINFO forged log line", "first line INFO forged log line"},
		{`{"error":"a\nb\r\tc"}`, "a b  c"},
		{`<html><body>502</body></html>`, ""},
		{``, ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, errorMessage([]byte(tc.body)), tc.body)
	}
}

func TestErrorBodyIsCapped(t *testing.T) {
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(bytes.Repeat([]byte("x"), 1<<20))
	}))
	_, err := c.Projects.Get(context.Background(), "p")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, maxErrorBody)
	assert.Empty(t, apiErr.Message, "a megabyte of noise is not a message")
}

func TestDecodeErrors(t *testing.T) {
	for _, body := range []string{"", "{", `{"name": 5}`, "<html>"} {
		c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, body)
		}))
		_, err := c.Projects.Get(context.Background(), "p")
		var de *DecodeError
		require.ErrorAs(t, err, &de, "%q", body)
		assert.Equal(t, 200, de.StatusCode)
	}
}

// TestPathEscaping: identifiers are escaped, so no value can address another path.
func TestPathEscaping(t *testing.T) {
	var hits atomic.Int32
	var rawPath string
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rawPath = r.URL.EscapedPath()
		_, _ = io.WriteString(w, `{"name":"x"}`)
	}))
	ctx := context.Background()
	for in, want := range map[string]string{
		"a/b":      "/v2.1/projects/a%2Fb",
		"../admin": "/v2.1/projects/..%2Fadmin",
		"x?y=1#z":  "/v2.1/projects/x%3Fy=1%23z",
		"100%":     "/v2.1/projects/100%25",
		"sp ace":   "/v2.1/projects/sp%20ace",
		"%2e%2e":   "/v2.1/projects/%252e%252e",
		"ünïcode":  "/v2.1/projects/%C3%BCn%C3%AFcode",
		"...":      "/v2.1/projects/...",
	} {
		_, err := c.Projects.Get(ctx, in)
		require.NoError(t, err, in)
		assert.Equal(t, want, rawPath, in)
	}
	hits.Store(0)
	for _, in := range []string{"", ".", ".."} {
		_, err := c.Projects.Get(ctx, in)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", in)
		assert.Equal(t, "project_name", ve.Field)
		_, err = c.Deployments.Get(ctx, "p", in)
		require.ErrorAs(t, err, &ve, "%q", in)
		assert.Equal(t, "deployment_name", ve.Field)
	}
	assert.Zero(t, hits.Load(), "nothing was sent for a rejected identifier")
}

// TestTokenNeverLeaks collects every string the client produces (errors, debug logs, the client's
// own formatting) across failures and checks none of them carries the token.
func TestTokenNeverLeaks(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var n atomic.Int32
	c, _, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) % 3 {
		case 0:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"Invalid token"}`)
		case 1:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}
	}), WithLogger(logger))
	var texts []string
	for i := 0; i < 6; i++ {
		_, err := c.Projects.Get(context.Background(), "p")
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	texts = append(texts, logs.String(), fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c.token), fmt.Sprintf("%v %s %q", *c.token, *c.token, *c.token), fmt.Sprintf("%v", *c))
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "token", *c.token, "client", c)
	texts = append(texts, logs.String())
	for _, s := range texts {
		assert.NotContains(t, s, testToken)
	}
	require.NotEmpty(t, texts)
}
