package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/api"
)

// The official UbiOps Python client is generated from UbiOps's own API description, so it is the
// best public evidence of what the live API sends and accepts. ../shared/reference/pyclient holds
// facts about two releases of it (see its README.md). TestPyclientCompat compares them with the
// live view of api/openapi.yaml (api.Load), the document gen/, the contract tests and the fake
// server use.

// allowedDifferences are the deliberate differences from the client, keyed like the problems that
// compare reports ("<operationId> content-type <type>", "<ClientModel>.<field>", ...), each with its
// reason. An entry that no longer matches a problem fails the test: delete it.
var allowedDifferences = map[string]string{
	// The client sends a str body as text/plain. A batch is a JSON list of inputs, and ubiops-go keeps
	// batch creates JSON-only (a plain deployment's batch is a JSON list of strings).
	"batch_deployment_requests_create content-type text/plain":         "a batch is a JSON list: batch creates are JSON-only",
	"batch_deployment_version_requests_create content-type text/plain": "a batch is a JSON list: batch creates are JSON-only",
}

// pyclientDir is where the facts about the client are: $UBIOPS_SHARED/reference/pyclient when
// UBIOPS_SHARED is set (a relative path is relative to this package's directory), else
// ../../shared/reference/pyclient. The test is skipped when they are not there: the project builds
// and tests without ../shared.
func pyclientDir(t *testing.T) string {
	t.Helper()
	shared, hint := filepath.Join("..", "..", "shared"), "set UBIOPS_SHARED to the shared directory to use another one"
	if env := os.Getenv("UBIOPS_SHARED"); env != "" {
		shared, hint = env, "from UBIOPS_SHARED"
	}
	dir := filepath.Join(shared, "reference", "pyclient")
	_, err := os.Stat(filepath.Join(dir, "pyclient-4.12.0.json"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("pyclient-compat: skipped, no facts about the official Python client in %s (%s)", dir, hint)
	}
	require.NoError(t, err)
	return dir
}

// inventory is one pyclient-<release>.json.
type inventory struct {
	Release    string                            `json:"release"`
	Source     string                            `json:"source"`
	Operations map[string]clientOperation        `json:"operations"`
	Models     map[string]map[string]clientField `json:"models"`
}

type clientOperation struct {
	InClient            bool                   `json:"in_client"`
	OnPages             bool                   `json:"on_pages"`
	Method              string                 `json:"method"`
	Path                string                 `json:"path"`
	Params              map[string]clientParam `json:"params"`
	RequestContentTypes []string               `json:"request_content_types"`
	BodyModel           string                 `json:"body_model"`
	ResponseType        string                 `json:"response_type"`
}

type clientParam struct {
	In        string  `json:"in"` // path, query, body or form
	Required  bool    `json:"required"`
	Type      string  `json:"type"`
	MinLength *uint64 `json:"min_length"`
	MaxLength *uint64 `json:"max_length"`
}

type clientField struct {
	Type              string  `json:"type"`
	Required          bool    `json:"required"`
	ClientRejectsNull bool    `json:"client_rejects_null"` // the live API always sends it, never null
	NullAccepted      bool    `json:"null_accepted"`
	MinLength         *uint64 `json:"min_length"`
	MaxLength         *uint64 `json:"max_length"`
	ReadOnly          bool    `json:"readonly"`
}

func loadInventory(t *testing.T, dir, release string) inventory {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "pyclient-"+release+".json"))
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // a new kind of fact must be looked at, not ignored
	var inv inventory
	require.NoError(t, dec.Decode(&inv), "pyclient-%s.json", release)
	require.Equal(t, release, inv.Release, "pyclient-%s.json", release)
	require.NotEmpty(t, inv.Operations, "pyclient-%s.json", release)
	return inv
}

func TestPyclientCompat(t *testing.T) {
	dir := pyclientDir(t)
	client, client46 := loadInventory(t, dir, "4.12.0"), loadInventory(t, dir, "4.6.0")
	doc, err := api.Load()
	require.NoError(t, err)

	rep := compare(doc, client, client46)
	require.NotZero(t, rep.operations, "no client operation is in the spec")
	if len(rep.notInSpec) > 0 {
		t.Logf("pyclient operations not in the spec (not compared): %s", strings.Join(rep.notInSpec, ", "))
	}
	if ids := rep.compared[client46.Release]; len(ids) > 0 {
		t.Logf("spec operations the %s client lacks, compared with %s: %s", client.Release, client46.Release, strings.Join(ids, ", "))
	}
	if len(rep.notInClient) > 0 {
		t.Logf("spec operations no client release has (not compared): %s", strings.Join(rep.notInClient, ", "))
	}

	used := map[string]bool{}
	counts := map[problemKind]int{}
	allowed := 0
	for _, p := range rep.problems {
		if _, ok := allowedDifferences[p.key]; ok {
			used[p.key] = true
			allowed++
			t.Logf("allowed: %s", p)
			continue
		}
		counts[p.kind]++
		t.Errorf("%s", p)
	}
	t.Logf("pyclient-compat: %d fields checked, %d missing, %d mismatched; %d operations, %d parameters; "+
		"%d example values checked, %d absent or null; %d allowed by %d of %d allow-list entries",
		rep.fields, counts[missing], counts[mismatched], rep.operations, rep.params,
		rep.exampleValues, counts[exampleNull], allowed, len(used), len(allowedDifferences))
	for _, key := range sortedKeys(allowedDifferences) {
		if !used[key] {
			t.Errorf("stale allow-list entry %q (%s): no such difference any more; delete it", key, allowedDifferences[key])
		}
	}
}

// TestPyclientCompatDetectsDrift proves compare finds what it is meant to find.
func TestPyclientCompatDetectsDrift(t *testing.T) {
	t.Run("live view", func(t *testing.T) {
		dir := pyclientDir(t)
		client, client46 := loadInventory(t, dir, "4.12.0"), loadInventory(t, dir, "4.6.0")
		doc, err := api.Load()
		require.NoError(t, err)
		before := problemKeys(compare(doc, client, client46))

		schema := func(name string) *openapi3.Schema { return componentSchema(t, doc, name) }
		prop := func(name, field string) *openapi3.Schema {
			p := schema(name).Properties[field]
			require.NotNil(t, p, "%s.%s", name, field)
			return p.Value
		}
		// A field the live API always sends disappears from an answer.
		dv := schema("DeploymentVersionDetail")
		delete(dv.Properties, "scaling_strategy")
		dv.Required = slices.DeleteFunc(dv.Required, func(s string) bool { return s == "scaling_strategy" })
		// A length limit is lost (the client has min_length 1 and max_length 64).
		prop("AuditList", "object_type").MaxLength = nil
		// A field the client takes as null stops being nullable.
		prop("DeploymentDetail", "input_type").Nullable = false
		// A field the client rejects when absent stops being required; and one only 4.6.0 rejects.
		audit := schema("AuditList")
		audit.Required = slices.DeleteFunc(audit.Required, func(s string) bool { return s == "action" })
		dl := schema("DeploymentVersionList")
		dl.Required = slices.DeleteFunc(dl.Required, func(s string) bool { return s == "request_retention_mode" })
		// A request body requires a field the client leaves optional.
		schema("DeploymentCreate").Required = append(schema("DeploymentCreate").Required, "description")
		// A type changes.
		prop("DeploymentVersionDetail", "maximum_instances").Type = &openapi3.Types{openapi3.TypeString}
		// A live query parameter is lost.
		ops := specOperations(doc)
		pl := ops["projects_list"].op
		pl.Parameters = slices.DeleteFunc(pl.Parameters, func(p *openapi3.ParameterRef) bool { return p.Value.Name == "labels" })
		// A request content type is lost.
		delete(ops["deployment_requests_create"].op.RequestBody.Value.Content, "text/plain")
		// An example leaves out a field the client rejects when absent.
		ex := ops["deployments_get"].op.Responses.Value("200").Value.Content.Get("application/json").Examples["deployment"].Value
		delete(ex.Value.(map[string]any), "name")

		got := compare(doc, client, client46)
		for _, want := range []struct{ key, detail string }{
			{"missing DeploymentVersionDetail.scaling_strategy", "answer schema DeploymentVersionDetail has no property"},
			{"mismatched AuditList.object_type", "maxLength: client 64, spec none"},
			{"mismatched DeploymentDetail.input_type", "does not make it nullable"},
			{"mismatched AuditList.action", "does not require it"},
			{"mismatched DeploymentVersionList.request_retention_mode", "does not require it; the client rejects an answer where it is absent or null [pyclient 4.6.0]"},
			{"mismatched DeploymentCreate.description", "request schema DeploymentCreate requires it; the client does not"},
			{"mismatched DeploymentVersionDetail.maximum_instances", "client int, spec string"},
			{"missing projects_list query labels", "not a query parameter"},
			{"missing deployment_requests_create content-type text/plain", "the client sends text/plain"},
			{"example-null deployments_get example deployment $.name", "absent"},
		} {
			assert.True(t, slices.ContainsFunc(got.problems, func(p *problem) bool {
				return p.kind.String()+" "+p.key == want.key && strings.Contains(p.String(), want.detail)
			}), "the mutated live view must show %s (%s); got:\n%s", want.key, want.detail, problemLines(got))
			assert.NotContains(t, before, want.key, "the live view itself must not have this difference")
		}
	})

	// A small document and client, independent of ../shared: every kind of problem, and none when
	// the two agree.
	t.Run("synthetic", func(t *testing.T) {
		doc, err := openapi3.NewLoader().LoadFromData([]byte(syntheticSpec))
		require.NoError(t, err)
		u := func(n uint64) *uint64 { return &n }
		client := inventory{
			Release: "9.9.9",
			Operations: map[string]clientOperation{
				"things_update": {
					InClient: true, Method: "PATCH", Path: "/things/{name}",
					Params: map[string]clientParam{
						"name":  {In: "path", Required: true, Type: "str"},
						"limit": {In: "query", Type: "int"},
						"data":  {In: "body", Required: true, Type: "ThingUpdate"},
					},
					RequestContentTypes: []string{"application/json"},
					ResponseType:        "ThingDetail",
				},
				"things_list": {InClient: true, Method: "GET", Path: "/things", ResponseType: "list[ThingDetail]"},
				"gone":        {InClient: true, Method: "GET", Path: "/gone"},
			},
			Models: map[string]map[string]clientField{
				"ThingUpdate": {
					"name":        {Type: "str", Required: true, MinLength: u(1), MaxLength: u(64)},
					"description": {Type: "str", NullAccepted: true},
				},
				"ThingDetail": {
					"name":     {Type: "str", Required: true, ClientRejectsNull: true, MinLength: u(1)},
					"size":     {Type: "int", NullAccepted: true},
					"created":  {Type: "datetime", Required: true, ClientRejectsNull: true},
					"labels":   {Type: "dict(str, str)", NullAccepted: true},
					"children": {Type: "list[Child]"},
				},
				"Child": {"weight": {Type: "float", Required: true, ClientRejectsNull: true}},
			},
		}
		old := inventory{Release: "9.0.0", Operations: client.Operations, Models: map[string]map[string]clientField{
			"ThingUpdate": client.Models["ThingUpdate"],
			"ThingDetail": client.Models["ThingDetail"],
			"Child": {
				"weight": {Type: "float", Required: true, ClientRejectsNull: true},
				"colour": {Type: "str", Required: true, ClientRejectsNull: true},
			},
		}}

		rep := compare(doc, client, old)
		assert.Empty(t, rep.problems, "the document agrees with the client")
		assert.Equal(t, []string{"gone"}, rep.notInSpec)
		assert.Equal(t, []string{"not_in_client"}, rep.notInClient)
		assert.Equal(t, 2, rep.operations)
		assert.Equal(t, 9, rep.fields, "ThingDetail 5, ThingUpdate 2, Child 1 of the newer release; Child.colour of the older")

		s := func(name string) *openapi3.Schema { return componentSchema(t, doc, name) }
		delete(s("ThingDetail").Properties, "labels")
		s("ThingDetail").Properties["size"].Value.Nullable = false
		s("ThingDetail").Required = []string{"name"}
		s("Child").Required = []string{"weight"}
		s("Child").Properties["weight"].Value.Type = &openapi3.Types{openapi3.TypeString}
		ops := specOperations(doc)
		ops["things_update"].op.Parameters = nil
		delete(ops["things_update"].op.RequestBody.Value.Content, "application/json")
		ex := ops["things_list"].op.Responses.Value("200").Value.Content.Get("application/json").Examples["two"].Value
		ex.Value.([]any)[1].(map[string]any)["name"] = nil

		got := problemKeys(compare(doc, client, old))
		assert.ElementsMatch(t, []string{
			"missing ThingDetail.labels",
			"mismatched ThingDetail.size",       // not nullable
			"mismatched ThingDetail.created",    // not required
			"mismatched Child.colour",           // not required, though only the older release rejects null
			"mismatched Child.weight",           // float is not a string
			"missing things_update query limit", // parameter gone
			"missing things_update body",        // no JSON body any more
			"missing things_update content-type application/json",
			"example-null things_list example two $[1].name",
		}, got)

		// The request body, checked on its own: lengths and a spec stricter than the client.
		doc2, err := openapi3.NewLoader().LoadFromData([]byte(syntheticSpec))
		require.NoError(t, err)
		upd := componentSchema(t, doc2, "ThingUpdate")
		upd.Properties["name"].Value.MinLength = 0
		upd.Required = []string{"name", "description", "colour"}
		upd.Properties["colour"] = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
		assert.ElementsMatch(t, []string{
			"mismatched ThingUpdate.name",        // minLength lost
			"mismatched ThingUpdate.description", // required by the spec only
			"mismatched ThingUpdate.colour",      // required by the spec, unknown to the client
		}, problemKeys(compare(doc2, client, old)))
	})
}

func componentSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	s := doc.Components.Schemas[name]
	require.NotNil(t, s, name)
	return s.Value
}

func problemLines(r report) string {
	var b strings.Builder
	for _, p := range r.problems {
		fmt.Fprintln(&b, p)
	}
	return b.String()
}

func problemKeys(r report) []string {
	var out []string
	for _, p := range r.problems {
		out = append(out, p.kind.String()+" "+p.key)
	}
	return out
}

const syntheticSpec = `
openapi: 3.0.3
info: {title: synthetic, version: '1'}
paths:
  /things:
    get:
      operationId: things_list
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/ThingDetail'}}
              examples:
                two:
                  value:
                  - {name: a, created: '2024-01-01T00:00:00Z', size: null, children: [{weight: 1, colour: red}]}
                  - {name: b, created: '2024-01-01T00:00:00Z', labels: {k: v}}
  /things/{name}:
    parameters:
    - {name: name, in: path, required: true, schema: {type: string}}
    patch:
      operationId: things_update
      parameters:
      - {name: limit, in: query, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingUpdate'}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ThingDetail'}
        '400':
          description: Bad
  /unknown:
    get:
      operationId: not_in_client
      responses:
        '204': {description: No content}
components:
  schemas:
    ThingUpdate:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 64}
        description: {type: string, nullable: true}
    ThingDetail:
      type: object
      required: [name, created]
      properties:
        name: {type: string, minLength: 1}
        size: {type: integer, nullable: true}
        created: {type: string, format: date-time}
        labels: {type: object, nullable: true, additionalProperties: {type: string}}
        children: {type: array, items: {$ref: '#/components/schemas/Child'}}
    Child:
      type: object
      required: [weight, colour]
      properties:
        weight: {type: number}
        colour: {type: string}
`

// compare checks the client (4.12.0) against the document, and the older client (4.6.0) for the
// fields it rejects when absent or null: the API sent those when 4.6.0 was current, and older
// deployments of it may still.
func compare(doc *openapi3.T, client, client46 inventory) report {
	c := &comparison{
		ops:      specOperations(doc),
		rep:      report{compared: map[string][]string{}},
		problems: map[string]*problem{},
		fields:   map[string]bool{},
		examples: map[string]bool{},
	}
	c.run(client, func(string) bool { return true })
	// The older client is compared in full only on the operations the newer one dropped (the spec
	// keeps them for older deployments of the API).
	c.run(client46, func(id string) bool {
		op, ok := client.Operations[id]
		return !ok || !op.InClient
	})
	rep := c.rep
	compared := map[string]bool{}
	for _, ids := range rep.compared {
		for _, id := range ids {
			compared[id] = true
		}
	}
	for _, id := range sortedKeys(c.ops) {
		if !compared[id] {
			rep.notInClient = append(rep.notInClient, id)
		}
	}
	rep.fields = len(c.fields)
	rep.exampleValues = len(c.examples)
	for _, p := range c.problems {
		rep.problems = append(rep.problems, p)
	}
	sort.Slice(rep.problems, func(i, j int) bool {
		a, b := rep.problems[i], rep.problems[j]
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.detail < b.detail
	})
	return rep
}

type report struct {
	operations    int                 // client operations compared
	compared      map[string][]string // by release: the operations compared in full
	params        int                 // their path and query parameters
	fields        int                 // client model fields compared with a spec property
	exampleValues int                 // fields of spec examples the client needs present and non-null
	notInSpec     []string            // client operations the spec does not have
	notInClient   []string            // spec operations no client release was compared on
	problems      []*problem
}

type problemKind int

const (
	missing     problemKind = iota // the spec lacks what the client has
	mismatched                     // the spec has it, differently
	exampleNull                    // a spec example lacks a value the client needs
)

func (k problemKind) String() string {
	return [...]string{"missing", "mismatched", "example-null"}[k]
}

type problem struct {
	kind     problemKind
	key      string // what allowedDifferences is keyed by
	detail   string
	releases []string // the client releases that show it
}

func (p *problem) String() string {
	return fmt.Sprintf("%s %s: %s [pyclient %s]", p.kind, p.key, p.detail, strings.Join(p.releases, ", "))
}

type comparison struct {
	ops      map[string]specOperation
	rep      report
	problems map[string]*problem // by kind, key and detail: both releases may find the same
	fields   map[string]bool     // spec schema, role and field
	examples map[string]bool     // example value paths
}

func (c *comparison) add(kind problemKind, key, release, format string, args ...any) {
	detail := fmt.Sprintf(format, args...)
	id := kind.String() + "\x00" + key + "\x00" + detail
	p := c.problems[id]
	if p == nil {
		p = &problem{kind: kind, key: key, detail: detail}
		c.problems[id] = p
	}
	if !slices.Contains(p.releases, release) {
		p.releases = append(p.releases, release)
	}
}

// pass walks one client release. Where full is set (per operation, and inherited by the models
// reached from it) it compares everything; elsewhere only the fields the release rejects in answers
// when absent or null.
type pass struct {
	*comparison
	inv   inventory
	full  bool
	pairs map[pairKey]*modelPair
	queue []*modelPair
}

type role int

const (
	request role = iota // reached from a request body: the client sends it
	answer              // reached from a response: the client receives it
)

func (r role) String() string { return [...]string{"request", "answer"}[r] }

// A modelPair is a client model and the spec schema found at the same place of an operation's
// request body or response: they are paired by structure, not by name.
type modelPair struct {
	model  string
	schema *openapi3.Schema
	label  string // the schema's component name, or where it was found
	role   role
	full   bool
}

type pairKey struct {
	model  string
	schema *openapi3.Schema
	role   role
}

// run walks the operations of inv that the spec has; full says which to compare in full.
func (c *comparison) run(inv inventory, full func(id string) bool) {
	p := &pass{comparison: c, inv: inv, pairs: map[pairKey]*modelPair{}}
	rel := inv.Release
	for _, id := range sortedKeys(inv.Operations) {
		co := inv.Operations[id]
		so, inSpec := c.ops[id]
		p.full = full(id)
		if !co.InClient {
			continue
		}
		if !inSpec {
			if p.full && !slices.Contains(c.rep.notInSpec, id) {
				c.rep.notInSpec = append(c.rep.notInSpec, id)
			}
			continue
		}
		if p.full {
			c.rep.operations++
			c.rep.compared[rel] = append(c.rep.compared[rel], id)
			if !strings.EqualFold(co.Method, so.method) {
				c.add(mismatched, id+" method", rel, "client %s, spec %s", co.Method, so.method)
			}
			if co.Path != so.path {
				c.add(mismatched, id+" path", rel, "client %s, spec %s", co.Path, so.path)
			}
		}
		p.params(id, co, so)
		p.response(id, co, so)
	}
	for len(p.queue) > 0 {
		pr := p.queue[0]
		p.queue = p.queue[1:]
		p.full = pr.full
		p.model(pr)
	}
}

func (p *pass) params(id string, co clientOperation, so specOperation) {
	rel := p.inv.Release
	var body *openapi3.RequestBody
	if so.op.RequestBody != nil {
		body = so.op.RequestBody.Value
	}
	media := func(ct string) *openapi3.MediaType {
		if body == nil {
			return nil
		}
		return body.Content.Get(ct)
	}
	for _, name := range sortedKeys(co.Params) {
		cp := co.Params[name]
		switch cp.In {
		case openapi3.ParameterInPath, openapi3.ParameterInQuery:
			if !p.full {
				continue
			}
			key := id + " " + cp.In + " " + name
			p.rep.params++
			sp := so.param(cp.In, name)
			if sp == nil {
				p.add(missing, key, rel, "not a %s parameter of the spec operation", cp.In)
				continue
			}
			if msg := p.typeProblem(cp.Type, sp.Schema, request, key); msg != "" {
				p.add(mismatched, key, rel, "%s", msg)
			}
			if sp.Schema != nil && sp.Schema.Value != nil {
				p.lengths(key, cp.In+" parameter", cp.Type, cp.MinLength, cp.MaxLength, sp.Schema.Value)
			}
			if sp.Required && !cp.Required {
				p.add(mismatched, key, rel, "the spec requires it, the client does not")
			}
		case "body":
			key := id + " body"
			m := media("application/json")
			if m == nil {
				if p.full {
					p.add(missing, key, rel, "the spec operation has no application/json request body")
				}
				continue
			}
			msg := p.typeProblem(cp.Type, m.Schema, request, key)
			if !p.full {
				continue
			}
			if msg != "" {
				p.add(mismatched, key, rel, "%s", msg)
			}
			if body.Required && !cp.Required {
				p.add(mismatched, key, rel, "the spec requires a body, the client does not")
			}
		case "form":
			if !p.full {
				continue
			}
			key := id + " form " + name
			m := media("multipart/form-data")
			if m == nil || m.Schema == nil || m.Schema.Value == nil {
				p.add(missing, key, rel, "the spec operation has no multipart/form-data request body")
				continue
			}
			form := m.Schema.Value
			prop := form.Properties[name]
			if prop == nil {
				p.add(missing, key, rel, "not a property of the multipart request body")
				continue
			}
			if msg := p.typeProblem(cp.Type, prop, request, key); msg != "" {
				p.add(mismatched, key, rel, "%s", msg)
			}
			p.lengths(key, "multipart request body", cp.Type, cp.MinLength, cp.MaxLength, prop.Value)
			if slices.Contains(form.Required, name) && !cp.Required {
				p.add(mismatched, key, rel, "the spec requires it, the client does not")
			}
		default:
			if p.full {
				p.add(mismatched, id+" "+name, rel, "unknown parameter place %q", cp.In)
			}
		}
	}
	if p.full {
		for _, ct := range co.RequestContentTypes {
			if media(ct) == nil {
				p.add(missing, id+" content-type "+ct, rel, "the client sends %s, the spec request body does not take it", ct)
			}
		}
	}
}

func (p *pass) response(id string, co clientOperation, so specOperation) {
	rel := p.inv.Release
	key := id + " response"
	if co.ResponseType == "" {
		return
	}
	code, resp := lowestSuccess(so.op)
	if resp == nil {
		if p.full {
			p.add(missing, key, rel, "the spec operation has no 2xx response")
		}
		return
	}
	if co.ResponseType == "file" {
		for _, ct := range sortedKeys(resp.Content) {
			if m := resp.Content[ct]; m.Schema != nil && m.Schema.Value != nil && isBinary(m.Schema.Value) {
				return
			}
		}
		if p.full {
			p.add(mismatched, key, rel, "the client takes a file, the spec's %s response has no binary content", code)
		}
		return
	}
	m := resp.Content.Get("application/json")
	if m == nil {
		if p.full {
			p.add(missing, key, rel, "the spec's %s response has no application/json content", code)
		}
		return
	}
	if msg := p.typeProblem(co.ResponseType, m.Schema, answer, key); msg != "" && p.full {
		p.add(mismatched, key, rel, "%s response: %s", code, msg)
	}
	for _, name := range sortedKeys(m.Examples) {
		if ex := m.Examples[name]; ex != nil && ex.Value != nil {
			p.example(id+" example "+name, co.ResponseType, m.Schema, ex.Value.Value, "$")
		}
	}
	if m.Example != nil {
		p.example(id+" example", co.ResponseType, m.Schema, m.Example, "$")
	}
}

// typeProblem says how the client type ctype differs from the spec schema s ("" when they are
// compatible), and pairs the client models ctype names with the spec schemas found in their place.
func (p *pass) typeProblem(ctype string, s *openapi3.SchemaRef, r role, where string) string {
	if s == nil || s.Value == nil {
		return "client " + ctype + ", spec has no schema"
	}
	v := s.Value
	differ := func() string { return fmt.Sprintf("client %s, spec %s", ctype, specType(v)) }
	if len(v.OneOf) > 0 { // a value of several documented forms: the client's must be one of them
		for _, alt := range v.OneOf {
			if p.typeProblem(ctype, alt, r, where) == "" {
				return ""
			}
		}
		return differ()
	}
	if inner, ok := listOf(ctype); ok {
		if !v.Type.Is(openapi3.TypeArray) {
			return differ()
		}
		if msg := p.typeProblem(inner, v.Items, r, where+"[]"); msg != "" {
			return "items: " + msg
		}
		return ""
	}
	if inner, ok := dictOf(ctype); ok {
		if !v.Type.Is(openapi3.TypeObject) {
			return differ()
		}
		ap := v.AdditionalProperties
		if ap.Has != nil && !*ap.Has {
			return "client " + ctype + ", spec object takes no additional properties"
		}
		if ap.Schema != nil {
			if msg := p.typeProblem(inner, ap.Schema, r, where+"{}"); msg != "" {
				return "additionalProperties: " + msg
			}
		}
		for _, name := range sortedKeys(v.Properties) {
			if msg := p.typeProblem(inner, v.Properties[name], r, where+"."+name); msg != "" {
				return "property " + name + ": " + msg
			}
		}
		return ""
	}
	ok := true
	switch ctype {
	case "object":
	case "str":
		ok = v.Type.Is(openapi3.TypeString)
	case "int":
		ok = v.Type.Is(openapi3.TypeInteger)
	case "float":
		ok = v.Type.Is(openapi3.TypeNumber) || v.Type.Is(openapi3.TypeInteger)
	case "bool":
		ok = v.Type.Is(openapi3.TypeBoolean)
	case "datetime":
		ok = v.Type.Is(openapi3.TypeString) && v.Format == "date-time"
	case "date":
		ok = v.Type.Is(openapi3.TypeString) && (v.Format == "date" || v.Format == "date-time")
	case "file":
		ok = isBinary(v)
	default:
		if _, known := p.inv.Models[ctype]; !known {
			return "client type " + ctype + " is not a client model"
		}
		if !v.Type.Is(openapi3.TypeObject) {
			return differ()
		}
		p.pair(ctype, s, r, where)
	}
	if !ok {
		return differ()
	}
	return ""
}

// pair queues a client model and the spec schema found in its place for comparison, once; or again,
// in full, when it was queued for the rejected-null check only.
func (p *pass) pair(model string, s *openapi3.SchemaRef, r role, where string) {
	k := pairKey{model: model, schema: s.Value, role: r}
	if pr := p.pairs[k]; pr != nil {
		if p.full && !pr.full {
			pr.full = true
			if !slices.Contains(p.queue, pr) {
				p.queue = append(p.queue, pr)
			}
		}
		return
	}
	label := where
	if s.Ref != "" {
		label = refName(s.Ref)
	}
	pr := &modelPair{model: model, schema: s.Value, label: label, role: r, full: p.full}
	p.pairs[k] = pr
	p.queue = append(p.queue, pr)
}

// model compares the fields of a client model with the properties of the spec schema paired with it.
func (p *pass) model(pr *modelPair) {
	rel := p.inv.Release
	fields := p.inv.Models[pr.model]
	s := pr.schema
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		key, at := pr.model+"."+name, pr.label+"."+name
		in := fmt.Sprintf("%s schema %s", pr.role, pr.label)
		prop := s.Properties[name]
		rejects := pr.role == answer && f.ClientRejectsNull
		if !p.full {
			if prop != nil {
				p.typeProblem(f.Type, prop, pr.role, at) // only to pair the models nested in it
			}
			if !rejects {
				continue
			}
		}
		p.fields[fmt.Sprintf("%p %s %s", s, pr.role, name)] = true
		if prop == nil || prop.Value == nil {
			p.add(missing, key, rel, "%s has no property %s", in, name)
			continue
		}
		if rejects && !slices.Contains(s.Required, name) {
			p.add(mismatched, key, rel, "%s does not require it; the client rejects an answer where it is absent or null", in)
		}
		if !p.full {
			continue
		}
		if msg := p.typeProblem(f.Type, prop, pr.role, at); msg != "" {
			p.add(mismatched, key, rel, "%s (%s)", msg, in)
		}
		p.lengths(key, in, f.Type, f.MinLength, f.MaxLength, prop.Value)
		switch pr.role {
		case answer:
			if f.NullAccepted && !prop.Value.Nullable {
				p.add(mismatched, key, rel, "%s does not make it nullable; the client takes null", in)
			}
		case request:
			if slices.Contains(s.Required, name) && !f.Required {
				p.add(mismatched, key, rel, "%s requires it; the client does not", in)
			}
		}
	}
	if p.full && pr.role == request {
		for _, name := range s.Required {
			if _, ok := fields[name]; !ok {
				p.add(mismatched, pr.model+"."+name, rel, "request schema %s requires %s, which the client does not have", pr.label, name)
			}
		}
	}
}

// lengths compares the client's length limits of a str with the spec's. Where the spec has an enum,
// only their effect on it counts: limits that exclude no value of the enum say nothing.
func (p *pass) lengths(key, in, ctype string, minLen, maxLen *uint64, s *openapi3.Schema) {
	if ctype != "str" || s == nil {
		return
	}
	var clientMin uint64
	if minLen != nil {
		clientMin = *minLen
	}
	if len(s.Enum) > 0 {
		within := func(v string, lo uint64, hi *uint64) bool {
			n := uint64(utf8.RuneCountInString(v))
			return n >= lo && (hi == nil || n <= *hi)
		}
		for _, e := range s.Enum {
			if v, ok := e.(string); ok && within(v, clientMin, maxLen) != within(v, s.MinLength, s.MaxLength) {
				p.add(mismatched, key, p.inv.Release, "lengths: client %d..%s, spec %d..%s, which differ on the enum value %q (%s)",
					clientMin, show(maxLen), s.MinLength, show(s.MaxLength), v, in)
				return
			}
		}
		return
	}
	if clientMin != s.MinLength {
		p.add(mismatched, key, p.inv.Release, "minLength: client %d, spec %d (%s)", clientMin, s.MinLength, in)
	}
	if show(maxLen) != show(s.MaxLength) {
		p.add(mismatched, key, p.inv.Release, "maxLength: client %s, spec %s (%s)", show(maxLen), show(s.MaxLength), in)
	}
}

// example walks an example value of a response alongside the client type, and checks that every
// field the client rejects when absent or null is there, not null.
func (p *pass) example(where, ctype string, s *openapi3.SchemaRef, v any, path string) {
	if v == nil || s == nil || s.Value == nil {
		return
	}
	if inner, ok := listOf(ctype); ok {
		items, _ := v.([]any)
		for i, item := range items {
			p.example(where, inner, s.Value.Items, item, fmt.Sprintf("%s[%d]", path, i))
		}
		return
	}
	if inner, ok := dictOf(ctype); ok {
		m, _ := v.(map[string]any)
		for _, k := range sortedKeys(m) {
			sub := s.Value.Properties[k]
			if sub == nil {
				sub = s.Value.AdditionalProperties.Schema
			}
			p.example(where, inner, sub, m[k], path+"."+k)
		}
		return
	}
	fields, isModel := p.inv.Models[ctype]
	m, isObject := v.(map[string]any)
	if !isModel || !isObject { // a wrong shape is kin-openapi's example validation's to report
		return
	}
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		fv, present := m[name]
		at := path + "." + name
		if f.ClientRejectsNull {
			p.examples[where+" "+at] = true
			if fv == nil {
				state := "null"
				if !present {
					state = "absent"
				}
				p.add(exampleNull, where+" "+at, p.inv.Release, "%s, but the client rejects %s.%s when absent or null", state, ctype, name)
			}
		}
		if fv != nil {
			p.example(where, f.Type, s.Value.Properties[name], fv, at)
		}
	}
}

type specOperation struct {
	method, path string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

func specOperations(doc *openapi3.T) map[string]specOperation {
	out := map[string]specOperation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[op.OperationID] = specOperation{method: method, path: path, item: item, op: op}
		}
	}
	return out
}

// param finds a parameter of the operation or of its path.
func (o specOperation) param(in, name string) *openapi3.Parameter {
	if p := o.op.Parameters.GetByInAndName(in, name); p != nil {
		return p
	}
	return o.item.Parameters.GetByInAndName(in, name)
}

// lowestSuccess is the operation's 2xx response with the lowest status.
func lowestSuccess(op *openapi3.Operation) (string, *openapi3.Response) {
	var codes []string
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return "", nil
	}
	slices.Sort(codes)
	r := op.Responses.Value(codes[0])
	if r == nil || r.Value == nil {
		return codes[0], nil
	}
	return codes[0], r.Value
}

func isBinary(s *openapi3.Schema) bool {
	return s.Type.Is(openapi3.TypeString) && s.Format == "binary"
}

func listOf(ctype string) (string, bool) {
	inner, ok := strings.CutPrefix(ctype, "list[")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(inner, "]")
}

func dictOf(ctype string) (string, bool) {
	inner, ok := strings.CutPrefix(ctype, "dict(str, ")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(inner, ")")
}

func specType(s *openapi3.Schema) string {
	t := "untyped"
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		t = strings.Join(s.Type.Slice(), "|")
	}
	if s.Format != "" {
		t += "(" + s.Format + ")"
	}
	return t
}

func show(n *uint64) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
