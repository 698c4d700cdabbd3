package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/halolint/halolint/internal/vocabulary"
	"github.com/halolint/halolint/policies"
)

func testVocabulary(t *testing.T) *vocabulary.Vocabulary {
	t.Helper()
	v, err := vocabulary.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

const acmeDoc = `schema_version: 1
profile: acme-sync
title: Acme Sync
vendor: Acme IT
source: {title: Runbook, url: https://wiki.acme.example/sync}
keywords: [acme sync]
application:
  authentication: client id & secret (services)
  scopes: ["Read: Customers", EDIT:tickets]
role:
  permissions:
    feature access permissions:
      clients access level: Read Only
    Tickets:
      can add new tickets: yes
`

// TestDeriveIDs: the check IDs follow the document format's table.
func TestDeriveIDs(t *testing.T) {
	t.Parallel()
	vocab := testVocabulary(t)
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"defaults, labels and scopes in any case", acmeDoc, []string{
			"acme-sync.agent.api-only", "acme-sync.agent.enabled",
			"acme-sync.application.auth-method", "acme-sync.application.excess-scopes", "acme-sync.application.exists",
			"acme-sync.application.login-agent", "acme-sync.application.scopes",
			"acme-sync.role.add-tickets", "acme-sync.role.customers-access", "acme-sync.role.not-admin", "acme-sync.role.undocumented",
		}},
		{"application identity, ignores, departments, categories, settings, manual", `schema_version: 1
profile: box
title: Box
vendor: Box Inc
source: {title: Guide, url: https://box.example/guide}
keywords: [box]
application:
  authentication: Client ID and Secret
  login: application-identity
  scopes: [all]
  undocumented_scopes: ignore
role:
  undocumented: ignore
  departments: Modify all
  permissions:
    Feature Access:
      Assets Access Level: {value: Read and Modify, above: fail}
categories:
  - {list: Category 2, value: Box Alerts}
settings:
  - {label: Accounts ID on new Clients and Products are mandatory, value: No}
manual:
  - {id: custom-tab, title: The Box custom tab is installed, look: Configuration > Custom Objects > Custom Tabs}
`, []string{
			"box.application.auth-method", "box.application.exists", "box.application.identity", "box.application.scopes",
			"box.category.box-alerts", "box.manual.custom-tab", "box.role.assets-access", "box.role.department-membership",
			"box.role.not-admin", "box.setting.accounts-id-optional",
		}},
		{"during-setup administrator, agent roles, no API-only", `schema_version: 1
profile: tz
title: TZ
vendor: TZ
source: {title: Step 1, url: https://tz.example/1}
keywords: [tz]
application: {authentication: Client ID and Secret (Services), scopes: [all], undocumented_scopes: ignore}
agent: {api_only: false, roles: [TZ Role, Helpers]}
role: {administrator: during-setup}
`, []string{
			"tz.agent.administrator", "tz.agent.enabled", "tz.agent.helpers-role", "tz.agent.tz-role-role", "tz.agent.undocumented-roles",
			"tz.application.auth-method", "tz.application.exists", "tz.application.login-agent", "tz.application.scopes",
			"tz.role.administrator",
		}},
		{"a guide that lists neither scopes nor permissions nor the authentication method", `schema_version: 1
profile: terse
title: Terse
vendor: Terse
source: {title: Guide, url: https://terse.example}
keywords: [terse]
application: {}
`, []string{
			"terse.agent.api-only", "terse.agent.enabled", "terse.application.exists", "terse.application.login-agent", "terse.role.not-admin",
		}},
		{"documented administrator", `schema_version: 1
profile: wg
title: WG
vendor: WG
source: {title: Guide, url: https://wg.example}
keywords: [wg]
application: {authentication: Client ID and Secret (Services), scopes: [read:tickets]}
role: {administrator: documented, undocumented: ignore}
`, []string{
			"wg.agent.api-only", "wg.agent.enabled", "wg.application.auth-method", "wg.application.excess-scopes",
			"wg.application.exists", "wg.application.login-agent", "wg.application.scopes", "wg.role.administrator",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, problems := parseDocument([]byte(tt.doc), "doc.yaml", vocab)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			var got []string
			for _, c := range d.derive() {
				got = append(got, c.ID)
				if c.Title == "" || c.Remediation == "" || !c.Severity.Valid() || !c.Object.Valid() || c.Source == "" || c.SourceURL == "" {
					t.Errorf("%s: incomplete catalog entry %+v", c.ID, c.Check)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("IDs (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeriveResolvesWords: labels, values and scopes are resolved through
// the vocabulary, whatever the document's spelling.
func TestDeriveResolvesWords(t *testing.T) {
	t.Parallel()
	d, problems := parseDocument([]byte(acmeDoc), "doc.yaml", testVocabulary(t))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if diff := cmp.Diff([]string{"read:customers", "edit:tickets"}, d.app.scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	byID := map[string]derivedCheck{}
	for _, c := range d.derive() {
		byID[c.ID] = c
	}
	c := byID["acme-sync.role.customers-access"]
	if c.rule["claim"] != "Ux" || c.rule["value"] != "2" || c.rule["above"] != "warn" || c.rule["label"] != "Clients Access Level" {
		t.Errorf("customers-access rule = %v", c.rule)
	}
	if c.Title != `Role grants Clients Access Level "Read Only"` || c.Severity != SeverityHigh {
		t.Errorf("customers-access = %q, %s", c.Title, c.Severity)
	}
	if want := "Configuration > Teams & Agents > Roles > (the Acme Sync role) > Permissions > Feature Access > Clients Access Level - Read Only"; c.Remediation != want {
		t.Errorf("remediation = %q, want %q", c.Remediation, want)
	}
	if r := byID["acme-sync.role.add-tickets"].rule; r["claim"] != "l6" || r["value"] != "1" || r["above"] != "pass" {
		t.Errorf("add-tickets rule = %v (a Yes flag has nothing above it)", r)
	}
	if s := byID["acme-sync.role.not-admin"].Severity; s != SeverityCritical {
		t.Errorf("not-admin severity = %s", s)
	}
}

// TestDocumentProblems: a wrong document gives one problem per mistake,
// each with its line, and no document.
func TestDocumentProblems(t *testing.T) {
	t.Parallel()
	vocab := testVocabulary(t)
	base := func(extra string) string {
		return "schema_version: 1\nprofile: x\ntitle: X\nvendor: X\nsource: {title: T, url: https://x.example}\nkeywords: [x]\napplication: {authentication: Client ID and Secret (Services)}\n" + extra
	}
	tests := []struct {
		name string
		doc  string
		want []string // line: message substrings, in order
	}{
		{"unknown key", base("aplication_notes: 1\n"), []string{`8: the document: unknown key "aplication_notes"`}},
		{"unknown key, near one", base("keyword: [y]\n"), []string{`8: the document: unknown key "keyword" (did you mean "keywords"?)`}},
		{"unknown section", base("role:\n  permissions:\n    Feature Acess:\n      Tickets Access Level: Read Only\n"), []string{`10: role.permissions: unknown section "Feature Acess" (did you mean "Feature Access"?)`}},
		{"unknown label", base("role:\n  permissions:\n    Feature Access:\n      Tickets Acess Level: Read Only\n"), []string{`11: role.permissions.Feature Access: unknown label "Tickets Acess Level" (did you mean "Tickets Access Level"?)`}},
		{"unknown value", base("role:\n  permissions:\n    Feature Access:\n      Tickets Access Level: Ready and Modify\n"), []string{`11: role.permissions.Feature Access.Tickets Access Level: unknown value "Ready and Modify" (known: No Access, Read Only, Read and Modify) (did you mean "Read and Modify"?)`}},
		{"lowest value", base("role:\n  permissions:\n    Feature Access:\n      Tickets Access Level: No Access\n"), []string{`11: `, `the lowest value`}},
		{"unknown scope", "schema_version: 1\nprofile: x\ntitle: X\nvendor: X\nsource: {title: T, url: https://x.example}\nkeywords: [x]\napplication:\n  authentication: Client ID and Secret (Services)\n  scopes: [read:tikets]\n", []string{`9: application.scopes: "read:tikets" is not a HaloPSA scope (did you mean "read:tickets"?)`}},
		{"missing source", "schema_version: 1\nprofile: x\ntitle: X\nvendor: X\nkeywords: [x]\napplication: {authentication: Client ID and Secret (Services)}\n", []string{`1: the document has no source`}},
		{"source without url", base("")[0:0] + "schema_version: 1\nprofile: x\ntitle: X\nvendor: X\nsource: {title: T}\nkeywords: [x]\napplication: {authentication: Client ID and Secret (Services)}\n", []string{`5: source needs a title and a url`}},
		{"bad name", strings.Replace(base(""), "profile: x", "profile: X_1", 1), []string{`2: profile "X_1": a name is lower-case`}},
		{"reserved name", strings.Replace(base(""), "profile: x", "profile: all", 1), []string{`2: profile name "all" is reserved`}},
		{"administrator as a permission", base("role:\n  permissions:\n    General Permissions:\n      Is a HaloPSA Administrator: Yes\n"), []string{`11: `, `role.administrator`}},
		{"two mistakes", base("select: sometimes\nagent: {roles: nope}\n"), []string{`8: select: "sometimes" is not one of auto, explicit`, `9: agent.roles must be a list`}},
		{"unknown setting", base("settings:\n  - {label: Accounts mandatory, value: No}\n"), []string{`9: settings[0]: unknown setting "Accounts mandatory"`}},
		{"unknown authentication", strings.Replace(base(""), "Client ID and Secret (Services)", "Username and Password", 1), []string{`7: application.authentication: unknown authentication method "Username and Password"`}},
		{"not YAML", "profile: [x\n", []string{`did not find expected`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, problems := parseDocument([]byte(tt.doc), "doc.yaml", vocab)
			if d != nil {
				t.Errorf("a document with problems was returned")
			}
			var lines []string
			for _, p := range problems {
				if p.File != "doc.yaml" {
					t.Errorf("problem without its file: %+v", p)
				}
				lines = append(lines, strings.TrimPrefix(p.String(), "doc.yaml:"))
			}
			text := strings.Join(lines, "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("problems:\n%s\nlack %q", text, w)
				}
			}
		})
	}
}

// TestDocumentNamesAreUnique: a document may reuse neither another
// document's name nor a Rego profile's.
func TestDocumentNamesAreUnique(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cove.yaml", strings.Replace(acmeDoc, "profile: acme-sync", "profile: cove", 1))
	write("baseline2.yml", strings.Replace(acmeDoc, "profile: acme-sync", "profile: baseline", 1))
	_, err := New(context.Background(), Options{Builtin: policies.FS(), PolicyDirs: []string{dir}})
	pe, ok := err.(*PolicyError)
	if !ok {
		t.Fatalf("err = %v, want *PolicyError", err)
	}
	var got []string
	for _, p := range pe.Problems {
		got = append(got, p.String())
	}
	text := strings.Join(got, "\n")
	for _, w := range []string{`cove.yaml:1: profile "cove" is defined twice (also policies/profiles/cove.yaml)`, `baseline2.yml:2: profile name "baseline" is reserved`} {
		if !strings.Contains(text, w) {
			t.Errorf("problems:\n%s\nlack %q", text, w)
		}
	}
}

// TestDocumentCasesCatchAWrongExpectation: a generated case fails when the
// engine's verdict differs from what the case expects, so a broken check
// function cannot pass its generated tests.
func TestDocumentCasesCatchAWrongExpectation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, doc, docs := engineWith(t, acmeDoc)
	results := e.runDocumentCases(ctx, docs, map[string]bool{"acme-sync": true})
	if len(results) < 10 {
		t.Fatalf("%d cases", len(results))
	}
	for _, r := range results {
		if r.err != nil || len(r.failures) > 0 {
			t.Errorf("case %q: %v %v", r.name, r.err, r.failures)
		}
	}
	// The same mutation with the opposite expectation must fail.
	for _, c := range doc.cases(docs.vocab) {
		if c.name != "Customers Access Level absent fails" && c.name != "Clients Access Level absent fails" {
			continue
		}
		got, _, err := e.evaluateCase(ctx, doc, c)
		if err != nil {
			t.Fatal(err)
		}
		if got["acme-sync.role.customers-access"] != StatusFail {
			t.Errorf("absent customers access: %s, want fail", got["acme-sync.role.customers-access"])
		}
		return
	}
	t.Error("no case for an absent Clients Access Level")
}

// TestCaseFileProblems: a case file names a document's profile and checks.
func TestCaseFileProblems(t *testing.T) {
	t.Parallel()
	vocab := testVocabulary(t)
	d, problems := parseDocument([]byte(acmeDoc), "acme.yaml", vocab)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	docs := map[string]*document{d.name: d}
	for name, tt := range map[string]struct{ text, want string }{
		"unknown profile":  {"profile: nope\ncases: []\n", `1: profile "nope" is not a profile document`},
		"unknown check":    {"profile: acme-sync\ncases:\n  - name: x\n    expect: {acme-sync.role.tickets-acces: fail}\n", `4: cases[0].expect: unknown key "acme-sync.role.tickets-acces"`},
		"unknown label":    {"profile: acme-sync\ncases:\n  - name: x\n    role: {set: {Tickets Acess Level: Read Only}}\n    expect: {acme-sync.role.not-admin: pass}\n", `4: cases[0].role.set: unknown permission "Tickets Acess Level" (did you mean "Tickets Access Level"?)`},
		"nothing expected": {"profile: acme-sync\ncases:\n  - name: x\n", `3: cases[0] needs a name and what to expect`},
	} {
		_, _, problems := parseCaseFile([]byte(tt.text), "acme.cases.yaml", docs, vocab)
		var got []string
		for _, p := range problems {
			got = append(got, strings.TrimPrefix(p.String(), "acme.cases.yaml:"))
		}
		if text := strings.Join(got, "\n"); !strings.Contains(text, tt.want) {
			t.Errorf("%s: problems %q lack %q", name, text, tt.want)
		}
	}
}

// TestUncodedPermissionIsManual: a label the vocabulary knows without its
// claim code gives a manual result saying where to look, never a guess.
func TestUncodedPermissionIsManual(t *testing.T) {
	t.Parallel()
	vocab, err := vocabulary.Parse([]byte(`schema_version: 1
scales:
  flag: [{raw: "0", label: "No"}, {raw: "1", label: "Yes"}]
  bool: [{raw: "false", label: "No"}, {raw: "true", label: "Yes"}]
sections:
  - name: General Permissions
    path: Permissions > General Permissions
    permissions: [{label: Is a HaloPSA Administrator, code: SA, slug: administrator, scale: bool}]
  - name: Billing Permissions
    path: Permissions > Billing Permissions
    permissions: [{label: Can View Item Costs, slug: view-item-costs, scale: flag}]
authentication: [{label: Client ID and Secret (Services), grant_type: client_credentials}]
scopes: {names: [all, admin, read:items], full_access: [all, admin]}
`))
	if err != nil {
		t.Fatal(err)
	}
	doc := "schema_version: 1\nprofile: x\ntitle: X\nvendor: X\nsource: {title: T, url: https://x.example}\nkeywords: [x]\napplication: {authentication: Client ID and Secret (Services)}\nrole:\n  permissions:\n    Billing Permissions:\n      Can View Item Costs: Yes\n"
	d, problems := parseDocument([]byte(doc), "x.yaml", vocab)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, c := range d.derive() {
		if c.ID == "x.role.view-item-costs" {
			if c.rule["kind"] != "manual" || !strings.Contains(c.rule["look"].(string), "Billing Permissions") {
				t.Errorf("rule = %v", c.rule)
			}
			return
		}
	}
	t.Error("no check x.role.view-item-costs")
}

// TestDocumentedAdministratorWarnsInTheBaseline: an integration set up as
// its guide says, administrator included, gets warn from the baseline
// (naming the vendor and its guide), not fail.
func TestDocumentedAdministratorWarnsInTheBaseline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, d, _ := engineWith(t, strings.Replace(acmeDoc, "role:\n", "role:\n  administrator: documented\n", 1))
	snap, err := d.documentedTenant(PhaseOperate).snapshot()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Evaluate(ctx, snap, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Result{}
	for _, r := range rep.Results {
		got[r.ID] = r
	}
	for _, id := range []string{"baseline.application.admin-login-agent", "baseline.agent.api-agent-admin"} {
		r := got[id]
		if r.Status != StatusWarn || !strings.Contains(r.Message, "as Acme Sync documents (Runbook, https://wiki.acme.example/sync)") {
			t.Errorf("%s: %s %q", id, r.Status, r.Message)
		}
	}
	if r := got["acme-sync.role.administrator"]; r.Status != StatusPass {
		t.Errorf("acme-sync.role.administrator: %s %q", r.Status, r.Message)
	}
	// Without the documenting profile the same tenant fails the baseline.
	e2, err := New(ctx, Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = e2.Evaluate(ctx, snap, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.ID == "baseline.application.admin-login-agent" && r.Status != StatusFail {
			t.Errorf("without a documenting profile: %s %q", r.Status, r.Message)
		}
	}
}

// TestKeywordsDoNotCatchOtherVendors: a profile that joins audits by
// itself finds its vendor's objects by keyword, and must not take another
// vendor's application, agent or role for its own. (An explicit profile,
// such as an alternative set-up of the same product, is only audited when
// named, and may share them.)
func TestKeywordsDoNotCatchOtherVendors(t *testing.T) {
	t.Parallel()
	pol, err := loadPolicies(Options{Builtin: policies.FS()}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range pol.docs.docs {
		if a.explicit {
			continue
		}
		for _, b := range pol.docs.docs {
			if a == b || b.explicit {
				continue
			}
			for _, name := range []string{b.names.application, b.names.agent, b.names.role, b.title} {
				for _, kw := range a.keywords {
					if name != "" && strings.Contains(strings.ToLower(name), kw) {
						t.Errorf("%s's keyword %q catches %s's object %q", a.name, kw, b.name, name)
					}
				}
			}
		}
	}
}
