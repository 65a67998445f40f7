package ubiopstest

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryOperationHasAHandler: the fake implements every operation in the spec, and nothing else.
func TestEveryOperationHasAHandler(t *testing.T) {
	r, err := newSpecRouter()
	require.NoError(t, err)
	var missing []string
	ops := map[string]bool{}
	for _, item := range r.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = true
			if routes[op.OperationID] == nil {
				missing = append(missing, op.OperationID)
			}
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "operations without a handler")
	for id := range routes {
		assert.True(t, ops[id], "handler for %s, which is not in the spec", id)
	}
	assert.Len(t, ops, 101) // the 93 documented operations and eight of the official tools (client and CLI)
}
