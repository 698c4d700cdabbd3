package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/schematest"
)

var accessSchemaPath = filepath.Join("..", "schemas", "access.v1.json")

type accessGoldenCase struct {
	file    string
	fixture func() *audit.AccessReport
	format  string
	opts    Options
}

// accessGoldenCases lists every golden file of the access view: each
// format of halolint access, on both fixtures.
func accessGoldenCases() []accessGoldenCase {
	var cases []accessGoldenCase
	for _, f := range []struct {
		name    string
		fixture func() *audit.AccessReport
	}{{"access", accessFixture}, {"access-empty", emptyAccess}} {
		add := func(variant, format, ext string, opts Options) {
			name := f.name + "." + ext
			if variant != "" {
				name = f.name + "." + variant + "." + ext
			}
			cases = append(cases, accessGoldenCase{file: name, fixture: f.fixture, format: format, opts: opts})
		}
		add("", FormatTable, "txt", Options{Width: 100})
		add("narrow", FormatTable, "txt", Options{Width: 60})
		add("", FormatJSON, "json", Options{})
		add("", FormatCSV, "csv", Options{})
		add("", FormatMarkdown, "md", Options{})
		add("", FormatHTML, "html", Options{})
	}
	return cases
}

func renderAccess(t *testing.T, format string, opts Options, r *audit.AccessReport) []byte {
	t.Helper()
	rd, err := NewAccess(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rd.RenderAccess(&buf, r); err != nil {
		t.Fatalf("render access %s: %v", format, err)
	}
	return buf.Bytes()
}

func TestAccessGolden(t *testing.T) {
	t.Parallel()
	for _, c := range accessGoldenCases() {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			got := renderAccess(t, c.format, c.opts, c.fixture())
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

func TestNewAccess(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]string{"table", "json", "csv", "markdown", "html"}, AccessFormats()); diff != "" {
		t.Errorf("AccessFormats (-want +got):\n%s", diff)
	}
	if _, err := NewAccess("sarif", Options{}); err == nil || !strings.Contains(err.Error(), "table, json, csv, markdown, html") {
		t.Errorf("NewAccess(sarif) = %v, want an error listing the formats", err)
	}
	for _, format := range AccessFormats() {
		rd, _ := NewAccess(format, Options{})
		if err := rd.RenderAccess(&bytes.Buffer{}, nil); err == nil {
			t.Errorf("%s rendered a nil view", format)
		}
		bad := accessFixture()
		bad.Applications[0].Access["tickets"] = "maybe"
		if err := rd.RenderAccess(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("%s rendered an unknown level", format)
		}
		bad = accessFixture()
		delete(bad.Applications[0].Access, "sos")
		if err := rd.RenderAccess(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("%s rendered an application without a level for an area", format)
		}
	}
}

// TestAccessDeterministic: the same view twice, and shuffled, gives the
// same bytes; rendering leaves the caller's view alone.
func TestAccessDeterministic(t *testing.T) {
	t.Parallel()
	for _, format := range AccessFormats() {
		first := renderAccess(t, format, Options{Width: 80}, accessFixture())
		shuffled := accessFixture()
		rng := rand.New(rand.NewSource(1))
		rng.Shuffle(len(shuffled.Applications), func(i, j int) {
			shuffled.Applications[i], shuffled.Applications[j] = shuffled.Applications[j], shuffled.Applications[i]
		})
		for i := range shuffled.Applications {
			slices.Reverse(shuffled.Applications[i].Scopes)
		}
		slices.Reverse(shuffled.CollectionErrors)
		before := accessFixture()
		again := renderAccess(t, format, Options{Width: 80}, shuffled)
		if !bytes.Equal(first, again) {
			t.Errorf("%s: input order changes the output:\n%s", format, cmp.Diff(visible(first), visible(again)))
		}
		fixture := accessFixture()
		renderAccess(t, format, Options{Width: 60}, fixture)
		if diff := cmp.Diff(before, fixture); diff != "" {
			t.Errorf("%s modified the view (-before +after):\n%s", format, diff)
		}
	}
}

// TestAccessJSONGoldenValid validates the JSON golden files against
// schemas/access.v1.json and checks what a schema cannot say.
func TestAccessJSONGoldenValid(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, accessSchemaPath)
	for _, c := range accessGoldenCases() {
		if c.format != FormatJSON {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata", "golden", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(schematest.ParseJSON(t, b)); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
		var r audit.AccessReport
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		for i, app := range r.Applications {
			if i > 0 && audit.CompareApplications(r.Applications[i-1], app) >= 0 {
				t.Errorf("%s: applications not sorted at %d", c.file, i)
			}
			if len(app.Access) != len(r.Areas) {
				t.Errorf("%s: %s has %d levels for %d areas", c.file, app.Name, len(app.Access), len(r.Areas))
			}
		}
		want := []string{"schema_version", "kind", "tool", "source", "areas", "applications", "errors", "collection_errors", "notices"}
		if diff := cmp.Diff(want, topLevelKeys(t, b)); diff != "" {
			t.Errorf("%s: top-level keys (-want +got):\n%s", c.file, diff)
		}
	}
}

// TestAccessSchemaRejects makes sure the schema is not vacuous.
func TestAccessSchemaRejects(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, accessSchemaPath)
	good := renderAccess(t, FormatJSON, Options{}, accessFixture())
	app0 := func(m map[string]any) map[string]any { return m["applications"].([]any)[0].(map[string]any) }
	mutations := map[string]func(m map[string]any){
		"schema_version 2":        func(m map[string]any) { m["schema_version"] = 2 },
		"another kind":            func(m map[string]any) { m["kind"] = "report" },
		"unknown level":           func(m map[string]any) { app0(m)["access"].(map[string]any)["tickets"] = "admin" },
		"unknown login type":      func(m map[string]any) { app0(m)["login"].(map[string]any)["type"] = "user" },
		"agent login, no agent":   func(m map[string]any) { delete(app0(m)["login"].(map[string]any), "agent") },
		"string agent id":         func(m map[string]any) { app0(m)["login"].(map[string]any)["agent"].(map[string]any)["id"] = "21" },
		"no errors":               func(m map[string]any) { delete(app0(m), "errors") },
		"unknown application key": func(m map[string]any) { app0(m)["secret"] = "x" },
		"file on a live view":     func(m map[string]any) { m["source"].(map[string]any)["file"] = "x.json" },
		"no collection_errors":    func(m map[string]any) { delete(m, "collection_errors") },
	}
	for name, mutate := range mutations {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		b, _ := json.Marshal(m)
		if err := schema.Validate(schematest.ParseJSON(t, b)); err == nil {
			t.Errorf("access schema accepts a view with %s", name)
		}
	}
}

// TestAccessCSV: any CSV reader gets the documented columns, one row per
// application, a level in every area column, formulas as text.
func TestAccessCSV(t *testing.T) {
	t.Parallel()
	rows, err := csv.NewReader(bytes.NewReader(renderAccess(t, FormatCSV, Options{}, accessFixture()))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"name", "id", "active", "auditor", "authentication", "login", "agent_id", "agent_name", "api_only", "enabled", "administrator", "scopes", "profile",
		"tickets", "customers", "assets", "invoices", "sos", "sensitive", "errors", "notes"}
	if diff := cmp.Diff(want, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	if len(rows) != 1+len(accessFixture().Applications) {
		t.Errorf("%d rows", len(rows))
	}
	byName := map[string][]string{}
	for _, row := range rows[1:] {
		byName[row[0]] = row
	}
	tz := byName["TimeZest"]
	if tz[13] != "read" || tz[14] != "edit" || tz[15] != "none" || tz[10] != "false" || tz[12] != "timezest" {
		t.Errorf("TimeZest row %q", tz)
	}
	if _, ok := byName[`'=HYPERLINK("https://evil.example/","click")`]; !ok {
		t.Errorf("a name beginning with = is not guarded: %q", rows)
	}
	if row := byName["=HYPERLINK(\"https://evil.example/\",\"click\")"]; row != nil {
		t.Error("a formula arrives as a formula")
	}
	for _, row := range rows[1:] {
		if strings.HasPrefix(row[0], "'=") && row[7] != `'-2+3 \x1b[31mred\x1b[0m` {
			t.Errorf("agent name %q: not guarded or not printable", row[7])
		}
	}
}

// TestAccessTableWidth: the table fits its width.
func TestAccessTableWidth(t *testing.T) {
	t.Parallel()
	for _, width := range []int{60, 80, 120} {
		out := string(renderAccess(t, FormatTable, Options{Width: width}, accessFixture()))
		for _, line := range strings.Split(out, "\n") {
			if w := twwidth.Width(line); w > width {
				t.Errorf("width %d: line of %d columns: %q", width, w, line)
			}
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("width %d: an escape character reaches the terminal", width)
		}
	}
}
