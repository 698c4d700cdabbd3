package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"

	"github.com/halolint/halolint/audit"
)

// AccessRenderer writes an access view (halolint access) in one format.
type AccessRenderer interface {
	RenderAccess(w io.Writer, r *audit.AccessReport) error
}

// accessFormats are the formats of halolint access, as -o names them.
var accessFormats = []string{FormatTable, FormatJSON, FormatCSV, FormatMarkdown, FormatHTML}

// AccessFormats returns the names NewAccess accepts.
func AccessFormats() []string { return append([]string(nil), accessFormats...) }

// NewAccess returns the access view's renderer for a format. Of opts only
// Width (table) matters.
func NewAccess(format string, opts Options) (AccessRenderer, error) {
	switch format {
	case FormatTable:
		return accessTable{width: opts.Width}, nil
	case FormatJSON:
		return accessJSON{}, nil
	case FormatCSV:
		return accessCSV{}, nil
	case FormatMarkdown:
		return accessMarkdown{}, nil
	case FormatHTML:
		return accessHTML{}, nil
	}
	return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(accessFormats, ", "))
}

// normalizeAccess returns a copy of r in the order every format shows it
// (audit.AccessReport.Normalize), with every application's area levels
// checked. r itself is not modified.
func normalizeAccess(r *audit.AccessReport) (*audit.AccessReport, error) {
	if r == nil {
		return nil, errors.New("reports: nil access view")
	}
	n := *r
	n.SchemaVersion, n.Kind = audit.AccessSchemaVersion, audit.AccessKind
	n.Areas = append([]audit.AccessArea(nil), r.Areas...)
	n.Errors = append([]string(nil), r.Errors...)
	n.CollectionErrors = append([]audit.CollectionError(nil), r.CollectionErrors...)
	n.Notices = append([]audit.Notice(nil), r.Notices...)
	n.Applications = make([]audit.ApplicationAccess, len(r.Applications))
	for i, app := range r.Applications {
		app.Scopes = append([]string(nil), app.Scopes...)
		app.Sensitive = append([]string(nil), app.Sensitive...)
		app.Errors = append([]string(nil), app.Errors...)
		app.Notes = append([]string(nil), app.Notes...)
		app.Access = maps.Clone(app.Access)
		if a := app.Login.Agent; a != nil {
			agent := *a
			app.Login.Agent = &agent
		}
		for _, area := range n.Areas {
			if l := app.Access[area.Name]; !l.Valid() {
				return nil, fmt.Errorf("reports: application %q has no valid level for area %s (%q)", app.Name, area.Name, l)
			}
		}
		n.Applications[i] = app
	}
	n.Normalize()
	return &n, nil
}

// printableAccess is r (normalized) with every string a table, Markdown,
// CSV or HTML shows made Printable.
func printableAccess(r *audit.AccessReport) *audit.AccessReport {
	n := *r
	p := func(list []string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = Printable(s)
		}
		return out
	}
	n.Tool.Name, n.Tool.Version = Printable(r.Tool.Name), Printable(r.Tool.Version)
	n.Source.Kind, n.Source.URL, n.Source.File = Printable(r.Source.Kind), Printable(r.Source.URL), Printable(r.Source.File)
	n.Errors = p(r.Errors)
	n.Applications = make([]audit.ApplicationAccess, len(r.Applications))
	for i, app := range r.Applications {
		app.ID, app.Name, app.Authentication, app.Profile = Printable(app.ID), Printable(app.Name), Printable(app.Authentication), Printable(app.Profile)
		app.Scopes, app.Sensitive, app.Errors, app.Notes = p(app.Scopes), p(app.Sensitive), p(app.Errors), p(app.Notes)
		if a := app.Login.Agent; a != nil {
			agent := *a
			agent.Name = Printable(a.Name)
			app.Login.Agent = &agent
		}
		n.Applications[i] = app
	}
	n.CollectionErrors = make([]audit.CollectionError, len(r.CollectionErrors))
	for i, e := range r.CollectionErrors {
		e.Endpoint, e.Message = Printable(e.Endpoint), Printable(e.Message)
		n.CollectionErrors[i] = e
	}
	n.Notices = make([]audit.Notice, len(r.Notices))
	for i, no := range r.Notices {
		n.Notices[i] = audit.Notice{Kind: Printable(no.Kind), Endpoint: Printable(no.Endpoint), Message: Printable(no.Message)}
	}
	return &n
}

// accessJSON writes the access document, schema version 1
// (schemas/access.v1.json), as jsonRenderer writes the report.
type accessJSON struct{}

func (accessJSON) RenderAccess(w io.Writer, in *audit.AccessReport) error {
	r, err := normalizeAccess(in)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// areaLabel names an area for people: its permission without " Access
// Level" ("Sales Orders" for sos), else its name.
func areaLabel(a audit.AccessArea) string {
	if l := strings.TrimSpace(strings.TrimSuffix(a.Permission, " Access Level")); l != "" {
		return l
	}
	return a.Name
}

// areasAt lists the labels of the areas where app has level l, in the
// report's area order.
func areasAt(r *audit.AccessReport, app audit.ApplicationAccess, l audit.AccessLevel) []string {
	var out []string
	for _, a := range r.Areas {
		if app.Access[a.Name] == l {
			out = append(out, areaLabel(a))
		}
	}
	return out
}

// levelText lists the areas where app has level l, "every area" when
// that is all of them, "-" (the table's none) when there is none.
func levelText(r *audit.AccessReport, app audit.ApplicationAccess, l audit.AccessLevel, none string) string {
	areas := areasAt(r, app, l)
	switch {
	case len(areas) == 0:
		return none
	case len(areas) == len(r.Areas) && len(areas) > 1:
		return "every area"
	}
	return strings.Join(areas, ", ")
}

// loginText says who an application logs in as, in a few words:
// `agent "TimeZest API" (API-only, enabled, administrator)`.
func loginText(l audit.AccessLogin) string {
	switch l.Type {
	case audit.LoginAgent:
		if l.Agent == nil {
			return "an agent"
		}
		return fmt.Sprintf("agent \"%s\" (%s)", l.Agent.Name, agentTraits(*l.Agent))
	case audit.LoginApplicationIdentity:
		return "Application Identity (no agent)"
	case audit.LoginUnknown:
		return "unknown (details not read)"
	}
	return l.Type
}

// agentTraits is "API-only, enabled, not an administrator", with
// "unknown" for what could not be read.
func agentTraits(a audit.AccessAgent) string {
	trait := func(v *bool, yes, no, what string) string {
		switch {
		case v == nil:
			return what + " unknown"
		case *v:
			return yes
		}
		return no
	}
	return strings.Join([]string{
		trait(a.APIOnly, "API-only", "not API-only", "API-only"),
		trait(a.Enabled, "enabled", "disabled", "enabled"),
		trait(a.Administrator, "administrator", "not an administrator", "administrator"),
	}, ", ")
}

// accessSummary is "13 applications, 2 with an error".
func accessSummary(r *audit.AccessReport) string {
	s := plural(len(r.Applications), "application")
	if o := audit.AccessGate(r); o.Incomplete > 0 {
		s += fmt.Sprintf(", %d with an error", o.Incomplete)
	}
	return s
}

// accessCollectionErrorWhy says whether the access view needed the data.
func accessCollectionErrorWhy(e audit.CollectionError) string {
	if e.Needed {
		return "the access view reads it"
	}
	return "the access view does not read it"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// boolCell is "true", "false" or "" (unknown) for CSV.
func boolCell(b *bool) string {
	if b == nil {
		return ""
	}
	return fmt.Sprint(*b)
}
