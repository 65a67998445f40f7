package ubiopstest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRenameProjectMovesHandlers: a deployment's registered handler follows it when its project is
// renamed (handlers are keyed by names).
func TestRenameProjectMovesHandlers(t *testing.T) {
	s := New()
	h := func(context.Context, json.RawMessage) (any, error) { return "x", nil }
	s.HandleDeployment("before", "d", h)
	s.HandleDeployment("before-other", "d", h)
	p := &project{}
	p.detail.Name = "before"
	s.state.addProject(p)
	s.state.renameProject(p, "after")
	assert.Contains(t, s.state.handlers, "after/d")
	assert.NotContains(t, s.state.handlers, "before/d")
	assert.Contains(t, s.state.handlers, "before-other/d", "only the renamed project's handlers move")
}
