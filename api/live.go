package api

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// The extensions that record where the live API differs from the reference pages in ways a
// page-shaped document cannot say (see the comment at the top of openapi.yaml).
const (
	// ExtLiveRequired on a schema is the live API's list of required properties.
	ExtLiveRequired = "x-ubiops-live-required"
	// ExtLiveParameters on an operation lists query parameters the live API takes beyond the pages'.
	ExtLiveParameters = "x-ubiops-live-parameters"
	// ExtLiveSchema on a request body is the live schema of its JSON content.
	ExtLiveSchema = "x-ubiops-live-schema"
	// ExtSource marks an operation, parameter, schema or field that comes from the official client.
	ExtSource = "x-ubiops-source"
)

// Load parses the embedded document and returns its live view: the x-ubiops-live-* extensions
// applied, so that the document describes what the live API sends and accepts. Each call returns a
// fresh document the caller may change. The result is not validated; call Validate on it.
func Load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("api: load openapi.yaml: %w", err)
	}
	if err := applyLive(doc); err != nil {
		return nil, fmt.Errorf("api: live view: %w", err)
	}
	return doc, nil
}

// LiveJSON returns the live view as JSON, the input of code generation.
func LiveJSON() ([]byte, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
}

func applyLive(doc *openapi3.T) error {
	for name, ref := range doc.Components.Schemas {
		if err := liveRequired(name, ref.Value); err != nil {
			return err
		}
	}
	for path, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if err := liveOperation(doc, path, op); err != nil {
				return err
			}
		}
	}
	return nil
}

// liveRequired replaces a schema's required list, and does the same for the inline schemas of its
// properties and items (the paginated lists write some item schemas out in full).
func liveRequired(where string, s *openapi3.Schema) error {
	if s == nil {
		return nil
	}
	if raw, ok := s.Extensions[ExtLiveRequired]; ok {
		names, err := stringList(raw)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", where, ExtLiveRequired, err)
		}
		for _, n := range names {
			if _, ok := s.Properties[n]; !ok {
				return fmt.Errorf("%s: %s names %q, which is not a property", where, ExtLiveRequired, n)
			}
		}
		s.Required = names
		delete(s.Extensions, ExtLiveRequired)
	}
	for name, p := range s.Properties {
		if p.Ref == "" {
			if err := liveRequired(where+"."+name, p.Value); err != nil {
				return err
			}
		}
	}
	if s.Items != nil && s.Items.Ref == "" {
		return liveRequired(where+"[]", s.Items.Value)
	}
	return nil
}

func liveOperation(doc *openapi3.T, path string, op *openapi3.Operation) error {
	where := op.OperationID
	if raw, ok := op.Extensions[ExtLiveParameters]; ok {
		var params []*openapi3.Parameter
		if err := remarshal(raw, &params); err != nil {
			return fmt.Errorf("%s: %s: %w", where, ExtLiveParameters, err)
		}
		for _, p := range params {
			if p.In != openapi3.ParameterInQuery || op.Parameters.GetByInAndName(p.In, p.Name) != nil {
				return fmt.Errorf("%s: %s: %s must be a new query parameter", where, ExtLiveParameters, p.Name)
			}
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
		}
		delete(op.Extensions, ExtLiveParameters)
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	body := op.RequestBody.Value
	raw, ok := body.Extensions[ExtLiveSchema]
	if !ok {
		return nil
	}
	var ref struct {
		Ref string `json:"$ref"`
	}
	if err := remarshal(raw, &ref); err != nil || ref.Ref == "" {
		return fmt.Errorf("%s: %s must be a $ref", where, ExtLiveSchema)
	}
	target, ok := doc.Components.Schemas[refName(ref.Ref)]
	if !ok {
		return fmt.Errorf("%s: %s: no schema %s", where, ExtLiveSchema, ref.Ref)
	}
	media := body.Content.Get("application/json")
	if media == nil {
		return fmt.Errorf("%s %s: %s needs application/json content", where, path, ExtLiveSchema)
	}
	media.Schema = &openapi3.SchemaRef{Ref: ref.Ref, Value: target.Value}
	delete(body.Extensions, ExtLiveSchema)
	return nil
}

func refName(ref string) string {
	const prefix = "#/components/schemas/"
	if len(ref) > len(prefix) && ref[:len(prefix)] == prefix {
		return ref[len(prefix):]
	}
	return ""
}

func stringList(raw any) ([]string, error) {
	var out []string
	if err := remarshal(raw, &out); err != nil {
		return nil, err
	}
	if slices.Contains(out, "") {
		return nil, fmt.Errorf("empty name")
	}
	return out, nil
}

// remarshal converts an extension's decoded value (maps and slices) into a typed value.
func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
