package ubiopstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// streamEnv is a strict server with a plain deployment p/plain (version v1) and a structured one
// p/scorer (version v1).
func streamEnv(t *testing.T, opts ...ubiopstest.Option) *rqEnv {
	t.Helper()
	srv := ubiopstest.NewServer(t, append([]ubiopstest.Option{ubiopstest.WithStrictResponses()}, opts...)...)
	e := &rqEnv{srv: srv, c: srv.Client()}
	e.project(t, "p")
	e.deployment(t, "p", "plain", false, "v1")
	e.deployment(t, "p", "scorer", true, "v1")
	return e
}

func collectStream(st *ubiops.RequestStream) ([]string, error) {
	var chunks []string
	for chunk, err := range st.Chunks() {
		if err != nil {
			return chunks, err
		}
		chunks = append(chunks, chunk)
	}
	return chunks, nil
}

// TestStreamArrivesIncrementally: the handler's chunks reach the client in order while the handler
// is still running (it waits until the client has the first before it emits the second), and the
// answer carries the result.
func TestStreamArrivesIncrementally(t *testing.T) {
	e := streamEnv(t)
	received := make(chan string, 4)
	e.srv.HandleDeploymentStream("p", "plain", func(ctx context.Context, in json.RawMessage, emit func(string) error) (any, error) {
		if err := emit("first"); err != nil {
			return nil, err
		}
		select {
		case got := <-received:
			if got != "first" {
				return nil, fmt.Errorf("the client got %q first", got)
			}
		case <-time.After(5 * time.Second):
			return nil, errors.New("the first chunk did not reach the client while the handler ran")
		}
		if err := emit("second"); err != nil {
			return nil, err
		}
		return "first second", nil
	})
	st := e.c.Requests.Stream(context.Background(), "p", "plain", "go", nil)
	var chunks []string
	for chunk, err := range st.Chunks() {
		require.NoError(t, err)
		chunks = append(chunks, chunk)
		received <- chunk
	}
	assert.Equal(t, []string{"first", "second"}, chunks)
	out, err := ubiops.ResultOf[string](st.Response())
	require.NoError(t, err)
	assert.Equal(t, "first second", out)
	assert.Equal(t, 1, e.srv.Count("deployment_requests_stream"))
}

// TestStreamDefaultEcho: without a handler the input comes back in chunks, plain and structured,
// at both levels; the request is listed like a direct request, with its input and result.
func TestStreamDefaultEcho(t *testing.T) {
	e := streamEnv(t)
	ctx := context.Background()
	chunks, err := collectStream(e.c.Requests.Stream(ctx, "p", "plain", "hello streaming world", nil))
	require.NoError(t, err)
	assert.Greater(t, len(chunks), 1, "a few chunks")
	assert.Equal(t, "hello streaming world", strings.Join(chunks, ""))

	st := e.c.Requests.StreamForVersion(ctx, "p", "scorer", "v1", map[string]any{"x": 1.5, "label": "é"}, &ubiops.DeploymentVersionRequestsStreamParams{Timeout: ubiops.Ptr(60)})
	chunks, err = collectStream(st)
	require.NoError(t, err)
	assert.JSONEq(t, `{"x":1.5,"label":"é"}`, strings.Join(chunks, ""))
	type in struct {
		X     float64
		Label string
	}
	got, err := ubiops.ResultOf[in](st.Response())
	require.NoError(t, err)
	assert.Equal(t, in{1.5, "é"}, got)
	assert.Equal(t, 60, val(st.Response().Timeout))

	list, err := e.c.Requests.ListForVersion(ctx, "p", "scorer", "v1", nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, st.Response().ID, list[0].ID)
	assert.Equal(t, ubiops.DeploymentRequestListStatusCompleted, list[0].Status)
	detail, err := e.c.Requests.GetForVersion(ctx, "p", "scorer", "v1", list[0].ID.String(), nil)
	require.NoError(t, err)
	assert.JSONEq(t, `{"x":1.5,"label":"é"}`, string(detail.RequestData))
	all, err := ubiops.Collect(e.c.Requests.AllProject(ctx, "p", ubiops.ProjectRequestsListParamsObjectTypeDeployment, nil))
	require.NoError(t, err)
	assert.Len(t, all, 2, "both streamed requests are in the project's list")
}

// TestStreamFailingHandler: a handler's error fails the request: the client gets a
// *RequestFailedError with its message after the chunks emitted before it.
func TestStreamFailingHandler(t *testing.T) {
	e := streamEnv(t)
	e.srv.HandleDeploymentStream("p", "plain", func(ctx context.Context, in json.RawMessage, emit func(string) error) (any, error) {
		_ = emit("thinking")
		return nil, errors.New("CUDA out of memory")
	})
	st := e.c.Requests.Stream(context.Background(), "p", "plain", "x", nil)
	chunks, err := collectStream(st)
	assert.Equal(t, []string{"thinking"}, chunks)
	var failed *ubiops.RequestFailedError
	require.ErrorAs(t, err, &failed)
	assert.Equal(t, "CUDA out of memory", failed.Message)
	assert.Equal(t, ubiops.DeploymentRequestCreateResponseStatusFailed, st.Response().Status)
}

// TestStreamDroppedConnection: a fault that drops the connection after k chunks gives the client a
// *StreamError after exactly those chunks; the request is recorded as failed and not sent again.
func TestStreamDroppedConnection(t *testing.T) {
	e := streamEnv(t)
	e.srv.InjectFault("deployment_requests_stream", ubiopstest.Fault{DropAfterChunks: 2, Times: 1})
	e.srv.HandleDeploymentStream("p", "plain", func(ctx context.Context, in json.RawMessage, emit func(string) error) (any, error) {
		for i := range 10 {
			if err := emit(fmt.Sprint(i)); err != nil {
				return nil, err
			}
		}
		return "done", nil
	})
	chunks, err := collectStream(e.c.Requests.Stream(context.Background(), "p", "plain", "x", nil))
	assert.Equal(t, []string{"0", "1"}, chunks)
	var se *ubiops.StreamError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 2, se.Chunks)
	assert.Equal(t, 1, e.srv.Received("deployment_requests_stream"), "never resent")

	// The fake records the outcome once the handler has returned, just after the drop.
	rqWait(t, "the dropped stream's request to be failed", func() bool {
		list, err := e.c.Requests.List(context.Background(), "p", "plain", nil)
		require.NoError(t, err)
		require.Len(t, list, 1)
		return list[0].Status == ubiops.DeploymentRequestListStatusFailed
	})
}

// TestStreamBreakEndsHandler: a client that stops after the first chunk closes the connection,
// and the handler's context ends.
func TestStreamBreakEndsHandler(t *testing.T) {
	e := streamEnv(t)
	ended := make(chan error, 1)
	e.srv.HandleDeploymentStream("p", "plain", func(ctx context.Context, in json.RawMessage, emit func(string) error) (any, error) {
		for i := 0; ; i++ {
			if err := emit(fmt.Sprint(i)); err != nil {
				ended <- ctx.Err()
				return nil, err
			}
			select {
			case <-ctx.Done():
				ended <- ctx.Err()
				return nil, ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	for chunk, err := range e.c.Requests.Stream(context.Background(), "p", "plain", "x", nil).Chunks() {
		require.NoError(t, err)
		assert.Equal(t, "0", chunk)
		break
	}
	select {
	case err := <-ended:
		assert.ErrorIs(t, err, context.Canceled, "the handler saw the client go")
	case <-time.After(5 * time.Second):
		t.Fatal("the handler kept streaming after the client left")
	}
}

// TestStreamChunkDelay: the delay knob spaces the chunks out.
func TestStreamChunkDelay(t *testing.T) {
	e := streamEnv(t, ubiopstest.WithStreamChunkDelay(40*time.Millisecond))
	var at []time.Time
	for _, err := range e.c.Requests.Stream(context.Background(), "p", "plain", "abcd", nil).Chunks() {
		require.NoError(t, err)
		at = append(at, time.Now())
	}
	require.Len(t, at, 4)
	for i := 1; i < len(at); i++ {
		assert.GreaterOrEqual(t, at[i].Sub(at[i-1]), 30*time.Millisecond, "chunk %d", i)
	}
}

// TestStreamRefusesBadInput: a structured deployment refuses text/plain, and an unknown
// deployment is a 404, before anything is streamed.
func TestStreamRefusesBadInput(t *testing.T) {
	e := streamEnv(t)
	_, err := collectStream(e.c.Requests.Stream(context.Background(), "p", "scorer", "text", nil))
	assert.ErrorIs(t, err, ubiops.ErrBadRequest)
	_, err = collectStream(e.c.Requests.Stream(context.Background(), "p", "missing", "text", nil))
	assert.ErrorIs(t, err, ubiops.ErrNotFound)
	_, err = collectStream(e.c.Requests.Stream(context.Background(), "p", "plain", "x", &ubiops.DeploymentRequestsStreamParams{Timeout: ubiops.Ptr(0)}))
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, err, &ve)
}
