package bench_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/internal/bench"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
)

// TestRegoProfile prints where the policies spend their time on the big
// snapshot of figure 2, expression by expression (OPA's profiler, the
// same as `opa eval --profile`). It runs only when asked:
//
//	HALOBENCH_REGO_PROFILE=1 go test -run RegoProfile -v ./internal/bench
func TestRegoProfile(t *testing.T) {
	if os.Getenv("HALOBENCH_REGO_PROFILE") == "" {
		t.Skip("set HALOBENCH_REGO_PROFILE=1")
	}
	ctx := context.Background()
	snap := bench.SnapshotOf(halotest.Generate(bench.BigSpec))
	profiles := []string{"baseline", "cove", "gradient", "gradient-alerts", "timezest"}
	input, err := ast.InterfaceToValue(bench.InputDocument(snap, "operate", profiles, profiles))
	if err != nil {
		t.Fatal(err)
	}
	var opts []func(*rego.Rego)
	err = fs.WalkDir(policies.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		data, err := fs.ReadFile(policies.FS(), path)
		opts = append(opts, rego.Module(path, string(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := profiler.New()
	pq, err := rego.New(append(opts, rego.Query("data.halolint.main.results"))...).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := pq.Eval(ctx, rego.EvalParsedInput(input)); err != nil {
		t.Fatal(err)
	}
	t.Logf("evaluation without profiler: %v", time.Since(start))
	start = time.Now()
	if _, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(p)); err != nil {
		t.Fatal(err)
	}
	t.Logf("evaluation with profiler: %v", time.Since(start))
	for _, s := range p.ReportTopNResults(25, []string{"total_time_ns"}) {
		t.Logf("%8.0f ms  evals %7d  %s:%d", float64(s.ExprTimeNs)/1e6, s.NumEval, s.Location.File, s.Location.Row)
	}
}
