package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// markdownMaxFindings bounds the findings listed, so that a report stays
// short enough for a pull request comment (65,536 characters on GitHub)
// and a CI step summary; the rest are counted.
const markdownMaxFindings = 100

// markdownRenderer writes GitHub-flavoured Markdown for a pull request
// comment or a CI step summary: the status counts, the exit reason, then
// the findings (fail, error, warn, manual) grouped by profile with their
// expected and actual values and remediation, the collection errors and
// the notices. Passes are only counted. No raw HTML; every piece of report
// text is escaped.
type markdownRenderer struct {
	opts Options
}

func (m *markdownRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	r = displayReport(printableReport(r))
	outcome := audit.Gate(r, m.opts.FailOn)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("## %s audit\n\n", mdEscape(toolName(r)))
	p("**%s**\n\n", mdEscape(outcome.Reason()))
	p("| Status | Results |\n| --- | ---: |\n")
	for _, st := range audit.Statuses {
		p("| %s | %d |\n", st, countOf(r.Summary, st))
	}
	if r.Summary.Accepted > 0 {
		p("| accepted | %d |\n", r.Summary.Accepted)
	}
	p("\n")
	p("Profiles: %s. Phase: %s. Source: %s.\n", mdEscape(profileList(r.Profiles)), mdEscape(string(r.Phase)), mdEscape(sourceText(r.Source)))
	if r.Previous != nil {
		fresh, fixed := changes(r)
		p("\n### Since the previous run\n\n")
		p("Compared with %s: %s, %s.\n\n", mdEscape(previousText(r)), plural(len(fresh), "new finding"), plural(len(fixed), "fixed finding"))
		for _, res := range fresh {
			p("- **new** %s %s on %s\n", res.Status, mdCode(res.ID), mdEscape(objectLabel(res.Object)))
		}
		for _, f := range fixed {
			p("- **fixed** %s on %s\n", mdCode(f.ID), mdEscape(objectLabel(f.Object)))
		}
	}

	findings := 0
	for _, res := range r.Results {
		if isFinding(res.Status) {
			findings++
		}
	}
	p("\n### Findings\n\n")
	if findings == 0 {
		p("None: every check passed.\n")
	}
	listed := 0
	for _, g := range groupByProfile(r) {
		var rows []audit.Result
		for _, st := range findingOrder {
			for _, res := range g.Results {
				if res.Status == st {
					rows = append(rows, res)
				}
			}
		}
		if len(rows) == 0 || listed >= markdownMaxFindings {
			continue
		}
		p("#### %s\n\n", mdEscape(g.Profile))
		for _, res := range rows {
			if listed >= markdownMaxFindings {
				break
			}
			listed++
			m.finding(p, res)
		}
		p("\n")
	}
	if findings > listed {
		p("%d more findings are not listed here; the JSON and SARIF reports have them all.\n\n", findings-listed)
	}

	if len(r.CollectionErrors) > 0 {
		p("### Collection errors\n\n")
		for _, e := range r.CollectionErrors {
			why := "no selected check needed it"
			if e.Needed {
				why = "a selected check needed it"
			}
			p("- %s (%s)\n", mdEscape(collectionErrorText(e)), why)
		}
		p("\n")
	}
	if len(r.Notices) > 0 {
		p("### Notices\n\n")
		for _, n := range r.Notices {
			p("- %s\n", mdEscape(noticeText(n)))
		}
		p("\n")
	}
	// One trailing newline, not a blank line.
	_, err = io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// finding writes one finding as a list item, its details as sub-items.
func (m *markdownRenderer) finding(p func(string, ...any), res audit.Result) {
	head := fmt.Sprintf("- **%s** %s on %s", res.Status, mdCode(res.ID), mdEscape(objectLabel(res.Object)))
	if res.Severity != "" {
		head += fmt.Sprintf(" (%s)", res.Severity)
	}
	p("%s: %s\n", head, mdEscape(res.Message))
	if res.Status != audit.StatusFail && res.Status != audit.StatusWarn {
		return
	}
	item := func(label, value string) {
		if value != "" {
			p("  - %s: %s\n", label, mdEscape(value))
		}
	}
	item("Expected", formatValue(res.Expected))
	item("Actual", formatValue(res.Actual))
	item("Granted by", res.GrantedBy)
	item("Remediation", res.Remediation)
	if res.Accepted != nil {
		item("Accepted", acceptedText(res.Accepted))
	}
	if res.Change == audit.ChangeNew {
		item("Change", "new since the previous run")
	}
	if res.SourceURL != "" {
		p("  - Source: [%s](%s)\n", mdEscape(res.Source), mdLinkTarget(res.SourceURL))
	}
}

// mdLinkTarget keeps a link's address from closing the link early.
func mdLinkTarget(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(Printable(u))
}

// mdSpecial are the characters mdEscape escapes: inline Markdown syntax,
// table cell separators, HTML and entities, and what GitHub links or
// renders inside text: issue references (#), math ($) and mentions (@).
// Characters that only mean something at the start of a line (-, +, 1.)
// are left alone: report text never starts a line.
const mdSpecial = "\\`*_[]<>#!|~&$@"

// mdEscape makes report text safe in Markdown text and table cells: every
// special character gets a backslash, line breaks become spaces.
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r < 0x80 && strings.ContainsRune(mdSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode is s as a code span, or escaped text when s holds a backquote or
// a line break.
func mdCode(s string) string {
	if s == "" || strings.ContainsAny(s, "`\r\n") {
		return mdEscape(s)
	}
	return "`" + s + "`"
}
