package ubiopstest

import (
	"bufio"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"
)

var (
	referenceOnce   sync.Once
	referenceRouter routers.Router
	referenceErr    error
)

// requireSameRoute checks the fake's router against kin-openapi's gorilla/mux router (which the
// fake used before it routed by segments): the same operation, or none, and the same parameters.
func requireSameRoute(t testing.TB, req *http.Request, so *specOperation, params map[string]string) {
	t.Helper()
	referenceOnce.Do(func() {
		api, err := newSpecRouter()
		if err != nil {
			referenceErr = err
			return
		}
		referenceRouter, referenceErr = gorillamux.NewRouter(api.doc)
	})
	require.NoError(t, referenceErr)
	route, want, err := referenceRouter.FindRoute(req)
	if err != nil {
		require.Nil(t, so, "%s %s: kin-openapi finds no route (%v), the fake finds %v", req.Method, req.RequestURI, err, so)
		return
	}
	require.NotNil(t, so, "%s %s: kin-openapi finds %s, the fake nothing", req.Method, req.RequestURI, route.Operation.OperationID)
	require.Equal(t, route.Operation.OperationID, so.route.Operation.OperationID, "%s %s", req.Method, req.RequestURI)
	require.Equal(t, route.Path, so.route.Path)
	require.Equal(t, route.Method, so.route.Method)
	require.Equal(t, want, params, "%s %s: path parameters", req.Method, req.RequestURI)
}

// TestRouterMatchesKinOpenAPIs: every path of the spec, filled in many ways (names that look like
// the literal segments beside them, escaped slashes and spaces, empty segments, trailing slashes,
// other prefixes and cases), with every method, routes as kin-openapi's router routes it.
func TestRouterMatchesKinOpenAPIs(t *testing.T) {
	api, err := newSpecRouter()
	require.NoError(t, err)
	fills := []string{"p", "batch", "stream", "requests", "a%2Fb", "my%20model", "%2541", "x.y", "-", "v2.1", "{project_name}"}
	var targets []string
	for _, path := range api.doc.Paths.InMatchingOrder() {
		for _, fill := range fills {
			var b strings.Builder
			for rest := path; rest != ""; {
				before, param, found := strings.Cut(rest, "{")
				b.WriteString(before)
				if !found {
					break
				}
				b.WriteString(fill)
				_, rest, _ = strings.Cut(param, "}")
			}
			filled := b.String()
			targets = append(targets, "/v2.1"+filled, "/v2.1"+filled+"/", "/v2.1"+filled+"?limit=1", "/v2.1/"+filled,
				"/V2.1"+filled, filled, "/v2.1"+strings.Replace(filled, "/", "//", 2), "/v2.1"+strings.Replace(filled, fill, "", 1),
				"http://fake.test/v2.1"+filled)
		}
	}
	targets = append(targets, "/", "/v2.1", "/v2.1/", "/v2.1//", "/v2.1/nothing", "/v2.10/projects", "/v2.1/projects/p/deployments/d/requests/batch/x", "*")
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get"}
	n := 0
	for _, target := range targets {
		for _, method := range methods {
			req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(method + " " + target + " HTTP/1.1\r\nHost: fake.test\r\n\r\n")))
			if err != nil {
				continue // not a request net/http would serve
			}
			so, params := api.paths.find(req)
			requireSameRoute(t, req, so, params)
			if so != nil {
				n++
			}
			// A request made in-process (Handler().ServeHTTP) has no RequestURI.
			if req, err := http.NewRequest(method, "http://fake.test"+strings.TrimPrefix(target, "http://fake.test"), nil); err == nil {
				so, params := api.paths.find(req)
				requireSameRoute(t, req, so, params)
			}
		}
	}
	require.Greater(t, n, 1000, "routed requests")
}
