package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

type snapshotOptions struct {
	live   liveFlags
	policy policyFlags
	out    string
	full   bool
}

func newSnapshotCmd(env *cmdEnv) *cobra.Command {
	var opts snapshotOptions
	cmd := &cobra.Command{
		Use:   "snapshot --out FILE",
		Short: "Read the tenant read-only and write its redacted snapshot (JSON)",
		Long: `snapshot reads the roles, agents, applications, Category 1 values and the allowlisted
settings of the tenant named by HALO_URL and writes them as JSON, without any secret,
so that 'halolint audit --snapshot FILE' can judge them later or somewhere else. A
snapshot is safe to attach to a support ticket.`,
		Example: `  halolint snapshot --out tenant.json
  halolint snapshot --full --out - | jq '.roles[].name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSnapshot(cmd, env, &opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.out, "out", "", "write the snapshot to `FILE` (- for standard output)")
	fs.BoolVar(&opts.full, "full", false, "read every role's and agent's details, not only those the checks need")
	opts.live.bind(fs)
	opts.policy.bindConfig(fs)
	opts.policy.bindPolicyDirs(fs)
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runSnapshot(cmd *cobra.Command, env *cmdEnv, opts *snapshotOptions) error {
	if err := opts.live.validate(); err != nil {
		return err
	}
	if opts.out != "-" {
		if err := checkOutputPath(opts.out); err != nil {
			return usageErrorf("--out %s: %v", opts.out, err)
		}
	}
	ctx := cmd.Context()
	engine, cfg, err := opts.policy.load(ctx, env)
	if err != nil {
		return err
	}
	plan, err := planOf(engine, cfg, opts.full)
	if err != nil {
		return err
	}
	snap, collectErr := opts.live.collect(ctx, env, plan)
	if snap == nil {
		return collectErr
	}
	write := func(w io.Writer) error { return halo.WriteSnapshot(w, snap) }
	if opts.out == "-" {
		err = write(env.stdout)
	} else {
		err = writeFileAtomically(opts.out, write)
	}
	if err != nil {
		return err
	}
	reportCollectionErrors(env, snap.CollectionErrors)
	reportNotices(env, snap.Notices)
	if opts.out != "-" {
		fmt.Fprintf(env.stderr, "wrote %s: %d roles, %d agents, %d applications, %d requests\n",
			opts.out, len(snap.Roles), len(snap.Agents), len(snap.Applications), snap.RequestCount)
	}
	return cutShort(collectErr, nil)
}

// reportCollectionErrors lists on standard error what could not be read.
func reportCollectionErrors(env *cmdEnv, errs []halo.CollectionError) {
	for _, ce := range errs {
		fmt.Fprintf(env.stderr, "halolint: %s\n", collectionErrorText(ce.Endpoint, ce.Status, ce.Message))
	}
}

// collectionErrorText is one collection error as audit and snapshot print
// it: "could not read /api/Control (403): ...", made printable (the
// message may quote the server, the snapshot may have been edited).
func collectionErrorText(endpoint string, status int, message string) string {
	answer := "no answer"
	if status != 0 {
		answer = fmt.Sprint(status)
	}
	return fmt.Sprintf("could not read %s (%s): %s", reports.Printable(endpoint), answer, reports.Printable(message))
}

// reportNotices lists on standard error what is not an error but changes
// how the results read: an empty roles list most likely means the auditor
// may not see roles, not that there are none. (snapshot has no report to
// hold them; audit's report has them.)
func reportNotices(env *cmdEnv, notices []halo.Notice) {
	for _, n := range notices {
		fmt.Fprintln(env.stderr, noticeLine(n.Endpoint, n.Message))
	}
}

// noticeLine is one notice as audit and snapshot print it on standard
// error: "halolint: note: /api/Roles: ...", made printable.
func noticeLine(endpoint, message string) string {
	return "halolint: note: " + reports.Printable(endpoint) + ": " + reports.Printable(message)
}
