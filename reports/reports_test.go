package reports

import (
	"bytes"
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/halolint/halolint/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCase is one golden file: a fixture rendered in one format with
// some options.
type goldenCase struct {
	file    string // under testdata/golden
	fixture func() *audit.Report
	format  string
	opts    Options
}

var fixtures = []struct {
	name   string
	report func() *audit.Report
}{
	{"allpass", allPassReport},
	{"mixed", mixedReport},
	{"judged", judgedReport},
}

// goldenCases lists every golden file.
func goldenCases() []goldenCase {
	var cases []goldenCase
	for _, f := range fixtures {
		add := func(variant, format, ext string, opts Options) {
			name := f.name + "." + variant + "." + ext
			if variant == "" {
				name = f.name + "." + ext
			}
			cases = append(cases, goldenCase{file: name, fixture: f.report, format: format, opts: opts})
		}
		add("", FormatTable, "txt", Options{Width: 100})
		add("color", FormatTable, "txt", Options{Width: 100, Color: true})
		add("narrow", FormatTable, "txt", Options{Width: 60})
		add("wide", FormatTable, "txt", Options{Width: 132})
		add("unlimited", FormatTable, "txt", Options{})
		add("quiet", FormatTable, "txt", Options{Width: 100, Quiet: true})
		add("quiet-warn", FormatTable, "txt", Options{Width: 100, Quiet: true, FailOn: audit.FailOnWarn})
		add("", FormatJSON, "json", Options{})
		add("", FormatSARIF, "sarif", Options{})
		add("", FormatJUnit, "xml", Options{})
		add("failon-warn", FormatJUnit, "xml", Options{FailOn: audit.FailOnWarn})
		add("", FormatMarkdown, "md", Options{})
		add("failon-never", FormatMarkdown, "md", Options{FailOn: audit.FailOnNever})
		add("", FormatHTML, "html", Options{})
		add("", FormatCSV, "csv", Options{})
	}
	return cases
}

func render(t *testing.T, format string, opts Options, r *audit.Report) []byte {
	t.Helper()
	rd, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range goldenCases() {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			got := render(t, c.format, c.opts, c.fixture())
			path := filepath.Join("testdata", "golden", c.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./reports -update` to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (-want +got); run `go test ./reports -update` if the change is intended:\n%s",
					path, cmp.Diff(visible(want), visible(got)))
			}
		})
	}
}

// visible splits output into lines with escape codes spelled out, for
// readable diffs.
func visible(b []byte) []string {
	return strings.Split(strings.ReplaceAll(string(b), "\x1b", `\x1b`), "\n")
}

// TestNoStrayGoldens keeps testdata/golden to the files the cases write.
func TestNoStrayGoldens(t *testing.T) {
	t.Parallel()
	if *update {
		t.Skip("updating")
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range goldenCases() {
		want[c.file] = true
	}
	for _, c := range accessGoldenCases() {
		want[c.file] = true
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("testdata/golden/%s is not written by any golden case", e.Name())
		}
	}
}

// TestDeterministic renders every format twice, and once more from a
// shuffled report: the bytes must not change.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, f := range fixtures {
		for _, format := range Formats() {
			for _, color := range []bool{false, true} {
				opts := Options{Width: 80, Color: color}
				first := render(t, format, opts, f.report())
				second := render(t, format, opts, f.report())
				if !bytes.Equal(first, second) {
					t.Errorf("%s %s: two renderings differ:\n%s", f.name, format, cmp.Diff(visible(first), visible(second)))
				}
				shuffled := f.report()
				rng := rand.New(rand.NewSource(1))
				rng.Shuffle(len(shuffled.Results), func(i, j int) {
					shuffled.Results[i], shuffled.Results[j] = shuffled.Results[j], shuffled.Results[i]
				})
				rng.Shuffle(len(shuffled.Catalog), func(i, j int) {
					shuffled.Catalog[i], shuffled.Catalog[j] = shuffled.Catalog[j], shuffled.Catalog[i]
				})
				slices.Reverse(shuffled.CollectionErrors)
				slices.Reverse(shuffled.Notices)
				third := render(t, format, opts, shuffled)
				if !bytes.Equal(first, third) {
					t.Errorf("%s %s: input order changes the output:\n%s", f.name, format, cmp.Diff(visible(first), visible(third)))
				}
			}
		}
	}
}

// TestRenderDoesNotModifyReport guards the caller's report: several outputs
// render the same report in one run.
func TestRenderDoesNotModifyReport(t *testing.T) {
	t.Parallel()
	for _, format := range Formats() {
		r := mixedReport()
		render(t, format, Options{Width: 60}, r)
		if diff := cmp.Diff(mixedReport(), r); diff != "" {
			t.Errorf("%s modified the report (-before +after):\n%s", format, diff)
		}
	}
}

func TestColor(t *testing.T) {
	t.Parallel()
	for _, f := range fixtures {
		for _, format := range Formats() {
			out := render(t, format, Options{Width: 100}, f.report())
			if bytes.Contains(out, []byte("\x1b")) {
				t.Errorf("%s %s without colour has an escape code", f.name, format)
			}
			if format != FormatTable {
				colored := render(t, format, Options{Width: 100, Color: true}, f.report())
				if !bytes.Equal(out, colored) {
					t.Errorf("%s %s: Color changes a format that has no colour", f.name, format)
				}
			}
		}
	}
	out := string(render(t, FormatTable, Options{Color: true}, mixedReport()))
	for st, code := range map[audit.Status]string{
		audit.StatusFail: "\x1b[31m", audit.StatusWarn: "\x1b[33m", audit.StatusPass: "\x1b[32m",
		audit.StatusError: "\x1b[35m", audit.StatusManual: "\x1b[36m",
	} {
		if !strings.Contains(out, code+string(st)+"\x1b[0m") {
			t.Errorf("status %s is not coloured %q", st, code)
		}
	}
	// Only what is painted is followed by a reset: none after the padding
	// of the status column.
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, " \x1b[0m") {
			t.Errorf("a reset after blanks: %q", line)
		}
	}
}

// TestTableWidth checks that narrow tables fit their width, wrap long
// messages, and never cut a check ID.
func TestTableWidth(t *testing.T) {
	t.Parallel()
	r := mixedReport()
	for _, width := range []int{60, 80, 100, 132} {
		out := string(render(t, FormatTable, Options{Width: width}, r))
		lines := strings.Split(out, "\n")
		for _, line := range lines {
			if w := twwidth.Width(line); w > width {
				t.Errorf("width %d: line of %d columns: %q", width, w, line)
			}
		}
		for _, res := range r.Results {
			if !strings.Contains(out, " "+res.ID+" ") && !strings.Contains(out, " "+res.ID+"\n") {
				t.Errorf("width %d: check ID %s is cut", width, res.ID)
			}
		}
	}
}

// TestTableDetails checks where the details of a fail or warn row go:
// under the row from the check column in a four-column table, wrapped or
// not, under the message in a stacked one; and that no two blank lines
// follow each other.
func TestTableDetails(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		width int
		want  string
	}{
		{0, "\n        fix:         Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions: tick edit:tickets\n"},
		{132, "\n        fix:         Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions: tick edit:tickets\n"},
		{60, "\n          fix:         Configuration > Integrations >\n                       HaloPSA API > Applications >\n"},
	} {
		out := string(render(t, FormatTable, Options{Width: tt.width}, mixedReport()))
		if !strings.Contains(out, tt.want) {
			t.Errorf("width %d: no %q in\n%s", tt.width, tt.want, out)
		}
		if strings.Contains(out, "\n\n\n") {
			t.Errorf("width %d: two blank lines in a row:\n%s", tt.width, out)
		}
	}
}

func TestQuiet(t *testing.T) {
	t.Parallel()
	out := string(render(t, FormatTable, Options{Width: 100, Quiet: true}, mixedReport()))
	for _, s := range []string{"cove.application.scopes", "baseline.control.force-accounts-id", "Summary:", "exit 3:", "/api/Control"} {
		if !strings.Contains(out, s) {
			t.Errorf("quiet table lacks %q", s)
		}
	}
	for _, s := range []string{"cove.role.tickets", "cove.role.identity", "timezest.agent.api-only", "/api/Roles/9"} {
		if strings.Contains(out, s) {
			t.Errorf("quiet table has %q, below --fail-on fail", s)
		}
	}
	out = string(render(t, FormatTable, Options{Width: 100, Quiet: true, FailOn: audit.FailOnWarn}, mixedReport()))
	if !strings.Contains(out, "cove.role.tickets") {
		t.Error("quiet table under --fail-on warn lacks a warn result")
	}
	out = string(render(t, FormatTable, Options{Width: 100, Quiet: true}, allPassReport()))
	if strings.Contains(out, "STATUS") {
		t.Errorf("quiet table of a clean audit has a table:\n%s", out)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]string{"table", "json", "sarif", "junit", "markdown", "html", "csv"}, Formats()); diff != "" {
		t.Errorf("Formats (-want +got):\n%s", diff)
	}
	for _, f := range Formats() {
		if _, err := New(f, Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	if _, err := New("pdf", Options{}); err == nil || !strings.Contains(err.Error(), "table, json, sarif, junit, markdown, html, csv") {
		t.Errorf("New(pdf) = %v, want an error listing the formats", err)
	}
	if _, err := New("json", Options{FailOn: "sometimes"}); err == nil {
		t.Error("New accepted --fail-on sometimes")
	}
	for _, format := range Formats() {
		rd, _ := New(format, Options{})
		if err := rd.Render(&bytes.Buffer{}, nil); err == nil {
			t.Errorf("%s rendered a nil report", format)
		}
		bad := allPassReport()
		bad.Results[0].Status = "maybe"
		if err := rd.Render(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("%s rendered an unknown status", format)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	t.Parallel()
	if got, want := mdEscape("a|b *c* <d> `e` [f] @g #1 $x$\nnext"), `a\|b \*c\* \<d\> \`+"`"+`e\`+"`"+` \[f\] \@g \#1 \$x\$ next`; got != want {
		t.Errorf("mdEscape = %q, want %q", got, want)
	}
	out := string(render(t, FormatMarkdown, Options{}, mixedReport()))
	for _, raw := range []string{"<b>", "</b>", "<agent>", "| *Admins*"} {
		if strings.Contains(out, raw) {
			t.Errorf("markdown has unescaped %q", raw)
		}
	}
	if strings.Contains(out, "timezest.agent.api-only") {
		t.Error("markdown lists a pass")
	}
}

func TestObjectLabel(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		o    audit.Object
		want string
	}{
		{audit.Object{Type: audit.ObjectRole, ID: "1", Name: "Cove-Role"}, "role/Cove-Role"},
		{audit.Object{Type: audit.ObjectAgent, ID: "12"}, "agent/12"},
		{audit.Object{Type: audit.ObjectTenant}, "tenant"},
	} {
		if got := objectLabel(tt.o); got != tt.want {
			t.Errorf("objectLabel(%+v) = %q, want %q", tt.o, got, tt.want)
		}
	}
}
