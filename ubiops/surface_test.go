package ubiops

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryExportedNameIsDocumented keeps pkg.go.dev complete: every exported function, type,
// method, constant and variable has a doc comment (a group comment counts for grouped declarations).
func TestEveryExportedNameIsDocumented(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			f, err := parser.ParseFile(fset, e.Name(), nil, parser.ParseComments)
			require.NoError(t, err)
			files = append(files, f)
		}
	}
	p, err := doc.NewFromFiles(fset, files, "github.com/ubiops/ubiops-go/ubiops", doc.AllDecls)
	require.NoError(t, err)

	var missing []string
	documented := func(d string, decl *ast.GenDecl) bool { return d != "" || (decl != nil && decl.Doc != nil) }
	checkValues := func(vals []*doc.Value) {
		for _, v := range vals {
			if !documented(v.Doc, v.Decl) {
				for _, n := range v.Names {
					if ast.IsExported(n) {
						missing = append(missing, n)
					}
				}
			}
		}
	}
	checkFuncs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			if ast.IsExported(f.Name) && f.Doc == "" {
				missing = append(missing, prefix+f.Name)
			}
		}
	}
	checkValues(p.Consts)
	checkValues(p.Vars)
	checkFuncs("", p.Funcs)
	for _, typ := range p.Types {
		if !ast.IsExported(typ.Name) {
			continue
		}
		if !documented(typ.Doc, typ.Decl) {
			missing = append(missing, typ.Name)
		}
		checkValues(typ.Consts)
		checkValues(typ.Vars)
		checkFuncs("", typ.Funcs)
		checkFuncs(typ.Name+".", typ.Methods)
	}
	sort.Strings(missing)
	assert.Empty(t, missing, "exported names without a doc comment")
}

// TestGeneratedTypesAreReexported: users never import package gen, so every model, parameter and
// enumeration type it declares (and every enumeration value) has an alias here.
func TestGeneratedTypesAreReexported(t *testing.T) {
	genSrc, err := os.ReadFile("../gen/ubiops.gen.go")
	require.NoError(t, err)
	ours, err := os.ReadFile("types.go")
	require.NoError(t, err)

	internal := regexp.MustCompile(`(HTTPResponse|HTTPResponse\d+Headers|JSONRequestBody|JSONBody|TextRequestBody|TextBody|MultipartBody|MultipartRequestBody|RequestEditorFn|ClientOption|HttpRequestDoer|Interface)$`)
	// Shared error responses and client types are the generated layer's own business.
	skip := map[string]bool{"Client": true, "ClientWithResponses": true, "OperationRecorder": true, "operationRecorderKey": true, "BadRequest": true, "Conflict": true, "Forbidden": true,
		"InternalServerError": true, "NotFound": true, "TooManyRequests": true, "Unauthorized": true}

	var missing []string
	for _, m := range regexp.MustCompile(`(?m)^type (\w+) `).FindAllSubmatch(genSrc, -1) {
		name := string(m[1])
		if internal.MatchString(name) || skip[name] {
			continue
		}
		if !regexp.MustCompile(`(?m)^\t` + name + ` += gen\.` + name + `$`).Match(ours) {
			missing = append(missing, "type "+name)
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^\t(\w+)\s+\w+\s+=\s+"[^"]*"$`).FindAllSubmatch(genSrc, -1) {
		name := string(m[1])
		if !regexp.MustCompile(`(?m)^\t` + name + ` += gen\.` + name + `$`).Match(ours) {
			missing = append(missing, "const "+name)
		}
	}
	assert.Empty(t, missing, "generated names with no alias in types.go")
}
