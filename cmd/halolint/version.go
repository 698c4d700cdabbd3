package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set at link time by the Makefile (-ldflags "-X main.version=... -X main.commit=...").
// Left empty, buildVersion falls back to what the Go toolchain recorded.
var (
	version string
	commit  string
)

// buildInfo is what `halolint version` prints and what the User-Agent and
// reports carry.
type buildInfo struct {
	Version    string
	Commit     string
	GoVersion  string
	OPAVersion string
}

func readBuildInfo() buildInfo {
	info := buildInfo{Version: version, Commit: commit, GoVersion: runtime.Version(), OPAVersion: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version // go install ...@vX.Y.Z
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && info.Commit == "" {
				info.Commit = s.Value
			}
		}
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/open-policy-agent/opa" {
				info.OPAVersion = dep.Version
				if dep.Replace != nil {
					info.OPAVersion = dep.Replace.Version
				}
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	return info
}

func newVersionCmd(env *cmdEnv) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of halolint, its commit, and the Go and OPA versions",
		Example: "  halolint version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := env.build
			_, err := fmt.Fprintf(env.stdout, "halolint %s\ncommit: %s\ngo: %s\nopa: %s\n",
				info.Version, info.Commit, info.GoVersion, info.OPAVersion)
			return err
		},
	}
}
