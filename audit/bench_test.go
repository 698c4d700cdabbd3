package audit_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/policies"
)

// realPolicies returns the embedded policies, skipping the test while
// policies/main.rego does not exist yet (the policies are written in
// parallel with the engine). Once it exists, any error is a failure.
func realPolicies(tb testing.TB) fs.FS {
	tb.Helper()
	fsys := policies.FS()
	if _, err := fs.Stat(fsys, "main.rego"); err != nil {
		tb.Skip("policies/main.rego does not exist yet")
	}
	return fsys
}

// BenchmarkEvaluate measures one audit on the large tenant (10,000 roles
// with ~70 claims each, 2,000 applications, 5,000 agents), compile
// excluded: of the five profiles of the first release (baseline, cove,
// gradient, gradient-alerts, timezest: the figure to compare with the
// hand-written Rego they replaced), and of every profile of the catalog.
// Target: under 1 s per evaluation.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	e, err := audit.New(ctx, audit.Options{Builtin: realPolicies(b)})
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	snap := audit.BigSnapshot(10_000, 2_000, 5_000)
	for _, bench := range []struct {
		name     string
		profiles []string
	}{
		{"first-five", []string{"baseline", "cove", "gradient", "gradient-alerts", "timezest"}},
		{"catalog", []string{audit.SelectAll}},
	} {
		b.Run(bench.name, func(b *testing.B) {
			var rep *audit.Report
			for b.Loop() {
				if rep, err = e.Evaluate(ctx, snap, audit.Selection{Profiles: bench.profiles}); err != nil {
					b.Fatalf("Evaluate: %v", err)
				}
			}
			b.ReportMetric(float64(len(rep.Results)), "results")
		})
	}
}
