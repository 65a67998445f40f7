package ubiopstest

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"testing"
)

// Internal failures: answers that are the fake's own fault, not the client's. A handler that
// panics, an answer with a 5xx status that was not injected with InjectFault (but for a 503 while
// the server shuts down), an operation without a handler (501), an answer that cannot be encoded or
// (under WithStrictResponses) violates the spec. Each is answered as 5xx with a message naming the
// operation, and recorded; NewServer fails its test with them when the test ends, so a defect of
// the fake shows up as a failing test instead of a client retrying a 500 or a test hanging.

// failures is the record of a server's internal failures.
type failures struct {
	mu   sync.Mutex
	list []string // each: the message answered, then the stack of a panic
}

// internalFailure records an internal failure of op ("" before the request was routed) and returns
// the message to answer with. stack is the panic's stack, or nil.
func (s *Server) internalFailure(op, what string, stack []byte) string {
	if op == "" {
		op = "(routing)"
	}
	msg := fmt.Sprintf("ubiopstest: internal error in %s: %s", op, what)
	entry := msg
	if len(stack) > 0 {
		entry += "\n" + string(stack)
	}
	s.failures.mu.Lock()
	s.failures.list = append(s.failures.list, entry)
	s.failures.mu.Unlock()
	return msg
}

// InternalFailures returns the server's internal failures so far: handlers that panicked and
// answers of status 5xx that were not injected (see InjectFault) nor a 503 while shutting down,
// including answers that could not be encoded or that broke the spec under WithStrictResponses.
// Each names its operation; a panic's comes with its stack. NewServer fails its test when there are
// any; a server made with New is checked with this.
func (s *Server) InternalFailures() []string {
	s.failures.mu.Lock()
	defer s.failures.mu.Unlock()
	return append([]string(nil), s.failures.list...)
}

// reportFailures fails t with every internal failure of the server.
func (s *Server) reportFailures(t testing.TB) {
	t.Helper()
	for _, f := range s.InternalFailures() {
		t.Errorf("%s", f)
	}
}

// runHandler runs an operation's handler with the state lock held, and encodes its answer before
// the lock is released (the answer may share maps and slices with the state). The lock is released
// however the handler ends: a panic goes on to serveHTTP, which answers it as an internal failure.
func (s *Server) runHandler(c *call, h handlerFunc) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.testHookHandler != nil {
		if a, answered := s.testHookHandler(c); answered {
			a.encodeBody()
			return a
		}
	}
	a := h(c)
	a.encodeBody()
	return a
}

// recoverInternal, deferred by serveHTTP, turns a panic while serving a request into a 500 answer
// naming the operation (*op, once routed) and the panic value, and records it.
// http.ErrAbortHandler (a deliberately dropped connection) goes on.
func (s *Server) recoverInternal(w http.ResponseWriter, op *string) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	msg := s.internalFailure(*op, fmt.Sprintf("panic: %v", v), debug.Stack())
	writeJSON(w, http.StatusInternalServerError, nil, map[string]string{"error": msg})
}
