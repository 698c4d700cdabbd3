package audit

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCatalogFromMetadata(t *testing.T) {
	t.Parallel()
	e := engine(t)
	want := []Profile{
		{
			Name: "base", Title: "Baseline (test)", Vendor: "halolint",
			Description: "Tenant-wide checks for the engine's tests.", Builtin: true,
			Checks: []Check{
				{ID: "base.application.active", Profile: "base", Title: "Applications are active", Object: ObjectApplication, Severity: SeverityMedium, Remediation: "Tick Active on the application.", Source: "test-apps.txt"},
				{ID: "base.role.named", Profile: "base", Title: "Every role has a name", Description: "A role without a name cannot be told apart in the UI.", Object: ObjectRole, Severity: SeverityLow, Remediation: "Configuration > Teams & Agents > Roles > (the role) > Name", Source: "test-roles.txt", RelatedResources: []string{"https://example.com/roles"}},
				{ID: "base.setting.control", Profile: "base", Title: "Control can be read", Object: ObjectSetting, Severity: SeverityInfo, Remediation: "Grant the auditor read access to the configuration.", Source: "test-control.txt"},
			},
		},
		{
			Name: "dual-name", Title: "Dual Name (test)", Vendor: "Dual Inc.", Source: "dual.txt",
			Description: "A vendor profile whose name has a dash.", Builtin: true,
			Keywords: []string{"dual", "twofold"},
			Checks: []Check{
				{ID: "dual-name.application.exists", Profile: "dual-name", Title: "The Dual application exists", Object: ObjectApplication, Severity: SeverityHigh, Remediation: "Create an application named Dual.", Source: "dual.txt"},
				{ID: "dual-name.category.present", Profile: "dual-name", Title: "The Dual category is set up", Object: ObjectCategory, Severity: SeverityLow, Remediation: "Add the Dual category.", Source: "dual.txt"},
			},
		},
		{
			Name: "extra", Title: "Extra (custom)", Vendor: "Someone", Source: "extra.txt",
			Checks: []Check{
				{ID: "extra.agent.api", Profile: "extra", Title: "Agents are API-only", Object: ObjectAgent, Severity: SeverityCritical, Remediation: "Tick API-only.", Source: "extra.txt"},
				{ID: "extra.tenant.silent", Profile: "extra", Title: "Never answers", Object: ObjectTenant, Severity: SeverityLow, Remediation: "Nothing.", Source: "extra.txt"},
			},
		},
	}
	if diff := cmp.Diff(want, e.Profiles()); diff != "" {
		t.Errorf("Profiles() mismatch (-want +got):\n%s", diff)
	}

	p, ok := e.Profile("dual-name")
	if !ok || p.Title != "Dual Name (test)" {
		t.Errorf("Profile(dual-name) = %v, %v", p.Title, ok)
	}
	if _, ok := e.Profile("dual_name"); ok {
		t.Error("Profile(dual_name) found: profile names use dashes")
	}

	// The catalog handed out is a copy: changing it changes nothing inside.
	ps := e.Profiles()
	ps[0].Checks[0].Title = "changed"
	if e.Profiles()[0].Checks[0].Title == "changed" {
		t.Error("Profiles() returned the engine's own slice")
	}
}

func TestNewRefusesBadPolicies(t *testing.T) {
	t.Parallel()
	rule := func(body string) string {
		return profileHeader("bad") + checkMeta("bad.role.x") + body
	}
	tests := []struct {
		name  string
		files map[string]string
		// want is the start of the error (file:line: message), or a
		// substring when it does not start with the temp dir.
		want string
	}{
		{
			name:  "http.send",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := http.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n}\n")},
			want:  "bad.rego:18: builtin http.send is not allowed: halolint policies run without network or non-deterministic builtins",
		},
		{
			name:  "net.lookup_ip_addr",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := net.lookup_ip_addr(\"example.com\")\n}\n")},
			want:  "builtin net.lookup_ip_addr is not allowed",
		},
		{
			name:  "time.now_ns",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := time.now_ns()\n}\n")},
			want:  "builtin time.now_ns is not allowed",
		},
		{
			name:  "rand.intn",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := rand.intn(\"x\", 10)\n}\n")},
			want:  "builtin rand.intn is not allowed",
		},
		{
			name:  "uuid.rfc4122",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := uuid.rfc4122(\"x\")\n}\n")},
			want:  "builtin uuid.rfc4122 is not allowed",
		},
		{
			name:  "opa.runtime",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := opa.runtime()\n}\n")},
			want:  "builtin opa.runtime is not allowed",
		},
		{
			name:  "syntax error",
			files: map[string]string{"lib/broken.rego": "package halolint.lib.broken\n\nx := {\n\ny := 1\n"},
			want:  "lib/broken.rego:5: ",
		},
		{
			name: "two files with errors",
			files: map[string]string{
				"a.rego": "package halolint.lib.a\n\nx := [\n",
				"b.rego": "package halolint.lib.b\n\ny if {\n",
			},
			want: "a.rego:4: ",
		},
		{
			name:  "type error",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := concat(1, 2)\n}\n")},
			want:  "bad.rego:18: concat: invalid argument(s)",
		},
		{
			name:  "undefined function",
			files: map[string]string{"bad.rego": rule("results contains r if {\n\tr := nosuch.fn(1)\n}\n")},
			want:  "bad.rego:18: undefined function nosuch.fn",
		},
		{
			name:  "missing severity",
			files: map[string]string{"bad.rego": profileHeader("bad") + strings.Replace(checkMeta("bad.role.x"), "#   severity: low\n", "", 1) + "results contains 1\n"},
			want:  "bad.rego:9: check bad.role.x: METADATA has no custom.severity",
		},
		{
			name:  "missing title",
			files: map[string]string{"bad.rego": profileHeader("bad") + strings.Replace(checkMeta("bad.role.x"), "# title: bad.role.x\n", "", 1) + "results contains 1\n"},
			want:  "check bad.role.x: METADATA has no title",
		},
		{
			name:  "bad object",
			files: map[string]string{"bad.rego": profileHeader("bad") + strings.Replace(checkMeta("bad.role.x"), "object: role", "object: ticket", 1) + "results contains 1\n"},
			want:  `check bad.role.x: custom.object "ticket" is not one of`,
		},
		{
			name:  "bad severity",
			files: map[string]string{"bad.rego": profileHeader("bad") + strings.Replace(checkMeta("bad.role.x"), "severity: low", "severity: huge", 1) + "results contains 1\n"},
			want:  `check bad.role.x: custom.severity "huge" is not one of`,
		},
		{
			name:  "id without profile prefix",
			files: map[string]string{"bad.rego": profileHeader("bad") + checkMeta("other.role.x") + "results contains 1\n"},
			want:  `check other.role.x: ID must start with its profile name "bad."`,
		},
		{
			name:  "duplicate id",
			files: map[string]string{"bad.rego": profileHeader("bad") + checkMeta("bad.role.x") + "results contains 1\n\n" + checkMeta("bad.role.x") + "results contains 2\n"},
			want:  "check bad.role.x: duplicate ID (first declared at",
		},
		{
			name:  "id already used by a built-in profile",
			files: map[string]string{"bad.rego": "package halolint.profiles.base\n\n" + checkMeta("base.role.named") + "results contains 1\n"},
			want:  "check base.role.named: duplicate ID",
		},
		{
			name:  "no package metadata",
			files: map[string]string{"bad.rego": "package halolint.profiles.bad\n\n" + checkMeta("bad.role.x") + "results contains 1\n"},
			want:  "profile bad: package halolint.profiles.bad has no package METADATA with a title",
		},
		{
			name:  "check outside a profile",
			files: map[string]string{"bad.rego": "package halolint.lib.bad\n\n" + checkMeta("bad.role.x") + "results contains 1\n"},
			want:  "check bad.role.x: declared on data.halolint.lib.bad.results, outside a halolint.profiles.<name> package",
		},
		{
			name:  "profile without checks",
			files: map[string]string{"bad.rego": profileHeader("bad") + "results := set()\n"},
			want:  "profile bad declares no check",
		},
		{
			name:  "reserved name",
			files: map[string]string{"bad.rego": profileHeader("all") + checkMeta("all.role.x") + "results contains 1\n"},
			want:  `profile name "all" is reserved`,
		},
		{
			name:  "empty directory",
			files: map[string]string{"README.md": "nothing here\n"},
			want:  "policy directory holds no .rego file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeFiles(t, tt.files)
			opts := testBuiltin()
			opts.PolicyDirs = []string{dir}
			_, err := New(context.Background(), opts)
			var pe *PolicyError
			if !errors.As(err, &pe) {
				t.Fatalf("New: err = %v (%T), want *PolicyError", err, err)
			}
			msg := strings.TrimPrefix(err.Error(), dir+"/")
			if !strings.HasPrefix(msg, tt.want) && !strings.Contains(msg, tt.want) {
				t.Errorf("New: err =\n  %s\nwant it to contain\n  %s", msg, tt.want)
			}
		})
	}
}

func TestNewErrorCountsTheRest(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"a.rego": "package halolint.lib.a\n\nx := [\n",
		"b.rego": "package halolint.lib.b\n\ny if {\n",
	})
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err == nil || !regexp.MustCompile(`^/.*/a\.rego:\d+: .* \(and \d+ more\)$`).MatchString(err.Error()) {
		t.Errorf("New: err = %v, want a.rego's first error and the count of the rest", err)
	}
}

func TestNewWithoutEntryPoint(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{"bad.rego": profileHeader("bad") + checkMeta("bad.role.x") + "results contains 1\n"})
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	var pe *PolicyError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "package halolint.main must define selected and results") {
		t.Errorf("New: err = %v, want a PolicyError about halolint.main", err)
	}
}

func TestNewMissingDirectory(t *testing.T) {
	t.Parallel()
	_, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/does-not-exist"}})
	var pe *PolicyError
	if !errors.As(err, &pe) || err.Error() != "testdata/does-not-exist: policy directory does not exist" {
		t.Errorf("New: err = %v", err)
	}
}

func TestNewSkipsTestFiles(t *testing.T) {
	t.Parallel()
	// A _test.rego file that does not even compile must not stop an
	// audit: tests are for verify.
	dir := writeFiles(t, map[string]string{
		"ok.rego":      profileHeader("ok") + checkMeta("ok.role.x") + "results contains {\"check\": \"ok.role.x\"}\n",
		"ok_test.rego": "package halolint.profiles.ok_test\n\ntest_x if {\n",
	})
	opts := testBuiltin()
	opts.PolicyDirs = []string{dir}
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	p, ok := e.Profile("ok")
	if !ok || p.Builtin {
		t.Errorf("Profile(ok) = %+v, %v; want a custom profile", p, ok)
	}
}
