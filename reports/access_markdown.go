package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// accessMarkdown writes the access view as GitHub-flavoured Markdown: one
// table row per application (how it logs in, its profile, the areas it
// can edit and read, its login agent's sensitive permissions), then each
// application's errors and notes, the collection errors and notices. No
// raw HTML; every piece of text is escaped.
type accessMarkdown struct{}

func (accessMarkdown) RenderAccess(w io.Writer, in *audit.AccessReport) error {
	r, err := normalizeAccess(in)
	if err != nil {
		return err
	}
	r = printableAccess(r)
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	list := func(items []string) string {
		if len(items) == 0 {
			return "–"
		}
		return mdEscape(strings.Join(items, ", "))
	}

	p("## %s access\n\n", mdEscape(accessToolName(r.Tool)))
	p("**%s**\n\n", mdEscape(audit.AccessGate(r).Reason()))
	p("What each application can do: the lower of what its scopes allow and what its login agent's role permissions allow. %s; source %s.\n\n",
		mdEscape(accessSummary(r)), mdEscape(sourceText(r.Source)))
	for _, e := range r.Errors {
		p("- **error**: %s\n", mdEscape(e))
	}
	if len(r.Errors) > 0 {
		p("\n")
	}
	unknown := false
	for _, app := range r.Applications {
		unknown = unknown || len(areasAt(r, app, audit.AccessUnknown)) > 0
	}
	p("| Application | Active | Logs in as | Profile | Edit | Read |")
	if unknown {
		p(" Unknown |")
	}
	p(" Sensitive |\n| --- | --- | --- | --- | --- | --- |")
	if unknown {
		p(" --- |")
	}
	p(" --- |\n")
	for _, app := range r.Applications {
		profile := "–"
		if app.Profile != "" {
			profile = mdCode(app.Profile)
		}
		p("| %s | %s | %s | %s | %s | %s |", mdEscape(app.Name), yesNo(app.Active), mdEscape(loginText(app.Login)), profile,
			mdEscape(levelText(r, app, audit.AccessEdit, "–")), mdEscape(levelText(r, app, audit.AccessRead, "–")))
		if unknown {
			p(" %s |", mdEscape(levelText(r, app, audit.AccessUnknown, "–")))
		}
		p(" %s |\n", list(app.Sensitive))
	}
	var remarks []string
	for _, app := range r.Applications {
		for _, e := range app.Errors {
			remarks = append(remarks, fmt.Sprintf("- **error** %s: %s", mdEscape(app.Name), mdEscape(e)))
		}
		for _, n := range app.Notes {
			remarks = append(remarks, fmt.Sprintf("- %s: %s", mdEscape(app.Name), mdEscape(n)))
		}
	}
	if len(remarks) > 0 {
		p("\n### Notes\n\n%s\n", strings.Join(remarks, "\n"))
	}
	if len(r.CollectionErrors) > 0 {
		p("\n### Collection errors\n\n")
		for _, e := range r.CollectionErrors {
			p("- %s (%s)\n", mdEscape(collectionErrorText(e)), accessCollectionErrorWhy(e))
		}
	}
	if len(r.Notices) > 0 {
		p("\n### Notices\n\n")
		for _, n := range r.Notices {
			p("- %s\n", mdEscape(noticeText(n)))
		}
	}
	_, err = io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

// accessToolName is the tool's name, halolint when it has none.
func accessToolName(t audit.Tool) string {
	if t.Name == "" {
		return "halolint"
	}
	return t.Name
}
