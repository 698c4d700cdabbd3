package main

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/halotest"
)

// The hostile tenant appends these to the names of TimeZest's role, agent
// and application. They try to set the window title (OSC), clear the
// screen and move the cursor (CSI), ring the bell, rub out what was
// printed (backspace, carriage return: "\rpass" would paint pass over the
// fail of the row), end a C string (NUL), turn text around (bidi
// overrides and isolates), hide text (zero-width space, the BOM, tag
// characters), and start rows of their own (line feed, U+2028). Each is
// short enough to be shown whole (names of more than 64 characters are
// shown short: TestLongNameReportIsBounded).
const (
	hostileRole  = "\x1b]0;t\a\x1b[2J\b\x00\rpass"
	hostileAgent = "\u202enimda\u202c\u2066x\u2069\npass  x\u2028"
	hostileApp   = "\u200b\ufeff\U000e0041\u009b8m\x1b[1;1H\rpass"
)

// hostileTenant is the TimeZest fixture (its role a leftover
// administrator: a fail) with the hostile suffixes on its role's, agent's
// and application's names. renamed maps "role", "agent" and
// "application" to their new names.
func hostileTenant(t *testing.T) (*halotest.Tenant, map[string]string) {
	t.Helper()
	tenant := halotest.MustFixture(halotest.FixtureTimeZestAdmin)
	renamed := map[string]string{
		"role": "TimeZest" + hostileRole, "agent": "TimeZest API" + hostileAgent, "application": "TimeZest" + hostileApp,
	}
	rename := func(obj map[string]any, field, from, to string) {
		if obj[field] == from {
			obj[field] = to
		}
	}
	for _, r := range tenant.Roles {
		rename(r, "name", "TimeZest", renamed["role"])
	}
	for _, a := range tenant.Agents {
		rename(a, "name", "TimeZest API", renamed["agent"])
		roles, _ := a["roles"].([]any)
		for _, ref := range roles {
			if m, ok := ref.(map[string]any); ok {
				rename(m, "name", "TimeZest", renamed["role"])
			}
		}
	}
	for _, a := range tenant.Applications {
		rename(a, "displayName", "TimeZest", renamed["application"])
		rename(a, "loginas_agent_name", "TimeZest API", renamed["agent"])
	}
	if err := tenant.Validate(); err != nil {
		t.Fatal(err)
	}
	return tenant, renamed
}

// rawOnTerminal returns the first character of out that a terminal would
// not show as text: a control character (line feeds aside), an invisible
// format character, a line separator, invalid UTF-8. sgrAllowed lets
// through the table's own colour codes.
func rawOnTerminal(out string, sgrAllowed bool) (string, bool) {
	if sgrAllowed {
		out = regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")
	}
	if !utf8.ValidString(out) {
		return "invalid UTF-8", true
	}
	for i, r := range out {
		if r == '\n' || r == '\u200c' || r == '\u200d' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return strings.ToValidUTF8(out[max(0, i-30):min(len(out), i+30)], "?"), true
		}
	}
	return "", false
}

// Nothing a tenant names its objects reaches the terminal raw: not through
// the table (piped, --color never, --color always), not through Markdown,
// not through the lines on standard error. No row can be overwritten or
// faked: TimeZest's fail stays the only row of its check, and it starts
// its line. JSON and SARIF keep the names exactly, escaped by the JSON
// encoder; JUnit keeps them as far as XML can (it has no way to write most
// control characters: the encoder puts U+FFFD in their place).
func TestHostileNamesNeverReachTheTerminalRaw(t *testing.T) {
	t.Parallel()
	tenant, renamed := hostileTenant(t)
	srv := halotest.New(tenant, halotest.Options{Forbidden: []string{"/api/control"}})
	t.Cleanup(srv.Close)
	vars := credentials(srv.URL)

	for _, tc := range []struct {
		name string
		args []string
		sgr  bool
	}{
		{"table piped", []string{"-o", "table"}, false},
		{"table --color never", []string{"-o", "table", "--color", "never"}, false},
		{"table --color always", []string{"-o", "table", "--color", "always"}, true},
		{"table narrow", []string{"-o", "table", "--color", "never"}, false},
		{"markdown", []string{"-o", "markdown"}, false},
		{"json, notices on stderr", []string{"-o", "json"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := vars
			if tc.name == "table narrow" {
				v = mergeVars(vars, map[string]string{"<width>": "70"})
			}
			// -p timezest,cove: Control refused is needed by TimeZest, so
			// that error and Cove's readiness results are in the report.
			res := runCLI(t, v, append([]string{"audit", "-p", "timezest,cove"}, tc.args...)...)
			if res.code != exitNoAudit {
				t.Fatalf("exit %d, want 3 (Control refused); stderr: %s", res.code, res.stderr)
			}
			if bad, found := rawOnTerminal(res.stderr, false); found {
				t.Errorf("stderr: raw character near %q", bad)
			}
			if tc.name == "json, notices on stderr" {
				return
			}
			if bad, found := rawOnTerminal(res.stdout, tc.sgr); found {
				t.Errorf("stdout: raw character near %q", bad)
			}
			spelledOut := []string{`\x1b`, `\x00`, `\x08`, `\u202e`, `\u2066`}
			if tc.name != "markdown" {
				// Markdown lists the findings only: none is about the
				// application.
				spelledOut = append(spelledOut, `\u200b`, `\ufeff`, `\U000e0041`, `\x9b`)
			}
			for _, spelled := range spelledOut {
				if !strings.Contains(res.stdout, spelled) {
					t.Errorf("%s is not spelled out:\n%s", spelled, res.stdout)
				}
			}
			if tc.name == "markdown" {
				// One list item per finding: the name's line feed did not
				// start one of its own.
				for _, line := range strings.Split(res.stdout, "\n") {
					if strings.HasPrefix(strings.TrimSpace(line), "pass") {
						t.Errorf("a line of the name stands on its own: %q", line)
					}
				}
				return
			}
			// A row is a line that starts at the left edge with its
			// status; whatever a name holds only continues an indented
			// column.
			plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(res.stdout, "")
			var rows []string
			for _, line := range strings.Split(plain, "\n") {
				if f := strings.Fields(line); len(f) >= 2 && !strings.HasPrefix(line, " ") && f[1] == "timezest.role.administrator" {
					rows = append(rows, line)
				}
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "pass" && f[1] == "x" {
					t.Errorf("a fake row: %.200q", line)
				}
			}
			if len(rows) != 1 || !strings.HasPrefix(rows[0], "fail ") || strings.Contains(rows[0], "\r") {
				t.Errorf("rows of timezest.role.administrator: %.300q, want one fail", rows)
			}
		})
	}

	t.Run("json, sarif and junit keep the names", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		res := runCLI(t, vars, "audit", "-p", "timezest", "-o", "json", "-o", "sarif="+dir+"/r.sarif", "-o", "junit="+dir+"/r.xml")
		if res.code != exitNoAudit {
			t.Fatalf("exit %d; stderr: %s", res.code, res.stderr)
		}
		if strings.ContainsAny(res.stdout, "\x1b\a\b\x00\r") {
			t.Error("the JSON report holds raw control characters")
		}
		report := decodeReport(t, res.stdout)
		names := map[string]bool{}
		for _, r := range report.Results {
			names[r.Object.Name] = true
		}
		for _, want := range renamed {
			if !names[want] {
				t.Errorf("no result names %q exactly", want)
			}
		}
		for _, r := range resultsOf(report, "timezest.role.administrator") {
			if r.Status != audit.StatusFail {
				t.Errorf("timezest.role.administrator: %s, want fail", r.Status)
			}
		}

		var sarif struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						LogicalLocations []struct{ Name string } `json:"logicalLocations"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		data := readFile(t, dir+"/r.sarif")
		if strings.ContainsAny(data, "\x1b\a\b\x00\r") {
			t.Error("the SARIF report holds raw control characters")
		}
		if err := json.Unmarshal([]byte(data), &sarif); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range sarif.Runs[0].Results {
			for _, l := range r.Locations {
				for _, ll := range l.LogicalLocations {
					found = found || ll.Name == renamed["role"]
				}
			}
		}
		if !found {
			t.Error("SARIF: no logical location holds the exact name")
		}

		junit := readFile(t, dir+"/r.xml")
		if strings.ContainsAny(junit, "\x1b\a\b\x00") {
			t.Error("the JUnit report holds raw control characters")
		}
		var suites struct {
			Suites []struct {
				Cases []struct {
					Name string `xml:"name,attr"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal([]byte(junit), &suites); err != nil {
			t.Fatalf("JUnit is not well-formed XML: %v", err)
		}
		// XML 1.0 cannot carry C0 controls but tab, line feed and
		// carriage return; encoding/xml writes U+FFFD for them, and
		// character references for the three (which a parser reads back
		// as such).
		inXML := strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
				return '\uFFFD'
			}
			return r
		}, renamed["role"])
		found = false
		for _, s := range suites.Suites {
			for _, c := range s.Cases {
				found = found || strings.HasSuffix(c.Name, "/"+inXML)
			}
		}
		if !found {
			t.Errorf("JUnit: no test case names %q", inXML)
		}
	})
}

// A token server's refusal is quoted on standard error, printable: its
// bidi overrides, format characters and controls are spelled out.
func TestHostileTokenRefusalIsPrintable(t *testing.T) {
	t.Parallel()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/authinfo":
			_ = json.NewEncoder(w).Encode(map[string]any{"auth_url": srv.URL + "/auth"})
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client", "error_description": "no \u202edetpecca\u202c\u200b\U000e0041 \x1b[2J\rclient"})
		}
	}))
	t.Cleanup(srv.Close)
	res := runCLI(t, credentials(srv.URL), "audit")
	if res.code != exitNoAudit {
		t.Fatalf("exit %d; stderr: %s", res.code, res.stderr)
	}
	if bad, found := rawOnTerminal(res.stderr, false); found {
		t.Errorf("stderr: raw character near %q", bad)
	}
	if err := checkErrLine(res.stderr, `^halolint: .*invalid_client: no \\u202edetpecca\\u202c\\u200b\\U000e0041 .*client$`); err != nil {
		t.Error(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
