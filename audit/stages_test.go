package audit

import (
	"context"
	"strings"
	"testing"

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
	caps, removed := policyCapabilities()
	read, err := readPolicies(Options{Builtin: policies.FS()}, false)
	if err != nil {
		t.Fatal(err)
	}
	modules, err := parse(read.rego, caps, removed)
	if err != nil {
		t.Fatal(err)
	}
	full := newCompiler(caps)
	if full.Compile(modules); full.Failed() {
		t.Fatalf("the built-in policies fail a check: %v", full.Errors)
	}

	ctx := context.Background()
	e, err := New(ctx, Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	checked := *e
	checked.compiler = full
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
