package audit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// profilesRootLen is the length of the ref data.halolint.profiles.
const profilesRootLen = 3

// profileOf returns the profile name a data ref belongs to: the segment
// after data.halolint.profiles, with "_" written back as "-".
func profileOf(path ast.Ref) (string, bool) {
	root := ast.Ref{ast.DefaultRootDocument, ast.StringTerm("halolint"), ast.StringTerm("profiles")}
	if len(path) <= profilesRootLen || !path.HasPrefix(root) {
		return "", false
	}
	seg, ok := path[profilesRootLen].Value.(ast.String)
	if !ok {
		return "", false
	}
	return strings.ReplaceAll(string(seg), "_", "-"), true
}

// catalogBuilder gathers profiles and problems while walking METADATA, so
// that one run reports every problem at once.
type catalogBuilder struct {
	profiles map[string]*Profile
	packaged map[string]bool // profiles with package METADATA
	ids      map[string]*ast.Location
	problems []Problem
}

func (b *catalogBuilder) problem(loc *ast.Location, format string, args ...any) {
	p := Problem{Message: fmt.Sprintf(format, args...)}
	if loc != nil {
		p.File, p.Line = loc.File, loc.Row
	}
	b.problems = append(b.problems, p)
}

func (b *catalogBuilder) profile(name string) *Profile {
	p, ok := b.profiles[name]
	if !ok {
		p = &Profile{Name: name}
		b.profiles[name] = p
	}
	return p
}

// buildCatalog reads the profiles and their checks from the modules'
// METADATA (docs/policy-authoring.md): a package annotation per profile,
// a rule annotation with custom.id per check.
func buildCatalog(modules map[string]*ast.Module, annotations *ast.AnnotationSet, builtinPkgs map[string]bool) ([]Profile, error) {
	b := &catalogBuilder{profiles: map[string]*Profile{}, packaged: map[string]bool{}, ids: map[string]*ast.Location{}}

	// Every profile package must describe itself, even one without
	// checks yet, so walk the modules as well as the annotations.
	for _, m := range modules {
		name, ok := profileOf(m.Package.Path)
		if !ok {
			continue
		}
		p := b.profile(name)
		if builtinPkgs[m.Package.Path.String()] {
			p.Builtin = true
		}
	}

	for _, ar := range annotations.Flatten() {
		a := ar.Annotations
		switch a.Scope {
		case "package":
			b.addPackage(ar)
		case "rule", "document":
			if _, ok := a.Custom["id"]; ok {
				b.addCheck(ar)
			}
		}
	}

	for name, p := range b.profiles {
		if name == "all" {
			b.problem(nil, `profile name "all" is reserved: it selects every profile`)
		}
		if !b.packaged[name] {
			b.problem(nil, "profile %s: package halolint.profiles.%s has no package METADATA with a title", name, strings.ReplaceAll(name, "-", "_"))
		}
		if len(p.Checks) == 0 {
			b.problem(nil, "profile %s declares no check (no rule METADATA with custom.id)", name)
		}
	}
	if len(b.problems) > 0 {
		sort.SliceStable(b.problems, func(i, j int) bool {
			if b.problems[i].File != b.problems[j].File {
				return b.problems[i].File < b.problems[j].File
			}
			return b.problems[i].Line < b.problems[j].Line
		})
		return nil, &PolicyError{Problems: b.problems}
	}

	out := make([]Profile, 0, len(b.profiles))
	for _, p := range b.profiles {
		sort.Slice(p.Checks, func(i, j int) bool { return p.Checks[i].ID < p.Checks[j].ID })
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (b *catalogBuilder) addPackage(ar *ast.AnnotationsRef) {
	name, ok := profileOf(ar.Path)
	if !ok || len(ar.Path) != profilesRootLen+1 {
		return // halolint.main, halolint.lib.*: described for people only
	}
	a := ar.Annotations
	p := b.profile(name)
	b.packaged[name] = true
	p.Title = a.Title
	p.Description = a.Description
	p.Vendor = b.customString(a, "vendor", false)
	p.Source = b.customString(a, "source", false)
	if p.Title == "" {
		b.problem(a.Location, "profile %s: package METADATA has no title", name)
	}
}

func (b *catalogBuilder) addCheck(ar *ast.AnnotationsRef) {
	a := ar.Annotations
	id := b.customString(a, "id", true)
	if id == "" {
		return
	}
	name, ok := profileOf(ar.Path)
	if !ok {
		b.problem(a.Location, "check %s: declared on %s, outside a halolint.profiles.<name> package", id, ar.Path)
		return
	}
	if prev, dup := b.ids[id]; dup {
		b.problem(a.Location, "check %s: duplicate ID (first declared at %s)", id, prev)
		return
	}
	b.ids[id] = a.Location
	if !strings.HasPrefix(id, name+".") {
		b.problem(a.Location, "check %s: ID must start with its profile name %q", id, name+".")
	}

	chk := Check{
		ID:          id,
		Profile:     name,
		Title:       a.Title,
		Description: a.Description,
		Object:      ObjectType(b.customString(a, "object", true)),
		Severity:    Severity(b.customString(a, "severity", true)),
		Remediation: b.customString(a, "remediation", true),
		Source:      b.customString(a, "source", true),
	}
	if chk.Title == "" {
		b.problem(a.Location, "check %s: METADATA has no title", id)
	}
	if chk.Object != "" && !chk.Object.Valid() {
		b.problem(a.Location, "check %s: custom.object %q is not one of role, agent, application, category, setting, tenant", id, chk.Object)
	}
	if chk.Severity != "" && !chk.Severity.Valid() {
		b.problem(a.Location, "check %s: custom.severity %q is not one of critical, high, medium, low, info", id, chk.Severity)
	}
	for _, rr := range a.RelatedResources {
		chk.RelatedResources = append(chk.RelatedResources, rr.Ref.String())
	}
	p := b.profile(name)
	p.Checks = append(p.Checks, chk)
}

// customString reads custom.<key> as a non-empty string, recording a
// problem when it is required and missing, or not a string.
func (b *catalogBuilder) customString(a *ast.Annotations, key string, required bool) string {
	v, ok := a.Custom[key]
	what := "profile"
	if id, isStr := a.Custom["id"].(string); isStr && id != "" {
		what = "check " + id
	}
	if !ok || v == nil {
		if required {
			b.problem(a.Location, "%s: METADATA has no custom.%s", what, key)
		}
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		b.problem(a.Location, "%s: custom.%s must be a string, not %T", what, key, v)
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		b.problem(a.Location, "%s: custom.%s is empty", what, key)
	}
	return strings.TrimSpace(s)
}
