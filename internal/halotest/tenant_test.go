package halotest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestFixturesParse(t *testing.T) {
	names := FixtureNames()
	for _, want := range []string{FixtureEmpty, FixtureCoveExact, FixtureTimeZestAdmin, FixtureGradientSplit, FixtureSample} {
		if !slices.Contains(names, want) {
			t.Errorf("fixture %s missing (have %v)", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			tn, err := Fixture(name)
			if err != nil {
				t.Fatal(err)
			}
			if tn.Name != name || tn.Description == "" || tn.TenantID == "" {
				t.Errorf("name %q, description %q, tenant_id %q", tn.Name, tn.Description, tn.TenantID)
			}
			// The auditor everywhere, with its credential.
			app := tn.Application(AuditorClientID)
			if app == nil {
				t.Fatal("no auditor application")
			}
			if app["clientSecret"] != AuditorClientSecret || !reflect.DeepEqual(scopeNames(app), []string{"admin"}) {
				t.Errorf("auditor application: secret %v, scopes %v", app["clientSecret"], scopeNames(app))
			}
			if len(tn.Credentials) == 0 || tn.Credentials[0].ClientID != AuditorClientID || tn.Credentials[0].ClientSecret != AuditorClientSecret {
				t.Errorf("credentials: %+v", tn.Credentials)
			}
			// Halo's system applications and the Administrator role.
			system := 0
			for _, a := range tn.Applications {
				if b, _ := AsBool(a["_issystem"]); b {
					system++
				}
			}
			if system == 0 {
				t.Error("no system application")
			}
			if tn.Role("Administrator") == nil {
				t.Error("no Administrator role")
			}
			// Every secret is marked; there is at least one of each kind.
			secrets := tn.Secrets()
			for _, want := range []string{AuditorClientSecret, "SECRET-agent-2-password", "TOKEN-agent-2-new-access", "SECRET-control-xero-client-secret"} {
				if !slices.Contains(secrets, want) {
					t.Errorf("Secrets lacks %s", want)
				}
			}
			// A parse → marshal → parse round trip keeps the tenant.
			data, err := tn.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseTenant(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tn) {
				t.Error("round trip changed the tenant")
			}
		})
	}
}

func claimsOf(obj map[string]any) map[string]string {
	out := map[string]string{}
	list, _ := obj["claims"].([]any)
	for _, c := range list {
		m := c.(map[string]any)
		out[m["type"].(string)] = m["value"].(string)
	}
	return out
}

func requireClaims(t *testing.T, what string, got map[string]string, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: claim %s = %q, want %q", what, k, got[k], v)
		}
	}
}

func agentRoleNames(a map[string]any) []string {
	var out []string
	for _, r := range a["roles"].([]any) {
		out = append(out, r.(map[string]any)["name"].(string))
	}
	return out
}

func TestFixtureStories(t *testing.T) {
	t.Run("empty", func(t *testing.T) {
		tn := MustFixture(FixtureEmpty)
		if len(tn.Roles) != 1 || len(tn.Agents) != 1 {
			t.Errorf("%d roles, %d agents", len(tn.Roles), len(tn.Agents))
		}
		for _, a := range tn.Applications {
			if sys, _ := AsBool(a["_issystem"]); !sys && a["clientId"] != AuditorClientID {
				t.Errorf("unexpected application %v", a["displayName"])
			}
		}
	})
	t.Run("cove-exact", func(t *testing.T) {
		tn := MustFixture(FixtureCoveExact)
		r := tn.Role("Cove-Role")
		requireClaims(t, "Cove-Role", claimsOf(r), map[string]string{"Tx": "2", "Ux": "2", "l6": "1", "l9": "1", "SA": "false", "Fx": "0"})
		if d, _ := r["departments"].([]any); len(d) == 0 {
			t.Error("Cove-Role has no departments")
		}
		app := findApp(tn, "Cove-HaloPSA")
		if app["inactive"] != false || app["grant_type"] != "client_credentials" {
			t.Errorf("Cove-HaloPSA: %v", app)
		}
		if n, _ := AsInt(app["loginas_agent_id"]); n != 0 {
			t.Errorf("loginas_agent_id %d", n)
		}
		if !reflect.DeepEqual(scopeNames(app), []string{"edit:tickets", "read:customers"}) {
			t.Errorf("scopes %v", scopeNames(app))
		}
		if !hasCategory(tn, 1, "Cove Data Protection") {
			t.Error("no Cove Data Protection category")
		}
	})
	t.Run("timezest-admin", func(t *testing.T) {
		tn := MustFixture(FixtureTimeZestAdmin)
		requireClaims(t, "TimeZest", claimsOf(tn.Role("TimeZest")), map[string]string{
			"SA": "true", "Tx": "2", "Ux": "3", "Fx": "3", "Ax": "2", "Ox": "2", "l6": "1", "l9": "1", "l8": "1", "l7": "1", "le": "1",
			"lb": "3", "lg": "2", "lz": "3", "lr": "3", "Ft": "1", "Fc": "1",
		})
		ag := tn.Agent(10)
		if ag["name"] != "TimeZest API" || ag["isapiagent"] != true || !reflect.DeepEqual(agentRoleNames(ag), []string{"TimeZest", "Administrator"}) {
			t.Errorf("agent: %v", ag)
		}
		app := findApp(tn, "TimeZest")
		if n, _ := AsInt(app["loginas_agent_id"]); n != 10 || !reflect.DeepEqual(scopeNames(app), []string{"all"}) {
			t.Errorf("application: %v", app)
		}
		if tn.ControlObject()["force_accounts_id"] != false {
			t.Error("force_accounts_id")
		}
	})
	t.Run("gradient-split", func(t *testing.T) {
		tn := MustFixture(FixtureGradientSplit)
		ag := tn.Agent(20)
		if ag["name"] != "MSPCentric" || ag["isapiagent"] != true || len(agentRoleNames(ag)) != 2 {
			t.Fatalf("agent: %v", ag)
		}
		requireClaims(t, "agent's own claims", claimsOf(ag), map[string]string{"SA": "true"})
		eff := map[string]string{}
		for _, name := range agentRoleNames(ag) {
			for k, v := range claimsOf(tn.Role(name)) {
				if v != "0" && v != "false" {
					eff[k] = v
				}
			}
			if c := claimsOf(tn.Role(name)); c["Ux"] == "2" && c["Tx"] == "2" {
				t.Errorf("role %s alone meets the minimum", name)
			}
		}
		requireClaims(t, "roles together", eff, map[string]string{"Ux": "2", "Ix": "3", "Xx": "2", "Cx": "2", "Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1"})
		if _, ok := eff["SA"]; ok {
			t.Error("a role is an administrator; only the agent's own claims should be")
		}
		if len(scopeNames(findApp(tn, "MSPCentric"))) != 9 {
			t.Error("MSPCentric should have the nine scopes")
		}
	})
	t.Run("sample", func(t *testing.T) {
		tn := MustFixture(FixtureSample)
		if len(tn.Roles) < 12 || len(tn.Agents) < 12 {
			t.Errorf("%d roles, %d agents", len(tn.Roles), len(tn.Agents))
		}
		requireClaims(t, "TimeZest", claimsOf(tn.Role("TimeZest")), map[string]string{"SA": "true"})
		if tz := findApp(tn, "TimeZest"); tz == nil {
			t.Error("no TimeZest application")
		}
		if hasCategory(tn, 1, "Cove Data Protection") {
			t.Error("the sample's Cove category should be missing")
		}
		if got := scopeNames(findApp(tn, "Cove-HaloPSA")); reflect.DeepEqual(got, []string{"edit:tickets", "read:customers"}) {
			t.Error("the sample's Cove scopes should be wrong")
		}
		legacy := findApp(tn, "Legacy RMM Sync")
		n, _ := AsInt(legacy["loginas_agent_id"])
		if !slices.Contains(agentRoleNames(tn.Agent(n)), "Administrator") || !slices.Contains(scopeNames(legacy), "all") {
			t.Error("the legacy application should have all and log in as an administrator")
		}
		pbi := findApp(tn, "Power BI Export")
		n, _ = AsInt(pbi["loginas_agent_id"])
		if tn.Agent(n)["isdisabled"] != true {
			t.Error("Power BI Export should log in as a disabled agent")
		}
		requireClaims(t, "MSPCentric", claimsOf(tn.Role("MSPCentric")), map[string]string{"Ux": "2", "Ix": "3", "Xx": "2", "Cx": "2", "Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1", "SA": "false"})
	})
}

func findApp(tn *Tenant, name string) map[string]any {
	for _, a := range tn.Applications {
		if a["displayName"] == name {
			return a
		}
	}
	return nil
}

func hasCategory(tn *Tenant, typeID int, value string) bool {
	for _, c := range tn.Categories {
		if n, _ := AsInt(c["type_id"]); n == typeID && strings.EqualFold(c["value"].(string), value) {
			return true
		}
	}
	return false
}

func TestParseTenantRejects(t *testing.T) {
	wants := map[string]string{
		"invalid-agent-id.json":         "agents[0]: id must be an integer",
		"invalid-unmarked-secret.json":  "applications[0].clientSecret: a secret-looking value must contain a secret marker",
		"invalid-unknown-field.json":    `unknown field "tickets"`,
		"invalid-duplicate-role.json":   "roles[1]: duplicate id",
		"invalid-credential-scope.json": `unknown scope "read:everything"`,
		"invalid-truncated.json":        "unexpected EOF",
	}
	files, err := filepath.Glob("testdata/invalid-*.json")
	if err != nil || len(files) != len(wants) {
		t.Fatalf("invalid fixtures: %v %v", files, err)
	}
	for _, f := range files {
		want, ok := wants[filepath.Base(f)]
		if !ok {
			t.Errorf("%s: no expectation", f)
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ParseTenant(data)
		if err == nil {
			t.Errorf("%s: accepted", f)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %q does not mention %q", f, err, want)
		}
	}
	if _, err := Fixture("nope"); err == nil {
		t.Error("Fixture(nope) succeeded")
	}
}

func TestGenerate(t *testing.T) {
	spec := GenerateSpec{Seed: 42, Roles: 40, Agents: 100, Applications: 12}
	a, b := Generate(spec), Generate(spec)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Error("Generate is not deterministic")
	}
	if c, _ := json.Marshal(Generate(GenerateSpec{Seed: 43, Roles: 40, Agents: 100, Applications: 12})); string(c) == string(ja) {
		t.Error("the seed changes nothing")
	}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(a.Roles) != 40+4 || len(a.Agents) != 100+3 || len(a.Applications) != 12+7 {
		t.Errorf("%d roles, %d agents, %d applications", len(a.Roles), len(a.Agents), len(a.Applications))
	}
	for _, r := range a.Roles {
		if n := len(r["claims"].([]any)); n < 65 {
			t.Errorf("role %v has %d claims", r["name"], n)
		}
	}
	for _, want := range []string{"MSPCentric", "TimeZest", "Cove-HaloPSA", "halolint auditor"} {
		if findApp(a, want) == nil {
			t.Errorf("no %s application", want)
		}
	}
	// It serves.
	data, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTenant(data); err != nil {
		t.Fatal(err)
	}
}

func TestNoUnmarkedSecretInFixtures(t *testing.T) {
	// Every value of a secret-looking field is marked (Validate), so a
	// leak test can search for the markers alone.
	for _, name := range FixtureNames() {
		tn := MustFixture(name)
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if s, ok := x.(string); ok && s != "" && SecretLikeKey(k) && !hasMarker(s) {
						t.Errorf("%s: %s = %q is not marked", name, k, s)
					}
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		for _, list := range [][]map[string]any{tn.Roles, tn.Agents, tn.Applications, tn.Categories, {tn.ControlObject()}} {
			for _, o := range list {
				walk(o)
			}
		}
	}
}

// scopeNames reads an application's scopes: [{"name": ...}] or strings.
func scopeNames(app map[string]any) []string {
	var out []string
	list, _ := app["scopes"].([]any)
	for _, x := range list {
		switch x := x.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if n, ok := x["name"].(string); ok {
				out = append(out, n)
			}
		}
	}
	return out
}
