package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

// cmdEnv is everything a command needs from the outside world. Commands get
// it injected, so tests run them in-process without a terminal or a network.
type cmdEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutTTY and stderrTTY decide colour and progress once per stream.
	stdoutTTY bool
	stderrTTY bool
	// termWidth is the width of standard output's terminal, 0 when unknown.
	termWidth int
	build     buildInfo
	// transport, when set, replaces the default HTTP transport (tests).
	transport http.RoundTripper
	// clock is the time source of the client's rate budget and retries
	// and of the snapshot's collection time; jitter spreads the client's
	// retries over [0, max]. nil takes the client's defaults (the system
	// clock, uniform random jitter); tests pass a fake clock and a fixed
	// jitter, so that no run depends on how fast the machine is or on
	// luck. Deadlines (--timeout) stay on the real clock.
	clock  halo.Clock
	jitter func(max time.Duration) time.Duration
	// started is set once flags and arguments parsed, so that an error
	// before it is a usage error.
	started bool
}

func systemEnv() *cmdEnv {
	env := &cmdEnv{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		build:     readBuildInfo(),
		clock:     halo.SystemClock(),
	}
	if env.stdoutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			env.termWidth = w
		}
	}
	return env
}

// run executes one command line and returns the process exit code. It is
// the only place that turns errors into exit codes.
func run(ctx context.Context, args []string, env *cmdEnv) int {
	root := newRootCmd(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if line, ok := interruptedLine(ctx, err); ok {
		fmt.Fprintln(env.stderr, line)
		return exitNoAudit
	}
	code := exitCodeOf(err, env.started)
	var pe *audit.PolicyError
	if errors.As(err, &pe) && len(pe.Problems) > 1 {
		for _, line := range pe.Lines() {
			fmt.Fprintf(env.stderr, "halolint: %s\n", oneLine(line))
		}
		return code
	}
	if msg := errorLine(err); msg != "" {
		fmt.Fprintf(env.stderr, "halolint: %s\n", msg)
	}
	return code
}

func newRootCmd(env *cmdEnv) *cobra.Command {
	root := &cobra.Command{
		Use:   "halolint",
		Short: "Audit the permissions a HaloPSA tenant gives its integrations",
		Long: `halolint reads a HaloPSA tenant read-only through its REST API (roles, agents,
applications, categories, settings) and checks each integration vendor's documented
minimum and excess permissions, written as Rego policies.`,
		Example: `  halolint demo                      # audit a bundled sample tenant
  halolint audit                     # audit the tenant named by HALO_URL
  halolint audit -p timezest --phase setup
  halolint audit -o json --fail-on warn > report.json`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Unknown sub-commands are usage errors, not a silent help page.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// cobra checks required flags (snapshot --out) only after
			// this hook, when the run has started: check them first, so
			// that a missing one is a usage error (2), not 3.
			if err := cmd.ValidateRequiredFlags(); err != nil {
				return usageErrorf("%v", err)
			}
			env.started = true
			return nil
		},
	}
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%v", err)
	})
	root.AddCommand(
		newAuditCmd(env),
		newAccessCmd(env),
		newDoctorCmd(env),
		newDemoCmd(env),
		newSnapshotCmd(env),
		newProfilesCmd(env),
		newVerifyCmd(env),
		newAcceptCmd(env),
		newVersionCmd(env),
	)
	addCompletionCmd(root)
	markArgErrors(root.Commands())
	return root
}

// markArgErrors makes every sub-command's argument errors usage errors
// naming the command, sub-commands of sub-commands (profiles show) too.
func markArgErrors(cmds []*cobra.Command) {
	for _, c := range cmds {
		c.Args = usageArgs(c.Args)
		markArgErrors(c.Commands())
	}
}

// addCompletionCmd adds cobra's completion command now rather than at
// Execute, to give it examples like every other command, and a RunE: left
// without one, cobra never checks its arguments, so an unknown shell
// ("completion tcsh") printed the help and exited 0 instead of 2.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	completion, _, err := root.Find([]string{"completion"})
	if err != nil || completion == root {
		return
	}
	completion.Example = `  source <(halolint completion bash)
  halolint completion zsh > "${fpath[1]}/_halolint"
  halolint completion fish > ~/.config/fish/completions/halolint.fish
  halolint completion powershell | Out-String | Invoke-Expression`
	completion.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	examples := map[string]string{
		"bash":       "  source <(halolint completion bash)",
		"zsh":        `  halolint completion zsh > "${fpath[1]}/_halolint"`,
		"fish":       "  halolint completion fish | source",
		"powershell": "  halolint completion powershell | Out-String | Invoke-Expression",
	}
	for _, sh := range completion.Commands() {
		sh.Example = examples[sh.Name()]
	}
}

// usageArgs marks argument validation failures as usage errors.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageErrorf("%s: %v", strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" "), err)
		}
		return nil
	}
}

// errorLine makes any error a single printable line: several lines of a
// wrapped error would read as a stack trace, and an error may quote the
// tenant (a token server's error_description, a name) or a file.
func errorLine(err error) string {
	var silent *exitError
	if errors.As(err, &silent) && silent.err == nil {
		return ""
	}
	return oneLine(err.Error())
}

// oneLine is text as one line on standard error: made printable (line
// breaks become spaces, control and invisible characters are spelled
// out), runs of spaces folded.
func oneLine(text string) string {
	return strings.Join(strings.Fields(reports.Printable(text)), " ")
}
