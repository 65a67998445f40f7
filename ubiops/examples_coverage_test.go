package ubiops_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// exampleCoveragePackages are the packages whose exported names must each have a runnable example
// or appear in one (pkg.go.dev shows the examples next to the names), by directory relative to
// this one, with their import paths.
var exampleCoveragePackages = []struct{ dir, path string }{
	{".", "github.com/ubiops/ubiops-go/ubiops"},
	{"ubiopstest", "github.com/ubiops/ubiops-go/ubiops/ubiopstest"},
}

// TestEveryExportedNameHasAnExample fails listing each exported function, type, constant, variable
// and method (as Type.Method) of packages ubiops and ubiopstest that no Example function shows.
//
// A name is shown by an Example function when
//   - the example is named for it: ExampleX and ExampleX_suffix show X, ExampleX_Method and
//     ExampleX_Method_suffix show X and X.Method (names of the package whose directory holds the
//     example);
//   - its body refers to it: pkg.X through an import of the package (or a bare X in an example
//     compiled into the package itself);
//   - for a method, its body selects a field or method of that name on any value (x.Method) and
//     its file imports the method's package (or is compiled into it). Matching by name alone is
//     deliberate: the check stays a parse, with no type-checking of the examples;
//   - for the methods that make a type satisfy a standard interface (Error, Unwrap, Is and As of
//     error types, Timeout of net.Error, String of fmt.Stringer, and JSON and text marshalling),
//     its type is shown: examples use them through errors.Is, errors.As and fmt, never by name.
//
// The sentinel errors (Err*) are required like any other name; Example_errorClasses shows them
// all, the way a program sorts failures with errors.Is.
//
// Excluded, because their documentation lives elsewhere:
//   - in ubiops/types.go, the type aliases of package gen's models, parameters and enumerations
//     (type X = gen.X) and the constants equal to gen's enumeration values (X = gen.X): some 400
//     names, each documented in package gen, which pkg.go.dev links the aliases to. The other
//     names of types.go (Time, UUID, Nullable, Value, ...) are required like any other;
//   - ubiopstest's Op* constants, the operation ids of the API (one per operation): they are
//     excluded one by one, but at least one of them must appear in an example, so that the way
//     to use them is shown.
//
// Methods of unexported types and methods of interfaces (documented with their interface type)
// are not listed.
func TestEveryExportedNameHasAnExample(t *testing.T) {
	fset := token.NewFileSet()
	var (
		required []string            // "pkgpath.Name" or "pkgpath.Type.Method"
		shown    = map[string]bool{} // same keys
		opShown  bool
	)
	// Per package: the exported names, and the exported methods by method name.
	methodsByName := map[string]map[string][]string{} // pkgpath -> method name -> ["Type.Method"]
	opConsts := map[string]bool{}                     // "pkgpath.OpX"
	implicit := map[string]string{}                   // "pkgpath.Type.Error" -> "pkgpath.Type"
	const opPkg = "github.com/ubiops/ubiops-go/ubiops/ubiopstest"

	type example struct {
		pkgPath string // the package of the example's directory
		decl    *ast.FuncDecl
		imports map[string]string // local name -> import path, of the example's file
		inPkg   bool              // the file is compiled into the package itself (not pkg_test)
	}
	var examples []example

	for _, p := range exampleCoveragePackages {
		methodsByName[p.path] = map[string][]string{}
		entries, err := os.ReadDir(p.dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(p.dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, "_test.go") {
				imports := map[string]string{}
				for _, imp := range f.Imports {
					path, _ := strconv.Unquote(imp.Path.Value)
					local := path[strings.LastIndex(path, "/")+1:]
					if imp.Name != nil {
						local = imp.Name.Name
					}
					imports[local] = path
				}
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && isExampleName(fd.Name.Name) {
						examples = append(examples, example{p.path, fd, imports, !strings.HasSuffix(f.Name.Name, "_test")})
					}
				}
				continue
			}
			typesGo := p.dir == "." && name == "types.go"
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() {
						continue
					}
					if d.Recv == nil {
						required = append(required, p.path+"."+d.Name.Name)
						continue
					}
					recv := receiverTypeName(d.Recv.List[0].Type)
					if !ast.IsExported(recv) {
						continue
					}
					m := recv + "." + d.Name.Name
					required = append(required, p.path+"."+m)
					if standardInterfaceMethods[d.Name.Name] {
						implicit[p.path+"."+m] = p.path + "." + recv
					}
					methodsByName[p.path][d.Name.Name] = append(methodsByName[p.path][d.Name.Name], m)
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() || (typesGo && s.Assign.IsValid() && isGenSelector(s.Type)) {
								continue // excluded: an alias of a gen model, parameter or enumeration
							}
							required = append(required, p.path+"."+s.Name.Name)
						case *ast.ValueSpec:
							for i, n := range s.Names {
								if !n.IsExported() {
									continue
								}
								if typesGo && d.Tok == token.CONST && i < len(s.Values) && isGenSelector(s.Values[i]) {
									continue // excluded: an enumeration value of package gen
								}
								if p.path == opPkg && d.Tok == token.CONST && isOpName(n.Name) {
									opConsts[p.path+"."+n.Name] = true
									continue // excluded one by one; at least one must be shown
								}
								required = append(required, p.path+"."+n.Name)
							}
						}
					}
				}
			}
		}
	}
	if len(examples) == 0 || len(required) == 0 {
		t.Fatalf("found %d examples and %d exported names: the check is looking in the wrong place", len(examples), len(required))
	}

	for _, ex := range examples {
		// The example's own name: ExampleX, ExampleX_Method, ExampleX_suffix, ExampleX_Method_suffix.
		parts := strings.Split(strings.TrimPrefix(ex.decl.Name.Name, "Example"), "_")
		if parts[0] != "" {
			shown[ex.pkgPath+"."+parts[0]] = true
			if len(parts) > 1 && startsUpper(parts[1]) {
				shown[ex.pkgPath+"."+parts[0]+"."+parts[1]] = true
			}
		}
		// Its body.
		selected := map[string]bool{} // names selected on values: x.Name
		ast.Inspect(ex.decl.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok {
					if path, ok := ex.imports[id.Name]; ok {
						shown[path+"."+n.Sel.Name] = true
						if opConsts[path+"."+n.Sel.Name] {
							opShown = true
						}
						return true
					}
				}
				selected[n.Sel.Name] = true
			case *ast.Ident:
				if ex.inPkg && n.IsExported() {
					shown[ex.pkgPath+"."+n.Name] = true
				}
			}
			return true
		})
		imported := map[string]bool{ex.pkgPath: ex.inPkg}
		for _, path := range ex.imports {
			imported[path] = true
		}
		for path := range imported {
			for name := range selected {
				for _, m := range methodsByName[path][name] {
					shown[path+"."+m] = true
				}
			}
		}
	}

	for m, typ := range implicit {
		shown[m] = shown[m] || shown[typ]
	}

	var missing []string
	for _, r := range required {
		if !shown[r] {
			missing = append(missing, strings.TrimPrefix(r, "github.com/ubiops/ubiops-go/"))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d exported names have no example that shows them (name an Example function for them, or use them in one):\n\t%s",
			len(missing), len(required), strings.Join(missing, "\n\t"))
	}
	if len(opConsts) > 0 && !opShown {
		t.Errorf("no example uses an ubiopstest Op* constant (an operation id); show one, as in a Fault or a knob")
	}
}

// standardInterfaceMethods are the methods through which a type satisfies a standard interface.
var standardInterfaceMethods = map[string]bool{
	"Error": true, "Unwrap": true, "Is": true, "As": true, // error, errors.Is, errors.As
	"Timeout":     true, // net.Error
	"String":      true, // fmt.Stringer
	"MarshalJSON": true, "UnmarshalJSON": true, "MarshalText": true, "UnmarshalText": true,
}

// isExampleName reports whether name is an Example function's name, as go test sees it.
func isExampleName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Example")
	return ok && (rest == "" || !unicode.IsLower(firstRune(rest)))
}

// receiverTypeName returns the type name of a method receiver: T, *T, T[P] or *T[P].
func receiverTypeName(expr ast.Expr) string {
	for {
		switch e := expr.(type) {
		case *ast.StarExpr:
			expr = e.X
		case *ast.IndexExpr:
			expr = e.X
		case *ast.IndexListExpr:
			expr = e.X
		case *ast.ParenExpr:
			expr = e.X
		case *ast.Ident:
			return e.Name
		default:
			return ""
		}
	}
}

// isGenSelector reports whether expr is gen.Name.
func isGenSelector(expr ast.Expr) bool {
	sel, ok := expr.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "gen"
}

// isOpName reports whether name is an operation id constant's: Op followed by a capital.
func isOpName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Op")
	return ok && startsUpper(rest)
}

func startsUpper(s string) bool { return s != "" && unicode.IsUpper(firstRune(s)) }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
