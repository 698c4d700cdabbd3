# METADATA
# title: Object indexes
# description: |
#   Lookups of roles and agents by id and name, built once per evaluation so
#   that a tenant of thousands of roles and agents is read in linear time.
#   Duplicate ids (a list paged twice) keep the first object.
# scope: package
package halolint.lib.index

import data.halolint.lib.text

_roles := text.list(input.roles)

_agents := text.list(input.agents)

# roles_by_id[id] is the role with that id (ids are strings). Ids are
# unique but in a list paged twice, so the index is then built in one pass;
# the general form, which keeps the first role of an id, costs several.
_role_ids := {r.id | some r in _roles}

roles_by_id := {r.id: r | some r in _roles} if {
	count(_role_ids) == count(_roles)
} else := {id: rs[0] |
	some id in _role_ids
	rs := [r | some r in _roles; r.id == id]
}

# named_roles, named_agents and named_applications pair each object with
# its lower-cased name, computed once for every keyword search.
named_roles := [[lower(trim_space(r.name)), r] | some r in _roles; is_string(r.name)]

named_agents := [[lower(trim_space(a.name)), a] | some a in _agents; is_string(a.name)]

named_applications := [[lower(trim_space(a.display_name)), a] |
	some a in text.list(input.applications)
	is_string(a.display_name)
]

# roles_by_name[lower name] lists the roles of that name (in one pass when
# names are unique, as for ids).
_role_names := {n | some [n, _] in named_roles}

roles_by_name := {n: [r] | some [n, r] in named_roles} if {
	count(_role_names) == count(named_roles)
} else := {n: rs |
	some n in _role_names
	rs := [p[1] | some p in named_roles; p[0] == n]
}

# agents_by_id[id] is the agent with that id (ids are numbers).
_agent_ids := {a.id | some a in _agents}

agents_by_id := {a.id: a | some a in _agents} if {
	count(_agent_ids) == count(_agents)
} else := {id: found[0] |
	some id in _agent_ids
	found := [a | some a in _agents; a.id == id]
}

# roles_with_keyword(kws) is every role whose name contains one of kws
# (lower-cased). A function of the keywords alone: profiles sharing their
# keywords (gradient, gradient-alerts) share one scan, as OPA caches a
# function's value per arguments.
roles_with_keyword(kws) := {r | some [n, r] in named_roles; some k in kws; contains(n, k)}

agents_with_keyword(kws) := {a | some [n, a] in named_agents; some k in kws; contains(n, k)}

applications_with_keyword(kws) := {a | some [n, a] in named_applications; some k in kws; contains(n, k)}

# role(ref) resolves a role reference ({"id", "name"}) held by an agent: by
# id, else by name.
role(ref) := r if r := roles_by_id[text.id(ref.id)]

else := roles_by_name[text.norm(ref.name)][0] if text.norm(ref.name) != ""

# agent(id) is the agent with that id.
agent(id) := a if a := agents_by_id[id]

else := a if {
	is_string(id)
	a := agents_by_id[to_number(id)]
}

# holds(agent, role) is true when the agent lists the role, by id or name.
holds(agent, role) if {
	some ref in text.list(agent.roles)
	text.id(ref.id) != ""
	text.id(ref.id) == text.id(role.id)
}

holds(agent, role) if {
	some ref in text.list(agent.roles)
	text.same_name(ref.name, role.name)
}

# loginas(app) is the application's login agent id, 0 when it has none.
loginas(app) := app.loginas_agent_id if {
	is_number(app.loginas_agent_id)
	app.loginas_agent_id > 0
} else := to_number(app.loginas_agent_id) if {
	is_string(app.loginas_agent_id)
	regex.match(`^[0-9]+$`, app.loginas_agent_id)
} else := 0
