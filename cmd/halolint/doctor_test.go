package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/internal/sampleserver"
)

var loopbackHost = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// doctorLines are the step lines of doctor's output, by step name.
func doctorLines(out string) map[string]string {
	lines := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 6 && line[4:6] == "  " {
			name := strings.TrimSpace(line[6:min(len(line), 25)])
			lines[name] = line
		}
	}
	return lines
}

// wantPolite asserts that doctor sent at most halo.DiagnoseRequests
// requests, every one a GET but the token request.
func wantPolite(t *testing.T, srv *halotest.Server) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) > halo.DiagnoseRequests {
		t.Errorf("%d requests, want at most %d", len(reqs), halo.DiagnoseRequests)
	}
	for _, r := range reqs {
		if r.Method != "GET" && !(r.Method == "POST" && r.Path == "/auth/token") {
			t.Errorf("%s %s: doctor only reads", r.Method, r.Path)
		}
	}
}

// On the demo tenant every step passes but one warning (the auditor logs
// in as an administrator people use), and doctor says an audit can run.
func TestDoctorOnTheDemoTenant(t *testing.T) {
	t.Parallel()
	vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	res := runCLI(t, vars, "doctor")
	if res.code != exitOK {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	got := loopbackHost.ReplaceAllString(res.stdout, "127.0.0.1:PORT")
	golden := filepath.Join("testdata", "doctor.golden")
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
		t.Errorf("doctor output changed (-want +got); run make golden if intended:\n%s", diff)
	}
	if res.stderr != "" {
		t.Errorf("stderr: %q", res.stderr)
	}
	wantPolite(t, srv)
}

// A tenant whose roles the auditor may not read: the lists and details of
// roles fail, saying what to do; the rest is still checked; exit 3.
func TestDoctorWhenRolesAreForbidden(t *testing.T) {
	t.Parallel()
	vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{Forbidden: []string{"/api/roles", "/api/roles/*"}})
	res := runCLI(t, vars, "doctor")
	if res.code != exitNoAudit {
		t.Errorf("exit %d, want 3", res.code)
	}
	lines := doctorLines(res.stdout)
	for _, step := range []string{"roles", "role details"} {
		if l := lines[step]; !strings.HasPrefix(l, "fail") || !strings.Contains(l, "403 Forbidden") || !strings.Contains(l, "Fix: the auditor may not read") {
			t.Errorf("%s: %q", step, l)
		}
	}
	for _, step := range []string{"token", "agents", "applications", "categories", "control", "application details"} {
		if l := lines[step]; !strings.HasPrefix(l, "ok") {
			t.Errorf("%s: %q, want ok", step, l)
		}
	}
	if !strings.Contains(res.stdout, "\nAn audit cannot run (10 requests sent): fix the problems marked fail") {
		t.Errorf("no conclusion:\n%s", res.stdout)
	}
	wantPolite(t, srv)
}

// Bad credentials: the token step fails with the server's reason and what
// to check; nothing else is asked, and the secret is never printed.
func TestDoctorWithBadCredentials(t *testing.T) {
	t.Parallel()
	vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	vars["HALO_CLIENT_SECRET"] = "SECRET-wrong-one"
	res := runCLI(t, vars, "doctor")
	if res.code != exitNoAudit {
		t.Errorf("exit %d, want 3", res.code)
	}
	token := doctorLines(res.stdout)["token"]
	if !strings.HasPrefix(token, "fail") || !strings.Contains(token, "invalid_client") || !strings.Contains(token, "Fix: check HALO_CLIENT_ID and the client secret; on an instance Halo hosts, also set HALO_TENANT") {
		t.Errorf("token: %q", token)
	}
	if strings.Contains(res.stdout+res.stderr, "SECRET-") {
		t.Error("the secret was printed")
	}
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/api/") && r.Path != "/api/authinfo" {
			t.Errorf("data requested after the token was refused: %s", r.Path)
		}
	}
	if !strings.Contains(res.stdout, "An audit cannot run (2 requests sent)") {
		t.Errorf("no conclusion:\n%s", res.stdout)
	}
}

// What looks restricted or unreadable is said: an empty roles list (a
// warning: Halo answers a restricted agent so), role details without
// claims (a failure: the audit would report error), an authorisation
// server on another host (refused, the secret not sent), nothing set.
func TestDoctorSaysWhatLooksWrong(t *testing.T) {
	t.Parallel()
	const adminRole = "48167c7f-3af6-533b-aeec-4d744d2e594b"
	noClaims := halotest.Canned{Body: []byte(`{"id": "` + adminRole + `", "name": "Administrator"}`)}
	for _, tc := range []struct {
		name  string
		opts  halotest.Options
		vars  func(t *testing.T) map[string]string
		code  int
		step  string
		want  string
		other string
	}{
		{name: "roles empty", opts: halotest.Options{EmptyLists: []string{halotest.ListRoles}}, code: exitOK,
			step: "roles", want: `^warn  roles .*: empty\. Fix: Halo answers an agent that may not see roles with an empty list rather than 403`},
		{name: "role details without claims", opts: halotest.Options{Canned: map[string]halotest.Canned{"/api/roles/" + adminRole: noClaims}}, code: exitNoAudit,
			step: "role details", want: `^fail  role details +role "Administrator": the details carry no "claims" field.*Fix: the server ignored includedetails=true`},
		{name: "authorisation server elsewhere", vars: func(t *testing.T) map[string]string { v, _, _ := authinfoElsewhere(t); return v }, code: exitNoAudit,
			step: "discovery", want: `^fail  discovery .*neither the instance's own host.*Fix: set HALO_AUTH_URL`, other: "token"},
		{name: "nothing set", vars: func(*testing.T) map[string]string { return map[string]string{} }, code: exitUsage,
			step: "connection", want: `^fail  connection +HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET: not set\. Fix: export HALO_URL=https://`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var vars map[string]string
			if tc.vars != nil {
				vars = tc.vars(t)
			} else {
				vars, _ = serveFixture(t, halotest.FixtureSample, tc.opts)
			}
			res := runCLI(t, vars, "doctor")
			if res.code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", res.code, tc.code, res.stdout)
			}
			lines := doctorLines(res.stdout)
			if !regexp.MustCompile(tc.want).MatchString(lines[tc.step]) {
				t.Errorf("%s: %q does not match %q", tc.step, lines[tc.step], tc.want)
			}
			if tc.other != "" && !strings.HasPrefix(lines[tc.other], "skip") {
				t.Errorf("%s: %q, want skip", tc.other, lines[tc.other])
			}
		})
	}
}

// --shapes writes every answer's shape: field names and JSON types. No
// value of the tenant is in it: not as a value, not as a key.
func TestDoctorShapesHoldNoValue(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	file := filepath.Join(t.TempDir(), "shapes.json")
	res := runCLI(t, vars, "doctor", "--shapes", file)
	if res.code != exitOK {
		t.Fatalf("exit %d:\n%s", res.code, res.stdout)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Kind    string `json:"kind"`
		Answers []struct {
			Request string          `json:"request"`
			Status  int             `json:"status"`
			Shape   json.RawMessage `json:"shape"`
		} `json:"answers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Kind != "shapes" || len(doc.Answers) != 9 {
		t.Errorf("kind %q, %d answers, want shapes and 9 (every answer but the token's)", doc.Kind, len(doc.Answers))
	}
	keys, values := tenantStrings(halotest.MustFixture(halotest.FixtureSample))
	typeNames := []string{"array", "boolean", "null", "number", "object", "string"}
	seen := map[string]bool{}
	for _, a := range doc.Answers {
		if strings.Contains(a.Request, "127.0.0.1") || regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-`).MatchString(a.Request) {
			t.Errorf("request %q names the instance or an id", a.Request)
		}
		var shape any
		if err := json.Unmarshal(a.Shape, &shape); err != nil {
			t.Fatal(err)
		}
		walkShape(shape, func(field string) {
			seen[field] = true
			if !keys[field] && field != "(key)" && !slices.Contains([]string{"auth_url", "tenant_id", "record_count", "page_no", "page_size", "roles", "agents", "applications", "categories"}, field) {
				t.Errorf("%s: field %q is not a field of the tenant", a.Request, field)
			}
		}, func(typ string) {
			if !slices.Contains(typeNames, typ) {
				t.Errorf("%s: type %q", a.Request, typ)
			}
		})
	}
	for _, f := range []string{"auth_url", "claims", "displayName", "clientSecret", "scopes", "force_accounts_id", "isapiagent"} {
		if !seen[f] {
			t.Errorf("no answer's shape has the field %q", f)
		}
	}
	for v := range values {
		if len(v) >= 4 && !keys[v] && strings.Contains(string(data), `"`+v+`"`) {
			t.Errorf("the value %q is in the shapes", v)
		}
	}
	if strings.Contains(string(data), "SECRET-") || strings.Contains(string(data), "TOKEN-") {
		t.Error("a secret is in the shapes")
	}
}

// walkShape calls field for every property name and typ for every type
// name of a shape as written.
func walkShape(v any, field func(string), typ func(string)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	switch t := m["type"].(type) {
	case string:
		typ(t)
	case []any:
		for _, x := range t {
			s, _ := x.(string)
			typ(s)
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for k, p := range props {
			field(k)
			walkShape(p, field, typ)
		}
	}
	walkShape(m["items"], field, typ)
}

// tenantStrings are every key and every string value of a tenant's
// objects.
func tenantStrings(t *halotest.Tenant) (keys, values map[string]bool) {
	keys, values = map[string]bool{}, map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				keys[k] = true
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			values[x] = true
		}
	}
	for _, list := range [][]map[string]any{t.Roles, t.Agents, t.Applications, t.Categories, {t.Control}} {
		for _, o := range list {
			walk(o)
		}
	}
	// /api/Control answers a built-in set of settings beside the tenant's.
	for k := range (*sampleserver.Tenant)(t).ControlObject() {
		keys[k] = true
	}
	return keys, values
}
