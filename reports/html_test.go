package reports

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/halolint/halolint/audit"
)

// hostileNames are tenant strings that would break out of text, an
// attribute, a script or a style if they were not escaped.
var hostileNames = []string{
	`<script>alert("pwned")</script>`,
	`"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(2)`,
	`</style><style>body{display:none}</style>`,
	`</textarea><svg onload=alert(3)>`,
	`{{.Title}} ${x} <!-- -->`,
	"javascript:alert(4)",
}

// hostileHTMLReport is a report whose every tenant string is hostile.
func hostileHTMLReport() *audit.Report {
	r := mixedReport()
	for i := range r.Results {
		name := hostileNames[i%len(hostileNames)]
		r.Results[i].Object.Name = name
		r.Results[i].Message = "found " + name
		r.Results[i].Actual = []string{name, "ok"}
		r.Results[i].GrantedBy = name
		r.Results[i].Remediation = "Configuration > Roles > " + name
	}
	r.Results[0].SourceURL = "javascript:alert(5)"
	r.Notices[0].Message = hostileNames[0]
	r.CollectionErrors[0].Message = hostileNames[1]
	return r
}

func hostileAccess() *audit.AccessReport {
	r := accessFixture()
	for i := range r.Applications {
		name := hostileNames[i%len(hostileNames)]
		r.Applications[i].Name = name
		r.Applications[i].Scopes = []string{name}
		r.Applications[i].Notes = []string{name}
		r.Applications[i].Authentication = name
		if a := r.Applications[i].Login.Agent; a != nil {
			a.Name = name
		}
	}
	return r
}

// tagPattern finds every start tag and its attributes.
var tagPattern = regexp.MustCompile(`<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)

// htmlTags are the only elements the templates write.
var htmlTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true, "main": true,
	"header": true, "h1": true, "h2": true, "h3": true, "h4": true, "p": true, "span": true, "time": true,
	"section": true, "ul": true, "li": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true,
	"td": true, "a": true, "form": true, "fieldset": true, "legend": true, "label": true, "input": true,
	"select": true, "option": true, "article": true, "code": true, "dl": true, "dt": true, "dd": true,
	"footer": true, "script": true, "div": true, "small": true,
}

// markup returns the document without the inline style sheet and script,
// whose text is the templates' own.
func markup(doc string) string {
	for _, tag := range []string{"style", "script"} {
		re := regexp.MustCompile(`(?s)<` + tag + `>.*?</` + tag + `>`)
		doc = re.ReplaceAllString(doc, "<"+tag+"></"+tag+">")
	}
	return doc
}

// checkHostile asserts that a page shows every hostile string as text:
// no element or attribute but the templates' own, each string present
// once unescaped.
func checkHostile(t *testing.T, what, doc string) {
	t.Helper()
	body := markup(doc)
	for _, m := range tagPattern.FindAllStringSubmatch(body, -1) {
		tag, attrs := strings.ToLower(m[1]), strings.ToLower(m[2])
		if !htmlTags[tag] {
			t.Errorf("%s: element <%s%s> is not the templates'", what, m[1], m[2])
		}
		if regexp.MustCompile(`(^|\s)on[a-z]+\s*=`).MatchString(attrs) || strings.Contains(attrs, "javascript:") {
			t.Errorf("%s: element <%s%s> carries an event handler or a script address", what, m[1], m[2])
		}
	}
	if n := strings.Count(strings.ToLower(doc), "<script"); n > 1 {
		t.Errorf("%s: %d script elements", what, n)
	}
	if n := strings.Count(strings.ToLower(doc), "<style"); n != 1 {
		t.Errorf("%s: %d style elements", what, n)
	}
	text := html.UnescapeString(body)
	for _, name := range hostileNames {
		if !strings.Contains(text, name) {
			t.Errorf("%s: %q is not shown as text", what, name)
		}
	}
}

func TestHTMLEscapesTenantText(t *testing.T) {
	t.Parallel()
	doc := string(render(t, FormatHTML, Options{}, hostileHTMLReport()))
	checkHostile(t, "report", doc)
	if strings.Contains(doc, `href="javascript:`) {
		t.Error("report: a javascript: address became a link")
	}
	checkHostile(t, "access view", string(renderAccess(t, FormatHTML, Options{}, hostileAccess())))
}

// fetchingAttributes are the attributes that make a browser fetch, and
// fetchingElements the elements that do.
var (
	fetchingAttributes = regexp.MustCompile(`(?i)(^|\s)(src|srcset|data|poster|background|action|formaction|ping|manifest|codebase|cite|xlink:href)\s*=`)
	fetchingElements   = map[string]bool{"link": true, "img": true, "iframe": true, "frame": true, "object": true, "embed": true, "video": true, "audio": true, "source": true, "track": true, "base": true, "svg": true, "image": true}
	// fetchingCode are the ways a style sheet or script fetches.
	fetchingCode   = regexp.MustCompile(`(?i)url\s*\(|@import|@font-face|\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|open)\s*\(|\.src\b|https?:|//[a-z0-9.-]+\.[a-z]{2,}`)
	networkAddress = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+`)
)

// TestHTMLLoadsNothing: no element, attribute, style or script of the
// page makes the browser fetch anything, the only network addresses are
// the vendor guides' links (which a person clicks), and its Content
// Security Policy forbids every request while allowing exactly its own
// style sheet and script. Tenant text that looks like an address or a tag
// is text, and does not count.
func TestHTMLLoadsNothing(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"report":      string(render(t, FormatHTML, Options{}, mixedReport())),
		"hostile":     string(render(t, FormatHTML, Options{}, hostileHTMLReport())),
		"allpass":     string(render(t, FormatHTML, Options{}, allPassReport())),
		"access view": string(renderAccess(t, FormatHTML, Options{}, accessFixture())),
		"empty view":  string(renderAccess(t, FormatHTML, Options{}, emptyAccess())),
	}
	for what, doc := range pages {
		links := 0
		for _, m := range tagPattern.FindAllStringSubmatch(markup(doc), -1) {
			tag, attrs := strings.ToLower(m[1]), m[2]
			if fetchingElements[tag] || fetchingAttributes.MatchString(attrs) {
				t.Errorf("%s: <%s%s> makes the browser fetch something", what, m[1], attrs)
			}
			if tag == "a" && regexp.MustCompile(`^ href="https://[^"]+" rel="noreferrer noopener"$`).MatchString(attrs) {
				links++
				continue
			}
			if a := networkAddress.FindString(attrs); a != "" {
				t.Errorf("%s: <%s%s> names network address %q", what, m[1], attrs, a)
			}
		}
		if what == "report" && links == 0 {
			t.Errorf("%s: no link to a vendor guide", what)
		}
		for _, tag := range []string{"style", "script"} {
			for _, m := range regexp.MustCompile(`(?s)<`+tag+`>(.*?)</`+tag+`>`).FindAllStringSubmatch(doc, -1) {
				if f := fetchingCode.FindString(m[1]); f != "" {
					t.Errorf("%s: its %s holds %q", what, tag, f)
				}
			}
		}

		csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(doc)
		if csp == nil {
			t.Fatalf("%s: no Content-Security-Policy", what)
		}
		policy := html.UnescapeString(csp[1])
		if !strings.HasPrefix(policy, "default-src 'none';") || strings.Contains(policy, "unsafe") || strings.Contains(policy, "http") || strings.Contains(policy, "*") {
			t.Errorf("%s: policy %q", what, policy)
		}
		for _, tag := range []string{"style", "script"} {
			m := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindStringSubmatch(doc)
			if m == nil {
				if tag == "script" && strings.Contains(policy, "script-src 'none'") {
					continue
				}
				t.Errorf("%s: no %s", what, tag)
				continue
			}
			sum := sha256.Sum256([]byte(m[1]))
			want := tag + "-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			if !strings.Contains(policy, want) {
				t.Errorf("%s: the policy does not allow its own %s (%s)", what, tag, want)
			}
		}
	}
}

// TestHTMLWithoutScript: before (or without) the script, the filters are
// hidden and every result is shown, findings before passes, fail before
// error before warn before manual within a profile.
func TestHTMLWithoutScript(t *testing.T) {
	t.Parallel()
	r := mixedReport()
	doc := string(render(t, FormatHTML, Options{}, r))
	if !regexp.MustCompile(`<form id="filters" hidden>`).MatchString(doc) {
		t.Error("the filters are not hidden until the script shows them")
	}
	items := regexp.MustCompile(`<(article|tr)[^>]* data-status="([a-z]+)"[^>]*>`).FindAllStringSubmatch(doc, -1)
	if len(items) != len(r.Results) {
		t.Errorf("%d results shown, want %d", len(items), len(r.Results))
	}
	var order []string
	for _, m := range items {
		if strings.Contains(m[0], " hidden") {
			t.Errorf("a result is hidden without the script: %s", m[0])
		}
		order = append(order, m[2])
	}
	firstPass := strings.Index(strings.Join(order, " "), "pass")
	if strings.Contains(strings.Join(order, " ")[firstPass:], "fail") {
		t.Errorf("a finding after a pass: %v", order)
	}
	if i, j := strings.Index(doc, `id="findings"`), strings.Index(doc, `id="passes"`); i < 0 || j < i {
		t.Error("passes come before findings")
	}
	// cove: fail, warn, manual in that order; baseline: fail, error, warn.
	cove := order[:3]
	if strings.Join(cove, ",") != "fail,warn,manual" {
		t.Errorf("cove findings in order %v", cove)
	}
	if strings.Join(order[3:6], ",") != "fail,error,warn" {
		t.Errorf("baseline findings in order %v", order[3:6])
	}
	for _, want := range []string{"exit 3: 1 result with status error", `<a href="https://documentation.n-able.com/covedataprotection/"`, "Granted by", "How to fix", "@media print"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
