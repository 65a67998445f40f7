package ubiops_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ubiops/ubiops-go/ubiops"
)

func TestLogFilterString(t *testing.T) {
	assert.Equal(t, "", ubiops.LogFilter{}.String())
	assert.Equal(t, "| deployment_name = `scorer` | deployment_version = `v1` | system = `false` | level = `error` |= \"out of memory\" != \"retry\" |~ \"CUDA.*\"",
		ubiops.LogFilter{DeploymentVersion: "v1", DeploymentName: "scorer", System: ubiops.Ptr(false), Level: "error",
			Contains: []string{"out of memory"}, Excludes: []string{"retry"}, Matches: "CUDA.*"}.String())
	// A back-quote cannot be inside back-quotes: such a value is double-quoted with escapes.
	assert.Equal(t, "| process_id = `0` | webhook_name = \"a`b\\\"c\" | foo",
		ubiops.LogFilter{WebhookName: "a`b\"c", ProcessID: ubiops.Ptr(0), Raw: "| foo"}.String())
}

func ExampleLogFilter() {
	f := ubiops.LogFilter{DeploymentName: "scorer", DeploymentVersion: "v1", Level: "error", Contains: []string{"timeout"}}
	fmt.Println(f)
	// Output: | deployment_name = `scorer` | deployment_version = `v1` | level = `error` |= "timeout"
}
