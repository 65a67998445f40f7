package ubiops

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"

	"github.com/ubiops/ubiops-go/gen"
)

// maxStreamLine bounds one line of a streamed answer: a partial result, or the full request answer
// that ends the stream (which carries the whole result). Memory for a stream is bounded by it,
// whatever the server sends.
const maxStreamLine = 16 << 20

// ErrStreamBroken is matched by errors.Is for every *StreamError.
var ErrStreamBroken = errors.New("ubiops: request stream broken")

// ErrStreamLineTooLong is the cause in a *StreamError when a line of the stream is longer than
// 16 MiB.
var ErrStreamLineTooLong = errors.New("stream line longer than 16 MiB")

// StreamError reports a stream that broke after it started: the connection was lost, a line was
// too long, or the server sent something that is not the documented format. Chunks is the number
// of partial results already yielded.
type StreamError struct {
	Method, Path string
	Chunks       int
	Err          error
}

// Error names the call, how far the stream got and why it broke.
func (e *StreamError) Error() string {
	return safeText(fmt.Sprintf("ubiops: %s %s: request stream broken after %d chunks: %v", e.Method, e.Path, e.Chunks, e.Err))
}

// Unwrap returns the cause (io.ErrUnexpectedEOF, a network error, a context error, ...).
func (e *StreamError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrStreamBroken) hold.
func (e *StreamError) Is(target error) bool { return target == ErrStreamBroken }

// RequestStream is a streaming direct request (deployment_requests_stream,
// deployment_version_requests_stream): the deployment's partial results as it produces them, then
// the full request answer. Nothing is sent until Chunks is ranged over; a stream can be read once.
type RequestStream struct {
	c    *Client
	ctx  context.Context
	opts []CallOption
	call rawCall
	err  error // a validation error found before sending

	started bool
	answer  *DeploymentRequestCreateResponse
}

// Stream makes a streaming request to a deployment's default version (deployment_requests_stream).
// The input is as for Create (a Go string is sent as text/plain); params may be nil (its Timeout
// is 1 to 3600 seconds, 3600 by default). Range over Chunks to send it and read the partial
// results; Response then holds the full answer, for ResultOf.
//
// A stream is not idempotent: once sent it is never sent again (only a connection that could not
// be opened is retried). It uses the client's transport, token, middleware and retry policy like
// every other call.
func (s *RequestsService) Stream(ctx context.Context, project, deployment string, input any, params *DeploymentRequestsStreamParams, opts ...CallOption) *RequestStream {
	st := &RequestStream{c: s.c, ctx: ctx, opts: opts}
	if st.err = checkPath("project_name", project, "deployment_name", deployment); st.err == nil && params != nil {
		st.err = checkTimeout(params.Timeout, maxDirectTimeout)
	}
	if text, ok := input.(string); ok {
		st.call = call4(s.c.raw.DeploymentRequestsStreamWithTextBody, project, deployment, params, text)
	} else {
		st.call = call4(s.c.raw.DeploymentRequestsStream, project, deployment, params, input)
	}
	return st
}

// StreamForVersion is Stream for one version of a deployment (deployment_version_requests_stream).
func (s *RequestsService) StreamForVersion(ctx context.Context, project, deployment, version string, input any, params *DeploymentVersionRequestsStreamParams, opts ...CallOption) *RequestStream {
	st := &RequestStream{c: s.c, ctx: ctx, opts: opts}
	if st.err = checkPath("project_name", project, "deployment_name", deployment, "version", version); st.err == nil && params != nil {
		st.err = checkTimeout(params.Timeout, maxDirectTimeout)
	}
	if text, ok := input.(string); ok {
		st.call = call5(s.c.raw.DeploymentVersionRequestsStreamWithTextBody, project, deployment, version, params, text)
	} else {
		st.call = call5(s.c.raw.DeploymentVersionRequestsStream, project, deployment, version, params, input)
	}
	return st
}

// Response is the full request answer that ended the stream, with the whole result (use
// ResultOf to decode it); nil until Chunks has read it, and if the stream broke before it came.
func (st *RequestStream) Response() *DeploymentRequestCreateResponse { return st.answer }

// Chunks sends the request and yields each partial result as the server sends it (the text of a
// "data:" line after the prefix, unchanged), as soon as it arrives. The sequence ends after the
// full answer, with nothing more if the request completed, or with one error:
//   - *RequestFailedError (errors.Is ErrRequestFailed) if the deployment failed the request;
//   - *StreamError (errors.Is ErrStreamBroken) if the stream broke after it started, after the
//     chunks already yielded (a context error is its cause when the context ended);
//   - the error of any other call (*APIError, *RequestError, *ValidationError) if it never started.
//
// Stopping the range early closes the connection at once. A second range yields an error.
func (st *RequestStream) Chunks() iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if st.err != nil {
			yield("", st.err)
			return
		}
		if st.started {
			yield("", errors.New("ubiops: a request stream can be read once"))
			return
		}
		st.started = true
		opts := append([]CallOption{withDialRetryOnly(), WithHeader("Accept", "text/event-stream")}, st.opts...)
		resp, err := st.c.send(st.ctx, opts, st.call)
		if err != nil {
			yield("", err)
			return
		}
		defer resp.Body.Close() // before the end of the stream, this closes the connection
		st.read(resp, yield)
	}
}

// read parses the line stream of resp and yields its chunks, then the outcome.
func (st *RequestStream) read(resp *http.Response, yield func(string, error) bool) {
	r := bufio.NewReaderSize(resp.Body, 64<<10)
	broken := func(n int, err error) {
		if ctxErr := st.ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		yield("", &StreamError{Method: resp.Request.Method, Path: resp.Request.URL.EscapedPath(), Chunks: n, Err: err})
	}
	for n := 0; ; {
		line, err := readLine(r, maxStreamLine)
		if err != nil {
			if err == io.EOF {
				err = fmt.Errorf("the stream ended without the request's answer: %w", io.ErrUnexpectedEOF)
			}
			broken(n, err)
			return
		}
		switch {
		case len(line) == 0, bytes.HasPrefix(line, []byte("event:")), bytes.HasPrefix(line, []byte("update:")):
			continue
		case bytes.HasPrefix(line, []byte("data:")):
			n++
			if !yield(string(line[len("data:"):]), nil) {
				return
			}
			continue
		}
		var answer DeploymentRequestCreateResponse
		if err := json.Unmarshal(line, &answer); err != nil {
			broken(n, fmt.Errorf("a line that is no chunk and no request answer: %w", err))
			return
		}
		st.answer = &answer
		if msg := Value(answer.ErrorMessage); msg != "" || answer.Status == gen.DeploymentRequestCreateResponseStatusFailed {
			yield("", &RequestFailedError{ID: answer.ID, Status: string(answer.Status), Message: msg})
		}
		return
	}
}

// readLine reads one line without its "\n" or "\r\n", refusing lines longer than max bytes. The
// returned slice is valid until the next read.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(long) > max {
				return nil, ErrStreamLineTooLong
			}
			line, err = r.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err == io.EOF && len(line) > 0 {
		err = fmt.Errorf("the stream ended inside a line: %w", io.ErrUnexpectedEOF)
	}
	if err != nil {
		return nil, err
	}
	if len(line) > max+2 {
		return nil, ErrStreamLineTooLong
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
	return line, nil
}
