package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
)

// tenantFlags say where a command that judges a tenant reads it: the
// snapshot named by --snapshot, else the live tenant of the environment.
type tenantFlags struct {
	live     liveFlags
	snapshot string
}

func (f *tenantFlags) bind(fs *pflag.FlagSet, what string) {
	fs.StringVar(&f.snapshot, "snapshot", "", what+" the snapshot in `FILE` (written by 'halolint snapshot') instead of the live tenant")
	f.live.bind(fs)
}

// read calls prepare (compiling the policies, reading the config), then
// reads the tenant as audit does: a snapshot is decoded while the policies
// compile, each taking a core for a while, and a policy or config error
// still comes first; a live tenant is read only once prepare succeeded
// and the config was checked against the engine's catalog, so that no
// request is spent on a run that would stop at a bad flag (the plan
// itself is asked for once the lists are read: planOf).
func (f *tenantFlags) read(ctx context.Context, env *cmdEnv, prepare func() (*audit.Engine, audit.Config, error)) (*audit.Engine, audit.Config, *halo.Snapshot, audit.ReportSource, error) {
	var none audit.ReportSource
	if f.snapshot == "" {
		if err := f.live.validate(); err != nil {
			return nil, audit.Config{}, nil, none, err
		}
		engine, cfg, err := prepare()
		if err != nil {
			return nil, audit.Config{}, nil, none, err
		}
		plan, err := planOf(engine, cfg, false)
		if err != nil {
			return nil, audit.Config{}, nil, none, err
		}
		snap, err := f.live.collect(ctx, env, plan)
		if err != nil {
			return nil, audit.Config{}, nil, none, err
		}
		return engine, cfg, snap, audit.ReportSource{Kind: "live", URL: snap.Source.URL, CollectedAt: snap.Source.CollectedAt}, nil
	}
	type loaded struct {
		snap *halo.Snapshot
		err  error
	}
	snapshot := make(chan loaded, 1)
	go func() {
		snap, err := halo.LoadSnapshotFile(f.snapshot)
		snapshot <- loaded{snap, err}
	}()
	engine, cfg, err := prepare()
	got := <-snapshot
	if err != nil {
		return nil, audit.Config{}, nil, none, err
	}
	if got.err != nil {
		return nil, audit.Config{}, nil, none, got.err
	}
	snap := got.snap
	return engine, cfg, snap, audit.ReportSource{Kind: "snapshot", URL: snap.Source.URL, CollectedAt: snap.Source.CollectedAt, File: f.snapshot}, nil
}
