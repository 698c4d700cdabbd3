package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// accessTable writes the access view for a terminal: one block per
// application, its name and state, then one labelled line each for how it
// logs in, its authentication, scopes, the areas it can edit and read (and
// those unknown), the sensitive permissions of its login agent, and its
// errors and notes; then the collection errors, notices and exit reason.
// Long lines wrap at width (no limit when 0).
type accessTable struct {
	width int
}

// accessLabelWidth aligns the values of an application's lines.
const accessLabelWidth = len("sensitive  ")

func (t accessTable) RenderAccess(w io.Writer, in *audit.AccessReport) error {
	r, err := normalizeAccess(in)
	if err != nil {
		return err
	}
	r = printableAccess(r)
	var buf bytes.Buffer
	line := func(prefix, indent, text string) {
		for _, l := range hanging(prefix, indent, text, t.width) {
			buf.WriteString(l + "\n")
		}
	}
	line("", "  ", fmt.Sprintf("Access of every integration: %s; source %s", accessSummary(r), sourceText(r.Source)))
	for _, e := range r.Errors {
		line("error: ", "  ", e)
	}
	for _, app := range r.Applications {
		buf.WriteString("\n")
		var state []string
		if !app.Active {
			state = append(state, "inactive")
		}
		if app.Auditor {
			state = append(state, "halolint's own")
		}
		if app.Profile != "" {
			state = append(state, "profile "+app.Profile)
		}
		head := app.Name
		if len(state) > 0 {
			head += " (" + strings.Join(state, "; ") + ")"
		}
		line("", "  ", head)
		field := func(label, value string) {
			prefix := "  " + label + strings.Repeat(" ", max(1, accessLabelWidth-len(label)))
			line(prefix, strings.Repeat(" ", len(prefix)), value)
		}
		field("logs in as", loginText(app.Login))
		field("auth", orDash(app.Authentication))
		field("scopes", orDash(strings.Join(app.Scopes, ", ")))
		field("edit", levelText(r, app, audit.AccessEdit, "-"))
		field("read", levelText(r, app, audit.AccessRead, "-"))
		if unknown := levelText(r, app, audit.AccessUnknown, ""); unknown != "" {
			field("unknown", unknown)
		}
		field("sensitive", orDash(strings.Join(app.Sensitive, ", ")))
		for _, e := range app.Errors {
			field("error", e)
		}
		for _, n := range app.Notes {
			field("note", n)
		}
	}
	if len(r.CollectionErrors) > 0 {
		buf.WriteString("\nCollection errors:\n")
		for _, e := range r.CollectionErrors {
			line("  ", "    ", collectionErrorText(e)+" ("+accessCollectionErrorWhy(e)+")")
		}
	}
	if len(r.Notices) > 0 {
		buf.WriteString("\nNotices:\n")
		for _, n := range r.Notices {
			line("  ", "    ", noticeText(n))
		}
	}
	buf.WriteString("\n")
	line("", "  ", audit.AccessGate(r).Reason())
	return writeTrimmed(w, buf.Bytes())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
