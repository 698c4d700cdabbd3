package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/policies"
)

func newProfilesCmd(env *cmdEnv) *cobra.Command {
	var flags policyFlags
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the profiles: vendor, what they check (role, agent, application, other) and the guide they follow",
		Example: `  halolint profiles
  halolint profiles show timezest`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			engine, err := audit.New(cmd.Context(), audit.Options{Builtin: policies.FS(), PolicyDirs: flags.dirs})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PROFILE\tVENDOR\tCHECKS\tROLE\tAGENT\tAPP\tOTHER\tSOURCE")
			for _, p := range engine.Profiles() {
				role, agent, app, other := checkCounts(p)
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", p.Name, p.Vendor, len(p.Checks), role, agent, app, other, p.Source)
			}
			return tw.Flush()
		},
	}
	flags.bindPolicyDirs(cmd.PersistentFlags())
	show := &cobra.Command{
		Use:     "show NAME",
		Short:   "Print a profile as a setup checklist: each check, what to set, where in HaloPSA, and the source",
		Example: `  halolint profiles show cove`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			engine, err := audit.New(cmd.Context(), audit.Options{Builtin: policies.FS(), PolicyDirs: flags.dirs})
			if err != nil {
				return err
			}
			p, ok := engine.Profile(strings.ToLower(args[0]))
			if !ok {
				var names []string
				for _, p := range engine.Profiles() {
					names = append(names, p.Name)
				}
				return usageErrorf("no profile %q (one of %s)", args[0], strings.Join(names, ", "))
			}
			printChecklist(env, p)
			return nil
		},
	}
	show.ValidArgsFunction = func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		names, err := catalogProfileNames(cmd.Context(), flags.dirs)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
	cmd.AddCommand(show)
	return cmd
}

// printChecklist prints a profile the way a person sets it up: one
// numbered item per check, what to set and where.
func printChecklist(env *cmdEnv, p audit.Profile) {
	w := env.stdout
	fmt.Fprintf(w, "%s (%s)\n", p.Title, p.Name)
	if p.Vendor != "" {
		fmt.Fprintf(w, "Vendor: %s\n", p.Vendor)
	}
	if p.Source != "" {
		fmt.Fprintf(w, "Source: %s\n", p.Source)
	}
	if p.SourceURL != "" {
		fmt.Fprintf(w, "Guide:  %s\n", p.SourceURL)
	}
	if p.Explicit {
		fmt.Fprintf(w, "Audited only when named: halolint audit -p %s\n", p.Name)
	}
	if p.Description != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(p.Description))
	}
	fmt.Fprintln(w)
	for i, c := range p.Checks {
		fmt.Fprintf(w, "%2d. [%s] %s\n", i+1, c.ID, c.Title)
		if c.Remediation != "" {
			fmt.Fprintf(w, "    where:  %s\n", c.Remediation)
		}
		fmt.Fprintf(w, "    object: %s, severity %s", c.Object, c.Severity)
		if c.Source != "" && c.Source != p.Source {
			fmt.Fprintf(w, ", source %s", c.Source)
		}
		fmt.Fprintln(w)
	}
}

// checkCounts counts a profile's checks by the object they judge; other is
// categories, settings, the tenant and what only a person can check.
func checkCounts(p audit.Profile) (role, agent, app, other int) {
	for _, c := range p.Checks {
		switch c.Object {
		case audit.ObjectRole:
			role++
		case audit.ObjectAgent:
			agent++
		case audit.ObjectApplication:
			app++
		default:
			other++
		}
	}
	return role, agent, app, other
}

// catalogProfileNames are the names of the built-in profiles and of those
// in the --policy folders, sorted: the compiled engine's catalog, so that
// a new profile needs no Go. Shell completion compiles the policies for it
// (about a tenth of a second); --help does not.
func catalogProfileNames(ctx context.Context, dirs []string) ([]string, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	engine, err := audit.New(ctx, audit.Options{Builtin: policies.FS(), PolicyDirs: dirs})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range engine.Profiles() {
		names = append(names, p.Name)
	}
	return names, nil
}

// completeProfileList completes -p, a comma-separated list: the names of
// the catalog (with the --policy folders given so far) and all, after what
// is already typed up to the last comma, without the names already listed.
func completeProfileList(dirs *[]string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		names, err := catalogProfileNames(cmd.Context(), *dirs)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var typed []string
		prefix := ""
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			prefix = toComplete[:i+1]
			typed = strings.Split(strings.ToLower(toComplete[:i]), ",")
		}
		var out []string
		for _, n := range append(names, audit.SelectAll) {
			if !contains(typed, n) {
				out = append(out, prefix+n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
