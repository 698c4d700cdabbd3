package audit

import (
	"context"
	"testing"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The engine's index (index.go) and the Rego library's own look-ups must
// give one answer: the whole result set of every profile is compared,
// evaluated with the index and with it taken out of the input.
func TestIndexAgreesWithTheRegoLibrary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := New(ctx, Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	snap := bigSnapshot(300, 60, 150)
	// What the index must get right beside plain names: a role listed
	// twice (the first copy wins), names with spaces and capitals, a
	// keyword in the middle of a name, an agent ID the applications log in as.
	snap.Roles = append(snap.Roles, halo.Role{ID: snap.Roles[1].ID, Name: "Second copy", Detailed: true})
	snap.Roles[5].Name = "  the GRADIENT msp role "
	snap.Agents[6].Name = " Liongard  "
	snap.Applications[5].DisplayName = "HUDU sync"

	named := Config{Profiles: map[string]ProfileNames{
		"cove":     {Application: "cove-halopsa", Agent: "COVE API", Role: "timezest"},
		"liongard": {Agent: "liongard"},
		"hudu":     {Role: "role 00007", Application: "no such application"},
	}}
	for _, sel := range []Selection{
		{Profiles: []string{SelectAll}},
		{Profiles: []string{SelectAll}, Config: named},
		{},
	} {
		input, _, err := e.input(snap, sel)
		if err != nil {
			t.Fatal(err)
		}
		without := ast.NewObject()
		input.(ast.Object).Foreach(func(k, v *ast.Term) {
			if k.Value.Compare(ast.String("index")) != 0 {
				without.Insert(k, v)
			}
		})
		if without.Len() != input.(ast.Object).Len()-1 {
			t.Fatal("the input has no index to take out")
		}
		at := snap.Source.CollectedAt
		gotSel, got, err := e.evalMain(ctx, input, at)
		if err != nil {
			t.Fatal(err)
		}
		wantSel, want, err := e.evalMain(ctx, without, at)
		if err != nil {
			t.Fatal(err)
		}
		if n := countOf(want); n < 100 || got.Compare(want) != 0 || len(gotSel) != len(wantSel) {
			t.Errorf("selection %v: %d results with the index, %d without (selected %v and %v); they must be the same",
				sel.Profiles, countOf(got), n, gotSel, wantSel)
		}
	}
}

func countOf(v ast.Value) int {
	switch x := v.(type) {
	case ast.Set:
		return x.Len()
	case *ast.Array:
		return x.Len()
	}
	return 0
}
