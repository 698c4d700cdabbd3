package bench

import (
	"fmt"
	"strings"

	"github.com/halolint/halolint/internal/halotest"
)

// Minimum is the least number of requests one collection of a tenant
// needs for the checks, computed from the tenant's own data (the fixture
// the fake server serves), independently of the client:
//
//	minimum = 2                    authinfo, token
//	        + pages(roles) + pages(agents) + pages(applications)
//	        + pages(category 1) + 1 (Control)
//	        + A  non-system applications           (Application/{id}: scopes, login agent)
//	        + G  agents needed                      (Agent/{id}: own claims)
//	        + R  roles needed                       (Roles/{id}: claims)
//
// pages(x) = floor(count/100) + 1, 100 being the largest page Halo
// serves: a list ends at its first page that is not full, so a full last
// page is followed by an empty one. The agents needed are the login agents of the non-system
// applications, the API-only agents, and the agents whose names contain
// a discovery keyword; the roles needed are the roles those agents hold
// and the roles whose names contain a keyword.
type Minimum struct {
	Auth                                int
	RolePages, AgentPages, AppPages     int
	CategoryPages, Control              int
	Applications, Agents, Roles         int
	LoginAgents, APIAgents, NamedAgents int
	NamedRoles                          int
}

// Lists is the list requests: every page of every list, and Control.
func (m Minimum) Lists() int {
	return m.RolePages + m.AgentPages + m.AppPages + m.CategoryPages + m.Control
}

// Details is the detail requests.
func (m Minimum) Details() int { return m.Applications + m.Agents + m.Roles }

// Total is the minimum number of requests.
func (m Minimum) Total() int { return m.Auth + m.Lists() + m.Details() }

// Formula writes the total out term by term.
func (m Minimum) Formula() string {
	return fmt.Sprintf("2 auth + %d list pages (roles %d, agents %d, applications %d, category %d, control %d) + %d applications + %d agents + %d roles = %d",
		m.Lists(), m.RolePages, m.AgentPages, m.AppPages, m.CategoryPages, m.Control, m.Applications, m.Agents, m.Roles, m.Total())
}

func pages(n int) int { return n/100 + 1 }

// ComputeMinimum counts what the checks need in t, given the discovery
// keywords.
func ComputeMinimum(t *halotest.Tenant, keywords []string) Minimum {
	matches := func(v any) bool {
		name, _ := v.(string)
		name = strings.ToLower(name)
		for _, k := range keywords {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(name, k) {
				return true
			}
		}
		return false
	}
	truth := func(v any) bool { b, _ := halotest.AsBool(v); return b }

	m := Minimum{
		Auth:      2,
		RolePages: pages(len(t.Roles)), AgentPages: pages(len(t.Agents)), AppPages: pages(len(t.Applications)),
		Control: 1,
	}
	cat1 := 0
	for _, c := range t.Categories {
		if id, _ := halotest.AsInt(c["type_id"]); id == 1 {
			cat1++
		}
	}
	m.CategoryPages = pages(cat1)

	agents := map[int]bool{}
	login := map[int]bool{}
	for _, a := range t.Applications {
		if truth(a["_issystem"]) {
			continue
		}
		m.Applications++
		if id, ok := halotest.AsInt(a["loginas_agent_id"]); ok && id > 0 {
			agents[id] = true
			login[id] = true
		}
	}
	m.LoginAgents = len(login)
	byID := map[int]map[string]any{}
	for _, a := range t.Agents {
		id, _ := halotest.AsInt(a["id"])
		byID[id] = a
		if truth(a["isapiagent"]) {
			m.APIAgents++
			agents[id] = true
		}
		if matches(a["name"]) {
			m.NamedAgents++
			agents[id] = true
		}
	}
	m.Agents = len(agents)

	roles := map[string]bool{}
	for id := range agents {
		a := byID[id]
		if a == nil {
			continue // a login agent the tenant does not have: no roles to read
		}
		refs, _ := a["roles"].([]any)
		for _, r := range refs {
			if ref, ok := r.(map[string]any); ok {
				if rid, _ := ref["id"].(string); rid != "" {
					roles[strings.ToLower(rid)] = true
				}
			}
		}
	}
	for _, r := range t.Roles {
		if matches(r["name"]) {
			m.NamedRoles++
			if rid, _ := r["id"].(string); rid != "" {
				roles[strings.ToLower(rid)] = true
			}
		}
	}
	m.Roles = len(roles)
	return m
}
