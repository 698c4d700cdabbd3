package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/policies"
)

func newVerifyCmd(env *cmdEnv) *cobra.Command {
	var flags policyFlags
	var verbose bool
	cmd := &cobra.Command{
		Use:   "verify [--policy DIR]...",
		Short: "Run the tests of the built-in policies and of the given policy folders",
		Long: `verify runs every test_ rule of the built-in policies and of the _test.rego files under
each --policy folder, compiled with the same restrictions as an audit, and the tests generated
from every profile document (both sides of every requirement, and the cases of its
.cases.yaml). Exit code 1 when a test fails, 2 when a policy does not compile.`,
		Example: `  halolint verify
  halolint verify --policy ./my-policies -v`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			results, err := audit.RunTests(cmd.Context(), policies.FS(), flags.dirs)
			if err != nil {
				return err
			}
			counts := map[audit.TestOutcome]int{}
			for _, r := range results {
				counts[r.Outcome]++
				if r.Outcome == audit.TestPass && !verbose {
					continue
				}
				line := fmt.Sprintf("%s: %s.%s", r.Outcome, r.Package, r.Name)
				if r.File != "" {
					line = fmt.Sprintf("%s (%s:%d)", line, r.File, r.Line)
				}
				if r.Err != nil {
					line += ": " + r.Err.Error()
				}
				fmt.Fprintln(env.stdout, line)
				if len(r.Output) > 0 && r.Outcome != audit.TestPass {
					fmt.Fprintf(env.stdout, "  %s\n", r.Output)
				}
			}
			fmt.Fprintf(env.stdout, "%d tests, %d passed, %d failed, %d errors, %d skipped\n",
				len(results), counts[audit.TestPass], counts[audit.TestFail], counts[audit.TestError], counts[audit.TestSkip])
			if counts[audit.TestFail]+counts[audit.TestError] > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	flags.bindPolicyDirs(cmd.Flags())
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing tests too")
	return cmd
}
