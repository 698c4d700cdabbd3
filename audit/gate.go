package audit

import (
	"fmt"
	"strings"
)

// The exit decision of a report (README, "Exit codes"), in one place: the
// CLI exits with Gate's code, the table and Markdown print its reason.

// FailOn is the --fail-on threshold: which results make the exit code 1.
type FailOn string

const (
	FailOnFail  FailOn = "fail"
	FailOnWarn  FailOn = "warn"
	FailOnNever FailOn = "never"
)

// ParseFailOn checks a --fail-on value. The empty string means the default,
// FailOnFail.
func ParseFailOn(s string) (FailOn, error) {
	switch f := FailOn(s); f {
	case "":
		return FailOnFail, nil
	case FailOnFail, FailOnWarn, FailOnNever:
		return f, nil
	}
	return "", fmt.Errorf("unknown --fail-on value %q (want fail, warn or never)", s)
}

// AtOrAbove reports whether a result with status s counts towards
// --fail-on f. manual never does; error is a failure to audit (exit 3),
// not a finding, and is not counted here.
func (s Status) AtOrAbove(f FailOn) bool {
	switch f {
	case FailOnNever:
		return false
	case FailOnWarn:
		return s == StatusFail || s == StatusWarn
	default:
		return s == StatusFail
	}
}

// The codes a report leads to. Usage errors (2) and audits that produced
// no report (3 as well) are the command's to decide.
const (
	ExitClean      = 0 // nothing at or above --fail-on
	ExitFindings   = 1 // some result at or above --fail-on
	ExitIncomplete = 3 // some result is error: the audit is incomplete
)

// Outcome is the exit code a report leads to under a --fail-on threshold,
// with the counts that decide it.
type Outcome struct {
	// Code is ExitClean, ExitFindings or ExitIncomplete.
	Code int
	// FailOn is the threshold the code was decided under.
	FailOn FailOn
	// Findings counts the results at or above FailOn.
	Findings int
	// Errors counts the results with status error.
	Errors int
	// Accepted and Unchanged count the results at or above FailOn that do
	// not count: accepted ones, and, compared with a previous run, those
	// that were findings already (the gate is a ratchet).
	Accepted, Unchanged int

	compared bool
}

// Gate decides the exit code of a report: ExitIncomplete when any result
// is error (whatever --fail-on says: it silences findings, not failures to
// audit), ExitFindings when any result is at or above failOn, ExitClean
// otherwise. manual results and collection errors that no selected check
// needed never count; an empty failOn is FailOnFail.
func Gate(r *Report, failOn FailOn) Outcome {
	if failOn == "" {
		failOn = FailOnFail
	}
	o := Outcome{FailOn: failOn}
	if r == nil {
		return o
	}
	o.compared = r.Previous != nil
	for _, res := range r.Results {
		switch {
		case res.Status == StatusError:
			o.Errors++
		case !res.Status.AtOrAbove(failOn):
		case res.Accepted != nil:
			o.Accepted++
		case r.Previous != nil && res.Change != ChangeNew:
			o.Unchanged++
		default:
			o.Findings++
		}
	}
	switch {
	case o.Errors > 0:
		o.Code = ExitIncomplete
	case o.Findings > 0:
		o.Code = ExitFindings
	}
	return o
}

// Reason is the exit reason line: "exit 1: 3 results at or above
// --fail-on fail".
func (o Outcome) Reason() string {
	results := func(n int) string {
		if n == 1 {
			return "1 result"
		}
		return fmt.Sprintf("%d results", n)
	}
	switch {
	case o.Code == ExitIncomplete:
		return fmt.Sprintf("exit 3: %s with status error: the audit is incomplete", results(o.Errors))
	case o.Code == ExitFindings:
		return fmt.Sprintf("exit 1: %s at or above --fail-on %s%s", o.newWord(results(o.Findings)), o.FailOn, o.notCounted())
	case o.FailOn == FailOnNever:
		return "exit 0: --fail-on never, and no result is error"
	}
	return fmt.Sprintf("exit 0: no %s at or above --fail-on %s%s", o.newWord("result"), o.FailOn, o.notCounted())
}

func (o Outcome) newWord(s string) string {
	if o.compared {
		return strings.Replace(s, "result", "new result", 1)
	}
	return s
}

// notCounted says what the gate left out: "(2 accepted, 3 unchanged not
// counted)".
func (o Outcome) notCounted() string {
	var parts []string
	if o.Accepted > 0 {
		parts = append(parts, fmt.Sprintf("%d accepted", o.Accepted))
	}
	if o.Unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", o.Unchanged))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + " not counted)"
}
