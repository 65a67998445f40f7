package ubiopstest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// FuzzFakeHTTP drives the fake's whole HTTP surface with one fuzzed request on a fresh server that
// holds a project "p" with a deployment "d", its version "v1" and an environment "env". The
// request's method, query, content type and body are fuzzed; its path is one of the spec's route
// templates (route names one, else picks one by hash) with the parameter at slot set to the fuzzed
// name (escaped as a client escapes it, or inserted as it is when raw) and the others naming the
// fixture's objects. When the body holds the placeholder "$name" (a JSON string) or the query
// holds $name, the name goes there instead (as a JSON string, or query-escaped), and the path names
// the fixture's objects only: the fuzzer then varies names and values inside well-formed bodies.
// It asserts that:
//
//   - every request is answered within requestTimeout (a hang fails) and none with a 5xx, the
//     fuzzed one or the ones that check the state, and no internal failure is recorded;
//   - the state stays consistent: after the request, the project's deployments, the versions of
//     "d" and its custom environments listed are exactly those the creates (201) minus the deletes
//     (204), with the renames (200), produced; each is found by its name (escaped in the path), and
//     deleted again (204), after which the lists are empty.
//
// The seed corpus is testdata/fuzz/FuzzFakeHTTP; plain `go test` runs it.
func FuzzFakeHTTP(f *testing.F) {
	templates := specTemplates(f)
	f.Add("POST", "/projects/{project_name}/deployments", uint8(0), "p", false, "", "application/json", []byte(`{"name":"my model"}`))
	f.Add("GET", "/projects/{project_name}/audit", uint8(0), "p", false, "limit=9223372036854775807&offset=1", "", []byte(nil))
	f.Add("DELETE", "/projects/{project_name}/deployments/{deployment_name}", uint8(1), "d", false, "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, method, route string, slot uint8, name string, raw bool, query, contentType string, body []byte) {
		h := newFuzzHarness(t)
		h.fuzzedRequest(templates, method, route, slot, name, raw, query, contentType, body)
		h.checkModel()
		h.deleteAll()
		if failures := h.s.InternalFailures(); len(failures) > 0 {
			t.Fatalf("internal failures: %s", strings.Join(failures, "\n"))
		}
	})
}

// fuzzHarness is a server and the model of what its project should hold.
type fuzzHarness struct {
	t *testing.T
	s *Server
	// project is the fixture project's current name ("" once deleted).
	project string
	// deployments and environments are the names the project's lists should show.
	deployments, environments map[string]bool
	// deployment is the current name of the fixture deployment "d" ("" once deleted), versions
	// the names its version list should show.
	deployment string
	versions   map[string]bool
}

// Defaults of the path parameters that name no object of the fixture.
const fuzzID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

func newFuzzHarness(t *testing.T) *fuzzHarness {
	h := &fuzzHarness{
		t: t, s: New(WithStrictResponses(), WithBuildDuration(0), WithRequestDuration(0)),
		project: "p", deployment: "d",
		deployments: map[string]bool{"d": true}, versions: map[string]bool{"v1": true}, environments: map[string]bool{"env": true},
	}
	t.Cleanup(h.s.Close)
	serveJSON(t, h.s, http.StatusCreated, http.MethodPost, "/v2.1/projects", map[string]any{"name": "p", "organization_name": "o"})
	serveJSON(t, h.s, http.StatusCreated, http.MethodPost, "/v2.1/projects/p/deployments", map[string]any{"name": "d", "input_type": "structured", "output_type": "structured"})
	serveJSON(t, h.s, http.StatusCreated, http.MethodPost, "/v2.1/projects/p/deployments/d/versions", map[string]any{"version": "v1"})
	serveJSON(t, h.s, http.StatusCreated, http.MethodPost, "/v2.1/projects/p/environments", map[string]any{"name": "env", "base_environment": "python3-12"})
	return h
}

// fuzzedRequest builds, sends and checks the fuzzed request, and follows its effect in the model.
func (h *fuzzHarness) fuzzedRequest(templates []string, method, route string, slot uint8, name string, raw bool, query, contentType string, body []byte) {
	t := h.t
	tpl := route
	if !contains(templates, tpl) {
		hash := fnv.New32a()
		_, _ = hash.Write([]byte(route))
		tpl = templates[hash.Sum32()%uint32(len(templates))]
	}
	if method == "" {
		method = http.MethodGet
	}
	defaults := map[string]string{
		"project_name": h.project, "deployment_name": "d", "version": "v1", "environment_name": "env",
	}
	if h.project == "" {
		defaults["project_name"] = "p"
	}
	params := templateParams(tpl)
	if placeholder := []byte(`"$name"`); bytes.Contains(body, placeholder) || strings.Contains(query, "$name") {
		quoted, err := json.Marshal(name)
		require.NoError(t, err)
		body = bytes.ReplaceAll(body, placeholder, quoted)
		query = strings.ReplaceAll(query, "$name", url.QueryEscape(name))
		params = nil // the path names the fixture's objects only
	}
	var path strings.Builder
	path.WriteString("/v2.1")
	i := 0
	for _, seg := range strings.Split(strings.TrimPrefix(tpl, "/"), "/") {
		path.WriteByte('/')
		if !strings.HasPrefix(seg, "{") {
			path.WriteString(seg)
			continue
		}
		v, ok := defaults[seg[1:len(seg)-1]]
		if !ok {
			v = fuzzID
		}
		switch {
		case len(params) > 0 && i == int(slot)%len(params) && raw:
			path.WriteString(name)
		case len(params) > 0 && i == int(slot)%len(params):
			path.WriteString(url.PathEscape(name))
		default:
			path.WriteString(url.PathEscape(v))
		}
		i++
	}
	target := path.String()
	if query != "" {
		target += "?" + query
	}
	// Only what a server would hand to its handler: a request line net/http parses.
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(method + " " + target + " HTTP/1.1\r\nHost: fake.test\r\n\r\n")))
	if err != nil {
		return
	}
	req.Header.Set("Authorization", "Token "+h.s.Token())
	if ct := headerValue(contentType); ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Body = readCloser{bytes.NewReader(body)}
	req.ContentLength = int64(len(body))

	// The operation and parameters the fake will see.
	r, err := newSpecRouter()
	require.NoError(t, err)
	found, pathParams := r.paths.find(req)
	requireSameRoute(t, req, found, pathParams)
	op := ""
	if found != nil {
		op = found.route.Operation.OperationID
		if routes[op] == nil {
			return // an operation without a handler yet: TestEveryOperationHasAHandler reports it
		}
		for k, v := range pathParams {
			if pathParams[k], err = url.PathUnescape(v); err != nil {
				op = "" // answered 400, changes nothing
			}
		}
	}

	status, answer := serveRequest(t, h.s, req)
	if status >= 500 || status < 100 {
		t.Fatalf("%s %s (%s): answered %d: %s", method, target, op, status, answer)
	}
	h.follow(op, pathParams, status, answer)
}

// follow applies the effect of an answered request to the model.
func (h *fuzzHarness) follow(op string, params map[string]string, status int, answer []byte) {
	if h.project == "" || params["project_name"] != h.project {
		return // another project (or none): nothing the model follows
	}
	var got struct{ Name, Version string }
	switch op {
	case "projects_update", "deployments_create", "deployments_update", "deployment_versions_create", "deployment_versions_update",
		"environments_create", "environments_update":
		if status == http.StatusOK || status == http.StatusCreated {
			require.NoError(h.t, json.Unmarshal(answer, &got), "%s: %s", op, answer)
		}
	}
	rename := func(set map[string]bool, from, to string) {
		delete(set, from)
		set[to] = true
	}
	switch {
	case op == "projects_delete" && status == http.StatusNoContent:
		h.project, h.deployment = "", ""
		clear(h.deployments)
		clear(h.versions)
		clear(h.environments)
	case op == "projects_update" && status == http.StatusOK:
		h.project = got.Name
	case op == "deployments_create" && status == http.StatusCreated:
		h.deployments[got.Name] = true
	case op == "deployments_update" && status == http.StatusOK:
		rename(h.deployments, params["deployment_name"], got.Name)
		if params["deployment_name"] == h.deployment {
			h.deployment = got.Name
		}
	case op == "deployments_delete" && status == http.StatusNoContent:
		delete(h.deployments, params["deployment_name"])
		if params["deployment_name"] == h.deployment {
			h.deployment = ""
			clear(h.versions)
		}
	case h.deployment == "" || params["deployment_name"] != h.deployment:
		// versions of other deployments are not followed
	case op == "deployment_versions_create" && status == http.StatusCreated:
		h.versions[got.Version] = true
	case op == "deployment_versions_update" && status == http.StatusOK:
		rename(h.versions, params["version"], got.Version)
	case op == "deployment_versions_delete" && status == http.StatusNoContent:
		delete(h.versions, params["version"])
	}
	switch {
	case op == "environments_create" && status == http.StatusCreated:
		h.environments[got.Name] = true
	case op == "environments_update" && status == http.StatusOK:
		rename(h.environments, params["environment_name"], got.Name)
	case op == "environments_delete" && status == http.StatusNoContent:
		delete(h.environments, params["environment_name"])
	}
}

// listNames lists the names (field) a list operation answers, failing unless it answers 200.
func (h *fuzzHarness) listNames(path, field string) map[string]bool {
	h.t.Helper()
	body := serveJSON(h.t, h.s, http.StatusOK, http.MethodGet, path, nil)
	var items []map[string]any
	require.NoError(h.t, json.Unmarshal(body, &items), "%s", body)
	out := map[string]bool{}
	for _, it := range items {
		name, _ := it[field].(string)
		out[name] = true
	}
	return out
}

func sortedNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkModel compares the lists with the model and reads every object by its name.
func (h *fuzzHarness) checkModel() {
	t := h.t
	if h.project == "" {
		serveJSON(t, h.s, http.StatusNotFound, http.MethodGet, "/v2.1/projects/p", nil)
		return
	}
	require.Regexp(t, `^[a-z][a-z0-9-]{0,63}$`, h.project, "a project name follows the documented rule")
	p := "/v2.1/projects/" + url.PathEscape(h.project)
	type list struct {
		what        string
		model       map[string]bool
		path, field string
	}
	lists := []list{
		{"deployments", h.deployments, p + "/deployments", "name"},
		{"environments", h.environments, p + "/environments?environment_type=custom", "name"},
	}
	if h.deployment != "" {
		lists = append(lists, list{"versions of " + h.deployment, h.versions, p + "/deployments/" + url.PathEscape(h.deployment) + "/versions", "version"})
	}
	for _, l := range lists {
		listed := h.listNames(l.path, l.field)
		require.Equal(t, sortedNames(l.model), sortedNames(listed), "%s", l.what)
		for name := range listed {
			require.True(t, pathSegmentName(name), "%s: %q cannot be a name in a path segment", l.what, name)
		}
	}
	get := func(path, field, want string) {
		t.Helper()
		var got map[string]any
		require.NoError(t, json.Unmarshal(serveJSON(t, h.s, http.StatusOK, http.MethodGet, path, nil), &got))
		require.Equal(t, want, got[field], "GET %s", path)
	}
	for name := range h.deployments {
		get(p+"/deployments/"+url.PathEscape(name), "name", name)
	}
	for name := range h.versions {
		get(p+"/deployments/"+url.PathEscape(h.deployment)+"/versions/"+url.PathEscape(name), "version", name)
	}
	for name := range h.environments {
		get(p+"/environments/"+url.PathEscape(name), "name", name)
	}
}

// deleteAll deletes every object the model holds, by its name, and checks the lists are empty.
func (h *fuzzHarness) deleteAll() {
	t := h.t
	if h.project == "" {
		return
	}
	p := "/v2.1/projects/" + url.PathEscape(h.project)
	for name := range h.versions {
		serveJSON(t, h.s, http.StatusNoContent, http.MethodDelete, p+"/deployments/"+url.PathEscape(h.deployment)+"/versions/"+url.PathEscape(name), nil)
	}
	for name := range h.deployments { // with their versions, which environments may be used by
		serveJSON(t, h.s, http.StatusNoContent, http.MethodDelete, p+"/deployments/"+url.PathEscape(name), nil)
	}
	for name := range h.environments {
		serveJSON(t, h.s, http.StatusNoContent, http.MethodDelete, p+"/environments/"+url.PathEscape(name), nil)
	}
	require.Empty(t, h.listNames(p+"/deployments", "name"), "deployments left")
	require.Empty(t, h.listNames(p+"/environments?environment_type=custom", "name"), "environments left")
	serveJSON(t, h.s, http.StatusNoContent, http.MethodDelete, p, nil)
}

// pathSegmentName reports whether a name can be a path segment of the API's URLs (the rule the
// fake holds deployment, version and environment names to, see checkPathName).
func pathSegmentName(name string) bool {
	if strings.TrimSpace(name) == "" || name == "." || name == ".." || strings.Contains(name, "/") || !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return false
		}
	}
	return true
}

// headerValue keeps what can be a header value on the wire (no control characters but tab).
func headerValue(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
