package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
)

// accessSnapshot: TimeZest with scope all logging in as an agent whose
// role reads tickets and has no access to assets; an application logging
// in as Application Identity; a system application; one whose details
// failed; names out of order.
func accessSnapshot() *halo.Snapshot {
	return &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Source:        halo.Source{URL: "https://acme.halopsa.com", CollectedAt: time.Date(2026, 11, 22, 11, 0, 0, 0, time.FixedZone("CET", 3600))},
		Auditor:       halo.Auditor{ClientID: "auditor", ApplicationID: "app-auditor"},
		Roles: []halo.Role{
			{ID: "r-tz", Name: "TimeZest", Detailed: true, Claims: []halo.Claim{{Type: "Tx", Value: "1"}, {Type: "Ux", Value: "2"}, {Type: "la", Value: "1"}}},
		},
		Agents: []halo.Agent{
			{ID: 7, Name: "TimeZest API", IsAPIAgent: true, Detailed: true, Roles: []halo.RoleRef{{ID: "r-tz", Name: "TimeZest"}}},
		},
		Applications: []halo.Application{
			{ID: "app-tz", ClientID: "t", DisplayName: "TimeZest", GrantType: "client_credentials", LoginAsAgentID: 7, LoginAsAgentName: "TimeZest API", Detailed: true, Scopes: []string{"all"}},
			{ID: "app-auditor", ClientID: "auditor", DisplayName: "halolint", IsAuditor: true, GrantType: "client_credentials", Detailed: true, Scopes: []string{"admin"}},
			{ID: "app-sys", DisplayName: "HaloPSA Mobile App", IsSystem: true, Detailed: true, Scopes: []string{"all"}},
			{ID: "app-cove", DisplayName: "Cove-HaloPSA", GrantType: "client_credentials", Detailed: true, Scopes: []string{"read:customers", "read:assets"}},
			{ID: "app-old", DisplayName: "aardvark sync", GrantType: "client_credentials", LoginAsAgentID: 7},
		},
		CollectionErrors: []halo.CollectionError{
			{Resource: halo.ResourceApplication, ObjectID: "app-old", Endpoint: "/api/Application/app-old", Status: 500, Message: "boom"},
			{Resource: halo.ResourceControl, Endpoint: "/api/Control", Status: 403, Message: "Forbidden"},
		},
	}
}

func TestAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := audit.New(ctx, audit.Options{Builtin: realPolicies(t), Access: true})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	sel := audit.Selection{Tool: audit.Tool{Name: "halolint", Version: "v1"}, Source: audit.ReportSource{Kind: "snapshot", File: "t.json"}}
	r, err := e.Access(ctx, accessSnapshot(), sel)
	if err != nil {
		t.Fatalf("Access: %v", err)
	}
	if r.SchemaVersion != 1 || r.Kind != "access" || r.Source.URL != "https://acme.halopsa.com" || r.Source.CollectedAt.Location() != time.UTC {
		t.Errorf("header: %d %s %+v", r.SchemaVersion, r.Kind, r.Source)
	}
	if len(r.Areas) < 15 || r.Areas[0] != (audit.AccessArea{Name: "tickets", Permission: "Tickets Access Level"}) {
		t.Errorf("areas: %v", r.Areas)
	}
	var names []string
	for _, app := range r.Applications {
		names = append(names, app.Name)
	}
	if diff := cmp.Diff([]string{"aardvark sync", "Cove-HaloPSA", "halolint", "TimeZest"}, names); diff != "" {
		t.Errorf("applications (-want +got):\n%s", diff)
	}

	tz := r.Applications[3]
	f := false
	tr := true
	want := audit.ApplicationAccess{
		ID: "app-tz", Name: "TimeZest", Active: true, Authentication: "Client ID and Secret (Services)",
		Login:     audit.AccessLogin{Type: audit.LoginAgent, Agent: &audit.AccessAgent{ID: 7, Name: "TimeZest API", APIOnly: &tr, Enabled: &tr, Administrator: &f}},
		Scopes:    []string{"all"},
		Profile:   "timezest",
		Sensitive: []string{"Password fields visible"},
		Errors:    []string{}, Notes: []string{},
	}
	got := tz
	got.Access = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TimeZest (-want +got):\n%s", diff)
	}
	for area, level := range map[string]audit.AccessLevel{"tickets": audit.AccessRead, "customers": audit.AccessRead, "assets": audit.AccessNone, "invoices": audit.AccessNone} {
		if tz.Access[area] != level {
			t.Errorf("TimeZest %s: %s, want %s", area, tz.Access[area], level)
		}
	}

	cove := r.Applications[1]
	if cove.Login.Type != audit.LoginApplicationIdentity || cove.Access["assets"] != audit.AccessRead || cove.Access["tickets"] != audit.AccessNone || cove.Profile != "cove" || len(cove.Notes) != 1 {
		t.Errorf("Cove: %+v", cove)
	}
	old := r.Applications[0]
	if old.Access["tickets"] != audit.AccessUnknown || len(old.Errors) != 1 || !strings.Contains(old.Errors[0], "answered 500") {
		t.Errorf("an application whose details failed: %+v", old)
	}
	if !r.Applications[2].Auditor {
		t.Error("the auditor's application is not marked")
	}

	if len(r.CollectionErrors) != 2 || r.CollectionErrors[0].Endpoint != "/api/Application/app-old" || !r.CollectionErrors[0].Needed || r.CollectionErrors[1].Needed {
		t.Errorf("collection errors: %+v", r.CollectionErrors)
	}
	if o := audit.AccessGate(r); o.Code != audit.ExitIncomplete || o.Incomplete != 1 || !strings.HasPrefix(o.Reason(), "exit 3: 1 application's") {
		t.Errorf("gate: %+v %s", o, o.Reason())
	}

	// Everything read: exit 0.
	clean := accessSnapshot()
	clean.Applications = clean.Applications[:4]
	clean.CollectionErrors = nil
	r, err = e.Access(ctx, clean, sel)
	if err != nil {
		t.Fatal(err)
	}
	if o := audit.AccessGate(r); o.Code != audit.ExitClean {
		t.Errorf("gate of a complete view: %+v %s", o, o.Reason())
	}

	// The applications list not read: no row, and incomplete.
	none := accessSnapshot()
	none.Applications = nil
	none.CollectionErrors = []halo.CollectionError{{Resource: halo.ResourceApplications, Endpoint: "/api/Application", Status: 403, Message: "Forbidden"}}
	r, err = e.Access(ctx, none, sel)
	if err != nil {
		t.Fatal(err)
	}
	if o := audit.AccessGate(r); o.Code != audit.ExitIncomplete || len(r.Applications) != 0 || len(r.Errors) != 1 {
		t.Errorf("no applications list: %+v, %v", o, r.Errors)
	}
}

// TestAccessConfigDecidesTheOwner: the config file's application name
// makes a differently named application a profile's.
func TestAccessConfigDecidesTheOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := audit.New(ctx, audit.Options{Builtin: realPolicies(t), Access: true})
	if err != nil {
		t.Fatal(err)
	}
	snap := accessSnapshot()
	snap.Applications[0].DisplayName = "Scheduling bridge"
	cfg := audit.Config{Profiles: map[string]audit.ProfileNames{"timezest": {Application: "Scheduling bridge"}}}
	for _, tt := range []struct {
		cfg  audit.Config
		want string
	}{{audit.Config{}, ""}, {cfg, "timezest"}} {
		r, err := e.Access(ctx, snap, audit.Selection{Config: tt.cfg})
		if err != nil {
			t.Fatal(err)
		}
		for _, app := range r.Applications {
			if app.ID == "app-tz" && app.Profile != tt.want {
				t.Errorf("config %v: profile %q, want %q", tt.cfg, app.Profile, tt.want)
			}
		}
	}
	var ce *audit.ConfigError
	if _, err := e.Access(ctx, snap, audit.Selection{Config: audit.Config{Profiles: map[string]audit.ProfileNames{"nope": {}}}}); !errors.As(err, &ce) {
		t.Errorf("unknown profile in the config: %v", err)
	}
}

// An engine made without Options.Access compiles no access view, refuses
// Access, and audits as one made with it.
func TestAccessViewOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	with, err := audit.New(ctx, audit.Options{Builtin: realPolicies(t), Access: true})
	if err != nil {
		t.Fatal(err)
	}
	without, err := audit.New(ctx, audit.Options{Builtin: realPolicies(t)})
	if err != nil {
		t.Fatal(err)
	}
	const view = "policies/lib/access.rego"
	if _, ok := with.Modules()[view]; !ok {
		t.Errorf("with Options.Access, the engine lacks %s", view)
	}
	if _, ok := without.Modules()[view]; ok || len(without.Modules()) != len(with.Modules())-1 {
		t.Errorf("without Options.Access, the engine compiled %d modules, %s among them: want every other one", len(without.Modules()), view)
	}
	var ee *audit.EngineError
	if _, err := without.Access(ctx, accessSnapshot(), audit.Selection{}); !errors.As(err, &ee) {
		t.Errorf("Access without Options.Access: err = %v, want an *EngineError", err)
	}
	sel := audit.Selection{Profiles: []string{audit.SelectAll}}
	want, err := with.Evaluate(ctx, accessSnapshot(), sel)
	if err != nil {
		t.Fatal(err)
	}
	got, err := without.Evaluate(ctx, accessSnapshot(), sel)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" || len(want.Results) == 0 {
		t.Errorf("the reports differ (-with +without):\n%s", diff)
	}
}
