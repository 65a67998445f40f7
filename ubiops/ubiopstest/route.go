package ubiopstest

import (
	"context"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Routing and request validation, set up once per process with the spec (newSpecRouter).
//
// Every path parameter of the spec is a whole segment (/projects/{project_name}/...), so a route
// is matched segment by segment, without regular expressions, among the paths of as many segments
// as the request's. Paths are tried in kin-openapi's matching order (fewer parameters first, then
// in descending order), as its gorilla/mux router does, and the first path that matches decides:
// a method it does not serve is not found even if a later path would match, exactly like that
// router. The routers.Route of each operation is made here once and shared (it is read-only).

// pathRoute is one path of the spec: its segments and the operations it serves.
type pathRoute struct {
	// segments are the path's segments after the server base; a parameter's is "".
	segments []string
	// params are the parameters' names by segment ("" for a literal segment).
	params  []string
	nParams int
	// methods are the path's operations by HTTP method.
	methods map[string]*specOperation
}

// specOperation is an operation with what validating a request of it needs.
type specOperation struct {
	route *routers.Route
	// params are the parameters to validate: the path item's that the operation does not
	// override, then the operation's (the order and rule of openapi3filter.ValidateRequest).
	params []*openapi3.Parameter
	// upload is set for the operations whose body is a multipart upload (see uploadSchema).
	upload bool
}

// pathRouter finds the operation of a request.
type pathRouter struct {
	base string // the server's base path, "/v2.1"
	// bySegments are the paths by number of segments, each list in matching order.
	bySegments map[int][]*pathRoute
	byID       map[string]*specOperation
}

func newPathRouter(doc *openapi3.T, base string) *pathRouter {
	pr := &pathRouter{base: base, bySegments: map[int][]*pathRoute{}, byID: map[string]*specOperation{}}
	server := doc.Servers[0]
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
		rt := &pathRoute{segments: make([]string, len(segs)), params: make([]string, len(segs)), methods: map[string]*specOperation{}}
		for i, s := range segs {
			if name, ok := strings.CutPrefix(s, "{"); ok && strings.HasSuffix(name, "}") {
				rt.params[i] = strings.TrimSuffix(name, "}")
				rt.nParams++
			} else {
				rt.segments[i] = s
			}
		}
		for method, op := range item.Operations() {
			so := &specOperation{
				route:  &routers.Route{Spec: doc, Server: server, Path: path, PathItem: item, Method: method, Operation: op},
				upload: uploadSchema(op) != nil,
			}
			for _, ref := range item.Parameters {
				if p := ref.Value; op.Parameters == nil || op.Parameters.GetByInAndName(p.In, p.Name) == nil {
					so.params = append(so.params, p)
				}
			}
			for _, ref := range op.Parameters {
				so.params = append(so.params, ref.Value)
			}
			rt.methods[method] = so
			if op.OperationID != "" {
				pr.byID[op.OperationID] = so
			}
		}
		pr.bySegments[len(segs)] = append(pr.bySegments[len(segs)], rt)
	}
	return pr
}

// find returns the operation the request's method and (escaped) path address, with the path
// parameters still percent-encoded; nil if there is none.
func (pr *pathRouter) find(r *http.Request) (*specOperation, map[string]string) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), pr.base)
	if !ok || !strings.HasPrefix(rest, "/") {
		return nil, nil
	}
	rest = rest[1:]
	for _, rt := range pr.bySegments[strings.Count(rest, "/")+1] {
		if !rt.match(rest) {
			continue
		}
		so := rt.methods[r.Method]
		if so == nil {
			return nil, nil // the first matching path decides, as with kin-openapi's router
		}
		params := make(map[string]string, rt.nParams)
		for i, seg := 0, rest; i < len(rt.params); i++ {
			s, next, _ := strings.Cut(seg, "/")
			if rt.params[i] != "" {
				params[rt.params[i]] = s
			}
			seg = next
		}
		return so, params
	}
	return nil, nil
}

// match reports whether path (without its leading slash, with as many segments as the route)
// matches the route: equal literal segments, and a non-empty segment for each parameter.
func (rt *pathRoute) match(path string) bool {
	for i, lit := range rt.segments {
		s, next, _ := strings.Cut(path, "/")
		if rt.params[i] == "" {
			if s != lit {
				return false
			}
		} else if s == "" {
			return false
		}
		path = next
	}
	return true
}

// The validation options, shared by all requests (openapi3filter only reads them). An upload's
// body is validated by its handler while streaming, not buffered here. The defaults of absent
// parameters are not written into the request (which re-encodes its whole query for each one):
// handlers read the query as sent (call.query) and apply the documented defaults themselves.
var (
	validateOptions       = &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true}
	validateUploadOptions = &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, ExcludeRequestBody: true}
)

// validate checks a request's parameters and body against the spec, as openapi3filter's
// ValidateRequest does but for the security requirements: serveHTTP has checked the token itself
// (a request without it is answered 401 before validation), and the requirement's check would only
// call an authentication function that accepts everything, after copying the body.
func (so *specOperation) validate(ctx context.Context, in *openapi3filter.RequestValidationInput) error {
	var me openapi3.MultiError
	for _, p := range so.params {
		if err := openapi3filter.ValidateParameter(ctx, in, p); err != nil {
			me = append(me, err)
		}
	}
	if body := so.route.Operation.RequestBody; body != nil && !in.Options.ExcludeRequestBody {
		if err := openapi3filter.ValidateRequestBody(ctx, in, body.Value); err != nil {
			me = append(me, err)
		}
	}
	if len(me) > 0 {
		return me
	}
	return nil
}
