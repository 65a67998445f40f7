package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/api"
	"github.com/ubiops/ubiops-go/internal/apitime"
)

// documentedOperations is the number of distinct operations on the five UbiOps reference pages.
const documentedOperations = 93

// clientOnlyOperations are the operations the spec takes from the official client, not the pages.
var clientOnlyOperations = []string{"deployment_requests_batch_cancel", "deployment_requests_stream", "deployment_version_requests_batch_cancel", "deployment_version_requests_stream", "logs_list", "organizations_list", "service_status", "user_get"}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec())
	require.NoError(t, err, "kin-openapi must load api/openapi.yaml")
	return doc
}

type operation struct {
	method, path string
	op           *openapi3.Operation
}

func operations(doc *openapi3.T) map[string]operation {
	out := map[string]operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[op.OperationID] = operation{method: method, path: path, op: op}
		}
	}
	return out
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	// Validate checks the document's structure and every example against its schema.
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
	// The live view too: its required lists and bodies are what the examples must satisfy.
	live, err := api.Load()
	require.NoError(t, err)
	require.NoError(t, live.Validate(context.Background(), openapi3.EnableExamplesValidation()), "live view (api.Load)")

	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, "https://api.ubiops.com/v2.1", doc.Servers[0].URL)

	scheme := doc.Components.SecuritySchemes["TokenAuth"]
	require.NotNil(t, scheme, "TokenAuth security scheme")
	assert.Equal(t, "apiKey", scheme.Value.Type)
	assert.Equal(t, "header", scheme.Value.In)
	assert.Equal(t, "Authorization", scheme.Value.Name)
	require.NotNil(t, doc.Security)
	require.Len(t, doc.Security, 1)
	assert.Contains(t, doc.Security[0], "TokenAuth", "the token applies globally")
}

// TestLoadAppliesLiveExtensions checks one instance of each x-ubiops-live-* extension in the live
// view, and that none is left in it.
func TestLoadAppliesLiveExtensions(t *testing.T) {
	pages := loadSpec(t)
	live, err := api.Load()
	require.NoError(t, err)

	// x-ubiops-live-required: a body the live API requires less of, an answer it always sends more in.
	assert.Contains(t, pages.Components.Schemas["DeploymentCreate"].Value.Required, "input_type")
	assert.NotContains(t, live.Components.Schemas["DeploymentCreate"].Value.Required, "input_type")
	assert.NotContains(t, pages.Components.Schemas["DeploymentVersionDetail"].Value.Required, "scaling_strategy")
	assert.Contains(t, live.Components.Schemas["DeploymentVersionDetail"].Value.Required, "scaling_strategy")

	// x-ubiops-live-parameters: a query parameter the pages do not have.
	assert.Nil(t, operations(pages)["projects_list"].op.Parameters.GetByInAndName("query", "labels"))
	labels := operations(live)["projects_list"].op.Parameters.GetByInAndName("query", "labels")
	if assert.NotNil(t, labels, "projects_list ?labels") {
		assert.Equal(t, &openapi3.Types{openapi3.TypeString}, labels.Schema.Value.Type)
	}

	// x-ubiops-live-schema: a PATCH body of its own.
	body := operations(live)["instance_type_groups_update"].op.RequestBody.Value.Content.Get("application/json")
	require.NotNil(t, body)
	assert.Equal(t, "#/components/schemas/InstanceTypeGroupUpdate", body.Schema.Ref)
	assert.Same(t, live.Components.Schemas["InstanceTypeGroupUpdate"].Value, body.Schema.Value)

	// Nothing is left to apply.
	raw, err := json.Marshal(live)
	require.NoError(t, err)
	var tree any
	require.NoError(t, json.Unmarshal(raw, &tree))
	var left []string
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				if strings.HasPrefix(k, "x-ubiops-live-") {
					left = append(left, at+"/"+k)
				}
				walk(at+"/"+k, sub)
			}
		case []any:
			for i, sub := range v {
				walk(fmt.Sprintf("%s/%d", at, i), sub)
			}
		}
	}
	walk("#", tree)
	sort.Strings(left)
	assert.Empty(t, left, "x-ubiops-live-* extensions left in the live view")
}

func TestSpecOperations(t *testing.T) {
	doc := loadSpec(t)
	ops := operations(doc)
	var fromClient []string
	for id, o := range ops {
		if _, ok := o.op.Extensions[api.ExtSource]; ok {
			fromClient = append(fromClient, id)
		}
	}
	sort.Strings(fromClient)
	assert.Equal(t, clientOnlyOperations, fromClient, "operations marked as coming from the official client")
	require.Len(t, ops, documentedOperations+len(clientOnlyOperations), "one operation per documented method")

	for id, o := range ops {
		errorCodes := []string{"400", "401", "403", "404", "409", "429", "500"}
		if id == "service_status" || id == "user_get" || id == "organizations_list" { // no input, no object named
			errorCodes = []string{"401", "403", "429", "500"}
		}
		t.Run(id, func(t *testing.T) {
			assert.NotEmpty(t, o.op.Summary, "summary")
			assert.Len(t, o.op.Tags, 1, "one tag: the reference page")
			var success []string
			for code := range o.op.Responses.Map() {
				if strings.HasPrefix(code, "2") {
					success = append(success, code)
				}
			}
			require.Len(t, success, 1, "exactly one success status")
			code := success[0]
			switch {
			case o.method == http.MethodDelete:
				assert.Equal(t, "204", code, "deletes answer 204")
				assert.Empty(t, o.op.Responses.Value(code).Value.Content, "204 has no content")
			case strings.HasSuffix(id, "_create") || strings.HasSuffix(id, "_copy") || strings.HasSuffix(id, "_file_upload"):
				assert.Equal(t, "201", code, "creations answer 201")
			default:
				assert.Equal(t, "200", code)
			}
			for _, c := range errorCodes {
				r := o.op.Responses.Value(c)
				if assert.NotNil(t, r, "error response %s", c) {
					assert.Equal(t, "Error", refName(r.Value.Content.Get("application/json").Schema.Ref))
				}
			}
			rl := o.op.Responses.Value("429").Value
			for _, h := range []string{"Retry-After", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} {
				assert.Contains(t, rl.Headers, h, "429 documents %s", h)
			}
			for _, p := range o.op.Parameters {
				assert.NotNil(t, p.Value.Schema, "parameter %s has a schema", p.Value.Name)
				if p.Value.Schema != nil {
					assert.NotNil(t, p.Value.Schema.Value.Type, "parameter %s has a type", p.Value.Name)
				}
			}
		})
	}
}

// TestSpecFreeFormValues pins the deliberately untyped values: anything else without a type is a
// mistake in the spec (it would surface as interface{} in gen/).
func TestSpecFreeFormValues(t *testing.T) {
	doc := loadSpec(t)
	var untyped []string
	var walk func(name string, s *openapi3.SchemaRef, depth int)
	walk = func(name string, s *openapi3.SchemaRef, depth int) {
		if s == nil || s.Value == nil || depth > 8 || s.Ref != "" && depth > 0 {
			return
		}
		for prop, ps := range s.Value.Properties {
			if ps.Ref == "" && ps.Value.Type == nil && len(ps.Value.OneOf) == 0 {
				untyped = append(untyped, name+"."+prop)
			}
			walk(name+"."+prop, ps, depth+1)
		}
		if s.Value.Items != nil {
			walk(name+"[]", s.Value.Items, depth+1)
		}
	}
	for name, s := range doc.Components.Schemas {
		walk(name, s, 0)
	}
	sort.Strings(untyped)
	for _, u := range untyped {
		field := u[strings.LastIndex(u, ".")+1:]
		assert.Contains(t, []string{"input", "result", "request_data", "data"}, field,
			"%s has no type; only deployment request input and result are free-form", u)
	}
}

func TestSpecIsEmbeddedCopy(t *testing.T) {
	a := api.Spec()
	a[0] = 'X'
	assert.NotEqual(t, byte('X'), api.Spec()[0], "Spec returns a copy")
}

func refName(ref string) string {
	return ref[strings.LastIndex(ref, "/")+1:]
}

// TestLogDatePatternMatchesTheParser: every date form the spec's log date pattern accepts is one
// apitime.Parse reads (the client and the fake both parse with it), and the pattern refuses junk.
func TestLogDatePatternMatchesTheParser(t *testing.T) {
	doc, err := api.Load()
	require.NoError(t, err)
	start := operations(doc)["logs_list"].op.Parameters.GetByInAndName("query", "start")
	require.NotNil(t, start)
	pattern := regexp.MustCompile(start.Schema.Value.Pattern)
	assert.Equal(t, start.Schema.Value.Pattern, doc.Components.Schemas["LogsCreate"].Value.Properties["date"].Value.Pattern, "one pattern for both endpoints")
	n := 0
	for _, sep := range []string{"T", " "} {
		for _, clock := range []string{"10:11", "10:11:12", "10:11:12.123456", "10:11:12.123456789"} {
			for _, zone := range []string{"", "Z", "+02:00", "-0330", "+02"} {
				s := "2024-05-01" + sep + clock + zone
				require.True(t, pattern.MatchString(s), s)
				_, err := apitime.Parse(s)
				assert.NoError(t, err, s)
				n++
			}
		}
	}
	_, err = apitime.Parse("2024-05-01")
	assert.NoError(t, err)
	for _, junk := range []string{"yesterday", "2024-05-01T", "2024-05-01+02:00", "01-05-2024", "2024-05-01 10"} {
		assert.False(t, pattern.MatchString(junk), junk)
	}
	assert.Equal(t, 40, n)
}
