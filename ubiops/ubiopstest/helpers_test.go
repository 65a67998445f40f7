package ubiopstest_test

import "github.com/ubiops/ubiops-go/ubiops"

// val reads a field that may be null or absent: its value, or T's zero value.
func val[T any](p *T) T { return ubiops.Value(p) }

// Input and output types of a new deployment, which the create body takes as pointers.
var (
	plainIn       = ubiops.Ptr(ubiops.DeploymentCreateInputTypePlain)
	plainOut      = ubiops.Ptr(ubiops.DeploymentCreateOutputTypePlain)
	structuredIn  = ubiops.Ptr(ubiops.DeploymentCreateInputTypeStructured)
	structuredOut = ubiops.Ptr(ubiops.DeploymentCreateOutputTypeStructured)
)
