package api_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ubiops/ubiops-go/gen"
)

// goName mirrors oapi-codegen's ToCamelCaseWithInitialisms for operationIds (snake_case words).
func goName(operationID string) string {
	initialisms := map[string]string{"id": "ID", "ids": "IDs", "url": "URL", "uuid": "UUID", "cpu": "CPU", "gpu": "GPU", "api": "API", "ip": "IP", "http": "HTTP"}
	var b strings.Builder
	for _, w := range strings.Split(operationID, "_") {
		if up, ok := initialisms[w]; ok {
			b.WriteString(up)
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// TestGeneratedClientCoversSpec fails when gen/ lacks a method for an operation in the spec, or has
// one for an operation the spec no longer describes (a stale generation).
func TestGeneratedClientCoversSpec(t *testing.T) {
	doc := loadSpec(t)
	want := map[string]bool{}
	for id := range operations(doc) {
		want[goName(id)] = true
	}

	raw := reflect.TypeOf((*gen.ClientInterface)(nil)).Elem()
	has := func(typ reflect.Type, name string) bool { _, ok := typ.MethodByName(name); return ok }

	var missing []string
	for name := range want {
		if !has(raw, name) && !has(raw, name+"WithBody") {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "gen/ has no method for these operations; run make generate")

	var stale []string
	for i := 0; i < raw.NumMethod(); i++ {
		name := strings.TrimSuffix(strings.TrimSuffix(raw.Method(i).Name, "WithTextBody"), "WithBody")
		if !want[name] {
			stale = append(stale, raw.Method(i).Name)
		}
	}
	sort.Strings(stale)
	assert.Empty(t, stale, "gen/ has methods for operations the spec does not describe")
}
