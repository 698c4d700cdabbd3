# METADATA
# title: Object indexes
# description: |
#   Lookups of roles, agents and applications by id, by name and by keyword.
#   The engine hands them over built once in Go as input.index (positions
#   in the input's lists, see docs/policy-authoring.md); for an input
#   without an index (a test's hand-written tenant) this package computes
#   the same answers itself, in linear time. Duplicate ids (a list paged
#   twice) keep the first object.
# scope: package
package halolint.lib.index

import data.halolint.lib.text

_roles := text.list(input.roles)

_agents := text.list(input.agents)

_applications := text.list(input.applications)

# given is true when the input carries the engine's index.
given if is_object(input.index)

# role_by_id(id) is the role with that id (ids are strings).
role_by_id(id) := input.roles[i] if {
	given
	i := input.index.roles_by_id[id]
}

role_by_id(id) := roles_by_id[id] if not given

# roles_by_id[id] is the role with that id, as a map: the reference form
# of role_by_id. Ids are unique but in a list paged twice, so the index is
# then built in one pass; the general form, which keeps the first role of
# an id, costs several.
_role_ids := {r.id | some r in _roles}

roles_by_id := {r.id: r | some r in _roles} if {
	count(_role_ids) == count(_roles)
} else := {id: rs[0] |
	some id in _role_ids
	rs := [r | some r in _roles; r.id == id]
}

# named_roles, named_agents and named_applications pair each object's
# position with its lower-cased name, computed once for every search.
named_roles := [[lower(trim_space(r.name)), i] | some i, r in _roles; is_string(r.name)]

named_agents := [[lower(trim_space(a.name)), i] | some i, a in _agents; is_string(a.name)]

named_applications := [[lower(trim_space(a.display_name)), i] | some i, a in _applications; is_string(a.display_name)]

# roles_named(name), agents_named(name) and applications_named(name) list
# the objects whose name, trimmed and lower-cased, is name, in list order.
# (The computed lists are named in the else branch only: a function's
# arguments are evaluated even where unused.)
roles_named(name) := [input.roles[i] | some i in object.get(input.index.roles_by_name, name, [])] if given

else := [input.roles[i] | some [n, i] in named_roles; n == name]

agents_named(name) := [input.agents[i] | some i in object.get(input.index.agents_by_name, name, [])] if given

else := [input.agents[i] | some [n, i] in named_agents; n == name]

applications_named(name) := [input.applications[i] | some i in object.get(input.index.applications_by_name, name, [])] if given

else := [input.applications[i] | some [n, i] in named_applications; n == name]

# agents_by_id[id] is the agent with that id (ids are numbers), as a map:
# the reference form of agent(id).
_agent_ids := {a.id | some a in _agents}

agents_by_id := {a.id: a | some a in _agents} if {
	count(_agent_ids) == count(_agents)
} else := {id: found[0] |
	some id in _agent_ids
	found := [a | some a in _agents; a.id == id]
}

# roles_with_keyword(kws) is every role whose name contains one of kws
# (lower-cased); agents_with_keyword and applications_with_keyword the same
# for agents and applications. The engine's index has each catalog
# keyword's matches; another word is searched for here.
roles_with_keyword(kws) := {input.roles[i] | some k in kws; some i in _role_matches(k)}

agents_with_keyword(kws) := {input.agents[i] | some k in kws; some i in _agent_matches(k)}

applications_with_keyword(kws) := {input.applications[i] | some k in kws; some i in _application_matches(k)}

_role_matches(k) := ps if {
	given
	ps := input.index.keywords.roles[k]
} else := [i | some [n, i] in named_roles; contains(n, k)]

_agent_matches(k) := ps if {
	given
	ps := input.index.keywords.agents[k]
} else := [i | some [n, i] in named_agents; contains(n, k)]

_application_matches(k) := ps if {
	given
	ps := input.index.keywords.applications[k]
} else := [i | some [n, i] in named_applications; contains(n, k)]

# role(ref) resolves a role reference ({"id", "name"}) held by an agent: by
# id, else by name.
role(ref) := r if r := role_by_id(text.id(ref.id))

else := roles_named(text.norm(ref.name))[0] if text.norm(ref.name) != ""

# agent(id) is the agent with that id, given as a number or a string.
agent(id) := input.agents[i] if {
	given
	i := input.index.agents_by_id[_agent_key(id)]
}

agent(id) := a if {
	not given
	a := _agent_of(id)
}

_agent_key(id) := format_int(id, 10) if {
	is_number(id)
	id == floor(id)
} else := format_int(to_number(id), 10) if {
	is_string(id)
	regex.match(`^[0-9]+$`, id)
}

_agent_of(id) := a if a := agents_by_id[id]

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
