package code

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"testing"
)

// TestAllListsEveryCode reads code.go and holds All to the constants it declares: each one
// listed exactly once, and nothing else listed.
func TestAllListsEveryCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "code.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{} // constant name to how often All lists it
	var all *ast.CompositeLit
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			switch {
			case gd.Tok == token.CONST:
				// A code is typed check.Code, or names a constant of package check (Skipped).
				for i, n := range vs.Names {
					if isSel(vs.Type, "check", "Code") || (vs.Type == nil && i < len(vs.Values) && isSel(vs.Values[i], "check", "")) {
						codes[n.Name] = 0
					}
				}
			case gd.Tok == token.VAR && len(vs.Names) == 1 && vs.Names[0].Name == "All":
				all, _ = vs.Values[0].(*ast.CompositeLit)
			}
		}
	}
	if all == nil || len(codes) == 0 {
		t.Fatalf("code.go declares %d codes and All is %v; the test no longer reads the file", len(codes), all)
	}
	for _, el := range all.Elts {
		id, ok := el.(*ast.Ident)
		if !ok {
			t.Errorf("All lists %s; list the constants declared in code.go by name", types.ExprString(el))
			continue
		}
		if _, declared := codes[id.Name]; !declared {
			t.Errorf("All lists %s, which is not a code declared in code.go", id.Name)
			continue
		}
		if codes[id.Name]++; codes[id.Name] == 2 {
			t.Errorf("All lists %s more than once", id.Name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(codes)) {
		if codes[name] == 0 {
			t.Errorf("code %s is declared but not listed in All", name)
		}
	}

	// Two names for one value would make the knowledge base's table test pass twice for one code.
	seen := map[string]bool{}
	for _, c := range All {
		if seen[string(c)] {
			t.Errorf("All holds %q twice", c)
		}
		seen[string(c)] = true
	}
}

// isSel reports whether e is pkg.name (any name when name is "").
func isSel(e ast.Expr, pkg, name string) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := s.X.(*ast.Ident)
	return ok && x.Name == pkg && (name == "" || s.Sel.Name == name)
}
