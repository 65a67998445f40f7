package ubiopstest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
	"github.com/ubiops/ubiops-go/ubiops/ubiopstest"
)

// TestKnobsRefuseUnknownOperations: a typo in an operation id panics, which fails the test that
// made it, instead of silently doing nothing.
func TestKnobsRefuseUnknownOperations(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	for name, call := range map[string]func(){
		"InjectFault": func() { srv.InjectFault("projcts_get", ubiopstest.Fault{Status: 500}) },
		"SetLatency":  func() { srv.SetLatency("deployment_list", time.Second) },
		"Count":       func() { srv.Count("Projects_Get") },
		"Received":    func() { srv.Received("") },
	} {
		assert.Panics(t, call, name)
	}
	assert.NotPanics(t, func() { srv.InjectFault("*", ubiopstest.Fault{Status: 503, Times: 1}) })
	assert.NotPanics(t, func() { srv.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: 503, Times: 1}) })
}

// TestFaultSkip targets the k-th matching call: the third projects_get fails, the others pass.
func TestFaultSkip(t *testing.T) {
	srv := ubiopstest.NewServer(t)
	c := srv.Client(ubiops.WithMaxRetries(0))
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	srv.InjectFault(ubiopstest.OpProjectsGet, ubiopstest.Fault{Status: http.StatusServiceUnavailable, Skip: 2, Times: 1})
	var failed []int
	for i := 1; i <= 5; i++ {
		if _, err := c.Projects.Get(ctx, "p"); err != nil {
			assert.ErrorIs(t, err, ubiops.ErrServer)
			failed = append(failed, i)
		}
	}
	assert.Equal(t, []int{3}, failed)
	assert.Equal(t, 5, srv.Received(ubiopstest.OpProjectsGet))
	assert.Equal(t, 4, srv.Count(ubiopstest.OpProjectsGet))
}

// TestClientPollsAtTestSpeed: a waiter of srv.Client() follows a 200 ms request closely, without any
// WaitOptions from the test.
func TestClientPollsAtTestSpeed(t *testing.T) {
	srv := ubiopstest.NewServer(t, ubiopstest.WithRequestDuration(200*time.Millisecond))
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "o"})
	require.NoError(t, err)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d", InputType: plainIn, OutputType: plainOut})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v"})
	require.NoError(t, err)
	created, err := ubiops.BatchCreateAll(ctx, c.Requests, "p", "d", []string{"x"})
	require.NoError(t, err)
	start := time.Now()
	r, err := c.Requests.Wait(ctx, "p", "d", created[0].Request.ID.String())
	require.NoError(t, err)
	assert.Equal(t, ubiops.DeploymentRequestSingleDetailStatusCompleted, r.Status)
	assert.Less(t, time.Since(start), 490*time.Millisecond, "production polling would look again only after 0.5 to 1 s")
}
