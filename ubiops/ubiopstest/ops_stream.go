package ubiopstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Streaming requests (deployment_requests_stream, deployment_version_requests_stream).
//
// A streaming request is a direct request whose partial results are written as they are emitted:
// "data:<chunk>" lines, each followed by a blank line, then one line with the full request answer
// (a DeploymentRequestCreateResponse). The request is recorded like a direct one (it shows up in
// the request lists) and runs without the state lock. The handler's context ends when the client
// goes away, when the request's timeout passes, or when the server closes.

// StreamHandler computes a streaming deployment's result, calling emit for each partial result
// (emit returns an error once the client is gone; stop then). The result becomes the request's
// result; an error fails the request with the error's text as error_message.
type StreamHandler func(ctx context.Context, input json.RawMessage, emit func(chunk string) error) (any, error)

// HandleDeploymentStream registers the code that serves the streaming requests of a deployment in
// a project (all its versions). Without one, a streaming request sends its input back in up to
// four chunks (a string input as text, any other input as its JSON) and returns the input. A chunk
// with newlines is written as one "data:" line per line, as server-sent events carry multi-line
// data, so a client reading lines sees one partial result per line.
func (s *Server) HandleDeploymentStream(project, deployment string, h StreamHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.streamHandlers[project+"/"+deployment] = h
}

// WithStreamChunkDelay waits d before writing each chunk of a streaming request, so that tests can
// watch chunks arrive one by one.
func WithStreamChunkDelay(d time.Duration) Option { return func(o *options) { o.chunkDelay = d } }

const defaultStreamTimeout = 3600 // seconds, the official client's default for streams

func (c *call) streamRequest(versioned bool) answer {
	sc, r, a, good := c.startDirect(versioned, defaultStreamTimeout)
	if !good {
		return a
	}
	input, timeout := r.input, r.timeout
	h := c.st().streamHandlers[sc.p.detail.Name+"/"+sc.d.detail.Name]
	if h == nil {
		h = echoStream
	}
	w := c.w
	var result json.RawMessage
	var errMsg string
	c.unlocked(func() {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		result, errMsg = c.runStream(h, input, timeout)
	})
	r.running = false
	status := reqCompleted
	if errMsg != "" {
		status = reqFailed
	}
	c.finishRequest(sc.p, r, status, result, errMsg, c.now())
	line, err := json.Marshal(createResponse(r))
	if err == nil && c.s.opts.strict {
		err = c.s.api.checkSchema("DeploymentRequestCreateResponse", line)
	}
	if err != nil {
		c.s.internalFailure(c.op, "the stream's answer violates the spec: "+err.Error(), nil)
		return answer{streamed: true}
	}
	if !c.dropped {
		c.unlocked(func() {
			_, _ = w.Write(append(line, '\n'))
			flush(w)
		})
	}
	return answer{streamed: true}
}

// runStream runs a stream handler outside the lock, writing each chunk as it is emitted.
func (c *call) runStream(h StreamHandler, input json.RawMessage, timeout int) (json.RawMessage, string) {
	ctx, cancel := context.WithTimeout(c.r.Context(), time.Duration(timeout)*time.Second)
	defer cancel()
	stop := context.AfterFunc(c.s.closeCtx, cancel)
	defer stop()
	out, err := callStreamHandler(ctx, h, input, c.streamEmitter(ctx, cancel))
	switch {
	case c.dropped:
		return nil, "The connection to the client was lost"
	case c.s.closeCtx.Err() != nil:
		return nil, "The request was aborted: the server is shutting down"
	case c.r.Context().Err() != nil:
		return nil, "The client closed the stream"
	case ctx.Err() != nil:
		return nil, fmt.Sprintf("Timeout of %d seconds exceeded", timeout)
	case err != nil:
		if msg := err.Error(); msg != "" {
			return nil, msg
		}
		return nil, "The deployment failed"
	}
	b, err := encodeResult(out)
	if err != nil {
		return nil, "The deployment's result is not valid JSON: " + err.Error()
	}
	return b, ""
}

// streamEmitter is the emit function a stream handler is given: it waits the chunk delay, writes
// the chunk, and drops the connection (and cancels ctx) after the chunks an injected fault allows.
func (c *call) streamEmitter(ctx context.Context, cancel context.CancelFunc) func(string) error {
	sent := 0
	return func(chunk string) error {
		if c.dropped {
			return errors.New("ubiopstest: the connection was dropped")
		}
		if d := c.s.opts.chunkDelay; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeChunk(c.w, chunk); err != nil {
			return err
		}
		sent++
		if c.fault != nil && c.fault.DropAfterChunks > 0 && sent >= c.fault.DropAfterChunks {
			c.dropped = true
			dropConnection(c.w)
			cancel()
		}
		return nil
	}
}

// writeChunk writes a chunk as one data line per line of it (as server-sent events carry
// multi-line data) and a blank line, and flushes it.
func writeChunk(w http.ResponseWriter, chunk string) error {
	for _, line := range strings.Split(chunk, "\n") {
		if _, err := fmt.Fprintf(w, "data:%s\n", line); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	flush(w)
	return nil
}

// callStreamHandler runs a stream handler on a copy of the input, turning a panic into an error.
func callStreamHandler(ctx context.Context, h StreamHandler, input json.RawMessage, emit func(string) error) (out any, err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("the deployment panicked: %v", rec)
		}
	}()
	return h(ctx, append(json.RawMessage(nil), input...), emit)
}

// echoStream is the default stream handler: the input back in up to four chunks.
func echoStream(ctx context.Context, input json.RawMessage, emit func(string) error) (any, error) {
	text := string(input)
	var s string
	if json.Unmarshal(input, &s) == nil {
		text = s
	}
	for _, part := range splitText(text, 4) {
		if err := emit(part); err != nil {
			return nil, err
		}
	}
	return input, nil
}

// splitText cuts s into at most n pieces of about equal length, on rune boundaries.
func splitText(s string, n int) []string {
	size := max(1, (len(s)+n-1)/n)
	var out []string
	for len(s) > 0 {
		end := min(len(s), size)
		for end < len(s) && !utf8.RuneStart(s[end]) {
			end++
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

func flush(w http.ResponseWriter) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
