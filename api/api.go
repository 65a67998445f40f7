// Package api embeds the UbiOps v2.1 OpenAPI document that the rest of the module is built from.
//
// The document is the source of truth: gen/ is generated from it, and the contract tests and the
// fake server validate traffic against it. The library package ubiops does not import this package,
// so users never pay for it unless they test against the spec.
package api

import _ "embed"

//go:embed openapi.yaml
var spec []byte

// Spec returns a copy of the OpenAPI 3.0.3 document (YAML), so callers cannot alter the embedded one.
func Spec() []byte {
	out := make([]byte, len(spec))
	copy(out, spec)
	return out
}
