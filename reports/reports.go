// Package reports renders an audit.Report in each output format: a table for
// people, JSON, SARIF and JUnit for machines and CI, Markdown for pull
// request comments and CI step summaries, a self-contained HTML page for
// meetings and clients, CSV for spreadsheets; and an audit.AccessReport
// (what every integration can do) in table, JSON, CSV, Markdown and HTML.
//
// A renderer depends on the report alone: it never reads a snapshot, calls
// the engine or decides anything global (colour, terminal width, the
// --fail-on threshold arrive in Options). Every renderer is deterministic:
// the same report gives the same bytes.
package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *audit.Report) error
}

// The output formats, as -o names them.
const (
	FormatTable    = "table"
	FormatJSON     = "json"
	FormatSARIF    = "sarif"
	FormatJUnit    = "junit"
	FormatMarkdown = "markdown"
	FormatHTML     = "html"
	FormatCSV      = "csv"
)

// formats lists the formats in the order Formats and error messages show them.
var formats = []string{FormatTable, FormatJSON, FormatSARIF, FormatJUnit, FormatMarkdown, FormatHTML, FormatCSV}

// Formats returns the names New accepts.
func Formats() []string {
	return append([]string(nil), formats...)
}

// Options are the decisions a renderer takes from the caller. The caller
// decides them once per output stream.
type Options struct {
	// Color turns on ANSI colour (table only). The caller decides it from
	// --color, NO_COLOR and whether the stream is a terminal; renderers
	// never look at the environment or at color.NoColor.
	Color bool
	// Width is the terminal width the table fits in; 0 or less means no
	// limit (lines are not wrapped). Other formats ignore it.
	Width int
	// FailOn is the --fail-on threshold; empty means audit.FailOnFail. The
	// table and Markdown print the exit reason from it (audit.Gate); JUnit
	// reports warn results as failures only under audit.FailOnWarn; quiet
	// tables keep what is at or above it.
	FailOn audit.FailOn
	// Quiet makes the table print only the results at or above FailOn, the
	// error results, the collection errors a selected check needed, and the
	// summary. Other formats ignore it.
	Quiet bool
}

// New returns the renderer for a format named as -o names it.
func New(format string, opts Options) (Renderer, error) {
	failOn, err := audit.ParseFailOn(string(opts.FailOn))
	if err != nil {
		return nil, err
	}
	opts.FailOn = failOn
	switch format {
	case FormatTable:
		return &tableRenderer{opts: opts}, nil
	case FormatJSON:
		return jsonRenderer{}, nil
	case FormatSARIF:
		return sarifRenderer{}, nil
	case FormatJUnit:
		return &junitRenderer{opts: opts}, nil
	case FormatMarkdown:
		return &markdownRenderer{opts: opts}, nil
	case FormatHTML:
		return &htmlRenderer{opts: opts}, nil
	case FormatCSV:
		return csvRenderer{}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(formats, ", "))
}
