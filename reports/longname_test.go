package reports

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/halolint/halolint/audit"
)

// longNameReport is mixedReport with its Cove application named with n
// characters, quoted whole in the messages about it, as a report that did
// not come from the engine (which quotes long names short) may.
func longNameReport(n int) (*audit.Report, string) {
	name := "Cove " + strings.Repeat("x", n)
	r := mixedReport()
	for i := range r.Results {
		res := &r.Results[i]
		if res.Object.Name == "Cove-HaloPSA" {
			res.Object.Name = name
			res.Message = "application \"" + name + "\" lacks a scope"
			res.Remediation = "Configuration > Integrations > HaloPSA API > Applications > " + name + " > Permissions"
		}
	}
	return r, name
}

// A name of any length is shown short in the table and Markdown (its
// start, an ellipsis, its length and its ID), so that rendering takes the
// same time as for any other name; JSON and SARIF keep it exact.
func TestLongNamesAreShownShort(t *testing.T) {
	t.Parallel()
	r, name := longNameReport(20 << 10)
	short := audit.ShortName(name, "5c1e0000-0000-0000-0000-000000000002")
	if !strings.Contains(short, "…") || !strings.Contains(short, "id 5c1e0000-0000-0000-0000-000000000002") {
		t.Fatalf("ShortName = %q", short)
	}
	plain, _ := longNameReport(0)
	for _, tc := range []struct {
		format string
		opts   Options
	}{
		{FormatTable, Options{Width: 100}},
		{FormatTable, Options{}},
		{FormatMarkdown, Options{}},
	} {
		out := string(render(t, tc.format, tc.opts, r))
		base := len(render(t, tc.format, tc.opts, plain))
		// The short form is about a hundred characters more than the
		// plain name, in a few places.
		if len(out) > base+4<<10 {
			t.Errorf("%s (width %d): %d bytes, against %d with a short name", tc.format, tc.opts.Width, len(out), base)
		}
		if strings.Contains(out, strings.Repeat("x", 100)) {
			t.Errorf("%s (width %d): the long name is shown at length", tc.format, tc.opts.Width)
		}
		if !strings.Contains(out, "5c1e0000-0000-0000-0000-000000000002") || !strings.Contains(out, "…") {
			t.Errorf("%s (width %d): no ellipsis and ID:\n%s", tc.format, tc.opts.Width, out)
		}
	}
	for _, format := range []string{FormatJSON, FormatSARIF} {
		out := render(t, format, Options{}, r)
		if !bytes.Contains(out, []byte(name)) || !json.Valid(out) {
			t.Errorf("%s: the name is not kept exactly", format)
		}
	}
}

// Any other long text (a notice, a collection error) is cut for display.
func TestLongTextIsCutForDisplay(t *testing.T) {
	t.Parallel()
	r := mixedReport()
	r.Notices = append(r.Notices, audit.Notice{Kind: "roles", Endpoint: "/api/Roles", Message: strings.Repeat("word ", 10000)})
	for _, format := range []string{FormatTable, FormatMarkdown} {
		out := strings.Join(strings.Fields(string(render(t, format, Options{Width: 80}, r))), " ")
		if strings.Count(out, "word") > maxDisplayRunes/5+10 || !strings.Contains(out, "48000 more characters)") {
			t.Errorf("%s: the notice is not cut", format)
		}
	}
}

// BenchmarkRenderLongName renders a report naming one application with
// a megabyte, in every text format: the table at a terminal's width took
// over a minute before names were shortened for display.
func BenchmarkRenderLongName(b *testing.B) {
	r, _ := longNameReport(1 << 20)
	for _, tc := range []struct {
		name   string
		format string
		opts   Options
	}{
		{"table-width-100", FormatTable, Options{Width: 100}},
		{"table", FormatTable, Options{}},
		{"markdown", FormatMarkdown, Options{}},
		{"json", FormatJSON, Options{}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			rd, err := New(tc.format, tc.opts)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := rd.Render(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
