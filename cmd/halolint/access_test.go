package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/internal/schematest"
)

// The example: an application with scope all logging in as an
// agent whose role reads tickets and has no access to assets can read
// tickets and do nothing with assets.
func TestAccessScopeAllLimitedByTheLoginAgent(t *testing.T) {
	t.Parallel()
	tenant := halotest.MustFixture(halotest.FixtureSample)
	role := tenant.Role("TimeZest")
	if role == nil {
		t.Fatal("the sample has no TimeZest role")
	}
	claims, _ := role["claims"].([]any)
	for _, c := range claims {
		claim := c.(map[string]any)
		switch claim["type"] {
		case "Tx":
			claim["value"] = "1" // Read Only
		case "Dx":
			claim["value"] = "0" // No Access
		case "SA":
			claim["value"] = "false"
		}
	}
	// The agent list's is_admin follows the role's flag in HaloPSA.
	if agent := tenant.Agent(21); agent != nil {
		agent["is_admin"] = false
	}
	srv := halotest.New(tenant, halotest.Options{})
	t.Cleanup(srv.Close)
	vars := map[string]string{"HALO_URL": srv.URL, "HALO_CLIENT_ID": halotest.AuditorClientID, "HALO_CLIENT_SECRET": halotest.AuditorClientSecret}
	res := runCLI(t, vars, "access", "-o", "json")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if err := schematest.Compile(t, filepath.Join("..", "..", "schemas", "access.v1.json")).Validate(schematest.ParseJSON(t, []byte(res.stdout))); err != nil {
		t.Errorf("the access document does not match schemas/access.v1.json: %v", err)
	}
	var view audit.AccessReport
	if err := json.Unmarshal([]byte(res.stdout), &view); err != nil {
		t.Fatal(err)
	}
	for _, app := range view.Applications {
		if app.Name != "TimeZest" {
			continue
		}
		if !cmp.Equal(app.Scopes, []string{"all"}) || app.Access["tickets"] != audit.AccessRead || app.Access["assets"] != audit.AccessNone ||
			*app.Login.Agent.Administrator || app.Profile != "timezest" {
			t.Errorf("TimeZest: %+v", app)
		}
		return
	}
	t.Error("no TimeZest in the view")
}

// The demo's access view is what the README shows; its golden file
// catches any change to it.
func TestDemoAccessGolden(t *testing.T) {
	t.Parallel()
	res := runCLI(t, map[string]string{"<width>": "120"}, "demo", "access")
	if res.code != exitOK {
		t.Fatalf("exit %d, want 0: %s", res.code, res.stderr)
	}
	got := normaliseRun(res.stdout)
	golden := filepath.Join("testdata", "demo-access.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run make golden)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("demo access output changed (-want +got); run make golden if intended:\n%s", diff)
	}
	for _, app := range []string{"HaloPSA Mobile App", "HaloPSA Outlook Add-in", "Halo Integrator"} {
		if strings.Contains(got, app) {
			t.Errorf("Halo's own %s is listed", app)
		}
	}
}
