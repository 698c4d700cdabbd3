package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// accessHTML writes the access view as one self-contained HTML page, with
// the report's style sheet and no script: a matrix of applications by area
// (the areas no application reaches are named below it instead of taking a
// column each), then one row per application with its authentication,
// login, scopes, profile, errors and notes.
type accessHTML struct{}

type htmlAccessView struct {
	htmlPage
	Areas            []htmlArea
	Unreached        string
	Applications     []htmlApplication
	CollectionErrors []htmlCollectionError
	Notices          []string
}

type htmlArea struct {
	Name, Label, Permission string
}

type htmlApplication struct {
	Name           string
	Active         bool
	Authentication string
	// Login is who it logs in as, short (under the name in the matrix);
	// LoginDetail with the agent's traits.
	Login, LoginDetail string
	Scopes             []string
	Profile            string
	Levels             []htmlLevel
	Sensitive          []string
	Errors, Notes      []string
}

type htmlLevel struct {
	Area  string
	Level audit.AccessLevel
	// Mark is what the cell shows: a level cannot rest on colour alone.
	Mark string
}

var accessMarks = map[audit.AccessLevel]string{
	audit.AccessEdit: "edit", audit.AccessRead: "read", audit.AccessNone: "–", audit.AccessUnknown: "?",
}

func (accessHTML) RenderAccess(w io.Writer, in *audit.AccessReport) error {
	assets, err := loadHTMLAssets()
	if err != nil {
		return err
	}
	r, err := normalizeAccess(in)
	if err != nil {
		return err
	}
	r = printableAccess(r)
	outcome := audit.AccessGate(r)
	reason := outcome.Reason()
	for _, e := range r.Errors {
		reason += "; " + e
	}
	v := htmlAccessView{htmlPage: htmlPage{
		Title:       accessToolName(r.Tool) + " access view: what every integration can do",
		Tool:        toolLabel(r.Tool),
		CSP:         assets.accessCSP,
		Style:       assets.style,
		Source:      r.Source,
		Outcome:     reason,
		OutcomeCode: outcome.Code,
	}}
	if !r.Source.CollectedAt.IsZero() {
		v.CollectedAt = timestamp(r.Source)
	}
	var unreached []string
	for _, a := range r.Areas {
		reached := false
		for _, app := range r.Applications {
			reached = reached || app.Access[a.Name] != audit.AccessNone
		}
		if reached || len(r.Applications) == 0 {
			v.Areas = append(v.Areas, htmlArea{Name: a.Name, Label: areaLabel(a), Permission: a.Permission})
		} else {
			unreached = append(unreached, areaLabel(a))
		}
	}
	v.Unreached = strings.Join(unreached, ", ")
	for _, app := range r.Applications {
		h := htmlApplication{
			Name: app.Name, Active: app.Active, Authentication: app.Authentication,
			Login: shortLogin(app.Login), LoginDetail: loginText(app.Login),
			Scopes: app.Scopes, Profile: app.Profile, Sensitive: app.Sensitive,
			Errors: app.Errors, Notes: app.Notes,
		}
		if app.Profile != "" {
			h.Login += " · profile " + app.Profile
		}
		if app.Auditor {
			h.Login += " · halolint's own"
		}
		if !app.Active {
			h.Login += " · inactive"
		}
		for _, a := range v.Areas {
			l := app.Access[a.Name]
			h.Levels = append(h.Levels, htmlLevel{Area: a.Label, Level: l, Mark: accessMarks[l]})
		}
		v.Applications = append(v.Applications, h)
	}
	for _, e := range r.CollectionErrors {
		v.CollectionErrors = append(v.CollectionErrors, htmlCollectionError{Text: collectionErrorText(e), Why: accessCollectionErrorWhy(e)})
	}
	for _, n := range r.Notices {
		v.Notices = append(v.Notices, noticeText(n))
	}
	return assets.tmpl.ExecuteTemplate(w, "access", v)
}

// shortLogin is who an application logs in as, in the fewest words.
func shortLogin(l audit.AccessLogin) string {
	switch {
	case l.Type == audit.LoginAgent && l.Agent != nil:
		s := fmt.Sprintf("as %s", l.Agent.Name)
		if a := l.Agent.Administrator; a != nil && *a {
			s += " (administrator)"
		}
		return s
	case l.Type == audit.LoginApplicationIdentity:
		return "Application Identity"
	}
	return "login unknown"
}
