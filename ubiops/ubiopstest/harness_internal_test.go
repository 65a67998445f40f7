package ubiopstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The internal tests' harness: requests served straight by Server.Handler, each within a time
// limit, so that a hang (a lock never released) or a panic that escapes the handler fails the test
// instead of stopping the suite.

// requestTimeout bounds one request to the fake; every operation answers in far less.
const requestTimeout = 10 * time.Second

// serve sends one request to the server's handler with the server's token.
func serve(t testing.TB, s *Server, method, target, contentType string, body []byte) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Header.Set("Authorization", "Token "+s.Token())
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return serveRequest(t, s, req)
}

// serveJSON is serve with a JSON body (nil: none), failing the test unless the answer has status
// want; it returns the answer's body.
func serveJSON(t testing.TB, s *Server, want int, method, target string, body any) []byte {
	t.Helper()
	var raw []byte
	ct := ""
	if body != nil {
		var err error
		raw, err = json.Marshal(body)
		require.NoError(t, err)
		ct = "application/json"
	}
	status, answer := serve(t, s, method, target, ct, raw)
	require.Equal(t, want, status, "%s %s: %s", method, target, answer)
	return answer
}

// serveRequest serves req and returns the status and body of the answer. It fails the test if no
// answer comes within requestTimeout or if a panic escapes the handler.
func serveRequest(t testing.TB, s *Server, req *http.Request) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		s.Handler().ServeHTTP(rec, req)
	}()
	timer := time.NewTimer(requestTimeout)
	defer timer.Stop()
	select {
	case p := <-done:
		if p != nil {
			t.Fatalf("%s %s: a panic escaped the handler: %v", req.Method, req.URL.RequestURI(), p)
		}
	case <-timer.C:
		t.Fatalf("%s %s: no answer within %s (is the state lock held?)", req.Method, req.URL.RequestURI(), requestTimeout)
	}
	s.mu.Lock()
	err := s.state.checkIndexes()
	s.mu.Unlock()
	if err != nil {
		t.Fatalf("%s %s: the name indexes no longer match the state: %v", req.Method, req.URL.RequestURI(), err)
	}
	return rec.Code, rec.Body.Bytes()
}

// opPath returns the method and path (under /v2.1) of an operation, its path parameters filled
// from params and escaped as a client escapes them. It fails the test if the spec has no such
// operation or params lacks one of its parameters.
func opPath(t testing.TB, op string, params map[string]string) (string, string) {
	t.Helper()
	r, err := newSpecRouter()
	require.NoError(t, err)
	for tpl, item := range r.doc.Paths.Map() {
		for method, o := range item.Operations() {
			if o.OperationID != op {
				continue
			}
			path, err := fillTemplate(tpl, params)
			require.NoError(t, err, op)
			return method, "/v2.1" + path
		}
	}
	t.Fatalf("no operation %s in the spec", op)
	return "", ""
}

// fillTemplate fills a path template's parameters from params, escaping each value.
func fillTemplate(tpl string, params map[string]string) (string, error) {
	var b strings.Builder
	for rest := tpl; rest != ""; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("template %s: unclosed {", tpl)
		}
		name := rest[i+1 : i+j]
		v, ok := params[name]
		if !ok {
			return "", fmt.Errorf("template %s: no value for %s", tpl, name)
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(v))
		rest = rest[i+j+1:]
	}
	return b.String(), nil
}

// templateParams lists a path template's parameters in order.
func templateParams(tpl string) []string {
	var out []string
	for _, seg := range strings.Split(tpl, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// specTemplates returns the spec's path templates, sorted.
func specTemplates(t testing.TB) []string {
	t.Helper()
	r, err := newSpecRouter()
	require.NoError(t, err)
	out := make([]string, 0, r.doc.Paths.Len())
	for tpl := range r.doc.Paths.Map() {
		out = append(out, tpl)
	}
	sort.Strings(out)
	return out
}

// fakeTB is a testing.TB that keeps what NewServer reports and the cleanups it registers, so a test
// can observe them; everything else goes to the real test.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Error(args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprint(args...))
}

// finish runs the cleanups, last registered first, as the testing package does at the end of a
// test, and returns what was reported.
func (f *fakeTB) finish() []string {
	f.mu.Lock()
	cleanups := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.errors...)
}
