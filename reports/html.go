package reports

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/halolint/halolint/audit"
)

// The HTML report is one self-contained file: the style sheet and the
// filter script are inline, nothing is fetched (a Content-Security-Policy
// forbids it to the browser, down to images and fonts), so it opens
// offline and can be mailed to a client. Every string goes through
// html/template's contextual escaping after Printable: an application may
// be called <script>.

//go:embed html/report.tmpl html/style.css html/filter.js
var htmlFiles embed.FS

// htmlAssets are the parsed template and the inline style and script,
// with the policy that allows exactly them.
type htmlAssets struct {
	tmpl   *template.Template
	style  template.CSS
	script template.JS
	// csp allows the inline style and (for the report) script by hash,
	// and nothing else: no source, no connection, no frame, no form.
	reportCSP, accessCSP string
}

var loadHTMLAssets = sync.OnceValues(func() (*htmlAssets, error) {
	funcs := template.FuncMap{"join": func(s []string) string { return strings.Join(s, ", ") }}
	tmpl, err := template.New("report.tmpl").Funcs(funcs).ParseFS(htmlFiles, "html/report.tmpl")
	if err != nil {
		return nil, fmt.Errorf("reports: html template: %w", err)
	}
	style, err := htmlFiles.ReadFile("html/style.css")
	if err != nil {
		return nil, err
	}
	script, err := htmlFiles.ReadFile("html/filter.js")
	if err != nil {
		return nil, err
	}
	hash := func(b []byte) string {
		sum := sha256.Sum256(b)
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	const rest = "; img-src 'none'; font-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
	return &htmlAssets{
		tmpl:      tmpl,
		style:     template.CSS(style),
		script:    template.JS(script),
		reportCSP: "default-src 'none'; style-src " + hash(style) + "; script-src " + hash(script) + rest,
		accessCSP: "default-src 'none'; style-src " + hash(style) + "; script-src 'none'" + rest,
	}, nil
})

// htmlPage is what every page shows in its head and header.
type htmlPage struct {
	Title       string
	Tool        string
	CSP         string
	Style       template.CSS
	Script      template.JS
	Source      audit.ReportSource
	CollectedAt string
	Phase       string
	Outcome     string
	OutcomeCode int
}

// htmlView is the audit report as the template draws it.
type htmlView struct {
	htmlPage
	Profiles         []string
	Statuses         []audit.Status
	Tiles            []htmlTile
	ProfileRows      []htmlProfileRow
	FilterStatuses   []audit.Status
	FindingCount     int
	PassCount        int
	Findings         []htmlGroup
	Passes           []htmlGroup
	CollectionErrors []htmlCollectionError
	Notices          []string
	// Previous, New and Fixed are the comparison with a previous run.
	Previous string
	New      []htmlResult
	Fixed    []string
}

type htmlTile struct {
	Status audit.Status
	Count  int
}

type htmlProfileRow struct {
	Profile string
	// Anchor is the id of the profile's findings, else of its passes.
	Anchor string
	Counts []int
	Total  int
}

type htmlGroup struct {
	Profile string
	Anchor  string
	Results []htmlResult
}

type htmlResult struct {
	ID, Profile, Title string
	Status             audit.Status
	Severity           audit.Severity
	Object             string
	Message            string
	Expected, Actual   string
	GrantedBy          string
	Remediation        string
	Source, SourceURL  string
	// Accepted is the acceptance in words, Change "new" or "unchanged".
	Accepted, Change string
}

type htmlCollectionError struct {
	Text string
	// Why says whether what was asked for needed the data.
	Why string
}

// htmlStatusOrder is the order of the summary's tiles and columns and of
// the status filter: what fails the gate first, passes last.
var htmlStatusOrder = append(append([]audit.Status{}, findingOrder...), audit.StatusPass)

// htmlRenderer writes the HTML report: the summary (counts per status and
// per profile, the exit reason), the collection errors and notices, the
// findings (fail, error, warn, manual) grouped by profile with expected,
// actual, granted by, how to fix and the vendor guide's link, then the
// passes; filters by status and profile, a print style sheet.
type htmlRenderer struct {
	opts Options
}

func (h *htmlRenderer) Render(w io.Writer, in *audit.Report) error {
	assets, err := loadHTMLAssets()
	if err != nil {
		return err
	}
	r, err := normalize(in)
	if err != nil {
		return err
	}
	r = printableReport(r)
	outcome := audit.Gate(r, h.opts.FailOn)
	v := htmlView{
		htmlPage: htmlPage{
			Title:       toolName(r) + " audit report",
			Tool:        toolLabel(r.Tool),
			CSP:         assets.reportCSP,
			Style:       assets.style,
			Script:      assets.script,
			Source:      r.Source,
			Phase:       string(r.Phase),
			Outcome:     outcome.Reason(),
			OutcomeCode: outcome.Code,
		},
		Statuses:       htmlStatusOrder,
		FilterStatuses: htmlStatusOrder,
	}
	if !r.Source.CollectedAt.IsZero() {
		v.CollectedAt = timestamp(r.Source)
	}
	for _, st := range htmlStatusOrder {
		v.Tiles = append(v.Tiles, htmlTile{Status: st, Count: countOf(r.Summary, st)})
	}
	for _, g := range groupByProfile(r) {
		v.Profiles = append(v.Profiles, g.Profile)
		s := count(g.Results)
		row := htmlProfileRow{Profile: g.Profile, Total: len(g.Results)}
		for _, st := range htmlStatusOrder {
			row.Counts = append(row.Counts, countOf(s, st))
		}

		findings := htmlGroup{Profile: g.Profile, Anchor: "findings-" + g.Profile}
		for _, st := range findingOrder {
			for _, res := range g.Results {
				if res.Status == st {
					findings.Results = append(findings.Results, htmlResultOf(res))
				}
			}
		}
		if len(findings.Results) > 0 {
			v.Findings = append(v.Findings, findings)
			v.FindingCount += len(findings.Results)
		}
		passes := htmlGroup{Profile: g.Profile, Anchor: "passes-" + g.Profile}
		for _, res := range g.Results {
			if res.Status == audit.StatusPass {
				passes.Results = append(passes.Results, htmlResultOf(res))
			}
		}
		if len(passes.Results) > 0 {
			v.Passes = append(v.Passes, passes)
			v.PassCount += len(passes.Results)
		}
		row.Anchor = findings.Anchor
		if len(findings.Results) == 0 {
			row.Anchor = passes.Anchor
		}
		v.ProfileRows = append(v.ProfileRows, row)
	}
	for _, e := range r.CollectionErrors {
		why := "no selected check needed it"
		if e.Needed {
			why = "a selected check needed it"
		}
		v.CollectionErrors = append(v.CollectionErrors, htmlCollectionError{Text: collectionErrorText(e), Why: why})
	}
	for _, n := range r.Notices {
		v.Notices = append(v.Notices, noticeText(n))
	}
	if r.Previous != nil {
		fresh, fixed := changes(r)
		v.Previous = previousText(r)
		for _, res := range fresh {
			v.New = append(v.New, htmlResultOf(res))
		}
		for _, f := range fixed {
			v.Fixed = append(v.Fixed, f.ID+" on "+objectLabel(f.Object))
		}
	}
	return assets.tmpl.ExecuteTemplate(w, "report", v)
}

func htmlResultOf(res audit.Result) htmlResult {
	accepted := ""
	if res.Accepted != nil {
		accepted = acceptedText(res.Accepted)
	}
	return htmlResult{
		ID: res.ID, Profile: res.Profile, Title: res.Title,
		Status: res.Status, Severity: res.Severity,
		Object:   objectLabel(res.Object),
		Message:  res.Message,
		Expected: formatValue(res.Expected), Actual: formatValue(res.Actual),
		GrantedBy: res.GrantedBy, Remediation: res.Remediation,
		Source: res.Source, SourceURL: res.SourceURL,
		Accepted: accepted, Change: string(res.Change),
	}
}

// toolLabel is "halolint v0.1.0".
func toolLabel(t audit.Tool) string {
	name := t.Name
	if name == "" {
		name = "halolint"
	}
	if t.Version == "" {
		return name
	}
	return name + " " + t.Version
}
