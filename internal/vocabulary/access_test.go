package vocabulary_test

import (
	"strings"
	"testing"

	"github.com/halolint/halolint/internal/vocabulary"
)

// TestAccessLevels: what each value of an area's permission allows, on
// the scales whose order is not their numbers' and whose middle values
// differ.
func TestAccessLevels(t *testing.T) {
	t.Parallel()
	v := builtin(t)
	byArea := map[string]map[string]any{}
	for _, a := range v.Access()["areas"].([]any) {
		m := a.(map[string]any)
		byArea[m["area"].(string)] = m
	}
	for _, tt := range []struct {
		area, claim string
		levels      map[string]string
	}{
		{"tickets", "Tx", map[string]string{"0": "none", "1": "read", "2": "edit"}},
		{"customers", "Ux", map[string]string{"0": "none", "1": "read", "2": "read", "3": "edit"}},
		{"assets", "Dx", map[string]string{"0": "none", "1": "read", "2": "edit", "3": "edit"}},
		{"invoices", "Xx", map[string]string{"0": "none", "1": "read", "2": "edit", "3": "edit"}},
		{"contracts", "Cx", map[string]string{"0": "none", "1": "read", "2": "edit"}},
		// Timesheets: 3 is Read Only, 1 Read and Modify (Own).
		{"timesheets", "Hx", map[string]string{"0": "none", "3": "read", "1": "edit", "2": "edit", "4": "edit"}},
		// Read and Send sends mail: more than reading.
		{"distributionlists", "Kx", map[string]string{"0": "none", "1": "read", "2": "edit", "3": "edit"}},
	} {
		a, ok := byArea[tt.area]
		if !ok {
			t.Errorf("no area %s", tt.area)
			continue
		}
		if a["claim"] != tt.claim {
			t.Errorf("%s: claim %v, want %s", tt.area, a["claim"], tt.claim)
		}
		levels := a["levels"].(map[string]any)
		if len(levels) != len(tt.levels) {
			t.Errorf("%s: levels %v, want %v", tt.area, levels, tt.levels)
		}
		for raw, want := range tt.levels {
			if levels[raw] != want {
				t.Errorf("%s: value %s allows %v, want %s", tt.area, raw, levels[raw], want)
			}
		}
	}
	for _, s := range v.Access()["all_areas"].([]any) {
		if s != "all" && s != "all:standard" {
			t.Errorf("all-areas scope %v", s)
		}
	}
	if got := v.Access()["authentication"].(map[string]any)["client_credentials"]; got != "Client ID and Secret (Services)" {
		t.Errorf("authentication of client_credentials = %v", got)
	}
}

func TestAccessRefusesInconsistency(t *testing.T) {
	t.Parallel()
	const base = "schema_version: 1\n" +
		"scales: {access-3: [{raw: '0', label: No Access}, {raw: '1', label: Read Only}, {raw: '2', label: Read and Modify}], flag: [{raw: '0', label: 'No'}, {raw: '1', label: 'Yes'}]}\n" +
		"sections: [{name: Feature Access, permissions: [{label: Tickets Access Level, code: Tx, slug: tickets-access, scale: access-3}, {label: Can add, code: l6, slug: add, scale: flag}, {label: Uncoded Access Level, slug: uncoded, scale: access-3}]}]\n" +
		"scopes: {names: [all, read:tickets, edit:tickets, read:kb]}\n"
	if _, err := vocabulary.Parse([]byte(base + "access: {all_areas: [all], read_values: [Read Only], areas: [{area: tickets, permission: tickets access level}]}\n")); err != nil {
		t.Fatalf("a consistent access section: %v", err)
	}
	for name, access := range map[string]string{
		"unknown all-areas scope": "{all_areas: [everything]}",
		"unknown read value":      "{read_values: [Peek Only]}",
		"area twice":              "{areas: [{area: tickets, permission: Tickets Access Level}, {area: tickets, permission: Tickets Access Level}]}",
		"area without edit scope": "{areas: [{area: kb, permission: Tickets Access Level}]}",
		"unknown permission":      "{areas: [{area: tickets, permission: Tickets Acess Level}]}",
		"a flag, not a level":     "{areas: [{area: tickets, permission: Can add}]}",
		"no claim code":           "{areas: [{area: tickets, permission: Uncoded Access Level}]}",
	} {
		_, err := vocabulary.Parse([]byte(base + "access: " + access + "\n"))
		if err == nil || !strings.Contains(err.Error(), "access") {
			t.Errorf("%s: parsed (%v)", name, err)
		}
	}
}
