package probe_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/exoprobe/exoprobe/probe/kb"
)

// hintless are the finding codes that deliberately have no knowledge-base entry, each with the
// reason. Keep it short: a code a helpdesk engineer can meet needs a cause and a fix.
var hintless = map[string]string{
	// check.Result.Skip: the finding's message is the reason the check did not run (an earlier
	// check failed, or an input is missing); the finding of that earlier check carries the hint.
	"skipped": "a skipped check explains itself in its message",
}

// TestEveryFindingCodeHasAHint reads the probe's own source and asserts that every finding code
// a check can emit has an entry in the knowledge base, so that no finding reaches the report
// without a cause and a fix.
func TestEveryFindingCodeHasAHint(t *testing.T) {
	codes := emittedCodes(t, ".")

	// The walk must see the codes it is meant to: literals in findings, codes passed through a
	// helper's parameter (session's own), and codes returned by a classifier (ports' explain).
	for _, want := range []string{"skipped", "host-override", "dns-failed", "banner-unexpected", "port-filtered", "port-blocked-locally", "cancelled"} {
		if _, ok := codes[want]; !ok {
			t.Errorf("the source walk did not find code %q; the walk no longer sees how codes are emitted", want)
		}
	}

	names := make([]string, 0, len(codes))
	for c := range codes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, code := range names {
		t.Run(code, func(t *testing.T) {
			where := codes[code]
			if reason, ok := hintless[code]; ok {
				if kb.Hint(code, nil) != nil {
					t.Errorf("code %q is allowlisted as hint-less (%s) but now has an entry; drop it from hintless", code, reason)
				}
				return
			}
			h := kb.Hint(code, nil)
			if h == nil {
				h = kb.ForCode(code, nil)
			}
			if h == nil {
				t.Errorf("code %q (emitted at %s) has no knowledge-base entry; add one to probe/kb/entries.go", code, strings.Join(where, ", "))
			}
		})
	}
	for code := range hintless {
		if _, ok := codes[code]; !ok {
			t.Errorf("allowlisted code %q is no longer emitted; drop it from hintless", code)
		}
	}
}

// emittedCodes parses every non-test Go file under root and returns the finding codes the checks
// can emit, each with the positions that emit it.
func emittedCodes(t *testing.T, root string) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{} // by directory
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		pkgs[dir] = append(pkgs[dir], f)
		return nil
	})
	if err != nil {
		t.Fatalf("reading the probe source: %v", err)
	}

	out := map[string][]string{}
	for _, files := range pkgs {
		p := newCodePkg(fset, files)
		for _, s := range p.sinks() {
			lits := p.resolve(s.expr, s.fn, map[string]bool{})
			if len(lits) == 0 {
				pos := fset.Position(s.expr.Pos())
				t.Logf("%s:%d: a code the walk cannot follow (computed, or from another package)", filepath.ToSlash(pos.Filename), pos.Line)
			}
			for _, l := range lits {
				if l.val == "" {
					continue // an initial value that a computed code replaces (code := "")
				}
				pos := fset.Position(l.pos)
				at := filepath.ToSlash(pos.Filename) + ":" + strconv.Itoa(pos.Line)
				if !slices.Contains(out[l.val], at) {
					out[l.val] = append(out[l.val], at)
				}
			}
		}
	}
	return out
}

// codePkg is one package's source, indexed for following a code back to its literals.
type codePkg struct {
	fset   *token.FileSet
	files  []*ast.File
	consts map[string]lit             // string constants by name
	funcs  map[string][]*ast.FuncDecl // functions and methods by name (methods of any type)
}

// lit is a string a code expression can have, and where it is written.
type lit struct {
	val string
	pos token.Pos
}

// sink is an expression whose value is a finding code, with the function it appears in.
type sink struct {
	expr ast.Expr
	fn   *ast.FuncDecl
}

func newCodePkg(fset *token.FileSet, files []*ast.File) *codePkg {
	p := &codePkg{fset: fset, files: files, consts: map[string]lit{}, funcs: map[string][]*ast.FuncDecl{}}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				if n.Tok != token.CONST {
					return true
				}
				for _, spec := range n.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := stringLit(vs.Values[i]); ok {
								p.consts[name.Name] = lit{s, vs.Values[i].Pos()}
							}
						}
					}
				}
			case *ast.FuncDecl:
				p.funcs[n.Name.Name] = append(p.funcs[n.Name.Name], n)
			}
			return true
		})
	}
	return p
}

// sinks finds where codes enter findings: the Code field of a check.Finding literal, the code
// argument of (*check.Result).Addf, and the id given to kb.Hint.
func (p *codePkg) sinks() []sink {
	var out []sink
	for _, f := range p.files {
		for _, d := range f.Decls {
			fn, _ := d.(*ast.FuncDecl)
			ast.Inspect(d, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CompositeLit:
					if !isFindingType(n.Type) {
						return true
					}
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
								out = append(out, sink{kv.Value, fn})
							}
						}
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					switch {
					case sel.Sel.Name == "Addf" && len(n.Args) >= 2:
						out = append(out, sink{n.Args[1], fn})
					case sel.Sel.Name == "Hint" && isIdent(sel.X, "kb") && len(n.Args) >= 1:
						out = append(out, sink{n.Args[0], fn})
					}
				}
				return true
			})
		}
	}
	return out
}

// resolve returns the string values e can have inside fn: literals, constants, a parameter
// followed to the arguments of the calls in the package, a variable followed to what is
// assigned to it, and a call's result followed to the function's return statements. What it
// cannot follow (a field, a computed string, a call into another package) yields nothing.
func (p *codePkg) resolve(e ast.Expr, fn *ast.FuncDecl, seen map[string]bool) []lit {
	switch e := e.(type) {
	case *ast.BasicLit:
		if s, ok := stringLit(e); ok {
			return []lit{{s, e.Pos()}}
		}
	case *ast.ParenExpr:
		return p.resolve(e.X, fn, seen)
	case *ast.Ident:
		if fn != nil {
			key := p.fset.Position(fn.Pos()).String() + "#" + e.Name
			if seen[key] {
				return nil
			}
			seen[key] = true
			if i := paramIndex(fn, e.Name); i >= 0 {
				return p.fromCallers(fn, i, seen)
			}
			if vals, ok := p.fromAssignments(fn, e.Name, seen); ok {
				return vals
			}
		}
		if c, ok := p.consts[e.Name]; ok {
			return []lit{c}
		}
	case *ast.CallExpr:
		return p.fromReturns(e, 0, seen)
	}
	return nil
}

// fromCallers resolves parameter i of fn from the arguments of every call to it in the package.
func (p *codePkg) fromCallers(fn *ast.FuncDecl, i int, seen map[string]bool) []lit {
	var out []lit
	for _, f := range p.files {
		for _, d := range f.Decls {
			caller, _ := d.(*ast.FuncDecl)
			ast.Inspect(d, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || calleeName(call) != fn.Name.Name || (fn.Recv == nil) != isPlainCall(call) || i >= len(call.Args) {
					return true
				}
				out = append(out, p.resolve(call.Args[i], caller, seen)...)
				return true
			})
		}
	}
	return out
}

// fromAssignments resolves a local variable of fn from every assignment to it; ok is false when
// fn never assigns the name.
func (p *codePkg) fromAssignments(fn *ast.FuncDecl, name string, seen map[string]bool) (out []lit, ok bool) {
	if fn.Body == nil {
		return nil, false
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if !isIdent(lhs, name) {
					continue
				}
				ok = true
				switch {
				case len(n.Rhs) == len(n.Lhs):
					out = append(out, p.resolve(n.Rhs[i], fn, seen)...)
				case len(n.Rhs) == 1:
					if call, isCall := n.Rhs[0].(*ast.CallExpr); isCall {
						out = append(out, p.fromReturns(call, i, seen)...)
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if id.Name == name && i < len(n.Values) {
					ok = true
					out = append(out, p.resolve(n.Values[i], fn, seen)...)
				}
			}
		}
		return true
	})
	return out, ok
}

// fromReturns resolves result i of a call to a function of the package from its return
// statements (named results are followed through their assignments).
func (p *codePkg) fromReturns(call *ast.CallExpr, i int, seen map[string]bool) []lit {
	var out []lit
	for _, fn := range p.funcs[calleeName(call)] {
		if fn.Body == nil || (fn.Recv == nil) != isPlainCall(call) {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its returns are its own
			case *ast.ReturnStmt:
				if i < len(n.Results) {
					out = append(out, p.resolve(n.Results[i], fn, seen)...)
				} else if len(n.Results) == 0 {
					if name := resultName(fn, i); name != "" {
						out = append(out, p.resolve(ast.NewIdent(name), fn, seen)...)
					}
				}
			}
			return true
		})
	}
	return out
}

func isFindingType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Finding" // inside package check
	case *ast.SelectorExpr:
		return e.Sel.Name == "Finding" && isIdent(e.X, "check")
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// calleeName is the name of the function or method a call names.
func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// isPlainCall reports a call of a package-level function by its bare name.
func isPlainCall(call *ast.CallExpr) bool {
	_, ok := call.Fun.(*ast.Ident)
	return ok
}

// paramIndex is the position of the named parameter of fn, or -1.
func paramIndex(fn *ast.FuncDecl, name string) int {
	i := 0
	for _, field := range fn.Type.Params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, n := range field.Names {
			if n.Name == name {
				return i
			}
			i++
		}
	}
	return -1
}

// resultName is the name of result i of fn, or "" when results are unnamed.
func resultName(fn *ast.FuncDecl, i int) string {
	if fn.Type.Results == nil {
		return ""
	}
	j := 0
	for _, field := range fn.Type.Results.List {
		if len(field.Names) == 0 {
			return ""
		}
		for _, n := range field.Names {
			if j == i {
				return n.Name
			}
			j++
		}
	}
	return ""
}
