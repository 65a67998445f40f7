package gen

// The generator reads the live view of api/openapi.yaml (api.Load applies its x-ubiops-live-*
// extensions) and runs the oapi-codegen pinned in go.mod on it.
//go:generate go run ../api/internal/generate -config config.yaml
