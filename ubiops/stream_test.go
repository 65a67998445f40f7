package ubiops_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

const streamAnswer = `{"id":"85ae32a7-fe3a-4a55-be27-9db88ae68501","deployment":"d","version":"v","status":"completed","success":true,"result":"Hello world","error_message":null,"timeout":3600}`

// streamServer serves the stream endpoints with script, counting the requests it received.
func streamServer(t *testing.T, script func(w http.ResponseWriter, r *http.Request, flush func())) (*ubiops.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if !strings.HasSuffix(r.URL.Path, "/requests/stream") || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		f := w.(http.Flusher)
		script(w, r, f.Flush)
	}))
	t.Cleanup(srv.Close)
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("stream-test"))
	require.NoError(t, err)
	t.Cleanup(func() { c.HTTPClient().CloseIdleConnections() })
	return c, &n
}

type streamOutcome struct {
	chunks []string
	err    error
}

func readStream(st *ubiops.RequestStream) streamOutcome {
	var out streamOutcome
	for chunk, err := range st.Chunks() {
		if err != nil {
			out.err = err
			break
		}
		out.chunks = append(out.chunks, chunk)
	}
	return out
}

// TestStreamChunksArriveIncrementally: each chunk is yielded while the server is still writing
// the rest (the server waits for the client to have the first chunk before it sends the second),
// in order; event, update and blank lines are skipped; the answer decodes with ResultOf.
func TestStreamChunksArriveIncrementally(t *testing.T) {
	got := make(chan string, 8)
	c, n := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {
		assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		body, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"prompt":"hi"}`, string(body))
		assert.Equal(t, "120", r.URL.Query().Get("timeout"))
		fmt.Fprint(w, "event: start\ndata:Hello\n\n")
		flush()
		select {
		case c := <-got:
			assert.Equal(t, "Hello", c, "the first chunk reached the caller before the second was written")
		case <-time.After(5 * time.Second):
			t.Error("the first chunk was not yielded while the stream was open")
		}
		fmt.Fprint(w, "update: progress\r\ndata: world\r\n\r\n"+streamAnswer+"\n")
	})
	st := c.Requests.Stream(context.Background(), "p", "d", map[string]string{"prompt": "hi"}, &ubiops.DeploymentRequestsStreamParams{Timeout: ubiops.Ptr(120)})
	assert.Nil(t, st.Response(), "nothing before the stream is read")
	var chunks []string
	for chunk, err := range st.Chunks() {
		require.NoError(t, err)
		chunks = append(chunks, chunk)
		got <- chunk
	}
	assert.Equal(t, []string{"Hello", " world"}, chunks, "the text after data:, unchanged")
	require.NotNil(t, st.Response())
	out, err := ubiops.ResultOf[string](st.Response())
	require.NoError(t, err)
	assert.Equal(t, "Hello world", out)
	assert.EqualValues(t, 1, n.Load())

	// A stream is read once.
	for _, err := range st.Chunks() {
		assert.ErrorContains(t, err, "read once")
	}
	assert.EqualValues(t, 1, n.Load(), "reading again sends nothing")
}

// TestStreamPlainInputForVersion: a Go string is sent as text/plain, to the version's endpoint.
func TestStreamPlainInputForVersion(t *testing.T) {
	c, _ := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {
		assert.Equal(t, "/v2.1/projects/p/deployments/d/versions/v2/requests/stream", r.URL.Path)
		assert.Equal(t, "text/plain", r.Header.Get("Content-Type"))
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "data:%s\n\n%s\n", body, streamAnswer)
	})
	out := readStream(c.Requests.StreamForVersion(context.Background(), "p", "d", "v2", "raw text", nil))
	require.NoError(t, out.err)
	assert.Equal(t, []string{"raw text"}, out.chunks)
}

// TestStreamFailedRequest: an answer with an error_message ends the stream with a
// *RequestFailedError carrying it, after the chunks; Response holds the answer.
func TestStreamFailedRequest(t *testing.T) {
	c, _ := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {
		fmt.Fprint(w, "data:partial\n\n")
		fmt.Fprint(w, `{"id":"85ae32a7-fe3a-4a55-be27-9db88ae68501","status":"failed","success":false,"result":null,"error_message":"CUDA out of memory","deployment":"d","version":"v","timeout":3600}`+"\n")
	})
	st := c.Requests.Stream(context.Background(), "p", "d", map[string]int{"x": 1}, nil)
	out := readStream(st)
	assert.Equal(t, []string{"partial"}, out.chunks)
	var failed *ubiops.RequestFailedError
	require.ErrorAs(t, out.err, &failed)
	assert.True(t, errors.Is(out.err, ubiops.ErrRequestFailed))
	assert.Equal(t, "CUDA out of memory", failed.Message)
	require.NotNil(t, st.Response())
	_, err := ubiops.ResultOf[string](st.Response())
	assert.ErrorAs(t, err, &failed)
}

// TestStreamBroken: a stream that breaks is a *StreamError after the chunks already yielded,
// whatever broke it; the request is never sent again.
func TestStreamBroken(t *testing.T) {
	cases := map[string]struct {
		script func(w http.ResponseWriter, flush func())
		chunks int
		cause  error
	}{
		"connection lost": {func(w http.ResponseWriter, flush func()) {
			fmt.Fprint(w, "data:a\n\ndata:b\n\n")
			flush()
			panic(http.ErrAbortHandler) // drops the connection mid-stream
		}, 2, nil},
		"ends without an answer": {func(w http.ResponseWriter, flush func()) {
			fmt.Fprint(w, "data:a\n\n")
		}, 1, io.ErrUnexpectedEOF},
		"ends inside a line": {func(w http.ResponseWriter, flush func()) {
			fmt.Fprint(w, "data:a\n\ndata:b")
		}, 1, io.ErrUnexpectedEOF},
		"garbage": {func(w http.ResponseWriter, flush func()) {
			fmt.Fprint(w, "data:a\n\n<html>proxy login</html>\n")
		}, 1, nil},
		"a line over the bound": {func(w http.ResponseWriter, flush func()) {
			fmt.Fprint(w, "data:a\n\ndata:")
			chunk := strings.Repeat("x", 1<<20)
			for range 17 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
			fmt.Fprint(w, "\n")
		}, 1, ubiops.ErrStreamLineTooLong},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, n := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) { tc.script(w, flush) })
			out := readStream(c.Requests.Stream(context.Background(), "p", "d", "in", nil))
			assert.Len(t, out.chunks, tc.chunks)
			var se *ubiops.StreamError
			require.ErrorAs(t, out.err, &se)
			assert.True(t, errors.Is(out.err, ubiops.ErrStreamBroken))
			assert.Equal(t, tc.chunks, se.Chunks)
			assert.Equal(t, "/v2.1/projects/p/deployments/d/requests/stream", se.Path)
			if tc.cause != nil {
				assert.ErrorIs(t, out.err, tc.cause)
			}
			assert.EqualValues(t, 1, n.Load(), "a stream is never sent twice")
		})
	}
}

// TestStreamBreakClosesConnection: leaving the range after the first chunk closes the connection
// at once (the server sees its request end while it is still streaming).
func TestStreamBreakClosesConnection(t *testing.T) {
	ended := make(chan struct{})
	c, _ := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {
		defer close(ended)
		for i := 0; ; i++ {
			if _, err := fmt.Fprintf(w, "data:%d\n\n", i); err != nil {
				return
			}
			flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	for chunk, err := range c.Requests.Stream(context.Background(), "p", "d", "in", nil).Chunks() {
		require.NoError(t, err)
		assert.Equal(t, "0", chunk)
		break
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the server kept streaming after the caller stopped")
	}
}

// TestStreamCancel: ending the context mid-stream ends the range promptly with a *StreamError
// whose cause is the context's error.
func TestStreamCancel(t *testing.T) {
	c, _ := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {
		fmt.Fprint(w, "data:first\n\n")
		flush()
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var chunks []string
	var last error
	start := time.Now()
	for chunk, err := range c.Requests.Stream(ctx, "p", "d", "in", nil).Chunks() {
		if err != nil {
			last = err
			break
		}
		chunks = append(chunks, chunk)
		cancel()
	}
	assert.Equal(t, []string{"first"}, chunks)
	assert.ErrorIs(t, last, context.Canceled)
	assert.ErrorIs(t, last, ubiops.ErrStreamBroken)
	assert.Less(t, time.Since(start), 5*time.Second)
}

// TestStreamRefusedBeforeSending: bad arguments and API errors come before any chunk.
func TestStreamRefusedBeforeSending(t *testing.T) {
	c, n := streamServer(t, func(w http.ResponseWriter, r *http.Request, flush func()) {})
	out := readStream(c.Requests.Stream(context.Background(), "p", "..", "in", nil))
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, out.err, &ve)
	out = readStream(c.Requests.Stream(context.Background(), "p", "d", "in", &ubiops.DeploymentRequestsStreamParams{Timeout: ubiops.Ptr(3601)}))
	assert.ErrorAs(t, out.err, &ve)
	assert.Zero(t, n.Load())

	missing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Deployment not found"}`)
	}))
	defer missing.Close()
	c2, err := ubiops.NewClient(ubiops.WithBaseURL(missing.URL), ubiops.WithToken("stream-test"))
	require.NoError(t, err)
	defer c2.HTTPClient().CloseIdleConnections()
	out = readStream(c2.Requests.Stream(context.Background(), "p", "d", "in", nil))
	assert.Empty(t, out.chunks)
	assert.ErrorIs(t, out.err, ubiops.ErrNotFound)
}
