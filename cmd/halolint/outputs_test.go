package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/internal/schematest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The reports issue's acceptance run: five formats in one run, one to
// standard output and four to files, each valid for its reader.
func TestFiveOutputsInOneRun(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	res := runCLI(t, vars, "audit", "-o", "table",
		"-o", "json="+path("r.json"), "-o", "sarif="+path("r.sarif"),
		"-o", "junit="+path("r.xml"), "-o", "markdown="+path("r.md"))
	if res.code != exitFindings {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, "timezest.role.administrator") || !strings.Contains(res.stdout, "Summary:") {
		t.Errorf("the table on stdout is incomplete:\n%s", res.stdout)
	}

	report := schematest.Compile(t, filepath.Join("..", "..", "schemas", "report.v1.json"))
	if err := report.Validate(schematest.ReadJSON(t, path("r.json"))); err != nil {
		t.Errorf("r.json does not match schemas/report.v1.json: %v", err)
	}
	sarif := schematest.Compile(t, filepath.Join("..", "..", "reports", "testdata", "sarif-schema-2.1.0.json"))
	if err := sarif.Validate(schematest.ReadJSON(t, path("r.sarif"))); err != nil {
		t.Errorf("r.sarif is not valid SARIF 2.1.0: %v", err)
	}
	var junit struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(path("r.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &junit); err != nil || len(junit.Suites) == 0 {
		t.Errorf("r.xml is not JUnit XML (%v): %d suites", err, len(junit.Suites))
	}
	md, err := os.ReadFile(path("r.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(md, []byte("timezest.role.administrator")) || bytes.Contains(md, []byte("<")) {
		t.Errorf("r.md lacks the leftover administrator or holds raw HTML:\n%s", md)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("want exactly the four reports in %s (no temporary files left), got %d", dir, len(entries))
	}
}

func TestAtMostOneOutputOnStdout(t *testing.T) {
	t.Parallel()
	res := runCLI(t, nil, "audit", "-o", "table", "-o", "json")
	if res.code != exitUsage || !strings.Contains(res.stderr, "at most one output") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
}

// The demo's table is the example in the README; its golden file catches
// any change to what a new user sees first.
func TestDemoTableGolden(t *testing.T) {
	t.Parallel()
	res := runCLI(t, map[string]string{"NO_COLOR": "1", "<width>": "120"}, "demo")
	if res.code != exitFindings {
		t.Fatalf("exit %d, want 1: %s", res.code, res.stderr)
	}
	got := normaliseRun(res.stdout)
	golden := filepath.Join("testdata", "demo.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run make golden)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("demo output changed (-want +got); run make golden if intended:\n%s", diff)
	}
	if strings.Contains(res.stdout, "\x1b[") {
		t.Error("escape codes with NO_COLOR set and no terminal")
	}
}

var (
	loopbackURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	collectedAt = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
)

// normaliseRun replaces what changes from run to run: the demo server's
// port and the collection time.
func normaliseRun(s string) string {
	s = loopbackURL.ReplaceAllString(s, "http://127.0.0.1:PORT")
	return collectedAt.ReplaceAllString(s, "COLLECTED-AT")
}
