package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

type doctorOptions struct {
	live   liveFlags
	shapes string
}

func newDoctorCmd(env *cmdEnv) *cobra.Command {
	var opts doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check, with a handful of read-only requests, whether an audit of the tenant can run",
		Long: `doctor is the first command to run against a tenant. With at most ten requests, all
read-only, it checks step by step what an audit needs: the URL, the discovery of the
authorisation server, the token and the scopes granted in it, the agent the auditor logs in
as (Agent/me), then for each list the audit reads whether it answers, in which shape, and
whether it looks restricted, and one role's and one application's details. It prints one
line per step, and what to do about each problem.

--shapes FILE writes, for a bug report, the shape of every answer: field names and JSON
types, never a value.

Exit codes: 0 an audit can run, 2 usage error (a connection setting missing or invalid),
3 an audit cannot run.`,
		Example: `  halolint doctor
  halolint doctor --client-secret-file ~/.config/halolint/secret
  halolint doctor --shapes shapes.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDoctor(cmd.Context(), env, &opts)
		},
	}
	cmd.Flags().StringVar(&opts.shapes, "shapes", "", "write the shape of every answer (field names and JSON types, never a value) to `FILE`, for a bug report")
	opts.live.bind(cmd.Flags())
	return cmd
}

func runDoctor(ctx context.Context, env *cmdEnv, opts *doctorOptions) error {
	if err := opts.live.validate(); err != nil {
		return err
	}
	if opts.shapes != "" {
		if err := checkOutputPath(opts.shapes); err != nil {
			return usageErrorf("--shapes %s: %v", opts.shapes, err)
		}
	}
	w := env.stdout
	cfg, err := opts.live.clientConfig(ctx, env)
	var cfgErr *halo.ConfigError
	if errors.As(err, &cfgErr) {
		writeStep(w, halo.Step{Name: "connection", Status: halo.StepFail, Detail: cfgErr.Error(), Fix: connectionFix(cfgErr)})
		fmt.Fprintln(w, "\nAn audit cannot run: fix the connection settings, then run halolint doctor again.")
		return &exitError{code: exitUsage}
	}
	if err != nil {
		return err
	}
	timeout := defaultTimeout
	if opts.live.timeout.set {
		timeout = opts.live.timeout.d
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fmt.Fprintf(w, "halolint doctor: %s, with at most %d requests, all read-only\n\n", reports.Printable(cfg.URL), halo.DiagnoseRequests)
	d, err := halo.Diagnose(ctx, cfg)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return fmt.Errorf("doctor: gave up after %s: %w", timeout, err)
		}
		return err
	}
	for _, s := range d.Steps {
		writeStep(w, s)
	}
	if opts.shapes != "" {
		err := writeFileAtomically(opts.shapes, func(f io.Writer) error { return writeShapes(f, env, d) })
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwrote %s: the shapes of %d answers (field names and JSON types, no value)\n", reports.Printable(opts.shapes), len(d.Answers))
	}
	if !d.CanAudit() {
		fmt.Fprintf(w, "\nAn audit cannot run (%d requests sent): fix the problems marked fail, then run halolint doctor again.\n", d.Requests)
		return &exitError{code: exitNoAudit}
	}
	fmt.Fprintf(w, "\nAn audit can run (%d requests sent): halolint audit\n", d.Requests)
	return nil
}

// writeStep is one step on one line: its status, its name, what was
// found, and for a problem what to do. The detail may quote the tenant.
func writeStep(w io.Writer, s halo.Step) {
	line := fmt.Sprintf("%-4s  %-19s  %s", s.Status, s.Name, reports.Printable(s.Detail))
	if s.Fix != "" {
		line += ". Fix: " + reports.Printable(s.Fix)
	}
	fmt.Fprintln(w, line)
}

// connectionFix says what to do about a connection setting.
func connectionFix(err *halo.ConfigError) string {
	switch {
	case strings.Contains(err.Setting, halo.EnvURL) && err.Problem == "not set":
		return "export HALO_URL=https://yourinstance.halopsa.com, HALO_CLIENT_ID and HALO_CLIENT_SECRET (or --client-secret-file): README, Connecting to a tenant"
	case err.Problem == "not set":
		return "export " + err.Setting + " (the secret may come from --client-secret-file instead): README, Connecting to a tenant"
	case err.Setting == halo.EnvURL || err.Setting == halo.EnvAuthURL:
		return "use the instance's https:// address, as Configuration > Integrations > HaloPSA API > API Details shows it"
	}
	return "see README, Connecting to a tenant"
}

// shapesDocument is what --shapes writes.
type shapesDocument struct {
	SchemaVersion int           `json:"schema_version"`
	Kind          string        `json:"kind"`
	Tool          toolName      `json:"tool"`
	Answers       []halo.Answer `json:"answers"`
}

type toolName struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// writeShapes writes the answers' shapes as indented JSON: no instance
// URL, no id, no value.
func writeShapes(w io.Writer, env *cmdEnv, d *halo.Diagnosis) error {
	doc := shapesDocument{SchemaVersion: 1, Kind: "shapes", Tool: toolName{Name: "halolint", Version: env.build.Version}, Answers: d.Answers}
	if doc.Answers == nil {
		doc.Answers = []halo.Answer{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
