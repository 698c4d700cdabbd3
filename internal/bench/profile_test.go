package bench_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/bench"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/policies"
	"github.com/halolint/halolint/reports"
)

// BenchmarkAuditSnapshot splits `halolint audit --snapshot big.json -o json
// -p all` (figure 2) into its phases, in-process, for profiling:
//
//	go test -run '^$' -bench AuditSnapshot -benchtime 3x -cpuprofile cpu.out ./internal/bench
//	go tool pprof -top internal/bench/bench.test cpu.out
func BenchmarkAuditSnapshot(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "big.json")
	if _, err := bench.WriteSnapshotFile(path, bench.SnapshotOf(halotest.Generate(bench.BigSpec))); err != nil {
		b.Fatal(err)
	}
	snap, err := halo.LoadSnapshotFile(path)
	if err != nil {
		b.Fatal(err)
	}
	engine, err := audit.New(ctx, audit.Options{Builtin: policies.FS()})
	if err != nil {
		b.Skipf("the engine does not compile: %v", err)
	}
	sel := audit.Selection{Profiles: []string{audit.SelectAll}}
	report, err := engine.Evaluate(ctx, snap, sel)
	if err != nil {
		b.Fatal(err)
	}

	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			if _, err := halo.LoadSnapshotFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compile", func(b *testing.B) {
		for b.Loop() {
			if _, err := audit.New(ctx, audit.Options{Builtin: policies.FS()}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if _, err := engine.Evaluate(ctx, snap, sel); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render-json", func(b *testing.B) {
		r, err := reports.New(reports.FormatJSON, reports.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if err := r.Render(io.Discard, report); err != nil {
				b.Fatal(err)
			}
		}
	})
}
