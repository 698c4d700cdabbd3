package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/sampleserver"
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
  halolint demo -o json | jq '.summary'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, env, &opts)
		},
	}
	opts.bind(cmd)
	cmd.Flags().Var(&opts.live.timeout, "timeout", timeoutUsage)
	opts.live.maxRequests = defaultMaxRequests
	opts.live.window = defaultWindow
	return cmd
}

func runDemo(cmd *cobra.Command, env *cmdEnv, opts *auditOptions) error {
	run, err := opts.validate()
	if err != nil {
		return err
	}
	tenant, err := sampleserver.Sample()
	if err != nil {
		return fmt.Errorf("load the sample tenant: %w", err)
	}
	server, err := sampleserver.Start(tenant, sampleserver.Options{})
	if err != nil {
		return fmt.Errorf("serve the sample tenant: %w", err)
	}
	defer server.Close()

	// The first line says what this is, on stdout only when stdout is a
	// table: JSON and the other formats must stay machine-readable.
	intro := env.stderr
	if writesTable(run.outputs) {
		intro = env.stdout
	}
	fmt.Fprintf(intro, "halolint demo: auditing a sample tenant served at %s (no real HaloPSA involved)\n\n", server.URL)

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
	opts.snapshot = ""
	return runLiveAudit(cmd.Context(), &demoEnv, opts, run)
}
