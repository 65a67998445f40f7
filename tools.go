//go:build tools

// Package tools pins the code generator this module uses, so that `make generate` runs the exact
// version recorded in go.mod and go.sum. It is never built into the library.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
