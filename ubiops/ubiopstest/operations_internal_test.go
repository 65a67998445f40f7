package ubiopstest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ubiops/ubiops-go/gen"
)

// TestOperationConstants: one constant per operation of the spec, no more.
func TestOperationConstants(t *testing.T) {
	assert.ElementsMatch(t, gen.Operations, operationConstants)
}
