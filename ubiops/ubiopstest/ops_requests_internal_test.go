package ubiopstest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// TestRequestPriorityIsStored: the create operations' priority query parameter is kept with each
// request (the fake's queue does not order by it, so no answer shows it).
func TestRequestPriorityIsStored(t *testing.T) {
	s := NewServer(t, WithStrictResponses())
	c := s.Client()
	ctx := context.Background()
	_, err := c.Projects.Create(ctx, ubiops.ProjectCreate{Name: "p", OrganizationName: "org"})
	require.NoError(t, err)
	_, err = c.Deployments.Create(ctx, "p", ubiops.DeploymentCreate{Name: "d"})
	require.NoError(t, err)
	_, err = c.Versions.Create(ctx, "p", "d", ubiops.DeploymentVersionCreate{Version: "v1"})
	require.NoError(t, err)

	in := map[string]any{}
	_, err = c.Requests.Create(ctx, "p", "d", in, &ubiops.DeploymentRequestsCreateParams{Priority: ubiops.Ptr(1)})
	require.NoError(t, err)
	_, err = c.Requests.CreateForVersion(ctx, "p", "d", "v1", in, &ubiops.DeploymentVersionRequestsCreateParams{Priority: ubiops.Ptr(2)})
	require.NoError(t, err)
	_, err = c.Requests.BatchCreate(ctx, "p", "d", []any{in}, &ubiops.BatchDeploymentRequestsCreateParams{Priority: ubiops.Ptr(3)})
	require.NoError(t, err)
	_, err = c.Requests.BatchCreateForVersion(ctx, "p", "d", "v1", []any{in, in}, &ubiops.BatchDeploymentVersionRequestsCreateParams{Priority: ubiops.Ptr(-4)})
	require.NoError(t, err)
	_, err = c.Requests.Create(ctx, "p", "d", in, nil)
	require.NoError(t, err)

	s.mu.Lock()
	defer s.mu.Unlock()
	var got []any
	for _, r := range s.state.projects[0].requests {
		if r.priority == nil {
			got = append(got, nil)
		} else {
			got = append(got, *r.priority)
		}
	}
	assert.Equal(t, []any{1, 2, 3, -4, -4, nil}, got)
}
