package vocabulary_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/halolint/halolint/internal/schematest"
	"github.com/halolint/halolint/internal/vocabulary"
	"github.com/halolint/halolint/policies"
	"gopkg.in/yaml.v3"
)

func builtin(t *testing.T) *vocabulary.Vocabulary {
	t.Helper()
	v, err := vocabulary.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLookups(t *testing.T) {
	t.Parallel()
	v := builtin(t)
	sec, ok := v.Section("  feature access PERMISSIONS ")
	if !ok || sec.Name != "Feature Access" {
		t.Fatalf("Section(alias) = %v, %v", sec, ok)
	}
	p, wording, ok := sec.Permission("clients access level")
	if !ok || p.Code != "Ux" || p.Slug != "customers-access" || wording != "Clients Access Level" {
		t.Errorf("Permission(alias) = %+v, %q, %v", p, wording, ok)
	}
	if val, ok := p.Value("read only"); !ok || val.Raw != "2" || val.Rank != 2 {
		t.Errorf("Value(read only) = %+v, %v", val, ok)
	}
	if _, _, ok := sec.Permission("Can add new Tickets"); ok {
		t.Error("a label is found in another section")
	}
	// A larger number is not always more access.
	hx, _ := v.Code("Hx")
	ro, _ := hx.Value("Read Only")
	own, _ := hx.Value("Read and Modify (Own)")
	if ro.Raw != "3" || own.Raw != "1" || ro.Rank >= own.Rank {
		t.Errorf("timesheets: Read Only %+v, Own %+v", ro, own)
	}
	for _, in := range []string{"Read: Customers", "READ:customers", " read : customers "} {
		if s, ok := v.Scope(in); !ok || s != "read:customers" {
			t.Errorf("Scope(%q) = %q, %v", in, s, ok)
		}
	}
	if s, ok := v.Scope("All:Standard"); !ok || s != "all:standard" {
		t.Errorf("Scope(All:Standard) = %q, %v", s, ok)
	}
	if _, ok := v.Scope("read:everything"); ok {
		t.Error("an unknown scope is known")
	}
	flag, _ := v.Code("l6")
	for _, yes := range []string{"Yes", "true", "ticked"} {
		if val, ok := flag.Value(yes); !ok || val.Raw != "1" {
			t.Errorf("flag Value(%q) = %+v, %v", yes, val, ok)
		}
	}
	if a, ok := v.Authentication("Client ID & Secret (Services)"); !ok || a.GrantType != "client_credentials" {
		t.Errorf("Authentication = %+v, %v", a, ok)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	labels := []string{"Tickets Access Level", "Items Access Level", "Assets Access Level"}
	if got := vocabulary.Suggest("Tickets Acess Level", labels); !cmp.Equal(got, []string{"Tickets Access Level"}) {
		t.Errorf("Suggest = %v", got)
	}
	if got := vocabulary.Suggest("Frobnicate", labels); len(got) != 0 {
		t.Errorf("Suggest(far) = %v, want none", got)
	}
}

func TestParseRefusesInconsistency(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"unknown scale":   "schema_version: 1\nscales: {}\nsections: [{name: S, permissions: [{label: L, code: X, slug: x, scale: nope}]}]\n",
		"code twice":      "schema_version: 1\nscales: {flag: [{raw: '0', label: 'No'}]}\nsections: [{name: S, permissions: [{label: A, code: X, slug: a, scale: flag}, {label: B, code: X, slug: b, scale: flag}]}]\n",
		"slug twice":      "schema_version: 1\nscales: {flag: [{raw: '0', label: 'No'}]}\nsections: [{name: S, permissions: [{label: A, code: X, slug: a, scale: flag}, {label: B, code: Y, slug: a, scale: flag}]}]\n",
		"label twice":     "schema_version: 1\nscales: {flag: [{raw: '0', label: 'No'}]}\nsections: [{name: S, permissions: [{label: A, code: X, slug: a, scale: flag}, {label: B, aliases: [a], code: Y, slug: b, scale: flag}]}]\n",
		"scope twice":     "schema_version: 1\nscopes: {names: [all, ALL]}\n",
		"full not scope":  "schema_version: 1\nscopes: {names: [all], full_access: [admin]}\n",
		"another version": "schema_version: 2\n",
	} {
		if _, err := vocabulary.Parse([]byte(doc)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// TestClaims is what the Rego library ranks with: every code, every value.
func TestClaims(t *testing.T) {
	t.Parallel()
	v := builtin(t)
	claims := v.Claims()
	coded := 0
	for _, p := range v.Permissions() {
		if p.Coded() {
			coded++
			if _, ok := claims[p.Code]; !ok {
				t.Errorf("no claim %s", p.Code)
			}
		}
	}
	if len(claims) != coded || coded < 40 {
		t.Errorf("%d claims for %d coded permissions", len(claims), coded)
	}
	sa, _ := claims["SA"].(map[string]any)
	if sa["kind"] != "bool" || sa["label"] != "Is a HaloPSA Administrator" {
		t.Errorf("SA = %v", sa)
	}
	values, _ := sa["values"].(map[string]any)
	if yes, _ := values["true"].(map[string]any); yes["rank"] != 1 {
		t.Errorf("SA true = %v", values["true"])
	}
}

// TestProfileSchema: the published schema is the one the vocabulary
// generates (make docs), and every built-in document validates against it.
func TestProfileSchema(t *testing.T) {
	t.Parallel()
	want, err := builtin(t).ProfileSchema()
	if err != nil {
		t.Fatal(err)
	}
	file := "../../schemas/profile.v1.json"
	got, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the vocabulary generates (%v): run make docs", file, err)
	}
	schema := schematest.Compile(t, file)
	entries, err := fs.ReadDir(policies.FS(), "profiles")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if path.Ext(e.Name()) != ".yaml" || strings.HasSuffix(e.Name(), ".cases.yaml") {
			continue
		}
		n++
		b, _ := fs.ReadFile(policies.FS(), path.Join("profiles", e.Name()))
		var doc any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(schematest.ParseJSON(t, js)); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
	}
	if n == 0 {
		t.Fatal("no built-in document")
	}
	bad := schematest.ParseJSON(t, []byte(`{"schema_version": 1, "profile": "x", "title": "X", "vendor": "X", "source": {"title": "T", "url": "https://x"}, "application": {"authentication": "A"}, "aplication": 1}`))
	if schema.Validate(bad) == nil {
		t.Error("the schema accepts an unknown key")
	}
}
