package main

import (
	"strings"
	"testing"

	"github.com/halolint/halolint/internal/halotest"
)

// An application named with a megabyte: the JSON report keeps the name
// exactly, once per result about the application (object.name) and
// nowhere else, so that its size follows the number of results, not the
// mentions of the name; the table, at a terminal's width, shows the name
// short with its ID, in about the time any other name takes.
func TestLongNameReportIsBounded(t *testing.T) {
	t.Parallel()
	name := "TimeZest " + strings.Repeat("x", 1<<20)
	tenant := halotest.MustFixture(halotest.FixtureTimeZestAdmin)
	id := ""
	for _, a := range tenant.Applications {
		if a["displayName"] == "TimeZest" {
			a["displayName"] = name
			id, _ = a["id"].(string)
		}
	}
	srv := halotest.New(tenant, halotest.Options{})
	t.Cleanup(srv.Close)
	vars := credentials(srv.URL)

	res := runCLI(t, vars, "audit", "-p", "timezest", "-o", "json")
	if res.code != exitFindings {
		t.Fatalf("exit %d; stderr: %.500s", res.code, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	about := 0
	for _, r := range report.Results {
		if r.Object.Name == name {
			about++
		}
	}
	if about == 0 {
		t.Fatal("no result is about the application")
	}
	if got := strings.Count(res.stdout, name); got != about {
		t.Fatalf("the name is in the JSON report %d times, want %d (once per result about it)", got, about)
	}
	if max := about*(len(name)+1<<10) + 1<<20; len(res.stdout) > max {
		t.Errorf("JSON report of %d bytes, want at most %d", len(res.stdout), max)
	}

	table := runCLI(t, mergeVars(vars, map[string]string{"<width>": "100"}), "audit", "-p", "timezest")
	if table.code != exitFindings {
		t.Fatalf("table: exit %d; stderr: %.500s", table.code, table.stderr)
	}
	if len(table.stdout) > 64<<10 || strings.Contains(table.stdout, strings.Repeat("x", 100)) {
		t.Errorf("table of %d bytes shows the name at length", len(table.stdout))
	}
	if !strings.Contains(table.stdout, id) || !strings.Contains(table.stdout, "…") {
		t.Errorf("the table does not show the short name with its ID %s", id)
	}
}
