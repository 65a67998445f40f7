package ubiopstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/ubiops/ubiops-go/api"
)

// maxJSONBody bounds a JSON request body; uploads are multipart and not held to it.
const maxJSONBody = 32 << 20

type specRouter struct {
	doc   *openapi3.T
	paths *pathRouter // route.go
}

var (
	routerOnce   sync.Once
	sharedRouter *specRouter
	routerErr    error
)

// newSpecRouter loads the embedded spec once per process: the router is read-only and safe to
// share, and parsing the document takes a noticeable moment.
func newSpecRouter() (*specRouter, error) {
	routerOnce.Do(func() { sharedRouter, routerErr = loadSpecRouter() })
	return sharedRouter, routerErr
}

func loadSpecRouter() (*specRouter, error) {
	doc, err := api.Load()
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "/v2.1"}} // route on paths, whatever host serves us
	return &specRouter{doc: doc, paths: newPathRouter(doc, "/v2.1")}, nil
}

// checkSchema validates a JSON value against a component schema of the spec, for answers that do
// not go through ValidateResponse (the last line of a stream).
func (a *specRouter) checkSchema(name string, body []byte) error {
	ref := a.doc.Components.Schemas[name]
	if ref == nil {
		return fmt.Errorf("no schema %s", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}

// call is one request being served.
type call struct {
	s     *Server
	r     *http.Request
	op    string
	path  map[string]string
	query url.Values
	body  []byte // the body (JSON, or text/plain where the spec allows it), already validated against the spec
	// mediaType is the body's media type without parameters, such as "application/json".
	mediaType string
	// w is the response writer, for the operations that stream their answer (ops_stream.go).
	w http.ResponseWriter
	// fault is the fault injected into this request, if any; dropped is set once a streaming
	// answer's connection was dropped by it.
	fault   *Fault
	dropped bool
}

// answer is what a handler produces.
type answer struct {
	status int
	body   any         // encoded as JSON unless raw is set (by runHandler, under the state lock)
	raw    []byte      // a file download
	file   *blob       // a file download streamed from the spool directory (see download)
	header http.Header // extra headers
	// streamed means the handler has written the answer itself (a streaming operation).
	streamed bool
	// encoded is body as JSON, or encodeErr why it could not be encoded (see encodeBody).
	encoded   []byte
	encodeErr error
}

// jsonBody reports whether the answer is a JSON body to encode.
func (a *answer) jsonBody() bool {
	return !a.streamed && a.file == nil && a.raw == nil && a.status != http.StatusNoContent
}

// encodeBody encodes a JSON answer. runHandler calls it before it releases the state lock, so a
// handler may answer with values that share maps and slices with the state.
func (a *answer) encodeBody() {
	if a.jsonBody() && a.encoded == nil && a.encodeErr == nil {
		a.encoded, a.encodeErr = json.Marshal(a.body)
	}
}

func ok(body any) answer      { return answer{status: http.StatusOK, body: body} }
func created(body any) answer { return answer{status: http.StatusCreated, body: body} }
func noContent() answer       { return answer{status: http.StatusNoContent} }
func apiError(status int, format string, args ...any) answer {
	return answer{status: status, body: map[string]string{"error": fmt.Sprintf(format, args...)}}
}
func notFound(what string) answer { return apiError(http.StatusNotFound, "%s not found", what) }

// unlocked runs f without the state lock, for handlers that call user code (deployment handlers)
// or wait. State may change meanwhile: look objects up again afterwards.
func (c *call) unlocked(f func()) {
	c.s.mu.Unlock()
	defer c.s.mu.Lock()
	f()
}

type handlerFunc func(*call) answer

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	var op string // the operation, once routed
	defer s.recoverInternal(w, &op)
	so, pathParams := s.api.paths.find(r)
	if so == nil {
		writeJSON(w, http.StatusNotFound, nil, map[string]string{"error": "Not found: " + r.Method + " " + r.URL.Path})
		return
	}
	op = so.route.Operation.OperationID
	s.countReceived(op)
	if !decodePathParams(w, pathParams) || !s.admit(w, r, op) {
		return
	}
	c := &call{s: s, r: r, w: w, op: op, path: pathParams, query: r.URL.Query()}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			c.mediaType = strings.ToLower(mt)
		}
	}
	in, good := c.readAndValidate(so)
	if !good || s.injectFault(c) {
		return
	}
	h := routes[op]
	if h == nil {
		msg := s.internalFailure(op, "ubiopstest does not implement "+op, nil)
		writeJSON(w, http.StatusNotImplemented, nil, map[string]string{"error": msg})
		return
	}
	s.countRan(op)
	ans := s.runHandler(c, h)
	// A 5xx of the handler's own is a defect of the fake; 503 is not: it answers a request the
	// server is shutting down under.
	if ans.status >= http.StatusInternalServerError && ans.status != http.StatusServiceUnavailable {
		s.internalFailure(op, fmt.Sprintf("the handler answered %d: %v", ans.status, ans.body), nil)
	}
	if c.fault != nil && c.fault.Drop == DropAfter {
		dropConnection(w)
		return
	}
	s.write(w, in, ans)
}

// decodePathParams decodes each path parameter in place, answering 400 when one cannot be. The
// router matches the escaped path and hands the parameters over still percent-encoded: decode each
// exactly once, so that "my%20model" is the deployment "my model" (and "%2541" the name "%41"), for
// validation and handlers alike.
func decodePathParams(w http.ResponseWriter, pathParams map[string]string) bool {
	for name, raw := range pathParams {
		v, err := url.PathUnescape(raw)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, nil, map[string]string{"error": "path parameter " + name + ": " + err.Error()})
			return false
		}
		pathParams[name] = v
	}
	return true
}

// admit lets a routed request in, or answers it: 401 without the server's token, nothing when the
// client goes away during the operation's injected latency, 429 when it is rate limited.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, op string) bool {
	if r.Header.Get("Authorization") != "Token "+s.opts.token {
		writeJSON(w, http.StatusUnauthorized, nil, map[string]string{"error": "Authentication credentials were not provided or are invalid."})
		return false
	}
	if d := s.latencyFor(op); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	if h := s.rateLimited(); h != nil {
		hdr := http.Header{}
		for k, v := range h {
			hdr.Set(k, v)
		}
		writeJSON(w, http.StatusTooManyRequests, hdr, map[string]string{"error": "Request was throttled."})
		return false
	}
	return true
}

// readAndValidate reads the call's body and validates the request against the spec, answering
// 4xx when it is refused. The multipart bodies of the upload operations are left to their
// handlers, which stream them without the state lock (files.go); any other body is read here, up
// to maxJSONBody, and validated (so a multipart body sent to another operation is refused like any
// other).
func (c *call) readAndValidate(so *specOperation) (*openapi3filter.RequestValidationInput, bool) {
	w, r := c.w, c.r
	multipart := so.upload && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	hasBody := r.Body != nil && r.Body != http.NoBody // net/http's server gives NoBody to a request without one
	if !multipart && hasBody {
		var a answer
		var good bool
		if c.body, a, good = readBody(w, r); !good {
			writeJSON(w, a.status, nil, a.body)
			return nil, false
		}
		r.Body = io.NopCloser(bytes.NewReader(c.body))
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: c.path, QueryParams: c.query, Route: so.route, Options: validateOptions}
	if multipart {
		in.Options = validateUploadOptions
	}
	if err := so.validate(r.Context(), in); err != nil {
		writeJSON(w, http.StatusBadRequest, nil, map[string]string{"error": describeValidation(err)})
		return nil, false
	}
	if !multipart && hasBody {
		r.Body = io.NopCloser(bytes.NewReader(c.body))
	}
	return in, true
}

// injectFault takes the fault injected into the call's operation, if any, into c.fault, and
// reports whether it has answered the request instead of the handler: by dropping the connection
// first, or with the fault's status.
func (s *Server) injectFault(c *call) bool {
	fault := s.takeFault(c.op)
	c.fault = fault
	if fault != nil && fault.Drop == DropBefore {
		dropConnection(c.w)
		return true
	}
	if fault != nil && fault.Status != 0 && fault.Drop == NoDrop {
		hdr := http.Header{}
		if fault.RetryAfter > 0 {
			hdr.Set("Retry-After", strconv.Itoa(int((fault.RetryAfter+time.Second-1)/time.Second)))
		}
		writeJSON(c.w, fault.Status, hdr, map[string]string{"error": fmt.Sprintf("injected fault: %d", fault.Status)})
		return true
	}
	return false
}

// write sends an answer, validating it first under WithStrictResponses.
func (s *Server) write(w http.ResponseWriter, in *openapi3filter.RequestValidationInput, ans answer) {
	if ans.streamed {
		return // the handler wrote it as it went
	}
	if ans.file != nil {
		s.writeFile(w, in, ans)
		return
	}
	body := ans.raw
	isJSON := ans.jsonBody()
	if isJSON {
		ans.encodeBody() // done already, unless the answer did not come from runHandler
		if ans.encodeErr != nil {
			msg := s.internalFailure(in.Route.Operation.OperationID, "encoding the answer: "+ans.encodeErr.Error(), nil)
			writeJSON(w, http.StatusInternalServerError, nil, map[string]string{"error": msg})
			return
		}
		body = ans.encoded
	}
	if s.opts.strict && ans.status < 400 {
		header := ans.header.Clone()
		if header == nil {
			header = http.Header{}
		}
		if isJSON {
			header.Set("Content-Type", "application/json")
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: ans.status, Header: header,
			Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
		}
		out.SetBodyBytes(body)
		if err := openapi3filter.ValidateResponse(in.Request.Context(), out); err != nil {
			msg := s.internalFailure(in.Route.Operation.OperationID, "the answer violates the spec: "+err.Error(), nil)
			writeJSON(w, http.StatusInternalServerError, nil, map[string]string{"error": msg})
			return
		}
	}
	wh := w.Header()
	for k, vs := range ans.header {
		wh[k] = vs
	}
	if isJSON {
		wh.Set("Content-Type", "application/json")
	}
	if ans.raw != nil || isJSON {
		// With its length, an answer of any size goes out in one piece rather than chunked.
		wh.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(ans.status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, header http.Header, v any) {
	for k, vs := range header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // HTTP/2 and others: abort the stream
}

// describeValidation turns kin-openapi's report into one line that names each offending parameter
// or body field, like "query parameter limit: number must be at least 1". It switches on the
// concrete type first: errors.As would find a nested list before the error that names the field.
func describeValidation(err error) string {
	switch e := err.(type) {
	case openapi3.MultiError:
		parts := make([]string, 0, len(e))
		for _, sub := range e {
			parts = append(parts, describeValidation(sub))
		}
		return strings.Join(parts, "; ")
	case *openapi3filter.RequestError:
		where := "request"
		switch {
		case e.Parameter != nil:
			where = e.Parameter.In + " parameter " + e.Parameter.Name
		case e.RequestBody != nil:
			where = "request body"
		}
		if e.Err == nil {
			return where + ": " + e.Reason
		}
		return where + describeSchemaError(e.Err)
	case *openapi3.SchemaError:
		return "request" + describeSchemaError(e)
	}
	return firstLine(err.Error())
}

func describeSchemaError(err error) string {
	switch e := err.(type) {
	case openapi3.MultiError:
		parts := make([]string, 0, len(e))
		for _, sub := range e {
			parts = append(parts, describeSchemaError(sub)) // each " field x: why" or ": why"
		}
		return strings.Join(parts, ";")
	case *openapi3.SchemaError:
		if field := strings.Join(e.JSONPointer(), "."); field != "" {
			return " field " + field + ": " + e.Reason
		}
		return ": " + e.Reason
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return describeSchemaError(se)
	}
	return ": " + firstLine(err.Error())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
