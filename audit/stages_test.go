package audit

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The built-in policies pass every check the engine skips for them, and
// skipping the checks changes nothing the evaluation gives.
func TestBuiltinPoliciesPassEveryCheck(t *testing.T) {
	t.Parallel()
	for _, stage := range builtinChecks() {
		if name := string(stage); !strings.HasPrefix(name, "Check") && name != string(ast.StageBuildRequiredCapabilities) {
			t.Errorf("stage %s is skipped but is not a check", name)
		}
	}
	caps, _ := policyCapabilities()
	_, modules := parsedPolicies(t, policies.FS())
	full := newCompiler(caps)
	if full.Compile(modules); full.Failed() {
		t.Fatalf("the built-in policies fail a check: %v", full.Errors)
	}

	ctx := context.Background()
	e := compiledEngine(t, policies.FS())
	checked := *e
	checked.compiler = full
	var err error
	if checked.main, err = checked.prepare(ctx, mainQuery); err != nil {
		t.Fatal(err)
	}
	snap := bigSnapshot(100, 20, 50)
	input, _, err := e.input(snap, Selection{Profiles: []string{SelectAll}})
	if err != nil {
		t.Fatal(err)
	}
	_, want, err := checked.evalMain(ctx, input, snap.Source.CollectedAt)
	if err != nil {
		t.Fatal(err)
	}
	_, got, err := e.evalMain(ctx, input, snap.Source.CollectedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 || countOf(want) == 0 {
		t.Errorf("skipping the checks changes the results: %d results, %d with every check", countOf(got), countOf(want))
	}
}

// The built-in policies hold nothing the compile stages New skips for
// them would rewrite (builtinUnusedRewrites): no print call, template
// string, rego.metadata call or with. Their tests may.
func TestBuiltinPoliciesUseNoSkippedRewrite(t *testing.T) {
	t.Parallel()
	_, modules := parsedPolicies(t, policies.FS())
	skipped := func(op ast.Ref) bool {
		return op.Equal(ast.Print.Ref()) || op.HasPrefix(ast.MustParseRef("rego.metadata"))
	}
	for _, m := range modules {
		ast.WalkWiths(m, func(w *ast.With) bool {
			t.Errorf("%v: with %v: New skips %s", w.Location, w.Target, ast.StageRewriteWithValues)
			return true
		})
		ast.WalkExprs(m, func(x *ast.Expr) bool {
			if x.IsCall() && skipped(x.Operator()) {
				t.Errorf("%v: %v: New skips its rewrite", x.Location, x)
			}
			return false
		})
		ast.WalkTerms(m, func(x *ast.Term) bool {
			switch v := x.Value.(type) {
			case *ast.TemplateString:
				t.Errorf("%v: template string %v: New skips %s", x.Location, x, ast.StageRewriteTemplateStrings)
			case ast.Call:
				if op, ok := v[0].Value.(ast.Ref); ok && skipped(op) {
					t.Errorf("%v: %v: New skips its rewrite", x.Location, x)
				}
			}
			return false
		})
	}
	if len(modules) == 0 {
		t.Fatal("no built-in module")
	}
}

// The catalog New builds from the parsed modules, before the compile it
// leaves running, is the one the compiled modules give.
func TestCatalogBeforeTheCompileIsTheCompilers(t *testing.T) {
	t.Parallel()
	caps, removed := policyCapabilities()
	for _, fsys := range []fs.FS{policies.FS(), os.DirFS("testdata/policies")} {
		srcs, modules := parsedPolicies(t, fsys)
		builtin := builtinPackages(srcs, modules)
		parsed, err := annotationsOf(modules)
		if err != nil {
			t.Fatal(err)
		}
		before, err := buildCatalog(modules, parsed, builtin)
		if err != nil {
			t.Fatal(err)
		}
		compiler, err := compileModules(srcs, modules, caps, removed)
		if err != nil {
			t.Fatal(err)
		}
		after, err := buildCatalog(compiler.Modules, compiler.GetAnnotationSet(), builtin)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(after, before); diff != "" || len(before) == 0 {
			t.Errorf("catalog before the compile (-compiled +parsed):\n%s", diff)
		}
	}
}

// An engine whose compile New left running answers every call as one
// compiled before New returned, from several goroutines at once (the race
// detector watches).
func TestEngineWaitsForItsCompile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := New(ctx, Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	snap := bigSnapshot(20, 5, 10)
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := e.Plan(Config{}); err != nil {
			t.Error(err)
		}
	})
	wg.Go(func() {
		if len(e.Profiles()) == 0 {
			t.Error("no profiles")
		}
	})
	wg.Go(func() {
		if err := e.ValidateSelection(Selection{Profiles: []string{SelectAll}}); err != nil {
			t.Error(err)
		}
		if err := e.ValidateSelection(Selection{Profiles: []string{"nope"}}); err == nil {
			t.Error("an unknown profile passes")
		}
	})
	wg.Go(func() {
		if p, ok := e.Profile("baseline"); !ok || len(p.Checks) == 0 {
			t.Error("no baseline")
		}
	})
	wg.Go(func() {
		if rep, err := e.Evaluate(ctx, snap, Selection{}); err != nil || len(rep.Results) == 0 {
			t.Errorf("Evaluate: %v", err)
		}
	})
	wg.Wait()
}

// compiledEngine is New of fsys's policies, its compile done: for tests
// that read the engine's compiled fields.
func compiledEngine(t testing.TB, fsys fs.FS) *Engine {
	t.Helper()
	e, err := New(context.Background(), Options{Builtin: fsys})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := e.wait(); err != nil {
		t.Fatalf("compile: %v", err)
	}
	return e
}

// parsedPolicies reads and parses the policies of fsys, as New does.
func parsedPolicies(t *testing.T, fsys fs.FS) ([]source, map[string]*ast.Module) {
	t.Helper()
	caps, removed := policyCapabilities()
	read, err := readPolicies(Options{Builtin: fsys}, false)
	if err != nil {
		t.Fatal(err)
	}
	modules, err := parse(read.rego, caps, removed)
	if err != nil {
		t.Fatal(err)
	}
	return read.rego, modules
}
