package audit

import (
	"strings"
	"testing"

	"github.com/halolint/halolint/halo"
)

func TestShortName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 100)
	for _, tt := range []struct{ name, id, want string }{
		{"Cove-HaloPSA", "5c1e", "Cove-HaloPSA"},
		{strings.Repeat("a", MaxNameRunes), "1", strings.Repeat("a", MaxNameRunes)},
		{long, "5c1e", strings.Repeat("é", 48) + "… (100 characters, id 5c1e)"},
		{long, "", strings.Repeat("é", 48) + "… (100 characters)"},
		{long, strings.Repeat("9", 50), strings.Repeat("é", 48) + "… (100 characters, id " + strings.Repeat("9", 40) + "…)"},
	} {
		if got := ShortName(tt.name, tt.id); got != tt.want {
			t.Errorf("ShortName(%.20q, %q) = %q, want %q", tt.name, tt.id, got, tt.want)
		}
	}
}

// The prose of the results quotes a long name short, in either form a
// policy writes it (as it is, or escaped by %q), the longest first so
// that a long name holding another is replaced whole; object.name stays
// exact.
func TestShortenLongNames(t *testing.T) {
	t.Parallel()
	app := "Sync \"" + strings.Repeat("x", 100) + "\""
	role := app + " role"
	snap := &halo.Snapshot{
		Applications: []halo.Application{{ID: "a-1", DisplayName: app}},
		Roles:        []halo.Role{{ID: "r-1", Name: role}},
	}
	escaped := strings.ReplaceAll(app, `"`, `\"`)
	results := []Result{{
		Object:      Object{Type: ObjectApplication, ID: "a-1", Name: app},
		Message:     "application " + app + " and role " + role,
		Remediation: "Applications > \"" + escaped + "\" > Permissions",
		Expected:    []string{role},
		Actual:      app,
	}}
	shortenLongNames(results, snap)
	r := results[0]
	if r.Object.Name != app {
		t.Errorf("object.name changed: %q", r.Object.Name)
	}
	wantMessage := "application " + ShortName(app, "a-1") + " and role " + ShortName(role, "r-1")
	if r.Message != wantMessage {
		t.Errorf("message %q, want %q", r.Message, wantMessage)
	}
	if !strings.Contains(r.Remediation, ShortName(app, "a-1")) || strings.Contains(r.Remediation, strings.Repeat("x", 60)) {
		t.Errorf("remediation %q", r.Remediation)
	}
	if got := r.Expected.([]string)[0]; got != ShortName(role, "r-1") {
		t.Errorf("expected %q", got)
	}
	if r.Actual != ShortName(app, "a-1") {
		t.Errorf("actual %q", r.Actual)
	}
}
