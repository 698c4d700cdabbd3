package reports

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/halolint/halolint/audit"
)

func TestPrintable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"Cove-Role", "Cove-Role"},
		{"Rôle d'intégration 統合ロール 👨‍👩‍👧", "Rôle d'intégration 統合ロール 👨‍👩‍👧"},
		{"a\nb\tc\rd\r\n", "a b c d  "},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\a nul\x00 del\x7f", `bell\x07 nul\x00 del\x7f`},
		{"c1 \u0085 \u009b2J", `c1 \x85 \x9b2J`},
		{"admin\u202e\u2066nimda\u2069", `admin\u202e\u2066nimda\u2069`},
		{"bad \xff\xfe utf-8", "bad \uFFFD\uFFFD utf-8"},
		{"line\u2028para\u2029end", "line para end"},
		{"zero\u200bwidth\ufeff soft\u00adhyphen", `zero\u200bwidth\ufeff soft\u00adhyphen`},
		{"tags\U000e0041\U000e007f hidden", `tags\U000e0041\U000e007f hidden`},
		{"\u061c\u200e\u200f\u2060\u2064", `\u061c\u200e\u200f\u2060\u2064`},
		// The joiners of Persian and of emoji sequences are kept.
		{"می\u200cخواهم 👩\u200d💻", "می\u200cخواهم 👩\u200d💻"},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hostileReport is a report whose every tenant string tries to reach the
// terminal: escape sequences, carriage returns, C1 controls, bidi
// overrides, invalid UTF-8.
func hostileReport() *audit.Report {
	const evil = "Evil\x1b]0;pwned\a\x1b[2J\rfail\u009b31m\u202eenoN\xff"
	r := mixedReport()
	r.Source.URL = "https://acme.halopsa.com/\x1b[8m"
	r.Source.File = "snap\r\nshot.json"
	for i := range r.Results {
		res := &r.Results[i]
		res.Object.Name += evil
		res.Message += " " + evil
		if res.Status == audit.StatusFail || res.Status == audit.StatusWarn {
			res.Expected = []string{"x" + evil}
			res.Actual = map[string]any{"k": evil}
			res.GrantedBy = "role " + evil
			res.Remediation += " " + evil
		}
	}
	r.CollectionErrors[0].Message += evil
	r.CollectionErrors[1].Endpoint += evil
	r.Notices = append(r.Notices, audit.Notice{Kind: "roles" + evil, Endpoint: "/api/Roles" + evil, Message: evil})
	return r
}

// No control character of the tenant reaches the table or Markdown, at any
// width; with colour, only the table's own SGR codes are escapes.
func TestTableAndMarkdownArePrintable(t *testing.T) {
	t.Parallel()
	check := func(name, out, spelled string, color bool) {
		t.Helper()
		if color {
			for _, code := range []string{"\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[35m", "\x1b[36m", "\x1b[1m", "\x1b[22m", "\x1b[0m"} {
				out = strings.ReplaceAll(out, code, "")
			}
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8", name)
		}
		for i, r := range out {
			if r == '\n' {
				continue
			}
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Errorf("%s: %U at byte %d: %q", name, r, i, out[max(0, i-20):min(len(out), i+20)])
				return
			}
		}
		if !strings.Contains(out, spelled) {
			t.Errorf("%s: the escape is not spelled out", name)
		}
	}
	for _, width := range []int{0, 60, 100} {
		for _, color := range []bool{false, true} {
			out := string(render(t, FormatTable, Options{Width: width, Color: color}, hostileReport()))
			check(FormatTable, out, `\x1b[2J`, color)
		}
	}
	// Markdown escapes the backslash and the bracket: it reads \x1b[2J.
	check(FormatMarkdown, string(render(t, FormatMarkdown, Options{}, hostileReport())), `\\x1b\[2J`, false)
}

// Making the report printable leaves the caller's report alone.
func TestPrintableReportCopies(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	n, err := normalize(r)
	if err != nil {
		t.Fatal(err)
	}
	printableReport(n)
	for _, res := range r.Results {
		if list, ok := res.Expected.([]string); ok && !strings.Contains(list[0], "\x1b") {
			t.Fatalf("the caller's expected list was changed: %q", list)
		}
	}
}
