package audit

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/halolint/halolint/halo"
)

var collectedAt = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// smallSnapshot is a tenant with one of everything the test policies
// look at.
func smallSnapshot() *halo.Snapshot {
	yes := true
	return &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Source:        halo.Source{URL: "https://acme.halopsa.com", CollectedAt: collectedAt},
		Roles: []halo.Role{
			{ID: "r2", Name: "Zeta"},
			{ID: "r1", Name: ""},
			{ID: "r3", Name: "Alpha"},
		},
		Agents: []halo.Agent{
			{ID: 12, Name: "API", IsAPIAgent: true},
			{ID: 3, Name: "Bob"},
		},
		Applications: []halo.Application{
			{ID: "a1", DisplayName: "Old", Inactive: true},
			{ID: "a2", DisplayName: "Current"},
		},
		Control: &halo.Control{ForceAccountsID: &yes},
	}
}

func TestEvaluateReport(t *testing.T) {
	t.Parallel()
	e := engine(t)
	snap := smallSnapshot()
	snap.CollectionErrors = []halo.CollectionError{
		{Resource: halo.ResourceCategories, Endpoint: "/api/Category", Status: 500, Message: "boom"},
		{Resource: halo.ResourceAgent, ObjectID: "3", Endpoint: "/api/Agent/3", Status: 404, Message: "gone"},
	}
	sel := Selection{
		Profiles: []string{"extra", "base"},
		Phase:    PhaseSetup,
		Source:   ReportSource{Kind: "snapshot", File: "t.json"},
		Tool:     Tool{Name: "halolint", Version: "v0.0.0-test"},
	}
	got, err := e.Evaluate(context.Background(), snap, sel)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	want := &Report{
		SchemaVersion: 1,
		Tool:          Tool{Name: "halolint", Version: "v0.0.0-test"},
		Source:        ReportSource{Kind: "snapshot", URL: "https://acme.halopsa.com", CollectedAt: collectedAt, File: "t.json"},
		Phase:         PhaseSetup,
		Profiles:      []string{"base", "extra"},
		Summary:       Summary{Pass: 5, Fail: 2, Warn: 1, Error: 1},
		Results: []Result{
			{ID: "base.application.active", Profile: "base", Title: "Applications are active", Status: StatusPass, Severity: SeverityMedium,
				Object: Object{Type: ObjectApplication, ID: "a2", Name: "Current"}, Message: "application is active",
				Remediation: "Tick Active on the application.", Source: "test-apps.txt"},
			{ID: "base.application.active", Profile: "base", Title: "Applications are active", Status: StatusWarn, Severity: SeverityMedium,
				Object: Object{Type: ObjectApplication, ID: "a1", Name: "Old"}, Message: "application is inactive",
				Actual: []string{"inactive"}, Remediation: "Applications > Old > Active", Source: "test-apps.txt"},
			{ID: "base.role.named", Profile: "base", Title: "Every role has a name", Status: StatusFail, Severity: SeverityLow,
				Object: Object{Type: ObjectRole, ID: "r1"}, Message: "role name checked", Expected: "a name", Actual: "",
				Remediation: "Configuration > Teams & Agents > Roles > (the role) > Name", Source: "test-roles.txt"},
			{ID: "base.role.named", Profile: "base", Title: "Every role has a name", Status: StatusPass, Severity: SeverityLow,
				Object: Object{Type: ObjectRole, ID: "r3", Name: "Alpha"}, Message: "role name checked", Expected: "a name", Actual: "Alpha",
				Remediation: "Configuration > Teams & Agents > Roles > (the role) > Name", Source: "test-roles.txt"},
			{ID: "base.role.named", Profile: "base", Title: "Every role has a name", Status: StatusPass, Severity: SeverityLow,
				Object: Object{Type: ObjectRole, ID: "r2", Name: "Zeta"}, Message: "role name checked", Expected: "a name", Actual: "Zeta",
				Remediation: "Configuration > Teams & Agents > Roles > (the role) > Name", Source: "test-roles.txt"},
			{ID: "base.setting.control", Profile: "base", Title: "Control can be read", Status: StatusPass, Severity: SeverityInfo,
				Object: Object{Type: ObjectSetting, ID: "control", Name: "Control"}, Message: "phase setup, collected 2026-11-22T10:00:00Z",
				Remediation: "Grant the auditor read access to the configuration.", Source: "test-control.txt"},
			{ID: "extra.agent.api", Profile: "extra", Title: "Agents are API-only", Status: StatusPass, Severity: SeverityCritical,
				Object: Object{Type: ObjectAgent, ID: "12", Name: "API"}, Message: "checked", GrantedBy: "agent API",
				Remediation: "Tick API-only.", Source: "extra.txt"},
			{ID: "extra.agent.api", Profile: "extra", Title: "Agents are API-only", Status: StatusFail, Severity: SeverityCritical,
				Object: Object{Type: ObjectAgent, ID: "3", Name: "Bob"}, Message: "checked", GrantedBy: "agent Bob",
				Remediation: "Tick API-only.", Source: "extra.txt"},
			{ID: "extra.tenant.silent", Profile: "extra", Title: "Never answers", Status: StatusError, Severity: SeverityLow,
				Object: Object{Type: ObjectTenant}, Message: "check produced no result",
				Remediation: "Nothing.", Source: "extra.txt"},
		},
		CollectionErrors: []CollectionError{
			// Sorted by endpoint. Neither is needed: the only error
			// result is the engine's own "no result".
			{Endpoint: "/api/Agent/3", Status: 404, Message: "gone"},
			{Endpoint: "/api/Category", Status: 500, Message: "boom"},
		},
		Catalog: append(mustProfile(t, e, "base").Checks, mustProfile(t, e, "extra").Checks...),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Evaluate mismatch (-want +got):\n%s", diff)
	}
}

func mustProfile(t *testing.T, e *Engine, name string) Profile {
	t.Helper()
	p, ok := e.Profile(name)
	if !ok {
		t.Fatalf("no profile %s", name)
	}
	return p
}

func TestEvaluateSelection(t *testing.T) {
	t.Parallel()
	e := engine(t)
	withDual := smallSnapshot()
	withDual.Applications = append(withDual.Applications, halo.Application{ID: "d", DisplayName: "The DUAL app"})
	named := smallSnapshot()
	named.Applications = append(named.Applications, halo.Application{ID: "d", DisplayName: "Renamed"})

	tests := []struct {
		name     string
		snap     *halo.Snapshot
		sel      Selection
		want     []string
		wantErr  any // pointer to the error type expected
		errMatch string
	}{
		{name: "default, nothing detected", snap: smallSnapshot(), want: []string{"base"}},
		{name: "default, dual detected", snap: withDual, want: []string{"base", "dual-name"}},
		{name: "default, dual detected through the config", snap: named,
			sel:  Selection{Config: Config{Profiles: map[string]ProfileNames{"dual-name": {Application: "Renamed"}}}},
			want: []string{"base", "dual-name"}},
		{name: "explicit vendor profile without its application", snap: smallSnapshot(), sel: Selection{Profiles: []string{"dual-name"}}, want: []string{"dual-name"}},
		{name: "explicit, repeated", snap: smallSnapshot(), sel: Selection{Profiles: []string{"extra", "base", "extra"}}, want: []string{"base", "extra"}},
		{name: "all", snap: smallSnapshot(), sel: Selection{Profiles: []string{"all"}}, want: []string{"base", "dual-name", "extra"}},
		{name: "unknown profile", snap: smallSnapshot(), sel: Selection{Profiles: []string{"base", "cvoe"}},
			wantErr: new(*UsageError), errMatch: `unknown profile "cvoe" (halolint profiles lists the 3 known ones; or all)`},
		{name: "unknown phase", snap: smallSnapshot(), sel: Selection{Phase: "later"},
			wantErr: new(*UsageError), errMatch: `unknown phase "later"`},
		{name: "config names an unknown profile", snap: smallSnapshot(),
			sel:     Selection{Config: Config{Profiles: map[string]ProfileNames{"dual_name": {}}}},
			wantErr: new(*ConfigError), errMatch: `unknown profile "dual_name"`},
		{name: "no snapshot", snap: nil, wantErr: new(*UsageError), errMatch: "no snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := e.Evaluate(context.Background(), tt.snap, tt.sel)
			if tt.wantErr != nil {
				if err == nil || !errors.As(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errMatch) {
					t.Fatalf("Evaluate: err = %v (%T), want %T containing %q", err, err, tt.wantErr, tt.errMatch)
				}
				return
			}
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if diff := cmp.Diff(tt.want, rep.Profiles); diff != "" {
				t.Errorf("Profiles (-want +got):\n%s", diff)
			}
			// Every check of every selected profile has a result, and
			// nothing else does.
			ids := map[string]bool{}
			for _, r := range rep.Results {
				ids[r.ID] = true
			}
			var want []string
			for _, c := range rep.Catalog {
				want = append(want, c.ID)
				if !ids[c.ID] {
					t.Errorf("check %s has no result", c.ID)
				}
			}
			if len(ids) != len(want) {
				t.Errorf("results name %d checks, catalog has %d", len(ids), len(want))
			}
		})
	}
}

func TestEvaluateValidatesResults(t *testing.T) {
	t.Parallel()
	emit := func(result string) map[string]string {
		return map[string]string{"bad.rego": profileHeader("bad") + checkMeta("bad.role.x") + "results contains " + result + "\n"}
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bad status", emit(`{"check": "bad.role.x", "status": "passed", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m"}`),
			`result of bad.role.x: status "passed" is not one of pass, fail, warn, error, manual`},
		{"missing status", emit(`{"check": "bad.role.x", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m"}`),
			`result of bad.role.x: status %!q(<nil>) is not one of`},
		{"unknown check", emit(`{"check": "bad.role.y", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m"}`),
			`result of bad.role.y: unknown check ID`},
		{"check of another profile", emit(`{"check": "base.role.named", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m"}`),
			`result of base.role.named: reported under profile "bad", but the check belongs to "base"`},
		{"missing check", emit(`{"status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m"}`),
			`result: missing or empty key "check"`},
		{"missing message", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}}`),
			`result of bad.role.x: missing or empty key "message"`},
		{"missing object", emit(`{"check": "bad.role.x", "status": "pass", "message": "m"}`),
			`result of bad.role.x: key "object" must be an object {type, id, name}, not null`},
		{"bad object type", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "ticket", "id": "1", "name": "r"}, "message": "m"}`),
			`result of bad.role.x: object.type "ticket" is not one of`},
		{"numeric object id", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "agent", "id": 12, "name": "r"}, "message": "m"}`),
			`result of bad.role.x: object: key "id" must be a string, not the number 12`},
		{"unknown key", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m", "remedation": "x"}`),
			`result of bad.role.x: unknown key "remedation"`},
		{"expected is a number", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m", "expected": 2}`),
			`result of bad.role.x: key "expected" must be a string or a list of strings, not the number 2`},
		{"actual holds a number", emit(`{"check": "bad.role.x", "status": "pass", "object": {"type": "role", "id": "1", "name": "r"}, "message": "m", "actual": ["a", 2]}`),
			`key "actual" must be a string or a list of strings; element 1 is the number 2`},
		{"several violations", emit(`{"check": "bad.role.x", "status": "ok", "object": {"type": "role"}, "message": "m", "n": 1}
results contains {"check": "bad.role.x", "status": "ok", "object": {"type": "role"}, "message": "m", "n": 2}`),
			`(and 1 more)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := testBuiltin()
			opts.PolicyDirs = []string{writeFiles(t, tt.files)}
			e, err := New(context.Background(), opts)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			_, err = e.Evaluate(context.Background(), smallSnapshot(), Selection{Profiles: []string{"bad"}})
			var ee *EngineError
			if !errors.As(err, &ee) {
				t.Fatalf("Evaluate: err = %v (%T), want *EngineError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Evaluate: err =\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
		})
	}
}

func TestEvaluateRefusesABrokenEntryPoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		main string
		want string
	}{
		{"selected undefined", "package halolint.main\n\nselected := x if { x := input.nothing }\n\nresults := set()\n", "is undefined"},
		{"selected not strings", "package halolint.main\n\nselected := {1}\n\nresults := set()\n", "data.halolint.main.selected: must hold strings only, not the number 1"},
		{"selected unknown profile", "package halolint.main\n\nselected := {\"nope\"}\n\nresults := set()\n", `selected names unknown profile "nope"`},
		{"selected ignores -p", "package halolint.main\n\nselected := {\"base\"}\n\nresults := set()\n", "data.halolint.main.selected is [base], but the selection was [dual-name]"},
		{"results not a collection", "package halolint.main\n\nselected := {\"dual-name\"}\n\nresults := 3\n", "data.halolint.main.results must be a set of objects, not the number 3"},
		{"result not an object", "package halolint.main\n\nselected := {\"dual-name\"}\n\nresults := {\"pass\"}\n", `a result must be an object, not the string "pass"`},
		{"result of an unselected profile", "package halolint.main\n\nselected := {\"dual-name\"}\n\nresults contains object.union(r, {\"profile\": \"base\"}) if some r in data.halolint.profiles.base.results\n", `profile "base" is not selected`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, err := New(context.Background(), Options{
				Builtin:    withoutMain(t),
				PolicyDirs: []string{writeFiles(t, map[string]string{"main.rego": tt.main})},
			})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			_, err = e.Evaluate(context.Background(), smallSnapshot(), Selection{Profiles: []string{"dual-name"}})
			var ee *EngineError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Evaluate: err = %v (%T), want *EngineError containing %q", err, err, tt.want)
			}
		})
	}
}

// withoutMain is the test policies minus their entry point.
func withoutMain(t *testing.T) fs.FS {
	t.Helper()
	src := os.DirFS("testdata/policies")
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "main.rego" {
			return err
		}
		b, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCollectionErrorsNeeded(t *testing.T) {
	t.Parallel()
	e := engine(t)
	controlRefused := halo.CollectionError{Resource: halo.ResourceControl, Endpoint: "/api/Control", Status: 403, Message: "Forbidden"}
	categoriesFailed := halo.CollectionError{Resource: halo.ResourceCategories, Endpoint: "/api/Category", Status: 500, Message: "boom"}
	tests := []struct {
		name     string
		profiles []string
		control  bool // whether Control was read
		errs     []halo.CollectionError
		want     []CollectionError
	}{
		{
			name:     "Control refused, base selected and erring on it",
			profiles: []string{"base"},
			errs:     []halo.CollectionError{controlRefused},
			want:     []CollectionError{{Endpoint: "/api/Control", Status: 403, Message: "Forbidden", Needed: true}},
		},
		{
			name:     "Control refused, only profiles without a setting check",
			profiles: []string{"dual-name"},
			errs:     []halo.CollectionError{controlRefused},
			want:     []CollectionError{{Endpoint: "/api/Control", Status: 403, Message: "Forbidden"}},
		},
		{
			name:     "base errs on Control; categories feed no base check",
			profiles: []string{"base", "dual-name"},
			errs:     []halo.CollectionError{controlRefused, categoriesFailed},
			want: []CollectionError{
				{Endpoint: "/api/Category", Status: 500, Message: "boom"},
				{Endpoint: "/api/Control", Status: 403, Message: "Forbidden", Needed: true},
			},
		},
		{
			name:     "no error result at all",
			profiles: []string{"base"},
			control:  true,
			errs:     []halo.CollectionError{controlRefused},
			want:     []CollectionError{{Endpoint: "/api/Control", Status: 403, Message: "Forbidden"}},
		},
		{
			name:     "none",
			profiles: []string{"base"},
			control:  true,
			want:     []CollectionError{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			snap := smallSnapshot()
			if !tt.control {
				snap.Control = nil
			}
			snap.CollectionErrors = tt.errs
			rep, err := e.Evaluate(context.Background(), snap, Selection{Profiles: tt.profiles})
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if diff := cmp.Diff(tt.want, rep.CollectionErrors); diff != "" {
				t.Errorf("CollectionErrors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOneEngineManySnapshots evaluates different snapshots concurrently on
// one engine (compiled once) and checks that the same input always gives
// the same bytes.
func TestOneEngineManySnapshots(t *testing.T) {
	t.Parallel()
	e := engine(t)
	snaps := []*halo.Snapshot{smallSnapshot(), {}, smallSnapshot()}
	snaps[2].Roles = nil
	snaps[2].Control = nil

	render := func(s *halo.Snapshot) string {
		rep, err := e.Evaluate(context.Background(), s, Selection{Profiles: []string{"all"}})
		if err != nil {
			t.Errorf("Evaluate: %v", err)
			return ""
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Errorf("Marshal: %v", err)
		}
		return string(b)
	}
	first := make([]string, len(snaps))
	for i, s := range snaps {
		first[i] = render(s)
	}
	if first[0] == first[1] || first[0] == first[2] {
		t.Fatal("different snapshots gave the same report")
	}
	var wg sync.WaitGroup
	for range 4 {
		for i, s := range snaps {
			wg.Go(func() {
				if got := render(s); got != first[i] {
					t.Errorf("snapshot %d: report differs between runs:\n%s\n%s", i, first[i], got)
				}
			})
		}
	}
	wg.Wait()
}

func TestEvaluateHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := engine(t).Evaluate(ctx, smallSnapshot(), Selection{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate: err = %v, want context.Canceled", err)
	}
}

func TestPlan(t *testing.T) {
	t.Parallel()
	e := engine(t)
	got, err := e.Plan(Config{Profiles: map[string]ProfileNames{
		"dual-name": {Role: " Dual Role", Agent: "Dual API", Application: "Dual App"},
	}})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if diff := cmp.Diff([]string{"dual", "dual api", "dual app", "dual role", "twofold"}, got.Keywords); diff != "" {
		t.Errorf("Plan keywords (-want +got):\n%s", diff)
	}
	_, err = e.Plan(Config{Profiles: map[string]ProfileNames{"nope": {}}})
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("Plan with an unknown profile: err = %v, want *ConfigError", err)
	}
}

func TestValidateSelection(t *testing.T) {
	t.Parallel()
	e := engine(t)
	tests := []struct {
		sel     Selection
		wantErr any
	}{
		{Selection{}, nil},
		{Selection{Profiles: []string{"all"}, Phase: PhaseSetup}, nil},
		{Selection{Profiles: []string{"nope"}}, new(*UsageError)},
		{Selection{Phase: "later"}, new(*UsageError)},
		{Selection{Config: Config{Profiles: map[string]ProfileNames{"nope": {}}}}, new(*ConfigError)},
	}
	for _, tt := range tests {
		err := e.ValidateSelection(tt.sel)
		if (tt.wantErr == nil) != (err == nil) || (err != nil && !errors.As(err, tt.wantErr)) {
			t.Errorf("ValidateSelection(%+v) = %v, want %T", tt.sel, err, tt.wantErr)
		}
	}
}
