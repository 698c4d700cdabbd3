package reports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCSV: any CSV reader gets the documented header and one row of
// fourteen columns per result, in the report order; text with commas,
// quotes and line breaks survives; formulas arrive as text.
func TestCSV(t *testing.T) {
	t.Parallel()
	r := mixedReport()
	r.Results[0].Object.Name = "=HYPERLINK(\"https://evil.example\",\"x\")"
	r.Results[1].Object.Name = "+1, \"quoted\"\nnext line"
	r.Results[2].Object.Name = "@SUM(A1)"
	r.Results[3].Object.Name = "\t-2"
	r.Results[4].Object.Name = "-"
	b := render(t, FormatCSV, Options{}, r)
	if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("lines do not end in CRLF (RFC 4180), or a line break is left in a cell")
	}
	rd := csv.NewReader(bytes.NewReader(b))
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split("profile,id,status,severity,object_type,object_id,object_name,message,expected,actual,remediation,source,accepted,change", ",")
	if diff := cmp.Diff(want, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if len(rows) != 1+len(r.Results) {
		t.Fatalf("%d rows for %d results", len(rows)-1, len(r.Results))
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		if len(row) != len(want) {
			t.Errorf("row of %d columns: %q", len(row), row)
		}
		names[row[6]] = true
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s begins like a formula: %q", want[i], cell)
			}
		}
	}
	for _, name := range []string{`'=HYPERLINK("https://evil.example","x")`, `'+1, "quoted" next line`, "'@SUM(A1)", "' -2", "'-"} {
		if !names[name] {
			t.Errorf("no object_name %q in %v", name, names)
		}
	}
	cove := rows[5]
	if cove[1] != "cove.application.scopes" || cove[8] != "edit:tickets, read:customers" || cove[9] != "read:customers" {
		t.Errorf("the Cove row: %q", cove)
	}
}
