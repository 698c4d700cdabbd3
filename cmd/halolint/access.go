package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/reports"
)

type accessOptions struct {
	outputs []string
	policy  policyFlags
	tenant  tenantFlags
}

func newAccessCmd(env *cmdEnv) *cobra.Command {
	var opts accessOptions
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Show what every integration can effectively do, area by area",
		Long: `access reads the tenant named by HALO_URL read-only (or a snapshot written earlier by
'halolint snapshot') and lists every API application but Halo's own: whether it is active,
how it authenticates, who it logs in as (the agent, API-only, enabled, administrator; or
Application Identity), its scopes, the vendor profile that owns it, and its effective access
per area (tickets, customers, assets, ...): none, read or edit, the lower of what its scopes
allow and what its login agent's role permissions allow. It judges nothing: the profiles'
checks are 'halolint audit'.

Exit codes: 0 the tenant was read, 2 usage error, 3 something the view needs could not be
read (an area it decides is then unknown, never none).`,
		Example: `  halolint access
  halolint access -o html=access.html
  halolint access --snapshot tenant.json -o csv=access.csv
  halolint access -o json | jq '.applications[] | select(.access.tickets == "edit") | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAccess(cmd.Context(), env, &opts)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVarP(&opts.outputs, "output", "o", nil, accessOutputUsage())
	opts.policy.bindConfig(fs)
	opts.policy.bindPolicyDirs(fs)
	opts.tenant.bind(fs, "read")
	return cmd
}

// accessOutputUsage is the help of access's -o.
func accessOutputUsage() string {
	return "output `FORMAT` or FORMAT=PATH, repeatable: " + strings.Join(reports.AccessFormats(), ", ") + " (default table)"
}

func runAccess(ctx context.Context, env *cmdEnv, opts *accessOptions) error {
	specs, err := parseOutputsOf(opts.outputs, reports.AccessFormats())
	if err != nil {
		return err
	}
	opts.policy.access = true
	prepare := func() (*audit.Engine, audit.Config, error) { return opts.policy.load(ctx, env) }
	engine, cfg, snap, source, err := opts.tenant.read(ctx, env, prepare)
	if err != nil {
		return err
	}
	view, err := engine.Access(ctx, snap, audit.Selection{
		Config: cfg,
		Source: source,
		Tool:   audit.Tool{Name: "halolint", Version: env.build.Version},
	})
	if err != nil {
		return err
	}
	err = writeOutputs(env, specs, reports.Options{}, colorNever, func(format string, o reports.Options, w io.Writer) error {
		r, err := reports.NewAccess(format, o)
		if err != nil {
			return usageErrorf("-o %s: %v", format, err)
		}
		return r.RenderAccess(w, view)
	})
	if err != nil {
		return err
	}
	table := writesTable(specs)
	if !table {
		// The table lists them; whoever reads the terminal or the CI
		// log of the other formats should not miss them either.
		for _, n := range view.Notices {
			fmt.Fprintln(env.stderr, noticeLine(n.Endpoint, n.Message))
		}
		for _, ce := range view.CollectionErrors {
			fmt.Fprintf(env.stderr, "halolint: %s\n", collectionErrorText(ce.Endpoint, ce.Status, ce.Message))
		}
	}
	outcome := audit.AccessGate(view)
	if outcome.Code == exitOK {
		return nil
	}
	if !table {
		fmt.Fprintf(env.stderr, "halolint: %s\n", outcome.Reason())
	}
	return &exitError{code: outcome.Code}
}
