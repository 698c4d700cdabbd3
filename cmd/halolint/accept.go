package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/audit"
)

func newAcceptCmd(env *cmdEnv) *cobra.Command {
	var from, expires, by string
	var days int
	cmd := &cobra.Command{
		Use:   "accept --from REPORT.json",
		Short: "Write a starting accept list for every finding of a JSON report",
		Long: `accept reads the JSON report of an audit and prints, for halolint.yaml, an accept list
with one entry for each of its fail and warn results, pinned to the object's ID and name, with
a placeholder reason and an expiry date. It makes adopting the CI gate on a tenant that already
has findings one command; every audit then lists the placeholder reasons until a person writes
why each finding is accepted. Nothing is read from the tenant.`,
		Example: `  halolint audit -o json=today.json; halolint accept --from today.json --by jdoe >> halolint.yaml
  halolint accept --from today.json --expires 2027-03-31`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if from == "" {
				return usageErrorf("--from: the JSON report to accept the findings of (audit -o json=FILE)")
			}
			r, err := audit.LoadReport(from)
			if err != nil {
				return err
			}
			until := audit.Day(env.clock.Now().Add(time.Duration(days) * 24 * time.Hour))
			if expires != "" {
				if until, err = audit.ParseDate(expires); err != nil {
					return usageErrorf("--expires: %v", err)
				}
			}
			out, err := audit.StarterAcceptList(r, from, until, by)
			if err != nil {
				return err
			}
			_, err = env.stdout.Write(out)
			return err
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the JSON report (`FILE`) whose findings to accept")
	cmd.Flags().StringVar(&expires, "expires", "", "the expiry `DATE` (YYYY-MM-DD) of every entry (default: --days from today)")
	cmd.Flags().IntVar(&days, "days", 30, "the entries expire this many days from today, unless --expires is given")
	cmd.Flags().StringVar(&by, "by", "", "who accepts them (the entries' by:)")
	return cmd
}
