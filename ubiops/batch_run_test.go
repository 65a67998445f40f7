package ubiops_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

type runIn struct {
	I int `json:"i"`
}

type runOut struct {
	I int `json:"i"`
}

var fastWait = ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond})

// TestRunBatch: typed inputs in, one typed outcome per input out, in input order; a request the
// deployment fails is a request_failed outcome with its message, and the others still decode.
func TestRunBatch(t *testing.T) {
	srv, c := setupVersion(t)
	srv.HandleDeployment("p", "d", func(_ context.Context, input json.RawMessage) (any, error) {
		var in runIn
		if err := json.Unmarshal(input, &in); err != nil {
			return nil, err
		}
		if in.I%100 == 7 {
			return nil, errors.New("seven is not served")
		}
		return runOut{I: in.I * 2}, nil
	})
	inputs := make([]runIn, 600)
	for i := range inputs {
		inputs[i] = runIn{I: i}
	}
	outcomes, err := ubiops.RunBatch[runIn, runOut](context.Background(), c.Requests, "p", "d", inputs, fastWait)
	require.NoError(t, err)
	require.Len(t, outcomes, len(inputs))
	for i, o := range outcomes {
		assert.Equal(t, i, o.Index)
		require.NotNil(t, o.Request, "input %d", i)
		if i%100 == 7 {
			assert.Equal(t, ubiops.BatchRequestFailed, o.State)
			var rf *ubiops.RequestFailedError
			require.ErrorAs(t, o.Err, &rf)
			assert.Equal(t, "seven is not served", rf.Message)
			continue
		}
		assert.Equal(t, ubiops.BatchCompleted, o.State, "input %d", i)
		assert.NoError(t, o.Err)
		assert.Equal(t, runOut{I: 2 * i}, o.Output)
	}
}

// TestRunBatchKeepsCreationStates: a chunk the API refuses is not_created, a chunk whose answer is
// lost is unknown (and never resent), the rest complete; the error is the creation's *BatchError.
func TestRunBatchKeepsCreationStates(t *testing.T) {
	srv, c := setupVersion(t)
	op := "batch_deployment_requests_create"
	srv.InjectFault(op, ubiopstest.Fault{Status: http.StatusBadRequest, Times: 1})
	inputs := make([]runIn, 30)
	for i := range inputs {
		inputs[i] = runIn{I: i}
	}
	opts := []ubiops.CallOption{fastWait, ubiops.WithNoRetry(), ubiops.WithBatchOptions(ubiops.BatchOptions{ChunkSize: 10, Concurrency: 1})}
	outcomes, err := ubiops.RunBatch[runIn, runOut](context.Background(), c.Requests, "p", "d", inputs, opts...)
	var be *ubiops.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 3, srv.Received(op), "three chunks, each sent once")
	for i, o := range outcomes {
		if i < 10 {
			assert.Equal(t, ubiops.BatchNotCreated, o.State, "input %d", i)
			assert.Nil(t, o.Request)
			assert.Error(t, o.Err)
			continue
		}
		assert.Equal(t, ubiops.BatchCompleted, o.State, "input %d", i)
		assert.Equal(t, runOut{I: i}, o.Output)
	}

	srv.ClearFaults()
	srv.ResetCounts()
	srv.InjectFault(op, ubiopstest.Fault{Drop: ubiopstest.DropAfter, Times: 1})
	outcomes, err = ubiops.RunBatch[runIn, runOut](context.Background(), c.Requests, "p", "d", inputs, opts...)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 3, srv.Received(op), "the lost chunk is not resent")
	for i, o := range outcomes[:10] {
		assert.Equal(t, ubiops.BatchUnknown, o.State, "input %d", i)
	}
	assert.Equal(t, ubiops.BatchCompleted, outcomes[29].State)
}

// TestRunBatchOutcomesWhenTheWaitEnds: a wait that times out leaves the created requests
// unfinished (with their last seen details) and returns the timeout.
func TestRunBatchOutcomesWhenTheWaitEnds(t *testing.T) {
	_, c := setupVersion(t, ubiopstest.WithRequestDuration(time.Hour))
	inputs := []runIn{{1}, {2}}
	outcomes, err := ubiops.RunBatch[runIn, runOut](context.Background(), c.Requests, "p", "d", inputs,
		ubiops.WithWaitOptions(ubiops.WaitOptions{MinDelay: 5 * time.Millisecond, Timeout: 50 * time.Millisecond}))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	require.Len(t, outcomes, 2)
	for _, o := range outcomes {
		assert.Equal(t, ubiops.BatchUnfinished, o.State)
		require.NotNil(t, o.Request)
		assert.NotEqual(t, ubiops.DeploymentRequestBatchDetailStatusCompleted, o.Request.Status)
	}

	// A result that does not decode into Out is reported on its completed outcome.
	_, c2 := setupVersion(t)
	wrong, err := ubiops.RunBatch[runIn, string](context.Background(), c2.Requests, "p", "d", inputs, fastWait)
	require.NoError(t, err)
	assert.Equal(t, ubiops.BatchCompleted, wrong[0].State)
	assert.Error(t, wrong[0].Err, "an object is not a string")

	// An input that cannot be encoded: nothing is sent, no outcomes.
	_, err = ubiops.RunBatch[any, runOut](context.Background(), c2.Requests, "p", "d", []any{func() {}})
	var ve *ubiops.ValidationError
	assert.ErrorAs(t, err, &ve)
}
