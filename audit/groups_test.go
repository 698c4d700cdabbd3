package audit

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/halolint/halolint/policies"
)

// Evaluating the baseline's parts and the vendor profiles as queries at
// once gives exactly the one aggregate query's selection and results.
func TestGroupsGiveWhatTheAggregateQueryGives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := New(ctx, Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	snap := bigSnapshot(200, 40, 100)
	for _, sel := range []Selection{
		{},
		{Profiles: []string{SelectAll}},
		{Profiles: []string{"baseline", "cove"}},
		{Profiles: []string{"baseline"}},         // its parts alone
		{Profiles: []string{"cove", "timezest"}}, // no baseline
		{Profiles: []string{"cove"}},             // one query
	} {
		input, _, err := e.input(snap, sel)
		if err != nil {
			t.Fatal(err)
		}
		at := snap.Source.CollectedAt
		gotSel, got, err := e.evalResults(ctx, input, at)
		if err != nil {
			t.Fatal(err)
		}
		wantSel, want, err := e.evalMain(ctx, input, at)
		if err != nil {
			t.Fatal(err)
		}
		others := len(gotSel)
		parts := 0
		if slices.Contains(gotSel, "baseline") {
			others, parts = others-1, 2
		}
		if n := len(e.resultQueries(gotSel)); n != parts+min(runtime.GOMAXPROCS(0), others) {
			t.Errorf("selection %v: %d queries, want one per baseline part and the others over the cores", sel.Profiles, n)
		}
		if !slices.Equal(gotSel, wantSel) || got.Compare(want) != 0 || countOf(want) == 0 {
			t.Errorf("selection %v: grouped %v with %d results, aggregate %v with %d", sel.Profiles, gotSel, countOf(got), wantSel, countOf(want))
		}
	}
}
