package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// csvHeader is the report's CSV header, one column per field of a result.
var csvHeader = []string{
	"profile", "id", "status", "severity", "object_type", "object_id", "object_name",
	"message", "expected", "actual", "remediation", "source", "accepted", "change",
}

// csvRenderer writes one row per result, in the report order, for
// spreadsheets: RFC 4180 (encoding/csv, CRLF line ends), every cell
// made printable and guarded against formula injection. Lists (expected,
// actual) are joined with ", ". accepted is the acceptance ("until
// 2027-03-31, by jdoe: reason"), change new or unchanged with --previous;
// both empty otherwise.
type csvRenderer struct{}

func (csvRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(r.Results))
	for _, res := range r.Results {
		accepted := ""
		if res.Accepted != nil {
			accepted = acceptedText(res.Accepted)
		}
		rows = append(rows, []string{
			res.Profile, res.ID, string(res.Status), string(res.Severity),
			string(res.Object.Type), res.Object.ID, res.Object.Name,
			res.Message, formatValue(res.Expected), formatValue(res.Actual),
			res.Remediation, res.Source, accepted, string(res.Change),
		})
	}
	return writeCSV(w, csvHeader, rows)
}

// writeCSV writes a header and rows, every cell through csvCell.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = csvCell(c)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula (or, for tab and carriage return, hide one).
const formulaStart = "=+-@\t\r"

// csvCell is one cell as written: made Printable (a tenant's name may hold
// control characters, and the file may be printed on a terminal), and
// prefixed with ' when it begins like a formula, so that a name such as
// =HYPERLINK(...) arrives as text. The original's first character counts
// too: Printable turns a leading tab into a space.
func csvCell(s string) string {
	p := Printable(s)
	if (s != "" && strings.ContainsRune(formulaStart, rune(s[0]))) || (p != "" && strings.ContainsRune(formulaStart, rune(p[0]))) {
		return "'" + p
	}
	return p
}

// accessCSV writes one row per application of the access view: its
// identity and login, its scopes, profile, one column per area (named as
// the area: tickets, customers, ...) holding its level, and its login
// agent's sensitive permissions, errors and notes. Lists are joined with
// "; ", booleans are true/false, an unknown one empty.
type accessCSV struct{}

func (accessCSV) RenderAccess(w io.Writer, in *audit.AccessReport) error {
	r, err := normalizeAccess(in)
	if err != nil {
		return err
	}
	header := []string{"name", "id", "active", "auditor", "authentication", "login", "agent_id", "agent_name", "api_only", "enabled", "administrator", "scopes", "profile"}
	for _, a := range r.Areas {
		header = append(header, a.Name)
	}
	header = append(header, "sensitive", "errors", "notes")
	rows := make([][]string, 0, len(r.Applications))
	for _, app := range r.Applications {
		row := []string{app.Name, app.ID, fmt.Sprint(app.Active), fmt.Sprint(app.Auditor), app.Authentication, app.Login.Type}
		if a := app.Login.Agent; a != nil {
			row = append(row, fmt.Sprint(a.ID), a.Name, boolCell(a.APIOnly), boolCell(a.Enabled), boolCell(a.Administrator))
		} else {
			row = append(row, "", "", "", "", "")
		}
		row = append(row, strings.Join(app.Scopes, "; "), app.Profile)
		for _, a := range r.Areas {
			row = append(row, string(app.Access[a.Name]))
		}
		row = append(row, strings.Join(app.Sensitive, "; "), strings.Join(app.Errors, "; "), strings.Join(app.Notes, "; "))
		rows = append(rows, row)
	}
	return writeCSV(w, header, rows)
}
