package audit

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
)

// TestRegoProfile prints where evaluation time goes in the embedded
// policies on the large tenant of BenchmarkEvaluate: the costliest Rego
// expressions with their evaluation counts, then each profile alone. It
// is a tool for policy authors, run on demand:
//
//	HALOLINT_REGO_PROFILE=1 go test -run TestRegoProfile -v ./audit
//
// HALOLINT_REGO_PROFILE_ONLY=baseline,cove profiles those profiles alone.
// HALOLINT_REGO_POLICIES=DIR profiles a working copy of the policies
// instead, to measure a change before making it.
func TestRegoProfile(t *testing.T) {
	if os.Getenv("HALOLINT_REGO_PROFILE") == "" {
		t.Skip("set HALOLINT_REGO_PROFILE=1 to profile the policies")
	}
	ctx := context.Background()
	fsys := policies.FS()
	if dir := os.Getenv("HALOLINT_REGO_POLICIES"); dir != "" {
		fsys = os.DirFS(dir)
	}
	e := compiledEngine(t, fsys)
	snap := bigSnapshot(10_000, 2_000, 5_000)
	names := e.profileNames()

	eval := func(selected []string, opts ...rego.EvalOption) time.Duration {
		input := newInputBuilder().build(snap, inputArgs{phase: PhaseOperate, explicit: selected, profiles: names})
		start := time.Now()
		if _, err := e.main.Eval(ctx, append(opts, rego.EvalParsedInput(input))...); err != nil {
			t.Fatalf("Eval: %v", err)
		}
		return time.Since(start)
	}

	top := 30
	if n, err := strconv.Atoi(os.Getenv("HALOLINT_REGO_PROFILE_TOP")); err == nil && n > 0 {
		top = n
	}
	profiled := names
	if only := os.Getenv("HALOLINT_REGO_PROFILE_ONLY"); only != "" {
		profiled = strings.Split(only, ",")
	}
	p := profiler.New()
	t.Logf("%v, with the profiler: %v", profiled, eval(profiled, rego.EvalQueryTracer(p)))
	for _, s := range p.ReportTopNResults(top, []string{"total_time_ns"}) {
		t.Logf("%7.0f ms  evals %7d  %s:%d  %s", float64(s.ExprTimeNs)/1e6, s.NumEval, s.Location.File, s.Location.Row, strings.TrimSpace(string(s.Location.Text)))
	}
	t.Logf("all profiles: %v", eval(names))
	for _, name := range names {
		t.Logf("%s alone: %v", name, eval([]string{name}))
	}
}
