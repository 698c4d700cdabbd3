package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/bench"
	"github.com/halolint/halolint/internal/halotest"
)

// curves measures how evaluation grows (audit.Engine.Evaluate in process,
// compile excluded, the best of a few runs): with the tenant at 1, 2, 4
// and 8 eighths of the large one, every profile selected; and with 5, 15
// and 25 profiles (the baseline and the first vendor profiles by name) on
// the large tenant. The goal is growth at most linear: 8 × the tenant at
// most 8 × the time, 5 × the profiles at most 5 × the time.
func (b *runner) curves(ctx context.Context) error {
	const (
		tenantName   = "evaluation curve, tenant 1×, 2×, 4×, 8× (every profile)"
		profilesName = "evaluation curve, 5, 15, 25 profiles (large tenant)"
	)
	if b.engine == nil {
		b.na(tenantName, "8× tenant ≤ 8 × the 1× time", "the policies do not compile")
		b.na(profilesName, "25 profiles ≤ 5 × the time of 5", "the policies do not compile")
		return nil
	}
	runs := max(b.opts.runs/2, 2)
	best := func(snap *halo.Snapshot, profiles []string) (time.Duration, error) {
		d := time.Duration(1<<63 - 1)
		for range runs {
			start := time.Now()
			if _, err := b.engine.Evaluate(ctx, snap, audit.Selection{Profiles: profiles}); err != nil {
				return 0, err
			}
			d = min(d, time.Since(start))
		}
		return d, nil
	}

	var big *halo.Snapshot
	var tenant []time.Duration
	for _, k := range []int{1, 2, 4, 8} {
		spec := bench.BigSpec
		spec.Roles, spec.Applications, spec.Agents = spec.Roles*k/8, spec.Applications*k/8, spec.Agents*k/8
		snap := bench.SnapshotOf(halotest.Generate(spec))
		d, err := best(snap, []string{audit.SelectAll})
		if err != nil {
			return fmt.Errorf("evaluation curve: %w", err)
		}
		b.logf("evaluation curve: %d/8 of the large tenant (%d roles, %d agents, %d applications): %s", k, len(snap.Roles), len(snap.Agents), len(snap.Applications), bench.Dur(d))
		tenant = append(tenant, d)
		big = snap
	}

	vendors := make([]string, 0, len(b.profiles))
	for _, p := range b.profiles {
		if p != "baseline" {
			vendors = append(vendors, p)
		}
	}
	var profiles []time.Duration
	var counts []int
	for _, n := range []int{5, 15, 25} {
		if n-1 > len(vendors) {
			break
		}
		sel := append([]string{"baseline"}, vendors[:n-1]...)
		d, err := best(big, sel)
		if err != nil {
			return fmt.Errorf("evaluation curve: %w", err)
		}
		b.logf("evaluation curve: %d profiles (%s): %s", n, strings.Join(sel, ", "), bench.Dur(d))
		profiles = append(profiles, d)
		counts = append(counts, n)
	}

	ratio := float64(tenant[3]) / float64(tenant[0])
	b.add(bench.Figure{Name: tenantName,
		Measured: fmt.Sprintf("%s, %s, %s, %s (8× / 1× = %.1f)", bench.Dur(tenant[0]), bench.Dur(tenant[1]), bench.Dur(tenant[2]), bench.Dur(tenant[3]), ratio),
		Goal:     "8× tenant ≤ 8 × the 1× time", Status: bench.Verdict(ratio <= 8)})
	if len(profiles) < 2 {
		b.na(profilesName, "25 profiles ≤ 5 × the time of 5", "fewer than 15 profiles in the catalog")
		return nil
	}
	parts := make([]string, len(profiles))
	for i, d := range profiles {
		parts[i] = fmt.Sprintf("%d: %s", counts[i], bench.Dur(d))
	}
	last := len(profiles) - 1
	pr := float64(profiles[last]) / float64(profiles[0])
	allowed := float64(counts[last]) / float64(counts[0])
	b.add(bench.Figure{Name: profilesName,
		Measured: fmt.Sprintf("%s (%d / %d = %.2f)", strings.Join(parts, ", "), counts[last], counts[0], pr),
		Goal:     fmt.Sprintf("%d profiles ≤ %.0f × the time of %d", counts[last], allowed, counts[0]), Status: bench.Verdict(pr <= allowed)})
	return nil
}
