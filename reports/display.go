package reports

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/halolint/halolint/audit"
)

// maxDisplayRunes bounds any one text the table and Markdown show (a
// message, a remediation, a value, a notice): the engine already quotes
// long names short, but a report may come from elsewhere, and laying out
// a table costs more than linear time in the length of its words.
const maxDisplayRunes = 2000

// displayReport bounds what the table and Markdown show of r, the
// renderer's own printable copy (printableReport), changed in place: an
// object whose name has more than audit.MaxNameRunes characters is shown
// by its audit.ShortName (an ellipsis and its ID), in its label and in
// the prose of its results; an ID is cut; any other text longer than
// maxDisplayRunes is cut, saying how much was left out. JSON, SARIF and
// JUnit keep every value exact.
func displayReport(r *audit.Report) *audit.Report {
	r.Source.URL, r.Source.File = bounded(r.Source.URL), bounded(r.Source.File)
	for i := range r.Results {
		res := &r.Results[i]
		short := func(s string) string { return s }
		if name := res.Object.Name; utf8.RuneCountInString(name) > audit.MaxNameRunes {
			shortName := audit.ShortName(name, res.Object.ID)
			short = func(s string) string { return strings.ReplaceAll(s, name, shortName) }
			res.Object.Name = shortName
		}
		res.Object.ID = audit.ShortID(res.Object.ID)
		res.Message = bounded(short(res.Message))
		res.Remediation = bounded(short(res.Remediation))
		res.GrantedBy = bounded(short(res.GrantedBy))
		res.Expected = boundedValue(res.Expected, short)
		res.Actual = boundedValue(res.Actual, short)
	}
	for i := range r.CollectionErrors {
		e := &r.CollectionErrors[i]
		e.Endpoint, e.Message = bounded(e.Endpoint), bounded(e.Message)
	}
	for i := range r.Notices {
		n := &r.Notices[i]
		n.Endpoint, n.Message = bounded(n.Endpoint), bounded(n.Message)
	}
	return r
}

// bounded is s cut to maxDisplayRunes characters, saying how many more
// there were.
func bounded(s string) string {
	if len(s) <= maxDisplayRunes {
		return s
	}
	n := utf8.RuneCountInString(s)
	if n <= maxDisplayRunes {
		return s
	}
	i := 0
	for range maxDisplayRunes {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i] + "… (" + strconv.Itoa(n-maxDisplayRunes) + " more characters)"
}

// boundedValue applies short and bounded to an expected or actual value,
// as printableValue left it: nil, a string, or a list of them.
func boundedValue(v any, short func(string) string) any {
	switch x := v.(type) {
	case string:
		return bounded(short(x))
	case []string:
		for i, s := range x {
			x[i] = bounded(short(s))
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = boundedValue(e, short)
		}
		return x
	}
	return v
}
