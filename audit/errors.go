package audit

import (
	"fmt"
	"strconv"
	"strings"
)

// PolicyError means the policies could not be loaded, compiled or
// catalogued: a syntax or type error, a refused builtin, bad METADATA. The
// CLI maps it to exit code 2.
type PolicyError struct {
	// Problems holds every problem found, in the order the compiler
	// reported them; at least one.
	Problems []Problem
}

// Problem is one error in a policy file.
type Problem struct {
	File    string // empty when the problem is not tied to a file
	Line    int    // 0 when unknown
	Message string
}

func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Message
	case p.Line == 0:
		return p.File + ": " + p.Message
	default:
		return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Message
	}
}

// Error shows the first problem as file:line: message, which is what an
// editor can jump to, and counts the rest.
func (e *PolicyError) Error() string {
	if len(e.Problems) == 0 {
		return "policy error"
	}
	msg := e.Problems[0].String()
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Lines is how the CLI prints the error: one line per problem of a profile
// document (so that a user fixes them all at once), and for Rego, whose
// compile errors cascade, the first with a count of the rest.
func (e *PolicyError) Lines() []string {
	for _, p := range e.Problems {
		if !isProfileFile(p.File) {
			return []string{e.Error()}
		}
	}
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.String()
	}
	return out
}

func policyErrorf(file string, line int, format string, args ...any) *PolicyError {
	return &PolicyError{Problems: []Problem{{File: file, Line: line, Message: fmt.Sprintf(format, args...)}}}
}

// UsageError is a bad request from the caller, such as an unknown profile
// name or phase. The CLI maps it to exit code 2.
type UsageError struct {
	Message string
}

func (e *UsageError) Error() string { return e.Message }

// ConfigError is a problem in the --config file. The CLI maps it to exit
// code 2.
type ConfigError struct {
	File    string
	Line    int // 0 when not tied to a line
	Message string
	Err     error // the underlying error, if any
}

func (e *ConfigError) Error() string {
	p := Problem{File: e.File, Line: e.Line, Message: e.Message}
	return p.String()
}

func (e *ConfigError) Unwrap() error { return e.Err }

// EngineError means the policies broke their contract at evaluation time
// (a result with an unknown status, check or missing key) or OPA failed.
// The audit cannot be trusted, so the CLI maps it to exit code 3.
type EngineError struct {
	Message string
	Err     error
}

func (e *EngineError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *EngineError) Unwrap() error { return e.Err }

func engineErrorf(format string, args ...any) *EngineError {
	return &EngineError{Message: fmt.Sprintf(format, args...)}
}

// joinQuoted lists names for messages, quoted so that blanks show.
func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
