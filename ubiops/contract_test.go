package ubiops

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/api"
)

// contractToken is the token the contract server accepts.
const contractToken = "contract-token"

var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specErr  error
)

func init() {
	// A streaming answer is text: validate it like text/plain (kin-openapi has no decoder for it).
	openapi3filter.RegisterBodyDecoder("text/event-stream", openapi3filter.RegisteredBodyDecoder("text/plain"))
}

// loadContractSpec loads api/openapi.yaml once for all contract tests.
func loadContractSpec() (*openapi3.T, error) {
	specOnce.Do(func() {
		specDoc, specErr = api.Load()
		if specErr == nil {
			specErr = specDoc.Validate(context.Background())
		}
	})
	return specDoc, specErr
}

func operationByID(doc *openapi3.T, id string) (string, string, *openapi3.Operation) {
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == id {
				return method, path, op
			}
		}
	}
	return "", "", nil
}

// contractRequestBody returns the JSON body a contract call sends for operationID.
func contractRequestBody(operationID string) (json.RawMessage, error) {
	doc, err := loadContractSpec()
	if err != nil {
		return nil, err
	}
	_, _, op := operationByID(doc, operationID)
	if op == nil {
		return nil, fmt.Errorf("no operation %q in the spec", operationID)
	}
	if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
		return nil, fmt.Errorf("operation %q has no JSON request body", operationID)
	}
	return json.Marshal(mediaExample(op.RequestBody.Value.Content.Get("application/json")))
}

// mediaExample is the first documented example of a media type, or a value synthesised from its
// schema when the pages document none.
func mediaExample(mt *openapi3.MediaType) any {
	if len(mt.Examples) > 0 {
		names := make([]string, 0, len(mt.Examples))
		for name := range mt.Examples {
			names = append(names, name)
		}
		sort.Strings(names)
		return mt.Examples[names[0]].Value.Value
	}
	if mt.Example != nil {
		return mt.Example
	}
	return synthesize(mt.Schema, 0)
}

// synthesize builds a value that satisfies a schema: every property present (so decoding exercises
// the whole Go type), the first enum value, bounds and formats respected.
func synthesize(ref *openapi3.SchemaRef, depth int) any {
	if ref == nil || ref.Value == nil || depth > 10 {
		return nil
	}
	s := ref.Value
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is("object"):
		out := map[string]any{}
		for name, p := range s.Properties {
			out[name] = synthesize(p, depth+1)
		}
		return out
	case s.Type.Is("array"):
		return []any{synthesize(s.Items, depth+1)}
	case s.Type.Is("string"):
		switch s.Format {
		case "uuid":
			return "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e"
		case "date-time":
			return "2024-05-01T08:32:14Z"
		case "email":
			return "user@example.com"
		}
		return "example"
	case s.Type.Is("integer"):
		n := 1.0
		if s.Min != nil && *s.Min > n {
			n = *s.Min
		}
		if s.Max != nil && *s.Max < n {
			n = *s.Max
		}
		return int(n)
	case s.Type.Is("number"):
		return 1.5
	case s.Type.Is("boolean"):
		return true
	}
	return map[string]any{"value": "free-form"} // an untyped (free-form) schema
}

// contractServer serves the spec: it routes each request to its operation, validates it, checks
// path parameter values, and answers from the spec's examples, validating its own answer too.
type contractServer struct {
	t      testing.TB
	doc    *openapi3.T
	router routers.Router

	mu                 sync.Mutex
	seen               []string // operationIds of the requests received, in order
	requestViolations  []string
	responseViolations []string
}

func newContractServer(t testing.TB) (*contractServer, *httptest.Server) {
	doc, err := loadContractSpec()
	require.NoError(t, err)
	// Route on paths alone: the server under test lives at <httptest URL>/v2.1.
	routed := *doc
	routed.Servers = openapi3.Servers{{URL: "/v2.1"}}
	router, err := gorillamux.NewRouter(&routed)
	require.NoError(t, err)
	cs := &contractServer{t: t, doc: doc, router: router}
	srv := httptest.NewServer(cs)
	t.Cleanup(srv.Close)
	return cs, srv
}

func (cs *contractServer) violation(response bool, format string, args ...any) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	if response {
		cs.responseViolations = append(cs.responseViolations, msg)
	} else {
		cs.requestViolations = append(cs.requestViolations, msg)
	}
}

func (cs *contractServer) reset() ([]string, []string, []string) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	seen, rq, rs := cs.seen, cs.requestViolations, cs.responseViolations
	cs.seen, cs.requestViolations, cs.responseViolations = nil, nil, nil
	return seen, rq, rs
}

func (cs *contractServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, pathParams, err := cs.router.FindRoute(r)
	if err != nil {
		cs.violation(false, "%s %s: no such operation in the spec: %v", r.Method, r.URL.Path, err)
		http.Error(w, `{"error":"no route"}`, http.StatusNotFound)
		return
	}
	id := route.Operation.OperationID
	cs.mu.Lock()
	cs.seen = append(cs.seen, id)
	cs.mu.Unlock()

	for name, got := range pathParams {
		if want, ok := contractPathValues[name]; ok && got != want {
			cs.violation(false, "%s: path parameter %s = %q, want %q (arguments swapped?)", id, name, got, want)
		}
	}
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: pathParams, Route: route,
		Options: &openapi3filter.Options{
			MultiError: true,
			AuthenticationFunc: func(_ context.Context, a *openapi3filter.AuthenticationInput) error {
				if got := a.RequestValidationInput.Request.Header.Get("Authorization"); got != "Token "+contractToken {
					return fmt.Errorf("wrong Authorization header")
				}
				return nil
			},
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		cs.violation(false, "%s: %v", id, err)
	}
	_, _ = io.Copy(io.Discard, r.Body)

	status, header, body := cs.answer(route.Operation)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
		cs.violation(true, "%s: %v", id, err)
	}
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// answer builds the documented success answer of an operation.
func (cs *contractServer) answer(op *openapi3.Operation) (int, http.Header, []byte) {
	header := http.Header{}
	for code, resp := range op.Responses.Map() {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		status, _ := strconv.Atoi(code)
		if mt := resp.Value.Content.Get("application/json"); mt != nil {
			body, err := json.Marshal(mediaExample(mt))
			if err != nil {
				cs.t.Errorf("%s: marshal example: %v", op.OperationID, err)
			}
			header.Set("Content-Type", "application/json")
			return status, header, body
		}
		if mt := resp.Value.Content.Get("text/event-stream"); mt != nil {
			text, _ := mediaExample(mt).(string)
			header.Set("Content-Type", "text/event-stream")
			return status, header, []byte(text)
		}
		if resp.Value.Content.Get("application/octet-stream") != nil {
			body := []byte("PK\x03\x04 contract archive bytes")
			header.Set("Content-Type", "application/octet-stream")
			header.Set("Content-Disposition", `attachment; filename="package.zip"`)
			header.Set("Content-Length", strconv.Itoa(len(body)))
			return status, header, body
		}
		return status, header, nil
	}
	return http.StatusInternalServerError, header, []byte(`{"error":"no success response in spec"}`)
}

// contractClient is a Client for the contract server that never retries, so each call is exactly
// one request.
func contractClient(t testing.TB, url string) *Client {
	c, err := NewClient(WithBaseURL(url), WithToken(contractToken), WithMaxRetries(0))
	require.NoError(t, err)
	return c
}

// TestContract drives every operation in the spec through this package and checks each request
// and answer against api/openapi.yaml.
func TestContract(t *testing.T) {
	cs, srv := newContractServer(t)
	c := contractClient(t, srv.URL)

	var specIDs []string
	for _, item := range cs.doc.Paths.Map() {
		for _, op := range item.Operations() {
			specIDs = append(specIDs, op.OperationID)
		}
	}
	sort.Strings(specIDs)

	exercised, reqViolations, respViolations := 0, 0, 0
	for _, id := range specIDs {
		call, ok := contractCalls[id]
		if !ok {
			t.Errorf("%s: no wrapper method is registered for this operation", id)
			continue
		}
		err := call(context.Background(), c)
		seen, rq, rs := cs.reset()
		reqViolations += len(rq)
		respViolations += len(rs)
		if err != nil {
			t.Errorf("%s: call failed: %v", id, err)
		}
		if len(seen) != 1 || seen[0] != id {
			t.Errorf("%s: the wrapper sent %v; want exactly one request to %s (wrong method or path?)", id, seen, id)
		} else if err == nil {
			exercised++
		}
		for _, v := range rq {
			t.Errorf("request violation: %s", v)
		}
		for _, v := range rs {
			t.Errorf("response violation: %s", v)
		}
	}
	for id := range contractCalls {
		if _, _, op := operationByID(cs.doc, id); op == nil {
			t.Errorf("%s: registered, but not an operation in the spec", id)
		}
	}
	line := fmt.Sprintf("contract: operations exercised %d/%d, request violations %d, response violations %d",
		exercised, len(specIDs), reqViolations, respViolations)
	t.Log(line)
	if testing.Verbose() {
		fmt.Println(line)
	}
}

// TestContractServerRejectsBadRequests proves the contract server is not a rubber stamp: a request
// that breaks the spec is reported.
func TestContractServerRejectsBadRequests(t *testing.T) {
	cs, srv := newContractServer(t)
	cases := []struct {
		name, method, path, body string
	}{
		{"unknown path", http.MethodGet, "/v2.1/nowhere", ""},
		{"wrong method", http.MethodPut, "/v2.1/projects", ""},
		{"missing required field", http.MethodPost, "/v2.1/projects", `{"name":"p"}`},
		{"query out of bounds", http.MethodGet, "/v2.1/projects/contract-project/deployments/contract-deployment/requests?limit=0", ""},
		{"swapped path value", http.MethodGet, "/v2.1/projects/contract-deployment", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, bytes.NewBufferString(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Token "+contractToken)
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			_, rq, _ := cs.reset()
			require.NotEmpty(t, rq, "the contract server must report a violation")
		})
	}
}

// TestContractPlainInput: a Go string input to a direct request is sent as text/plain with the raw
// body, at both levels, and the contract server validates it against the spec's text/plain content.
func TestContractPlainInput(t *testing.T) {
	cs, srv := newContractServer(t)
	var mu sync.Mutex
	var sent []string
	capture := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			mu.Lock()
			sent = append(sent, r.Header.Get("Content-Type")+" "+string(body))
			mu.Unlock()
			return next.RoundTrip(r)
		})
	}
	c, err := NewClient(WithBaseURL(srv.URL), WithToken(contractToken), WithMaxRetries(0), WithMiddleware(capture))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.Requests.Create(ctx, tProject, tDeployment, "raw text, not \"JSON\"", nil)
	require.NoError(t, err)
	_, err = c.Requests.CreateForVersion(ctx, tProject, tDeployment, tVersion, "second", nil)
	require.NoError(t, err)
	_, err = c.Requests.Create(ctx, tProject, tDeployment, map[string]any{"x": 1}, nil)
	require.NoError(t, err)

	seen, rq, rs := cs.reset()
	assert.Equal(t, []string{"deployment_requests_create", "deployment_version_requests_create", "deployment_requests_create"}, seen)
	assert.Empty(t, rq)
	assert.Empty(t, rs)
	assert.Equal(t, []string{`text/plain raw text, not "JSON"`, "text/plain second", `application/json {"x":1}`}, sent)
}
