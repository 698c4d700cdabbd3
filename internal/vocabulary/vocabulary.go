// Package vocabulary reads HaloPSA's vocabulary (policies/vocabulary.yaml):
// the sections and permissions of a role's Permissions tab with their claim
// codes, slugs and ordered values, the global settings profiles ask for, and
// the application permission scopes. It is the one source of these words for
// the profile compiler, the Rego library (through Claims and Access) and
// the test server.
package vocabulary

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/halolint/halolint/policies"
	"gopkg.in/yaml.v3"
)

// File is the vocabulary's path inside the policies tree.
const File = "vocabulary.yaml"

// Kind is how a permission's values compare.
type Kind string

const (
	KindLevel Kind = "level" // an ordered scale of access
	KindFlag  Kind = "flag"  // 1/0
	KindBool  Kind = "bool"  // true/false (the administrator flag)
)

// Value is one value a permission takes.
type Value struct {
	Raw     string   `yaml:"raw"`
	Label   string   `yaml:"label"`
	Aliases []string `yaml:"aliases"`
	// Rank orders access: its position on the scale, lowest first.
	Rank int `yaml:"-"`
}

// Permission is one setting of the role screen. Code is "" for a setting
// whose claim code nobody public documents: a document may name it, and
// its check is manual (where to look), never a guess.
type Permission struct {
	Label   string   `yaml:"label"`
	Aliases []string `yaml:"aliases"`
	Code    string   `yaml:"code"`
	Slug    string   `yaml:"slug"`
	Scale   string   `yaml:"scale"`

	Kind    Kind     `yaml:"-"`
	Values  []Value  `yaml:"-"`
	Section *Section `yaml:"-"`
}

// Section is a group of the role screen.
type Section struct {
	Name        string        `yaml:"name"`
	Aliases     []string      `yaml:"aliases"`
	Path        string        `yaml:"path"`
	Permissions []*Permission `yaml:"permissions"`
}

// Setting is one field of the global settings.
type Setting struct {
	Label   string   `yaml:"label"`
	Aliases []string `yaml:"aliases"`
	Field   string   `yaml:"field"`
	Path    string   `yaml:"path"`
	Slug    string   `yaml:"slug"`
}

// Vocabulary is the whole file, indexed.
type Vocabulary struct {
	SchemaVersion int                `yaml:"schema_version"`
	Scales        map[string][]Value `yaml:"scales"`
	Sections      []*Section         `yaml:"sections"`
	Settings      []*Setting         `yaml:"settings"`
	AuthMethods   []*Authentication  `yaml:"authentication"`
	// Sensitive are the claim codes that reach far beyond an
	// integration's area.
	Sensitive []string `yaml:"sensitive"`
	ScopeList struct {
		FullAccess []string `yaml:"full_access"`
		Names      []string `yaml:"names"`
	} `yaml:"scopes"`
	// AccessMap is how scopes and permissions combine into effective
	// access (access.go).
	AccessMap AccessMap `yaml:"access"`

	byCode  map[string]*Permission
	byScope map[string]string // normalised -> as HaloPSA spells it
}

// Builtin reads the vocabulary shipped in the policies tree.
func Builtin() (*Vocabulary, error) { return Load(policies.FS()) }

// Load reads the vocabulary from a policies tree.
func Load(fsys fs.FS) (*Vocabulary, error) {
	b, err := fs.ReadFile(fsys, File)
	if err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	return Parse(b)
}

// Parse reads a vocabulary document and checks that it is consistent: every
// scale named exists, no code, slug, label or scope is given twice.
func Parse(b []byte) (*Vocabulary, error) {
	var v Vocabulary
	if err := yaml.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("parse vocabulary: %w", err)
	}
	if v.SchemaVersion != 1 {
		return nil, fmt.Errorf("vocabulary: schema_version %d (want 1)", v.SchemaVersion)
	}
	v.byCode = map[string]*Permission{}
	slugs := map[string]string{}
	for _, s := range v.Sections {
		labels := map[string]bool{}
		for _, p := range s.Permissions {
			vals, ok := v.Scales[p.Scale]
			if !ok || len(vals) == 0 {
				return nil, fmt.Errorf("vocabulary: permission %q: unknown scale %q", p.Label, p.Scale)
			}
			p.Section = s
			p.Values = make([]Value, len(vals))
			for i, val := range vals {
				val.Rank = i
				p.Values[i] = val
			}
			switch p.Scale {
			case "flag":
				p.Kind = KindFlag
			case "bool":
				p.Kind = KindBool
			default:
				p.Kind = KindLevel
			}
			if p.Code != "" {
				if _, dup := v.byCode[p.Code]; dup {
					return nil, fmt.Errorf("vocabulary: permission %q: code %q given twice", p.Label, p.Code)
				}
				v.byCode[p.Code] = p
			}
			if prev, dup := slugs[p.Slug]; dup || p.Slug == "" {
				return nil, fmt.Errorf("vocabulary: permission %q: slug %q empty or also %q's", p.Label, p.Slug, prev)
			}
			slugs[p.Slug] = p.Label
			for _, n := range p.names() {
				if labels[Normalize(n)] {
					return nil, fmt.Errorf("vocabulary: section %q: label %q given twice", s.Name, n)
				}
				labels[Normalize(n)] = true
			}
		}
	}
	for _, code := range v.Sensitive {
		if _, ok := v.byCode[code]; !ok {
			return nil, fmt.Errorf("vocabulary: sensitive code %q is no permission's", code)
		}
	}
	v.byScope = map[string]string{}
	for _, s := range v.ScopeList.Names {
		k := NormalizeScope(s)
		if _, dup := v.byScope[k]; dup {
			return nil, fmt.Errorf("vocabulary: scope %q given twice", s)
		}
		v.byScope[k] = s
	}
	for _, s := range v.ScopeList.FullAccess {
		if _, ok := v.byScope[NormalizeScope(s)]; !ok {
			return nil, fmt.Errorf("vocabulary: full-access scope %q is not among the scopes", s)
		}
	}
	if err := v.resolveAccess(); err != nil {
		return nil, err
	}
	return &v, nil
}

// Normalize is how labels compare: lower case, runs of spaces as one, a
// typographic apostrophe as a plain one.
func Normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "’", "'")), " "))
}

// NormalizeScope is how scopes compare: lower case, without spaces
// ("Read: Customers" is read:customers).
func NormalizeScope(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

func (p *Permission) names() []string { return append([]string{p.Label}, p.Aliases...) }

func (s *Section) names() []string { return append([]string{s.Name}, s.Aliases...) }

func (s *Setting) names() []string { return append([]string{s.Label}, s.Aliases...) }

func matches(names []string, want string) bool {
	w := Normalize(want)
	for _, n := range names {
		if Normalize(n) == w {
			return true
		}
	}
	return false
}

// Section finds a section by name or alias.
func (v *Vocabulary) Section(name string) (*Section, bool) {
	for _, s := range v.Sections {
		if matches(s.names(), name) {
			return s, true
		}
	}
	return nil, false
}

// SectionNames lists every section's name.
func (v *Vocabulary) SectionNames() []string {
	out := make([]string, len(v.Sections))
	for i, s := range v.Sections {
		out[i] = s.Name
	}
	return out
}

// Permission finds a permission of the section by label or alias, and the
// wording that matched (as the vocabulary spells it).
func (s *Section) Permission(label string) (*Permission, string, bool) {
	w := Normalize(label)
	for _, p := range s.Permissions {
		for _, n := range p.names() {
			if Normalize(n) == w {
				return p, n, true
			}
		}
	}
	return nil, "", false
}

// Labels lists the section's permission labels.
func (s *Section) Labels() []string {
	out := make([]string, len(s.Permissions))
	for i, p := range s.Permissions {
		out[i] = p.Label
	}
	return out
}

// Code finds a permission by claim code.
func (v *Vocabulary) Code(code string) (*Permission, bool) {
	p, ok := v.byCode[code]
	return p, ok
}

// Coded is true when the claim code of the permission is known.
func (p *Permission) Coded() bool { return p.Code != "" }

// Permissions lists every permission, in the order of the file.
func (v *Vocabulary) Permissions() []*Permission {
	var out []*Permission
	for _, s := range v.Sections {
		out = append(out, s.Permissions...)
	}
	return out
}

// Value finds one of the permission's values by label or alias. YAML's
// booleans arrive as "true"/"false" and match Yes/No.
func (p *Permission) Value(label string) (Value, bool) {
	w := Normalize(label)
	for _, val := range p.Values {
		if Normalize(val.Label) == w || matches(val.Aliases, label) {
			return val, true
		}
	}
	return Value{}, false
}

// ValueLabels lists the permission's value labels, lowest first.
func (p *Permission) ValueLabels() []string {
	out := make([]string, len(p.Values))
	for i, val := range p.Values {
		out[i] = val.Label
	}
	return out
}

// Top is the permission's most permissive value.
func (p *Permission) Top() Value { return p.Values[len(p.Values)-1] }

// Lowest is the value an absent claim has.
func (p *Permission) Lowest() Value { return p.Values[0] }

// Setting finds a global setting by label or alias.
func (v *Vocabulary) Setting(label string) (*Setting, bool) {
	for _, s := range v.Settings {
		if matches(s.names(), label) {
			return s, true
		}
	}
	return nil, false
}

// SettingLabels lists every setting's label.
func (v *Vocabulary) SettingLabels() []string {
	out := make([]string, len(v.Settings))
	for i, s := range v.Settings {
		out[i] = s.Label
	}
	return out
}

// Scope returns a scope as HaloPSA spells it, whatever the case and spaces
// of name.
func (v *Vocabulary) Scope(name string) (string, bool) {
	s, ok := v.byScope[NormalizeScope(name)]
	return s, ok
}

// Scopes lists every scope.
func (v *Vocabulary) Scopes() []string { return append([]string(nil), v.ScopeList.Names...) }

// FullAccess lists the scopes that give full access to the API.
func (v *Vocabulary) FullAccess() []string { return append([]string(nil), v.ScopeList.FullAccess...) }

// Suggest returns up to three of candidates nearest to word, nearest
// first, for "did you mean" messages; none when nothing is close.
func Suggest(word string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	w := Normalize(word)
	var all []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		n := Normalize(c)
		if seen[n] {
			continue
		}
		seen[n] = true
		d := levenshtein.ComputeDistance(w, n)
		if strings.Contains(n, w) || strings.Contains(w, n) {
			d = min(d, max(len(n), len(w))/3)
		}
		if d <= max(1, len(w)/3) {
			all = append(all, scored{c, d})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].d < all[j].d })
	var out []string
	for i := 0; i < len(all) && i < 3 && all[i].d <= all[0].d+1; i++ {
		out = append(out, all[i].s)
	}
	return out
}

// Claims is the claim catalog the Rego library ranks values with:
// {code: {"label", "kind", "values": {raw: {"label", "rank"}}}}.
func (v *Vocabulary) Claims() map[string]any {
	out := make(map[string]any, len(v.byCode))
	for code, p := range v.byCode { // the coded ones
		vals := make(map[string]any, len(p.Values))
		for _, val := range p.Values {
			vals[val.Raw] = map[string]any{"label": val.Label, "rank": val.Rank}
		}
		out[code] = map[string]any{"label": p.Label, "kind": string(p.Kind), "values": vals}
	}
	return out
}

// Authentication is one Authentication Method of an application.
type Authentication struct {
	Label     string   `yaml:"label"`
	Aliases   []string `yaml:"aliases"`
	GrantType string   `yaml:"grant_type"`
}

// Authentication finds an authentication method by label or alias.
func (v *Vocabulary) Authentication(label string) (*Authentication, bool) {
	for _, a := range v.AuthMethods {
		if matches(append([]string{a.Label}, a.Aliases...), label) {
			return a, true
		}
	}
	return nil, false
}

// AuthenticationLabels lists every authentication method's label.
func (v *Vocabulary) AuthenticationLabels() []string {
	out := make([]string, len(v.AuthMethods))
	for i, a := range v.AuthMethods {
		out[i] = a.Label
	}
	return out
}
