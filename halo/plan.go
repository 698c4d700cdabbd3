package halo

import (
	"maps"
	"slices"
	"strings"
)

// Plan says which details Collect reads beyond the lists.
type Plan struct {
	// Full reads every role's and agent's details (snapshot --full).
	Full bool
	// Keywords select roles and agents by name: a role or agent whose name
	// contains one of them (case-insensitive) gets its details read. The
	// CLI passes the profiles' keywords and the config file's names.
	Keywords []string
}

// matchesKeyword reports whether name contains one of the plan's keywords.
func (c *collector) matchesKeyword(name string) bool {
	lower := strings.ToLower(name)
	for _, k := range c.plan.Keywords {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// applicationsToDetail lists the ids of the non-system applications.
func applicationsToDetail(apps []map[string]any) []string {
	var ids []string
	for _, m := range apps {
		a := decodeApplication(m)
		if !a.IsSystem && a.ID != "" {
			ids = append(ids, a.ID)
		}
	}
	return sortedUnique(ids)
}

// agentsToDetail lists the ids of the agents whose own claims the checks
// need: login agents of non-system applications, API-only agents, agents
// matching a keyword; every agent when the plan is full.
func (c *collector) agentsToDetail(apps, agents []map[string]any) []int {
	set := map[int]bool{}
	for _, m := range apps {
		if a := decodeApplication(m); !a.IsSystem && a.LoginAsAgentID > 0 {
			set[a.LoginAsAgentID] = true
		}
	}
	for _, m := range agents {
		a := decodeAgent(m)
		if a.ID > 0 && (c.plan.Full || a.IsAPIAgent || c.matchesKeyword(a.Name)) {
			set[a.ID] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// rolesToDetail lists the ids of the roles whose claims the checks need:
// the roles of the agents in agentIDs and the roles matching a keyword;
// every role when the plan is full.
func (c *collector) rolesToDetail(agents, roles []map[string]any, agentIDs []int) []string {
	listed := make([]Role, 0, len(roles))
	for _, m := range roles {
		listed = append(listed, decodeRole(m))
	}
	// An agent's role reference may lack the GUID; find it by number or
	// name among the listed roles.
	resolve := func(ref RoleRef) string {
		if ref.ID != "" {
			return ref.ID
		}
		for _, r := range listed {
			if (ref.IDInt != 0 && r.IDInt == ref.IDInt) || (ref.Name != "" && r.Name == ref.Name) {
				return r.ID
			}
		}
		return ""
	}
	wanted := map[int]bool{}
	for _, id := range agentIDs {
		wanted[id] = true
	}
	var ids []string
	for _, m := range agents {
		a := decodeAgent(m)
		if !wanted[a.ID] {
			continue
		}
		for _, ref := range a.Roles {
			ids = append(ids, resolve(ref))
		}
	}
	for _, r := range listed {
		if c.plan.Full || c.matchesKeyword(r.Name) {
			ids = append(ids, r.ID)
		}
	}
	return sortedUnique(ids)
}

// without returns the keys of more that are not in seen, in order.
func without[K comparable](more, seen []K) []K {
	known := make(map[K]bool, len(seen))
	for _, k := range seen {
		known[k] = true
	}
	var out []K
	for _, k := range more {
		if !known[k] {
			out = append(out, k)
		}
	}
	return out
}
