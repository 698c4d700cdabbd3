package main

import (
	"errors"
	"fmt"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
)

// Exit codes (README, "Exit codes"). Those a report leads to are audit.Gate's.
const (
	exitOK       = audit.ExitClean      // audit completed, nothing at or above --fail-on
	exitFindings = audit.ExitFindings   // audit completed, findings at or above --fail-on
	exitUsage    = 2                    // bad flag, config, policy, snapshot file
	exitNoAudit  = audit.ExitIncomplete // could not audit: auth, network, API, error results
)

// exitError carries an exit code chosen by a command. A nil err means the
// command already said what there was to say (a report with findings).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// exitCodeOf maps an error to an exit code. Errors raised before a command
// ran (flag parsing, unknown command) are usage errors, and so are the
// typed errors that are the user's to fix: the connection settings, the
// config file, a policy, a snapshot file. Anything else a command returns
// means the audit could not be completed, so that nothing unexpected is
// ever read as a pass.
func exitCodeOf(err error, started bool) int {
	var (
		coded       *exitError
		haloConfig  *halo.ConfigError
		snapshotErr *halo.SnapshotError
		policyErr   *audit.PolicyError
		configErr   *audit.ConfigError
		usageErr    *audit.UsageError
	)
	switch {
	case errors.As(err, &coded):
		return coded.code
	case errors.As(err, &haloConfig), errors.As(err, &snapshotErr),
		errors.As(err, &policyErr), errors.As(err, &configErr), errors.As(err, &usageErr):
		return exitUsage
	case !started:
		return exitUsage
	}
	return exitNoAudit
}
