package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/vocabulary"
	"gopkg.in/yaml.v3"
)

// A case file (<profile>.cases.yaml beside the document) covers a vendor
// quirk the generated cases cannot express: a change to the documented
// tenant, and the statuses (and message words) some checks must then give.
//
//	profile: timezest
//	cases:
//	  - name: the built-in Administrator role on the agent is a leftover
//	    phase: operate
//	    agent: {add_roles: [{name: Administrator, administrator: true}]}
//	    expect: {timezest.agent.administrator: fail, timezest.role.administrator: pass}
//	    message: {timezest.agent.administrator: leftover administrator}

const caseFileSuffix = ".cases.yaml"

func isCaseFile(name string) bool { return strings.HasSuffix(name, caseFileSuffix) }

// parseCaseFile reads a case file against the profile's document.
func parseCaseFile(data []byte, file string, docs map[string]*document, vocab *vocabulary.Vocabulary) (string, []docCase, []Problem) {
	p := &docParser{file: file, vocab: vocab}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := splitYAMLError(err)
		return "", nil, []Problem{{File: file, Line: line, Message: msg}}
	}
	if len(root.Content) == 0 {
		return "", nil, []Problem{{File: file, Message: "empty case file"}}
	}
	var (
		name  string
		doc   *document
		cases []docCase
		list  *yaml.Node
	)
	p.fields(root.Content[0], "the case file", []string{"profile", "cases"}, func(key string, _, v *yaml.Node) {
		switch key {
		case "profile":
			name = p.required(v, "profile")
			if doc = docs[name]; doc == nil && name != "" {
				p.errorf(v, "profile %q is not a profile document", name)
			}
		case "cases":
			list = v
		}
	})
	if doc != nil && list != nil {
		if list.Kind != yaml.SequenceNode {
			p.errorf(list, "cases must be a list")
		} else {
			for i, n := range list.Content {
				if c, ok := p.quirk(n, fmt.Sprintf("cases[%d]", i), doc); ok {
					cases = append(cases, c)
				}
			}
		}
	}
	return name, cases, p.problems
}

// quirk reads one case.
func (p *docParser) quirk(n *yaml.Node, where string, d *document) (docCase, bool) {
	c := docCase{phase: PhaseOperate, loose: true, expect: map[string]Status{}, contains: map[string]string{}, file: p.file, line: n.Line}
	var changes []func(*docTenant)
	known := map[string]bool{}
	for _, chk := range d.derive() {
		known[chk.ID] = true
	}
	ids := sortedKeys(known)
	checkStatus := func(v *yaml.Node, what string, fn func(id string, v *yaml.Node)) {
		p.fields(v, where+"."+what, ids, func(id string, _, v *yaml.Node) { fn(id, v) })
	}
	p.fields(n, where, []string{"name", "phase", "role", "agent", "application", "expect", "message"}, func(key string, _, v *yaml.Node) {
		switch key {
		case "name":
			c.name = p.required(v, where+".name")
		case "phase":
			c.phase = Phase(p.choice(v, where+".phase", "operate", "setup"))
		case "role":
			p.fields(v, where+".role", []string{"set", "remove"}, func(key string, _, v *yaml.Node) {
				switch key {
				case "set":
					changes = append(changes, p.claimChanges(v, where+".role.set")...)
				case "remove":
					for _, code := range p.codes(v, where+".role.remove") {
						changes = append(changes, func(t *docTenant) { t.dropClaim(code) })
					}
				}
			})
		case "agent":
			p.fields(v, where+".agent", []string{"add_roles", "api_only", "disabled"}, func(key string, _, v *yaml.Node) {
				switch key {
				case "add_roles":
					changes = append(changes, p.addRoles(v, where+".agent.add_roles")...)
				case "api_only":
					b := p.boolean(v, where+".agent.api_only")
					changes = append(changes, func(t *docTenant) {
						if t.agent != nil {
							t.agent.IsAPIAgent = b
						}
					})
				case "disabled":
					b := p.boolean(v, where+".agent.disabled")
					changes = append(changes, func(t *docTenant) {
						if t.agent != nil {
							t.agent.IsDisabled = b
						}
					})
				}
			})
		case "application":
			p.fields(v, where+".application", []string{"add_scopes", "remove_scopes", "inactive"}, func(key string, _, v *yaml.Node) {
				switch key {
				case "add_scopes":
					add := p.scopes(v, where+".application.add_scopes")
					changes = append(changes, func(t *docTenant) { t.app.Scopes = append(t.app.Scopes, add...) })
				case "remove_scopes":
					drop := p.scopes(v, where+".application.remove_scopes")
					changes = append(changes, func(t *docTenant) {
						t.app.Scopes = slices.DeleteFunc(t.app.Scopes, func(s string) bool { return slices.Contains(drop, s) })
					})
				case "inactive":
					b := p.boolean(v, where+".application.inactive")
					changes = append(changes, func(t *docTenant) { t.app.Inactive = b })
				}
			})
		case "expect":
			checkStatus(v, "expect", func(id string, v *yaml.Node) {
				if s := p.choice(v, where+".expect."+id, "pass", "fail", "warn", "error", "manual"); s != "" {
					c.expect[id] = Status(s)
				}
			})
		case "message":
			checkStatus(v, "message", func(id string, v *yaml.Node) { c.contains[id] = p.required(v, where+".message."+id) })
		}
	})
	if c.name == "" || len(c.expect) == 0 {
		p.errorf(n, "%s needs a name and what to expect", where)
		return docCase{}, false
	}
	c.mutate = func(t *docTenant) {
		for _, ch := range changes {
			ch(t)
		}
	}
	return c, true
}

// claimChanges reads "Section > Label: Value" pairs (or a claim code:
// raw value) set on the role.
func (p *docParser) claimChanges(n *yaml.Node, where string) []func(*docTenant) {
	var out []func(*docTenant)
	p.fieldsAny(n, where, func(k, v *yaml.Node) {
		perm, ok := p.permissionByName(k, where)
		if !ok {
			return
		}
		val, ok := perm.Value(p.required(v, where+"."+k.Value))
		if !ok {
			p.errorf(v, "%s.%s: unknown value %q (known: %s)", where, k.Value, v.Value, strings.Join(perm.ValueLabels(), ", "))
			return
		}
		code, raw := perm.Code, val.Raw
		out = append(out, func(t *docTenant) { t.setClaim(code, raw) })
	})
	return out
}

func (p *docParser) codes(n *yaml.Node, where string) []string {
	var out []string
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list of permission labels", where)
		return nil
	}
	for _, c := range n.Content {
		if perm, ok := p.permissionByName(c, where); ok {
			out = append(out, perm.Code)
		}
	}
	return out
}

// permissionByName finds a permission by its label, in any section.
func (p *docParser) permissionByName(n *yaml.Node, where string) (*vocabulary.Permission, bool) {
	var labels []string
	for _, s := range p.vocab.Sections {
		if perm, _, ok := s.Permission(n.Value); ok {
			return perm, true
		}
		labels = append(labels, s.Labels()...)
	}
	p.errorf(n, "%s: unknown permission %q%s", where, n.Value, didYouMean(n.Value, labels))
	return nil, false
}

func (p *docParser) fieldsAny(n *yaml.Node, where string, fn func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping", where)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i], n.Content[i+1])
	}
}

// addRoles reads roles put on the agent: a name, and whether the role is a
// HaloPSA Administrator.
func (p *docParser) addRoles(n *yaml.Node, where string) []func(*docTenant) {
	var out []func(*docTenant)
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list of {name, administrator}", where)
		return nil
	}
	for i, c := range n.Content {
		var name string
		admin := false
		p.fields(c, fmt.Sprintf("%s[%d]", where, i), []string{"name", "administrator"}, func(key string, _, v *yaml.Node) {
			switch key {
			case "name":
				name = p.required(v, where+".name")
			case "administrator":
				admin = p.boolean(v, where+".administrator")
			}
		})
		id := fmt.Sprintf("role-added-%d", i)
		out = append(out, func(t *docTenant) {
			if t.agent == nil {
				return
			}
			r := halo.Role{ID: id, Name: name, Detailed: true, Claims: []halo.Claim{}}
			if admin {
				r.Claims = append(r.Claims, halo.Claim{Type: "SA", Value: "true"})
			}
			t.extra = append(t.extra, r)
			t.agent.Roles = append(t.agent.Roles, halo.RoleRef{ID: id, Name: name})
		})
	}
	return out
}
