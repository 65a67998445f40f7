package ubiopstest

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Drop says when an injected fault closes the connection without an answer.
type Drop int

const (
	// NoDrop answers normally (with Fault.Status, if set).
	NoDrop Drop = iota
	// DropBefore closes the connection before the operation runs: nothing changes on the server.
	DropBefore
	// DropAfter runs the operation (its effect is kept) and then closes the connection, as when a
	// network fails on the way back: the client cannot know the request succeeded.
	DropAfter
)

// Fault is a failure injected into an operation.
type Fault struct {
	// Status answers with this status (and an error body) instead of running the operation.
	Status int
	// RetryAfter, with Status, sets the Retry-After header (whole seconds).
	RetryAfter time.Duration
	// Drop closes the connection instead of answering; see DropBefore and DropAfter.
	Drop Drop
	// Times is how many matching requests the fault applies to; 0 means all of them.
	Times int
	// Skip lets that many matching requests through before the fault applies, so a fault can
	// target the k-th call: Skip: k-1, Times: 1. While it skips, later faults of the same
	// operation wait their turn.
	Skip int
	// DropAfterChunks, for a streaming request, closes the connection right after that many
	// chunks were written (the request then fails: the client is gone).
	DropAfterChunks int
}

type knobs struct {
	mu        sync.Mutex
	latency   map[string]time.Duration
	faults    map[string][]*Fault
	ran       map[string]int // operations that ran (changed or read state)
	received  map[string]int // requests routed to each operation, including refused ones
	rateStart time.Time
	rateCount int
}

func (k *knobs) init() {
	k.latency = map[string]time.Duration{}
	k.faults = map[string][]*Fault{}
	k.ran = map[string]int{}
	k.received = map[string]int{}
}

// SetLatency delays every answer of one operation (by operationId, such as OpDeploymentsList) by
// d, on top of WithLatency. It panics on an operation id the fake does not serve.
func (s *Server) SetLatency(operationID string, d time.Duration) {
	mustKnow("SetLatency", operationID, false)
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.latency[operationID] = d
}

// InjectFault makes an operation (by operationId, one of the Op… constants, or "*" for every
// operation) fail as f says. Faults apply in the order injected, each for f.Times requests after
// skipping f.Skip. It panics on an operation id the fake does not serve, so that a typo fails the
// test that made it instead of silently injecting nothing.
func (s *Server) InjectFault(operationID string, f Fault) {
	mustKnow("InjectFault", operationID, true)
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	fc := f
	s.knobs.faults[operationID] = append(s.knobs.faults[operationID], &fc)
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.faults = map[string][]*Fault{}
}

// Count returns how many times an operation ran, that is, passed authentication, validation,
// rate limiting and faults and reached the state. A DropAfter fault's request counts. It panics on
// an operation id the fake does not serve.
func (s *Server) Count(operationID string) int {
	mustKnow("Count", operationID, false)
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.knobs.ran[operationID]
}

// Received returns how many requests were routed to an operation, whatever became of them. It
// panics on an operation id the fake does not serve.
func (s *Server) Received(operationID string) int {
	mustKnow("Received", operationID, false)
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.knobs.received[operationID]
}

// ResetCounts sets every counter back to zero.
func (s *Server) ResetCounts() {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	s.knobs.ran = map[string]int{}
	s.knobs.received = map[string]int{}
}

func (s *Server) latencyFor(op string) time.Duration {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	return s.opts.latency + s.knobs.latency[op]
}

// knownOperations is every operation id the fake serves.
var knownOperations = func() map[string]bool {
	m := make(map[string]bool, len(operationConstants))
	for _, id := range operationConstants {
		m[id] = true
	}
	return m
}()

// mustKnow panics when id is not an operation the fake serves ("*" allowed where wildcard).
func mustKnow(method, id string, wildcard bool) {
	if knownOperations[id] || (wildcard && id == "*") {
		return
	}
	panic(fmt.Sprintf("ubiopstest: %s: %q is not an operation id of the fake (use the Op… constants, such as OpDeploymentsList)", method, id))
}

// takeFault returns the fault that applies to the next request of op, if any, using it up.
func (s *Server) takeFault(op string) *Fault {
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	for _, key := range []string{op, "*"} {
		list := s.knobs.faults[key]
		for len(list) > 0 {
			f := list[0]
			if f.Skip > 0 {
				f.Skip--
				return nil
			}
			if f.Times == 0 {
				return f
			}
			f.Times--
			if f.Times == 0 {
				list = list[1:]
			}
			s.knobs.faults[key] = list
			return f
		}
	}
	return nil
}

func (s *Server) countReceived(op string) {
	s.knobs.mu.Lock()
	s.knobs.received[op]++
	s.knobs.mu.Unlock()
}

func (s *Server) countRan(op string) {
	s.knobs.mu.Lock()
	s.knobs.ran[op]++
	s.knobs.mu.Unlock()
}

// rateLimited applies WithRateLimit; it returns the headers of a 429 when the request is over the
// limit, nil when it may proceed.
func (s *Server) rateLimited() map[string]string {
	if s.opts.rateLimit <= 0 {
		return nil
	}
	s.knobs.mu.Lock()
	defer s.knobs.mu.Unlock()
	now := s.now()
	if now.Sub(s.knobs.rateStart) >= s.opts.rateWindow {
		s.knobs.rateStart, s.knobs.rateCount = now, 0
	}
	s.knobs.rateCount++
	if s.knobs.rateCount <= s.opts.rateLimit {
		return nil
	}
	reset := s.knobs.rateStart.Add(s.opts.rateWindow).Sub(now)
	secs := int((reset + time.Second - 1) / time.Second)
	return map[string]string{
		"x-ratelimit-limit":     strconv.Itoa(s.opts.rateLimit),
		"x-ratelimit-remaining": "0",
		"x-ratelimit-reset":     strconv.Itoa(secs),
	}
}
