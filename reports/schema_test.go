package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/schematest"
)

var (
	reportSchemaPath   = filepath.Join("..", "schemas", "report.v1.json")
	snapshotSchemaPath = filepath.Join("..", "schemas", "snapshot.v1.json")
	sarifSchemaPath    = filepath.Join("testdata", "sarif-schema-2.1.0.json")
)

// goldenFiles returns the golden files with an extension.
func goldenFiles(t *testing.T, ext string) []string {
	t.Helper()
	var files []string
	for _, c := range goldenCases() {
		if strings.HasSuffix(c.file, "."+ext) {
			files = append(files, filepath.Join("testdata", "golden", c.file))
		}
	}
	if len(files) == 0 {
		t.Fatalf("no golden .%s file", ext)
	}
	return files
}

// TestJSONGoldenValid validates every JSON golden report against
// schemas/report.v1.json and checks what a schema cannot say.
func TestJSONGoldenValid(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, reportSchemaPath)
	for _, path := range goldenFiles(t, "json") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(schematest.ParseJSON(t, b)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
			t.Errorf("%s does not end in exactly one newline", path)
		}
		var r audit.Report
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if got := count(r.Results); got != r.Summary {
			t.Errorf("%s: summary %+v, results count %+v", path, r.Summary, got)
		}
		for i := 1; i < len(r.Results); i++ {
			if audit.CompareResults(r.Results[i], r.Results[i-1]) < 0 {
				t.Errorf("%s: results not sorted at %d", path, i)
			}
		}
		want := []string{"schema_version", "tool", "source", "phase", "profiles", "summary", "results", "collection_errors", "notices"}
		if r.Previous != nil {
			want = append(want, "previous", "fixed")
		}
		if diff := cmp.Diff(want, topLevelKeys(t, b)); diff != "" {
			t.Errorf("%s: top-level keys (-want +got):\n%s", path, diff)
		}
	}
}

// topLevelKeys lists the keys of a JSON object in document order.
func topLevelKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestReportSchemaRejects makes sure the schema is not vacuous.
func TestReportSchemaRejects(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, reportSchemaPath)
	good := render(t, FormatJSON, Options{}, mixedReport())
	mutations := map[string]func(m map[string]any){
		"schema_version 2":     func(m map[string]any) { m["schema_version"] = 2 },
		"unknown status":       func(m map[string]any) { result0(m)["status"] = "ok" },
		"unknown severity":     func(m map[string]any) { result0(m)["severity"] = "urgent" },
		"unknown object type":  func(m map[string]any) { result0(m)["object"].(map[string]any)["type"] = "ticket" },
		"file on a live audit": func(m map[string]any) { m["source"].(map[string]any)["kind"] = "live" },
		"no collection_errors": func(m map[string]any) { delete(m, "collection_errors") },
		"notices null":         func(m map[string]any) { m["notices"] = nil },
		"notice without kind":  func(m map[string]any) { delete(m["notices"].([]any)[0].(map[string]any), "kind") },
		"notice with a status": func(m map[string]any) { m["notices"].([]any)[0].(map[string]any)["status"] = 0 },
		"unknown top key":      func(m map[string]any) { m["extra"] = true },
		"numeric expected":     func(m map[string]any) { result0(m)["expected"] = 3 },
		"bad collected_at":     func(m map[string]any) { m["source"].(map[string]any)["collected_at"] = "yesterday" },
	}
	for name, mutate := range mutations {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		b, _ := json.Marshal(m)
		if err := schema.Validate(schematest.ParseJSON(t, b)); err == nil {
			t.Errorf("report schema accepts a report with %s", name)
		}
	}
}

func result0(m map[string]any) map[string]any {
	return m["results"].([]any)[0].(map[string]any)
}

// TestSARIFGoldenValid validates the SARIF golden files against the
// official SARIF 2.1.0 schema and checks the mapping.
func TestSARIFGoldenValid(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, sarifSchemaPath)
	for _, path := range goldenFiles(t, "sarif") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(schematest.ParseJSON(t, b)); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}

	var log sarifLog
	if err := json.Unmarshal(render(t, FormatSARIF, Options{}, mixedReport()), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	rules := map[string]bool{}
	for _, rule := range run.Tool.Driver.Rules {
		rules[rule.ID] = true
	}
	for _, c := range catalog() {
		if !rules[c.ID] {
			t.Errorf("no rule for catalog check %s", c.ID)
		}
	}
	levels := map[string]int{}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s points at rule %d", res.RuleID, res.RuleIndex)
		}
		levels[res.Level]++
	}
	// mixed: 3 fail, 2 warn, 1 manual; passes and the error are no results.
	if levels["error"] != 3 || levels["warning"] != 2 || levels["note"] != 1 || len(run.Results) != 6 {
		t.Errorf("result levels %v", levels)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("executionSuccessful is true with an error result")
	}
	// 1 error result, 2 collection errors (needed: error, not needed:
	// warning), 2 notices (note).
	var got []string
	for _, n := range inv.ToolExecutionNotifications {
		if want := run.Tool.Driver.Notifications[n.Descriptor.Index].ID; n.Descriptor.ID != want {
			t.Errorf("notification %s points at descriptor %s", n.Descriptor.ID, want)
		}
		got = append(got, n.Descriptor.ID+" "+n.Level)
	}
	want := []string{
		"halolint/check-error error",
		"halolint/collection-error error", "halolint/collection-error warning",
		"halolint/collection-notice note", "halolint/collection-notice note",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}

	if err := json.Unmarshal(render(t, FormatSARIF, Options{}, allPassReport()), &log); err != nil {
		t.Fatal(err)
	}
	if !log.Runs[0].Invocations[0].ExecutionSuccessful || len(log.Runs[0].Results) != 0 {
		t.Error("a clean audit is not a successful run without results")
	}
}

// junitDoc is what a CI JUnit reader takes from the file.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string    `xml:"name,attr"`
			Classname string    `xml:"classname,attr"`
			Failure   *struct{} `xml:"failure"`
			Error     *struct{} `xml:"error"`
			Skipped   *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestJUnitGoldenValid parses every JUnit golden file and checks that the
// counts in the attributes match the test cases.
func TestJUnitGoldenValid(t *testing.T) {
	t.Parallel()
	for _, path := range goldenFiles(t, "xml") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc junitDoc
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var total [4]int
		for _, s := range doc.Suites {
			var n [4]int
			for _, c := range s.Cases {
				n[0]++
				switch {
				case c.Failure != nil:
					n[1]++
				case c.Error != nil:
					n[2]++
				case c.Skipped != nil:
					n[3]++
				}
			}
			if got := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}; got != n {
				t.Errorf("%s suite %s: attributes %v, cases %v", path, s.Name, got, n)
			}
			for i := range total {
				total[i] += n[i]
			}
		}
		if got := [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}; got != total {
			t.Errorf("%s: root attributes %v, cases %v", path, got, total)
		}
	}

	// The mapping, on the mixed report.
	for _, tt := range []struct {
		failOn   audit.FailOn
		failures int
	}{{audit.FailOnFail, 3}, {audit.FailOnWarn, 5}} {
		var doc junitDoc
		if err := xml.Unmarshal(render(t, FormatJUnit, Options{FailOn: tt.failOn}, mixedReport()), &doc); err != nil {
			t.Fatal(err)
		}
		// 11 results + 2 collection errors; errors: 1 result + 1 needed
		// collection error; skipped: 1 manual + 1 unneeded collection error.
		if doc.Tests != 13 || doc.Failures != tt.failures || doc.Errors != 2 || doc.Skipped != 2 {
			t.Errorf("--fail-on %s: tests %d failures %d errors %d skipped %d", tt.failOn, doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
		}
		if doc.Suites[0].Name != "cove" || doc.Suites[0].Cases[0].Classname != "cove" ||
			doc.Suites[0].Cases[0].Name != "cove.application.scopes application/Cove-HaloPSA" {
			t.Errorf("first suite and case: %s, %+v", doc.Suites[0].Name, doc.Suites[0].Cases[0])
		}
	}
}

// TestSnapshotSchema validates the sample snapshot, and checks that the
// schema refuses secrets and fields outside the Control allowlist.
func TestSnapshotSchema(t *testing.T) {
	t.Parallel()
	schema := schematest.Compile(t, snapshotSchemaPath)
	sample, err := os.ReadFile(filepath.Join("testdata", "snapshot.sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(schematest.ParseJSON(t, sample)); err != nil {
		t.Fatalf("sample snapshot: %v", err)
	}
	mutations := map[string]func(m map[string]any){
		"schema_version 2": func(m map[string]any) { m["schema_version"] = 2 },
		"secret in extra":  func(m map[string]any) { app0(m)["extra"].(map[string]any)["clientSecret"] = "x" },
		"deep token in extra": func(m map[string]any) {
			role0(m)["extra"].(map[string]any)["ac_clients"].([]any)[0].(map[string]any)["refresh_token"] = "x"
		},
		"password on an agent":   func(m map[string]any) { m["agents"].([]any)[0].(map[string]any)["password"] = "x" },
		"client_secret on app":   func(m map[string]any) { app0(m)["client_secret"] = "x" },
		"control outside list":   func(m map[string]any) { m["control"].(map[string]any)["xero_client_secret"] = "x" },
		"control harmless extra": func(m map[string]any) { m["control"].(map[string]any)["currency"] = "EUR" },
		"unknown resource":       func(m map[string]any) { m["notices"].([]any)[0].(map[string]any)["resource"] = "tickets" },
		"string agent id":        func(m map[string]any) { m["agents"].([]any)[0].(map[string]any)["id"] = "12" },
		"no roles":               func(m map[string]any) { delete(m, "roles") },
	}
	for name, mutate := range mutations {
		var m map[string]any
		if err := json.Unmarshal(sample, &m); err != nil {
			t.Fatal(err)
		}
		mutate(m)
		b, _ := json.Marshal(m)
		if err := schema.Validate(schematest.ParseJSON(t, b)); err == nil {
			t.Errorf("snapshot schema accepts a snapshot with %s", name)
		}
	}
}

func app0(m map[string]any) map[string]any  { return m["applications"].([]any)[0].(map[string]any) }
func role0(m map[string]any) map[string]any { return m["roles"].([]any)[0].(map[string]any) }

// TestSchemasNameNoSecret walks both published schemas: no property they
// declare is named like a secret.
func TestSchemasNameNoSecret(t *testing.T) {
	t.Parallel()
	secret := regexp.MustCompile(`(?i)secret|password|passwd|pwd|token|key`)
	for _, path := range []string{reportSchemaPath, snapshotSchemaPath} {
		var walk func(v any, at string)
		walk = func(v any, at string) {
			switch x := v.(type) {
			case map[string]any:
				if props, ok := x["properties"].(map[string]any); ok {
					for name := range props {
						if secret.MatchString(name) {
							t.Errorf("%s declares property %s%s", path, at, name)
						}
					}
				}
				for k, e := range x {
					walk(e, at+k+"/")
				}
			case []any:
				for _, e := range x {
					walk(e, at)
				}
			}
		}
		walk(schematest.ReadJSON(t, path), "")
	}
}

// TestJUnitHostileText: text that would end a CDATA section or that XML
// cannot hold still gives a document the readers parse.
func TestJUnitHostileText(t *testing.T) {
	t.Parallel()
	r := allPassReport()
	r.Results[0].Status = audit.StatusFail
	r.Results[0].Message = "a ]]> b \x01 c"
	r.Results[0].Remediation = "x ]]> y"
	var doc struct {
		Suites []struct {
			Cases []struct {
				Failure *struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(render(t, FormatJUnit, Options{}, r), &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure == nil {
				continue
			}
			if c.Failure.Message != "a ]]> b \uFFFD c" || !strings.Contains(c.Failure.Body, "remediation: x ]]> y") {
				t.Errorf("failure %q, body %q", c.Failure.Message, c.Failure.Body)
			}
			return
		}
	}
	t.Error("no failure in the document")
}
