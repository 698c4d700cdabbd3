package vocabulary

import "fmt"

// The effective access levels of an area, lowest first.
const (
	LevelNone = "none"
	LevelRead = "read"
	LevelEdit = "edit"
)

// AccessMap says how an application's scopes and its login agent's
// permissions combine into what it can effectively do in each area
// (halolint access): the vocabulary's access section.
type AccessMap struct {
	// AllAreas are the scopes that allow edit in every area.
	AllAreas []string `yaml:"all_areas"`
	// ReadValues are the permission values that allow reading only; the
	// lowest value of a scale allows nothing, any other value editing.
	ReadValues []string      `yaml:"read_values"`
	Areas      []*AccessArea `yaml:"areas"`
}

// AccessArea is one area: the suffix of its scopes (read:tickets,
// edit:tickets) and the Feature Access permission that limits it.
type AccessArea struct {
	Area       string `yaml:"area"`
	Permission string `yaml:"permission"`

	// Perm is the permission, resolved.
	Perm *Permission `yaml:"-"`
}

// featureAccess is the section whose permissions limit the areas.
const featureAccess = "Feature Access"

// resolveAccess checks the access section against the rest of the file:
// every scope it names exists, every area is named once and has read and
// edit scopes, every permission is a coded Feature Access permission, and
// every read value is some scale's.
func (v *Vocabulary) resolveAccess() error {
	a := &v.AccessMap
	for _, s := range a.AllAreas {
		if _, ok := v.Scope(s); !ok {
			return fmt.Errorf("vocabulary: access: all-areas scope %q is not among the scopes", s)
		}
	}
	for _, label := range a.ReadValues {
		if !v.isValueLabel(label) {
			return fmt.Errorf("vocabulary: access: read value %q is no scale's value", label)
		}
	}
	if len(a.Areas) == 0 {
		return nil
	}
	sec, ok := v.Section(featureAccess)
	if !ok {
		return fmt.Errorf("vocabulary: access: no %s section for its permissions", featureAccess)
	}
	seen := map[string]bool{}
	for _, area := range a.Areas {
		if area.Area == "" || seen[area.Area] {
			return fmt.Errorf("vocabulary: access: area %q empty or given twice", area.Area)
		}
		seen[area.Area] = true
		for _, verb := range []string{"read", "edit"} {
			if _, ok := v.Scope(verb + ":" + area.Area); !ok {
				return fmt.Errorf("vocabulary: access: area %q has no scope %s:%s", area.Area, verb, area.Area)
			}
		}
		p, _, ok := sec.Permission(area.Permission)
		if !ok || !p.Coded() || p.Kind != KindLevel {
			return fmt.Errorf("vocabulary: access: area %q: %q is no %s access level with a known claim code", area.Area, area.Permission, featureAccess)
		}
		area.Perm = p
	}
	return nil
}

func (v *Vocabulary) isValueLabel(label string) bool {
	for _, vals := range v.Scales {
		for _, val := range vals {
			if matches(append([]string{val.Label}, val.Aliases...), label) {
				return true
			}
		}
	}
	return false
}

// Level is what one value of an area's permission allows: none for the
// scale's lowest value, read for a read value, edit for every other one.
func (m *AccessMap) Level(val Value) string {
	switch {
	case val.Rank == 0:
		return LevelNone
	case matches(m.ReadValues, val.Label):
		return LevelRead
	}
	return LevelEdit
}

// Access is the access section as the Rego library reads it:
// {"all_areas": [scope], "areas": [{"area", "permission" (its label),
// "claim" (its code), "levels": {raw value: level}}], "authentication":
// {grant_type: label}}, areas in the file's order.
func (v *Vocabulary) Access() map[string]any {
	areas := make([]any, 0, len(v.AccessMap.Areas))
	for _, a := range v.AccessMap.Areas {
		levels := make(map[string]any, len(a.Perm.Values))
		for _, val := range a.Perm.Values {
			levels[val.Raw] = v.AccessMap.Level(val)
		}
		areas = append(areas, map[string]any{
			"area":       a.Area,
			"permission": a.Perm.Label,
			"claim":      a.Perm.Code,
			"levels":     levels,
		})
	}
	all := make([]any, 0, len(v.AccessMap.AllAreas))
	for _, s := range v.AccessMap.AllAreas {
		canonical, _ := v.Scope(s)
		all = append(all, canonical)
	}
	auth := map[string]any{}
	for _, m := range v.AuthMethods {
		auth[m.GrantType] = m.Label
	}
	return map[string]any{"all_areas": all, "areas": areas, "authentication": auth}
}
