package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/halolint/halolint/audit"
)

// This file holds what every format shares: the report as renderers see it
// (normalize), status order and counts, object labels and value
// formatting. Formats do not redo any of it; the exit outcome is
// audit.Gate's.

// normalize returns a copy of r as every renderer draws it: results sorted
// in the report order (profile, ID, object name), the summary counted from
// the results, every list non-nil, collection errors and notices sorted,
// the collection time in UTC, source.file only for snapshots, the catalog
// sorted by ID. r itself is not modified.
func normalize(r *audit.Report) (*audit.Report, error) {
	if r == nil {
		return nil, errors.New("reports: nil report")
	}
	n := *r
	n.SchemaVersion = audit.ReportSchemaVersion
	n.Source.CollectedAt = r.Source.CollectedAt.UTC()
	if n.Source.Kind != "snapshot" {
		n.Source.File = ""
	}
	n.Profiles = append([]string{}, r.Profiles...)

	n.Results = append([]audit.Result{}, r.Results...)
	for _, res := range n.Results {
		if !res.Status.Valid() {
			return nil, fmt.Errorf("reports: result %s on %s has unknown status %q", res.ID, objectLabel(res.Object), res.Status)
		}
	}
	slices.SortStableFunc(n.Results, audit.CompareResults)
	n.Summary = count(n.Results)

	n.CollectionErrors = append([]audit.CollectionError{}, r.CollectionErrors...)
	sort.SliceStable(n.CollectionErrors, func(i, j int) bool {
		a, b := n.CollectionErrors[i], n.CollectionErrors[j]
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Message < b.Message
	})

	n.Fixed = append([]audit.Finding{}, r.Fixed...)
	n.Notices = append([]audit.Notice{}, r.Notices...)
	slices.SortStableFunc(n.Notices, audit.CompareNotices)

	n.Catalog = append([]audit.Check{}, r.Catalog...)
	sort.SliceStable(n.Catalog, func(i, j int) bool { return n.Catalog[i].ID < n.Catalog[j].ID })
	return &n, nil
}

// count counts results per status.
func count(results []audit.Result) audit.Summary {
	var s audit.Summary
	for _, r := range results {
		switch r.Status {
		case audit.StatusPass:
			s.Pass++
		case audit.StatusFail:
			s.Fail++
		case audit.StatusWarn:
			s.Warn++
		case audit.StatusError:
			s.Error++
		case audit.StatusManual:
			s.Manual++
		}
		if r.Accepted != nil {
			s.Accepted++
		}
	}
	return s
}

// countOf returns the summary's count for one status.
func countOf(s audit.Summary, st audit.Status) int {
	switch st {
	case audit.StatusPass:
		return s.Pass
	case audit.StatusFail:
		return s.Fail
	case audit.StatusWarn:
		return s.Warn
	case audit.StatusError:
		return s.Error
	case audit.StatusManual:
		return s.Manual
	}
	return 0
}

// summaryText is "12 pass, 2 fail, 1 warn, 0 error, 2 manual", statuses in
// audit.Statuses order.
func summaryText(s audit.Summary) string {
	parts := make([]string, 0, len(audit.Statuses))
	for _, st := range audit.Statuses {
		parts = append(parts, fmt.Sprintf("%d %s", countOf(s, st), st))
	}
	if s.Accepted > 0 {
		parts = append(parts, fmt.Sprintf("%d accepted", s.Accepted))
	}
	return strings.Join(parts, ", ")
}

// acceptedText is "until 2027-03-31, by jdoe: Rewst documents the all
// scope".
func acceptedText(a *audit.Accepted) string {
	by := ""
	if a.By != "" {
		by = ", by " + a.By
	}
	return fmt.Sprintf("until %s%s: %s", a.Expires, by, a.Reason)
}

// changes lists, for a report compared with a previous one, the new
// findings and the fixed ones: what the human formats show first.
func changes(r *audit.Report) (fresh []audit.Result, fixed []audit.Finding) {
	if r.Previous == nil {
		return nil, nil
	}
	for _, res := range r.Results {
		if res.Change == audit.ChangeNew {
			fresh = append(fresh, res)
		}
	}
	return fresh, r.Fixed
}

// previousText is "snapshot last.json (https://..., collected ...)".
func previousText(r *audit.Report) string {
	if r.Previous == nil {
		return ""
	}
	return sourceText(*r.Previous)
}

// findingOrder is the order findings are listed in where a format lists
// them by status: what fails the gate first, what a person must look at last.
var findingOrder = []audit.Status{audit.StatusFail, audit.StatusError, audit.StatusWarn, audit.StatusManual}

// isFinding reports whether a result is something other than a pass.
func isFinding(s audit.Status) bool { return s != audit.StatusPass }

// objectLabel names an object as people and logical locations see it:
// "role/Cove-Role". An object without a name falls back to its ID, one
// without either to its type alone.
func objectLabel(o audit.Object) string {
	name := o.Name
	if name == "" {
		name = o.ID
	}
	if name == "" {
		return string(o.Type)
	}
	if o.Type == "" {
		return name
	}
	return string(o.Type) + "/" + name
}

// profileOrder is the order formats group results by profile in: the
// report's profiles as selected, then any other profile that results or
// the catalog mention, sorted.
func profileOrder(r *audit.Report) []string {
	seen := map[string]bool{}
	var order []string
	for _, p := range r.Profiles {
		if !seen[p] {
			seen[p] = true
			order = append(order, p)
		}
	}
	var extra []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			extra = append(extra, p)
		}
	}
	for _, res := range r.Results {
		add(res.Profile)
	}
	for _, c := range r.Catalog {
		add(c.Profile)
	}
	sort.Strings(extra)
	return append(order, extra...)
}

// group is one profile's results, in report order.
type group struct {
	Profile string
	Results []audit.Result
}

// groupByProfile splits results by profile in profileOrder, keeping every
// profile of the order even when it has no result.
func groupByProfile(r *audit.Report) []group {
	by := map[string][]audit.Result{}
	for _, res := range r.Results {
		by[res.Profile] = append(by[res.Profile], res)
	}
	order := profileOrder(r)
	groups := make([]group, 0, len(order))
	for _, p := range order {
		groups = append(groups, group{Profile: p, Results: by[p]})
	}
	return groups
}

// formatValue renders an expected or actual value for people: a string as
// it is, a list joined with ", ", anything else as JSON. nil is "".
func formatValue(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case []string:
		return strings.Join(t, ", ")
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// sourceText describes what was audited: "live https://acme.halopsa.com,
// collected 2026-11-22T10:00:00Z", or for a snapshot "snapshot FILE (URL),
// collected ...".
func sourceText(s audit.ReportSource) string {
	var b strings.Builder
	b.WriteString(s.Kind)
	switch {
	case s.File != "" && s.URL != "":
		fmt.Fprintf(&b, " %s (%s)", s.File, s.URL)
	case s.File != "":
		fmt.Fprintf(&b, " %s", s.File)
	case s.URL != "":
		fmt.Fprintf(&b, " %s", s.URL)
	}
	if !s.CollectedAt.IsZero() {
		fmt.Fprintf(&b, ", collected %s", timestamp(s))
	}
	return b.String()
}

// timestamp is the collection time as RFC 3339 in UTC.
func timestamp(s audit.ReportSource) string {
	return s.CollectedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
}

// collectionErrorText is "/api/Control: HTTP 403: Forbidden".
func collectionErrorText(e audit.CollectionError) string {
	status := "no response"
	if e.Status != 0 {
		status = fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.Message == "" {
		return e.Endpoint + ": " + status
	}
	return e.Endpoint + ": " + status + ": " + e.Message
}

// noticeText is "/api/Roles: the server answered an empty list of roles: ...".
func noticeText(n audit.Notice) string {
	if n.Endpoint == "" {
		return n.Message
	}
	return n.Endpoint + ": " + n.Message
}

// plural is "1 result" or "3 results".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
