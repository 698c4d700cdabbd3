package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

// auditFlags are the flags of audit and demo.
type auditFlags struct {
	profiles []string
	phase    string
	outputs  []string
	failOn   string
	color    string
	quiet    bool
	previous string
	policy   policyFlags
}

func (f *auditFlags) bind(cmd *cobra.Command) {
	fs := cmd.Flags()
	// The profile names are the engine's; listing them here would mean
	// compiling the policies for every --help.
	fs.StringSliceVarP(&f.profiles, "profile", "p", nil, "profiles to audit, comma-separated: any `NAME` 'halolint profiles' lists, or all (default baseline plus every profile whose application is found)")
	fs.StringVar(&f.phase, "phase", string(audit.PhaseOperate), "operate or setup: setup allows the permissions a vendor needs only while it is being set up")
	fs.StringArrayVarP(&f.outputs, "output", "o", nil, "output `FORMAT` or FORMAT=PATH, repeatable: "+strings.Join(reports.Formats(), ", ")+" (default table)")
	fs.StringVar(&f.failOn, "fail-on", string(audit.FailOnFail), "which results make the exit code 1: fail, warn or never")
	fs.StringVar(&f.color, "color", string(colorAuto), "colour the table: auto, always or never (NO_COLOR is honoured)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print only the results at or above --fail-on (and errors), the notices and the summary")
	fs.StringVar(&f.previous, "previous", "", "compare with the JSON report of an earlier run in `FILE`: findings are marked new or unchanged, fixed ones listed, and --fail-on counts only new ones")
	f.policy.bindPolicyDirs(fs)
	f.policy.bindConfig(fs)
	_ = cmd.RegisterFlagCompletionFunc("phase", cobra.FixedCompletions([]string{"operate", "setup"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"fail", "warn", "never"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("profile", completeProfileList(&f.policy.dirs))
}

// auditRun is an audit's parsed and validated flags.
type auditRun struct {
	phase   audit.Phase
	outputs []outputSpec
	failOn  audit.FailOn
	color   colorMode
}

func (f *auditFlags) validate() (auditRun, error) {
	var run auditRun
	switch p := audit.Phase(f.phase); p {
	case audit.PhaseOperate, audit.PhaseSetup:
		run.phase = p
	default:
		return run, usageErrorf("--phase: %q is not one of operate, setup", f.phase)
	}
	failOn, err := audit.ParseFailOn(f.failOn)
	if err != nil {
		return run, usageErrorf("--fail-on: %v", err)
	}
	run.failOn = failOn
	if run.color, err = parseColorMode(f.color); err != nil {
		return run, err
	}
	if run.outputs, err = parseOutputs(f.outputs); err != nil {
		return run, err
	}
	return run, nil
}

func (f *auditFlags) profileNames() []string {
	var names []string
	for _, p := range f.profiles {
		if p = strings.TrimSpace(p); p != "" {
			names = append(names, strings.ToLower(p))
		}
	}
	return names
}

type auditOptions struct {
	auditFlags
	live     liveFlags
	snapshot string
}

func newAuditCmd(env *cmdEnv) *cobra.Command {
	var opts auditOptions
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Read the tenant read-only, evaluate the profiles, print the report",
		Long: `audit reads the tenant named by HALO_URL read-only (or a snapshot written earlier by
'halolint snapshot') and judges each integration's role, agent and application against its
vendor's documented minimum and excess permissions.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,
2 usage error, 3 the audit could not be completed (a result with status error included).`,
		Example: `  halolint audit                                   # baseline plus every integration found
  halolint audit -p cove,timezest,gradient         # readiness check: what is missing, and how to create it
  halolint audit -p timezest --phase setup         # TimeZest may still be an administrator while it installs
  halolint audit --snapshot tenant.json -o json --fail-on warn
  halolint audit -o table -o json=halolint.json -o sarif=halolint.sarif
  halolint audit --previous last.json -o json=today.json   # fail only on what got worse since last.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAudit(cmd, env, &opts)
		},
	}
	opts.bind(cmd)
	cmd.Flags().StringVar(&opts.snapshot, "snapshot", "", "audit the snapshot in `FILE` (written by 'halolint snapshot') instead of the live tenant")
	opts.live.bind(cmd.Flags())
	return cmd
}

func runAudit(cmd *cobra.Command, env *cmdEnv, opts *auditOptions) error {
	run, err := opts.validate()
	if err != nil {
		return err
	}
	if opts.snapshot == "" {
		return runLiveAudit(cmd.Context(), env, opts, run)
	}
	// Compiling the policies and decoding a large snapshot each take a
	// core for a while: do both at once. A policy or config error still
	// comes first, as it would without the snapshot.
	type loaded struct {
		snap *halo.Snapshot
		err  error
	}
	snapshot := make(chan loaded, 1)
	go func() {
		snap, err := halo.LoadSnapshotFile(opts.snapshot)
		snapshot <- loaded{snap, err}
	}()
	engine, sel, err := opts.prepare(cmd.Context(), env, run)
	if err != nil {
		return err
	}
	got := <-snapshot
	if got.err != nil {
		return got.err
	}
	snap := got.snap
	sel.Source = audit.ReportSource{Kind: "snapshot", URL: snap.Source.URL, CollectedAt: snap.Source.CollectedAt, File: opts.snapshot, CredentialsSentTo: snap.Source.CredentialsSentTo}
	return judge(cmd.Context(), env, engine, snap, sel, run, opts.quiet)
}

// runLiveAudit reads the tenant named by the environment and judges it.
func runLiveAudit(ctx context.Context, env *cmdEnv, opts *auditOptions, run auditRun) error {
	if err := opts.live.validate(); err != nil {
		return err
	}
	engine, sel, err := opts.prepare(ctx, env, run)
	if err != nil {
		return err
	}
	plan, err := planOf(engine, sel.Config, false)
	if err != nil {
		return err
	}
	snap, err := opts.live.collect(ctx, env, plan)
	if snap == nil {
		return err
	}
	sel.Source = audit.ReportSource{Kind: "live", URL: snap.Source.URL, CollectedAt: snap.Source.CollectedAt, CredentialsSentTo: snap.Source.CredentialsSentTo}
	return cutShort(err, judge(ctx, env, engine, snap, sel, run, opts.quiet))
}

// prepare loads the policies (the built-in ones finish compiling in the
// background, see audit.New), reads the config and checks the profile
// names, all before a single request is spent on the tenant.
func (f *auditFlags) prepare(ctx context.Context, env *cmdEnv, run auditRun) (*audit.Engine, audit.Selection, error) {
	engine, cfg, err := f.policy.load(ctx, env)
	if err != nil {
		return nil, audit.Selection{}, err
	}
	sel := audit.Selection{
		Profiles: f.profileNames(),
		Phase:    run.phase,
		Config:   cfg,
		Tool:     audit.Tool{Name: "halolint", Version: env.build.Version},
		// Acceptances expire on the day the audit runs, whatever the
		// snapshot's age.
		Today: audit.Day(env.clock.Now()),
	}
	if f.previous != "" {
		if sel.Previous, err = audit.LoadReport(f.previous); err != nil {
			return nil, audit.Selection{}, err
		}
	}
	if err := engine.ValidateSelection(sel); err != nil {
		return nil, audit.Selection{}, err
	}
	return engine, sel, nil
}

// judge evaluates a snapshot, prints the reports and exits with the code
// audit.Gate gives the report: error results (and the collection errors
// behind them) exit 3 whatever --fail-on says, findings at or above
// --fail-on exit 1.
func judge(ctx context.Context, env *cmdEnv, engine *audit.Engine, snap *halo.Snapshot, sel audit.Selection, run auditRun, quiet bool) error {
	report, err := engine.Evaluate(ctx, snap, sel)
	if err != nil {
		return err
	}
	opts := reports.Options{FailOn: run.failOn, Quiet: quiet}
	if err := renderOutputs(env, run.outputs, report, opts, run.color); err != nil {
		return err
	}
	if !writesTable(run.outputs) {
		// The table lists the report's notices; JSON and the other formats
		// have them too, but whoever reads the terminal or the CI log
		// should not miss that, say, the roles list came back empty.
		for _, n := range report.Notices {
			fmt.Fprintln(env.stderr, noticeLine(n.Endpoint, n.Message))
		}
	}
	for _, ce := range report.CollectionErrors {
		if !ce.Needed {
			fmt.Fprintf(env.stderr, "halolint: %s; no selected check needed it\n", collectionErrorText(ce.Endpoint, ce.Status, ce.Message))
		}
	}
	outcome := audit.Gate(report, run.failOn)
	if outcome.Code == exitOK {
		return nil
	}
	if !writesTable(run.outputs) {
		// The table prints the reason itself; other formats on stdout
		// must stay machine-readable, so the reason goes to stderr.
		fmt.Fprintf(env.stderr, "halolint: %s\n", outcome.Reason())
	}
	return &exitError{code: outcome.Code}
}

func writesTable(specs []outputSpec) bool {
	for _, s := range specs {
		if s.path == "" && s.format == reports.FormatTable {
			return true
		}
	}
	return false
}
