package policies_test

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
)

// checkIDs is the contract of profiles.md: every check ID, spelled exactly.
var checkIDs = []string{
	"gradient.role.customers-access",
	"gradient.role.items-access",
	"gradient.role.invoices-access",
	"gradient.role.contracts-access",
	"gradient.role.tickets-access",
	"gradient.role.add-tickets",
	"gradient.role.edit-closed-tickets",
	"gradient.role.edit-unassigned-tickets",
	"gradient.role.all-ticket-types",
	"gradient.role.all-customers",
	"gradient.role.not-admin",
	"gradient.role.undocumented",
	"gradient.agent.api-only",
	"gradient.agent.enabled",
	"gradient.application.exists",
	"gradient.application.auth-method",
	"gradient.application.login-agent",
	"gradient.application.scopes",
	"gradient.application.excess-scopes",

	"gradient-alerts.role.tickets-access",
	"gradient-alerts.role.add-tickets",
	"gradient-alerts.role.edit-closed-tickets",
	"gradient-alerts.role.edit-unassigned-tickets",
	"gradient-alerts.role.all-ticket-types",
	"gradient-alerts.role.all-customers",
	"gradient-alerts.role.not-admin",
	"gradient-alerts.role.undocumented",
	"gradient-alerts.agent.api-only",
	"gradient-alerts.agent.enabled",
	"gradient-alerts.application.exists",
	"gradient-alerts.application.auth-method",
	"gradient-alerts.application.login-agent",
	"gradient-alerts.application.scopes",
	"gradient-alerts.application.excess-scopes",

	"timezest.role.administrator",
	"timezest.role.tickets-access",
	"timezest.role.customers-access",
	"timezest.role.users-access",
	"timezest.role.calendars-access",
	"timezest.role.sales-access",
	"timezest.role.add-tickets",
	"timezest.role.view-unassigned-tickets",
	"timezest.role.view-others-tickets",
	"timezest.role.reassign-tickets",
	"timezest.role.edit-appointments",
	"timezest.role.add-appointments",
	"timezest.role.view-appointments",
	"timezest.role.delete-appointments",
	"timezest.role.all-ticket-types",
	"timezest.role.all-customers",
	"timezest.role.undocumented",
	"timezest.setting.accounts-id-optional",
	"timezest.agent.api-only",
	"timezest.agent.enabled",
	"timezest.agent.timezest-role",
	"timezest.agent.administrator",
	"timezest.agent.undocumented-roles",
	"timezest.application.exists",
	"timezest.application.auth-method",
	"timezest.application.login-agent",
	"timezest.application.scopes",
	"timezest.role.edit-unassigned-tickets",

	"cove.category.cove-data-protection",
	"cove.role.department-membership",
	"cove.role.tickets-access",
	"cove.role.customers-access",
	"cove.role.add-tickets",
	"cove.role.view-unassigned-tickets",
	"cove.role.not-admin",
	"cove.role.undocumented",
	"cove.application.exists",
	"cove.application.auth-method",
	"cove.application.identity",
	"cove.application.scopes",
	"cove.application.excess-scopes",

	"baseline.application.full-access-scope",
	"baseline.application.admin-login-agent",
	"baseline.application.broken-login-agent",
	"baseline.agent.api-agent-admin",
	"baseline.auditor.self",
}

var (
	objectTypes = map[string]bool{"role": true, "agent": true, "application": true, "category": true, "setting": true, "tenant": true}
	severities  = map[string]bool{"critical": true, "high": true, "medium": true, "low": true, "info": true}
	statuses    = map[string]bool{"pass": true, "fail": true, "warn": true, "error": true, "manual": true}
)

const profilesPrefix = "data.halolint.profiles."

type file struct {
	name string
	src  []byte
}

func readFiles(t *testing.T) []file {
	t.Helper()
	var out []file
	err := fs.WalkDir(policies.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		b, err := fs.ReadFile(policies.FS(), p)
		if err != nil {
			return err
		}
		out = append(out, file{name: p, src: b})
		return nil
	})
	if err != nil {
		t.Fatalf("read embedded policies: %v", err)
	}
	if len(out) == 0 {
		t.Fatal("no embedded .rego file")
	}
	return out
}

func isTest(name string) bool { return strings.HasSuffix(name, "_test.rego") }

// parse parses the embedded modules, with or without the tests.
func parse(t *testing.T, withTests bool) map[string]*ast.Module {
	t.Helper()
	mods := map[string]*ast.Module{}
	for _, f := range readFiles(t) {
		if isTest(f.name) && !withTests {
			continue
		}
		m, err := ast.ParseModuleWithOpts(f.name, string(f.src), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("parse %s: %v", f.name, err)
		}
		mods[f.name] = m
	}
	return mods
}

// TestRego runs every Rego unit test of the embedded policies.
func TestRego(t *testing.T) {
	t.Parallel()
	mods := parse(t, true)
	if _, err := ast.CompileModulesWithOpt(moduleSources(t, true), ast.CompileOpts{ParserOptions: ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}}); err != nil {
		t.Fatalf("compile: %v", err)
	}
	ch, err := tester.NewRunner().SetDefaultRegoVersion(ast.RegoV1).SetTimeout(2*time.Minute).SetModules(mods).RunTests(context.Background(), nil)
	if err != nil {
		t.Fatalf("run rego tests: %v", err)
	}
	n := 0
	for r := range ch {
		n++
		switch {
		case r.Error != nil:
			t.Errorf("%s.%s (%s): error: %v", r.Package, r.Name, r.Location, r.Error)
		case r.Skip:
		case r.Fail:
			t.Errorf("%s.%s (%s): FAIL", r.Package, r.Name, r.Location)
		}
	}
	if n < 100 {
		t.Errorf("only %d Rego tests ran", n)
	}
}

func moduleSources(t *testing.T, withTests bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range readFiles(t) {
		if isTest(f.name) && !withTests {
			continue
		}
		out[f.name] = string(f.src)
	}
	return out
}

// TestDeterministicBuiltinsOnly compiles the policies without network or
// non-deterministic builtins, as the engine does.
func TestDeterministicBuiltinsOnly(t *testing.T) {
	t.Parallel()
	caps := ast.CapabilitiesForThisVersion()
	refused := map[string]bool{"http.send": true, "opa.runtime": true, "time.now_ns": true, "uuid.rfc4122": true, "trace": true}
	var kept []*ast.Builtin
	for _, b := range caps.Builtins {
		if refused[b.Name] || strings.HasPrefix(b.Name, "net.") || strings.HasPrefix(b.Name, "rand.") {
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	c := ast.NewCompiler().WithCapabilities(caps).WithDefaultRegoVersion(ast.RegoV1)
	if c.Compile(parse(t, true)); c.Failed() {
		t.Fatalf("compile without non-deterministic builtins: %v", c.Errors)
	}
}

type annotated struct {
	id, pkg, file string
	rule          *ast.Rule
}

// TestCatalog checks the METADATA contract: every check ID of profiles.md
// is the custom.id of exactly one rule, in its profile's package, with every
// required key, and each profile package has its own METADATA.
func TestCatalog(t *testing.T) {
	t.Parallel()
	mods := parse(t, false)
	list := make([]*ast.Module, 0, len(mods))
	for _, m := range mods {
		list = append(list, m)
	}
	set, errs := ast.BuildAnnotationSet(list)
	if len(errs) > 0 {
		t.Fatalf("annotations: %v", errs)
	}
	var found []annotated
	profilePkgs := map[string]bool{}
	for _, ref := range set.Flatten() {
		a := ref.Annotations
		pkg := ref.GetPackage().Path.String()
		name := a.Location.File
		isProfile := strings.HasPrefix(pkg, profilesPrefix)
		switch a.Scope {
		case "package":
			if !isProfile {
				continue
			}
			profilePkgs[pkg] = true
			if a.Title == "" || a.Description == "" {
				t.Errorf("%s: package METADATA needs title and description", name)
			}
			for _, k := range []string{"vendor", "source"} {
				if s, _ := a.Custom[k].(string); s == "" {
					t.Errorf("%s: package METADATA needs custom.%s", name, k)
				}
			}
		case "rule":
			id, _ := a.Custom["id"].(string)
			if id == "" {
				if isProfile {
					t.Errorf("%s:%d: rule METADATA without custom.id", name, a.Location.Row)
				}
				continue
			}
			if a.Title == "" {
				t.Errorf("%s: %s: no title", name, id)
			}
			for _, k := range []string{"object", "severity", "remediation", "source"} {
				if s, _ := a.Custom[k].(string); s == "" {
					t.Errorf("%s: %s: no custom.%s", name, id, k)
				}
			}
			if o, _ := a.Custom["object"].(string); !objectTypes[o] {
				t.Errorf("%s: %s: custom.object %q is not an object type", name, id, o)
			}
			if s, _ := a.Custom["severity"].(string); !severities[s] {
				t.Errorf("%s: %s: custom.severity %q is not a severity", name, id, s)
			}
			found = append(found, annotated{id: id, pkg: pkg, file: name, rule: ref.GetRule()})
		}
	}

	for _, want := range []string{"gradient", "gradient_alerts", "timezest", "cove", "baseline"} {
		if !profilePkgs[profilesPrefix+want] {
			t.Errorf("no package METADATA for %s%s", profilesPrefix, want)
		}
	}

	count := map[string]int{}
	for _, a := range found {
		count[a.id]++
		profile := strings.ReplaceAll(strings.TrimPrefix(a.pkg, profilesPrefix), "_", "-")
		if !strings.HasPrefix(a.id, profile+".") {
			t.Errorf("%s: check %s is not in its profile's package (%s)", a.file, a.id, a.pkg)
		}
		if a.rule == nil {
			t.Errorf("%s: check %s: METADATA not attached to a rule", a.file, a.id)
			continue
		}
		if a.rule.Head.Name.String() != "results" && a.rule.Head.Ref().String() != "results" {
			t.Errorf("%s: check %s annotates rule %s, not results", a.file, a.id, a.rule.Head.Ref())
		}
		// The rule names its own ID (the check of its results) and no
		// other check's.
		ids := stringsIn(a.rule)
		if !ids[a.id] {
			t.Errorf("%s: rule of %s does not produce results with that check ID", a.file, a.id)
		}
		for _, other := range checkIDs {
			if other != a.id && ids[other] {
				t.Errorf("%s: rule of %s names check %s", a.file, a.id, other)
			}
		}
	}
	want := map[string]bool{}
	for _, id := range checkIDs {
		if want[id] {
			t.Errorf("check ID %s listed twice in this test", id)
		}
		want[id] = true
		if count[id] != 1 {
			t.Errorf("check %s: %d rules carry it as custom.id, want exactly 1", id, count[id])
		}
	}
	for id := range count {
		if !want[id] {
			t.Errorf("custom.id %s is not a check of profiles.md", id)
		}
	}
}

func stringsIn(r *ast.Rule) map[string]bool {
	out := map[string]bool{}
	ast.WalkTerms(r, func(t *ast.Term) bool {
		if s, ok := t.Value.(ast.String); ok {
			out[string(s)] = true
		}
		return false
	})
	return out
}

// TestEveryCheckYieldsAResult evaluates the entry point on an empty tenant
// with every profile selected (the readiness check) and on a tenant whose
// collection failed: every check yields a valid result.
func TestEveryCheckYieldsAResult(t *testing.T) {
	t.Parallel()
	c := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
	if c.Compile(parse(t, false)); c.Failed() {
		t.Fatalf("compile: %v", c.Errors)
	}
	ctx := context.Background()
	pq, err := rego.New(rego.Compiler(c), rego.Query("selected = data.halolint.main.selected; results = data.halolint.main.results")).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	empty := func() map[string]any {
		return map[string]any{
			"phase": "operate", "collected_at": nil, "profiles": []any{"all"},
			"auditor": map[string]any{"client_id": "", "application_id": ""},
			"config":  map[string]any{"profiles": map[string]any{}},
			"roles":   []any{}, "agents": []any{}, "applications": []any{}, "categories": []any{},
			"control": map[string]any{"force_accounts_id": nil}, "collection_errors": []any{},
		}
	}
	failed := empty()
	failed["control"] = nil
	var errs []any
	for _, r := range []string{"roles", "agents", "applications", "categories", "control"} {
		errs = append(errs, map[string]any{"resource": r, "object_id": "", "endpoint": "/api/" + r, "status": 403, "message": "Forbidden"})
	}
	failed["collection_errors"] = errs

	for name, input := range map[string]map[string]any{"empty": empty(), "failed": failed} {
		rs, err := pq.Eval(ctx, rego.EvalInput(input))
		if err != nil {
			t.Fatalf("%s: eval: %v", name, err)
		}
		if len(rs) != 1 {
			t.Fatalf("%s: %d result sets", name, len(rs))
		}
		results, _ := rs[0].Bindings["results"].([]any)
		got := map[string]int{}
		for _, x := range results {
			r, _ := x.(map[string]any)
			id, _ := r["check"].(string)
			got[id]++
			if s, _ := r["status"].(string); !statuses[s] {
				t.Errorf("%s: %s: status %q", name, id, s)
			}
			if m, _ := r["message"].(string); m == "" {
				t.Errorf("%s: %s: no message", name, id)
			}
			o, _ := r["object"].(map[string]any)
			if ty, _ := o["type"].(string); !objectTypes[ty] {
				t.Errorf("%s: %s: object type %v", name, id, o["type"])
			}
			if _, ok := o["id"].(string); !ok {
				t.Errorf("%s: %s: object id %v is not a string", name, id, o["id"])
			}
			if p, _ := r["profile"].(string); p == "" || !strings.HasPrefix(id, p+".") {
				t.Errorf("%s: %s: profile %v", name, id, r["profile"])
			}
			if name == "failed" && id != "baseline.auditor.self" && r["status"] == "pass" {
				t.Errorf("failed: %s passes on data that was not collected", id)
			}
		}
		for _, id := range checkIDs {
			if got[id] == 0 {
				t.Errorf("%s: check %s yields no result", name, id)
			}
		}
		var extra []string
		for id := range got {
			if !contains(checkIDs, id) {
				extra = append(extra, id)
			}
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			t.Errorf("%s: results of unknown checks %v", name, extra)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// TestFormatted keeps every file as opa fmt writes it.
func TestFormatted(t *testing.T) {
	t.Parallel()
	for _, f := range readFiles(t) {
		got, err := format.SourceWithOpts(f.name, f.src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: format: %v", f.name, err)
			continue
		}
		if !bytes.Equal(got, f.src) {
			t.Errorf("%s is not formatted (opa fmt)", f.name)
		}
	}
}
