package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/sampleserver"
	"github.com/halolint/halolint/reports"
)

func newDemoCmd(env *cmdEnv) *cobra.Command {
	var opts auditOptions
	cmd := &cobra.Command{
		Use:   "demo [audit flags]",
		Short: "Audit a bundled sample tenant, served on a loopback port, as a live audit would",
		Long: `demo serves a sample HaloPSA tenant (bundled in the binary) on a loopback port and runs
a live 'halolint audit' against it over HTTP, through the same client, read-only transport,
rate budget and policies as a real run. It needs no HaloPSA instance and no credentials.

The sample tells a familiar story: Gradient set up correctly; TimeZest configured but its
role still a HaloPSA Administrator; Cove half set up; an old integration with scope 'all'
logging in as an administrator; an application logging in as a disabled agent.`,
		Example: `  halolint demo
  halolint demo -p timezest --phase setup
  halolint demo -o json | jq '.summary'
  halolint demo -o html=report.html
  halolint demo access                 # what every integration of the sample can do`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, env, &opts)
		},
	}
	opts.bind(cmd)
	cmd.Flags().Var(&opts.live.timeout, "timeout", timeoutUsage)
	opts.live.maxRequests = defaultMaxRequests
	opts.live.window = defaultWindow
	cmd.AddCommand(newDemoAccessCmd(env))
	return cmd
}

func runDemo(cmd *cobra.Command, env *cmdEnv, opts *auditOptions) error {
	run, err := opts.validate()
	if err != nil {
		return err
	}
	opts.snapshot = ""
	return withSampleTenant(env, writesTable(run.outputs), "auditing", func(demoEnv *cmdEnv) error {
		return runLiveAudit(cmd.Context(), demoEnv, opts, run)
	})
}

// withSampleTenant serves the sample tenant on a loopback port and calls
// fn with an environment pointing at it, as a user's would at a real
// tenant. The first line says what this is ("halolint demo: auditing a
// sample tenant ..."), on standard output only when it is a table: JSON
// and the other formats must stay machine-readable.
func withSampleTenant(env *cmdEnv, table bool, doing string, fn func(*cmdEnv) error) error {
	tenant, err := sampleserver.Sample()
	if err != nil {
		return fmt.Errorf("load the sample tenant: %w", err)
	}
	server, err := sampleserver.Start(tenant, sampleserver.Options{})
	if err != nil {
		return fmt.Errorf("serve the sample tenant: %w", err)
	}
	defer server.Close()

	intro := env.stderr
	if table {
		intro = env.stdout
	}
	fmt.Fprintf(intro, "halolint demo: %s a sample tenant served at %s (no real HaloPSA involved)\n\n", doing, server.URL)

	demoEnv := *env
	demoEnv.getenv = func(name string) string {
		switch name {
		case halo.EnvURL:
			return server.URL
		case halo.EnvClientID:
			return sampleserver.AuditorClientID
		case halo.EnvClientSecret:
			return sampleserver.AuditorClientSecret
		case halo.EnvTenant, halo.EnvAuthURL, halo.EnvScope:
			return ""
		}
		return env.getenv(name)
	}
	return fn(&demoEnv)
}

// newDemoAccessCmd is 'halolint demo access': the access view of the
// sample tenant.
func newDemoAccessCmd(env *cmdEnv) *cobra.Command {
	var opts accessOptions
	cmd := &cobra.Command{
		Use:   "access",
		Short: "Show what every integration of the sample tenant can do, as 'halolint access' would",
		Long: `demo access serves the sample tenant of 'halolint demo' on a loopback port and runs a live
'halolint access' against it: every application but Halo's own, who it logs in as, and what
it can effectively do in each area.`,
		Example: `  halolint demo access
  halolint demo access -o html=access.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			specs, err := parseOutputsOf(opts.outputs, reports.AccessFormats())
			if err != nil {
				return err
			}
			return withSampleTenant(env, writesTable(specs), "reading", func(demoEnv *cmdEnv) error {
				return runAccess(cmd.Context(), demoEnv, &opts)
			})
		},
	}
	cmd.Flags().StringArrayVarP(&opts.outputs, "output", "o", nil, accessOutputUsage())
	cmd.Flags().Var(&opts.tenant.live.timeout, "timeout", "bound on the whole read of the sample tenant")
	opts.tenant.live.maxRequests = defaultMaxRequests
	opts.tenant.live.window = defaultWindow
	return cmd
}
