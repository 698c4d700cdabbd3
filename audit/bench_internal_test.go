package audit

import (
	"context"
	"testing"
)

// BenchmarkBuildInput measures the snapshot → ast.Value conversion alone
// on the large tenant of BenchmarkEvaluate.
func BenchmarkBuildInput(b *testing.B) {
	snap := bigSnapshot(10_000, 2_000, 5_000)
	args := inputArgs{phase: PhaseOperate, profiles: []string{"baseline", "cove", "gradient", "gradient-alerts", "timezest"}}
	for b.Loop() {
		newInputBuilder().build(snap, args)
	}
}

// BenchmarkEvaluateTestPolicies measures the engine's own overhead (input,
// query, validation, join, sort) with the small test policies, which touch
// every role, agent and application once.
func BenchmarkEvaluateTestPolicies(b *testing.B) {
	e := engine(b)
	snap := bigSnapshot(10_000, 2_000, 5_000)
	ctx := context.Background()
	var rep *Report
	var err error
	for b.Loop() {
		if rep, err = e.Evaluate(ctx, snap, Selection{Profiles: []string{SelectAll}}); err != nil {
			b.Fatalf("Evaluate: %v", err)
		}
	}
	b.ReportMetric(float64(len(rep.Results)), "results")
}
