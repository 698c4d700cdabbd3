package audit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// TestRealPolicies compiles the embedded policies and evaluates a small
// hand-built tenant with every profile: the catalog holds the five
// built-in profiles, and every result honours the contract (the
// engine would return an EngineError otherwise).
func TestRealPolicies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := audit.New(ctx, audit.Options{Builtin: realPolicies(t)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var names []string
	for _, p := range e.Profiles() {
		names = append(names, p.Name)
		if !p.Builtin {
			t.Errorf("profile %s: Builtin is false", p.Name)
		}
	}
	// The catalog: the baseline and every document, sorted.
	if len(names) < 25 || !slices.Contains(names, "baseline") || !slices.IsSorted(names) {
		t.Errorf("profiles = %s", strings.Join(names, ","))
	}
	for _, want := range []string{"cove", "gradient", "gradient-alerts", "timezest"} {
		if !slices.Contains(names, want) {
			t.Errorf("profiles = %s, lack %s", strings.Join(names, ","), want)
		}
	}

	no := false
	snap := &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Source:        halo.Source{URL: "https://acme.halopsa.com", CollectedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)},
		Auditor:       halo.Auditor{ClientID: "auditor", ApplicationID: "app-auditor"},
		Roles: []halo.Role{
			{ID: "r-cove", Name: "Cove-Role", Detailed: true, Claims: []halo.Claim{{Type: "Tx", Value: "2"}, {Type: "Ux", Value: "2"}, {Type: "l6", Value: "1"}, {Type: "l9", Value: "1"}, {Type: "SA", Value: "false"}}},
			{ID: "r-tz", Name: "TimeZest", Detailed: true, Claims: []halo.Claim{{Type: "Tx", Value: "2"}, {Type: "SA", Value: "true"}}},
		},
		Agents: []halo.Agent{
			{ID: 7, Name: "TimeZest API", IsAPIAgent: true, Detailed: true, Roles: []halo.RoleRef{{ID: "r-tz", Name: "TimeZest"}}},
		},
		Applications: []halo.Application{
			{ID: "app-auditor", ClientID: "auditor", DisplayName: "halolint", IsAuditor: true, GrantType: "client_credentials", Detailed: true, Scopes: []string{"admin"}},
			{ID: "app-cove", ClientID: "c", DisplayName: "Cove-HaloPSA", GrantType: "client_credentials", Detailed: true, Scopes: []string{"edit:tickets", "read:customers"}},
			{ID: "app-tz", ClientID: "t", DisplayName: "TimeZest", GrantType: "client_credentials", LoginAsAgentID: 7, LoginAsAgentName: "TimeZest API", Detailed: true, Scopes: []string{"all"}},
		},
		Categories: []halo.Category{{ID: 1, Value: "Cove Data Protection", TypeID: 1}},
		Control:    &halo.Control{ForceAccountsID: &no},
	}
	for _, sel := range []audit.Selection{{}, {Profiles: []string{audit.SelectAll}}, {Profiles: []string{"timezest"}, Phase: audit.PhaseSetup}} {
		rep, err := e.Evaluate(ctx, snap, sel)
		if err != nil {
			t.Fatalf("Evaluate(%v): %v", sel.Profiles, err)
		}
		for _, r := range rep.Results {
			if r.Status == audit.StatusError && r.Message == audit.MessageNoResult {
				t.Errorf("Evaluate(%v): check %s produced no result", sel.Profiles, r.ID)
			}
		}
		if len(sel.Profiles) == 0 && !slices.Contains(rep.Profiles, "baseline") {
			t.Errorf("default selection %v lacks baseline", rep.Profiles)
		}
	}

	plan, err := e.Plan(audit.Config{Profiles: map[string]audit.ProfileNames{"cove": {Role: "Backup role"}}})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	for _, want := range []string{"cove", "timezest", "gradient", "backup role"} {
		if !slices.Contains(plan.Keywords, want) {
			t.Errorf("Plan keywords = %v, lacks %q", plan.Keywords, want)
		}
	}
}

// TestRealPolicyTests runs the embedded policies' Rego tests as verify
// does.
func TestRealPolicyTests(t *testing.T) {
	t.Parallel()
	results, err := audit.RunTests(context.Background(), realPolicies(t), nil)
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego test found")
	}
	for _, r := range results {
		if r.Outcome == audit.TestFail || r.Outcome == audit.TestError {
			t.Errorf("%s:%d: %s.%s: %s %v", r.File, r.Line, r.Package, r.Name, r.Outcome, r.Err)
		}
	}
}

// Input hands out the document the policies see: evaluating the same
// policies on it with plain OPA gives the engine's results.
func TestInputIsWhatThePoliciesSee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fsys := realPolicies(t)
	e, err := audit.New(ctx, audit.Options{Builtin: fsys})
	if err != nil {
		t.Fatal(err)
	}
	snap := &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Roles:         []halo.Role{{ID: "r-tz", Name: "TimeZest", Detailed: true, Claims: []halo.Claim{{Type: "SA", Value: "true"}}}},
	}
	sel := audit.Selection{Profiles: []string{"timezest"}}
	input, err := e.Input(snap, sel)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Phase    string   `json:"phase"`
		Profiles []string `json:"profiles"`
		Roles    []struct {
			Claims map[string]string `json:"claims"`
		} `json:"roles"`
	}
	if err := ast.As(input, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Phase != "operate" || !slices.Equal(doc.Profiles, []string{"timezest"}) || len(doc.Roles) != 1 || doc.Roles[0].Claims["SA"] != "true" {
		t.Errorf("input = %+v", doc)
	}

	var mods []func(*rego.Rego)
	for name, src := range e.Modules() {
		mods = append(mods, rego.Module(name, src))
	}
	store := inmem.NewFromObject(e.Data())
	rs, err := rego.New(append(mods, rego.Store(store), rego.Query("count(data.halolint.main.results)"), rego.ParsedInput(input))...).Eval(ctx)
	if err != nil || len(rs) != 1 {
		t.Fatalf("opa: %v %v", rs, err)
	}
	rep, err := e.Evaluate(ctx, snap, sel)
	if err != nil {
		t.Fatal(err)
	}
	produced := 0
	for _, r := range rep.Results {
		if r.Message != audit.MessageNoResult {
			produced++
		}
	}
	if got := rs[0].Expressions[0].Value; fmt.Sprint(got) != fmt.Sprint(produced) {
		t.Errorf("plain OPA on Input gives %v results, the engine %d", got, produced)
	}
}
