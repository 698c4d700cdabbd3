# METADATA
# title: Effective permissions
# description: |
#   An agent's effective permissions: the most permissive value of each claim
#   across all its roles and its own claims, with the role (or "agent <name>")
#   that grants it. Where the agent's is_admin flag says administrator and no
#   claim read grants it, the flag counts as granting SA, and says so. The permissions are unknown when a needed role or the agent
#   itself was not read in detail (detailed false, or a collection error for
#   it): checks then report error.
# scope: package
package halolint.lib.permissions

import data.halolint.lib.claims
import data.halolint.lib.collection
import data.halolint.lib.index
import data.halolint.lib.text

# role_source(role) is one source of claims: {"name", "kind", "id",
# "known", "reason", "claims"}.
role_source(role) := {
	"name": text.str(role.name),
	"kind": "role",
	"id": text.id(role.id),
	"known": _role_known(role),
	"reason": _role_reason(role),
	"claims": _claims_of(role),
}

_claims_of(x) := x.claims if is_object(x.claims)

else := {}

_role_known(role) if {
	role.detailed == true
	not collection.failed_object("role", role.id)
}

default _role_known(_) := false

_role_reason(role) := sprintf("the details of role %q could not be read: %s", [text.str(role.name), collection.describe_object("role", role.id)]) if {
	collection.failed_object("role", role.id)
} else := sprintf("the permissions of role %q were not read (no details)", [text.str(role.name)]) if {
	not role.detailed == true
} else := ""

# agent_sources(agent) lists every role the agent holds and the agent's own
# claims, and the agent's is_admin flag when it says administrator and no
# source that was read grants SA: where the two disagree, the more
# permissive wins, and the flag's name says so.
agent_sources(agent) := array.concat(_claim_sources(agent), _flag_source(agent))

_claim_sources(agent) := array.concat(
	[s | some ref in text.list(agent.roles); s := _ref_source(ref)],
	[_own_source(agent)],
)

_flag_source(agent) := [_listed_admin(agent)] if {
	agent.is_admin == true
	not _read_grants_sa(_claim_sources(agent))
} else := []

_read_grants_sa(sources) if {
	some s in sources
	s.known == true
	sa(s.claims.SA)
}

# _listed_admin is the is_admin flag as a source: known (it was read with
# the agent), granting SA alone.
_listed_admin(agent) := {
	"name": listed_admin_name(agent),
	"kind": "flag",
	"id": text.id(agent.id),
	"known": true,
	"reason": "",
	"claims": {"SA": "true"},
}

listed_admin_name(agent) := sprintf("the is_admin flag of agent %s (HaloPSA says it is an administrator, though none of its roles or own claims read grants it)", [text.str(agent.name)])

_ref_source(ref) := role_source(role) if {
	role := index.role(ref)
} else := {
	"name": text.str(ref.name),
	"kind": "role",
	"id": text.id(ref.id),
	"known": false,
	"reason": _missing_role_reason(ref),
	"claims": {},
}

_missing_role_reason(ref) := sprintf("role %q held by the agent could not be read: %s", [text.str(ref.name), collection.describe("roles")]) if {
	collection.failed("roles")
} else := sprintf("role %q held by the agent is not among the roles read", [text.str(ref.name)])

_own_source(agent) := {
	"name": sprintf("agent %s", [text.str(agent.name)]),
	"kind": "agent",
	"id": text.id(agent.id),
	"known": _agent_known(agent),
	"reason": _agent_reason(agent),
	"claims": _claims_of(agent),
}

_agent_known(agent) if {
	agent.detailed == true
	not collection.failed_object("agent", agent.id)
}

default _agent_known(_) := false

_agent_reason(agent) := sprintf("the details of agent %q could not be read: %s", [text.str(agent.name), collection.describe_object("agent", agent.id)]) if {
	collection.failed_object("agent", agent.id)
} else := sprintf("the own permissions of agent %q were not read (no details)", [text.str(agent.name)]) if {
	not agent.detailed == true
} else := ""

# known(sources) is true when every source was read.
known(sources) if every s in sources {
	s.known == true
}

# unknown_reasons(sources) says why the permissions are unknown.
unknown_reasons(sources) := concat("; ", [s.reason | some s in sources; s.known != true])

# claim(sources, code) is the effective value of one claim: the decoded value
# of claims.decode plus "granted_by" (the sources granting it, "" when
# nothing grants more than the lowest value).
claim(sources, code) := e if {
	ds := [object.union(claims.decode(code, v), {"source": s.name}) |
		some s in sources
		v := s.claims[code]
	]
	count(ds) > 0
	top := max({d.rank | some d in ds})
	winners := [d | some d in ds; d.rank == top]
	e := object.union(winners[0], {
		"granted_by": _granted_by(top, winners),
		"known": every_known(winners),
	})
} else := object.union(claims.lowest(code), {"granted_by": ""})

_granted_by(top, winners) := "" if top <= 0

else := text.join({d.source | some d in winners})

every_known(ds) if every d in ds {
	d.known == true
}

default every_known(_) := false

# granted(sources) is every claim above its lowest value:
# {code: effective claim}. The effective claim is the most permissive of
# the sources' values, so a code is granted exactly when some source's
# value ranks above zero: that is asked first, of every value (a decode
# OPA caches per code and value), and claim is computed for the few codes
# granted, not for the seventy every role sets.
granted(sources) := {code: claim(sources, code) |
	some code in {code |
		some s in sources
		some code, raw in s.claims
		claims.decode(code, raw).rank > 0
	}
}

# is_admin(sources) is true when some source grants SA.
is_admin(sources) if claim(sources, "SA").rank > 0

# agent_admin(id) is admin_state of the agent with that id. A function: the
# baseline asks it of the login and API-only agents only, and each is
# computed once, on first use.
agent_admin(id) := _agent_admin(a) if a := index.agent(id)

# Fast path when nothing failed to collect and every role is found by id;
# otherwise the general admin_state, which explains what is unknown.
_agent_admin(a) := st if {
	_nothing_failed
	st := _fast_admin(a)
} else := admin_state(agent_sources(a))

_nothing_failed if count(input.collection_errors) == 0

_fast_admin(a) := {"state": "admin", "granted_by": text.join(names)} if {
	names := {role.name |
		some ref in a.roles
		role := index.role_by_id(ref.id)
		role.detailed == true
		sa(role.claims.SA)
	} | {n | a.detailed == true; sa(a.claims.SA); n := sprintf("agent %s", [a.name])}
	count(names) > 0
} else := {"state": "admin", "granted_by": listed_admin_name(a)} if {
	a.is_admin == true
} else := {"state": "no"} if {
	a.detailed == true
	every ref in a.roles {
		index.role_by_id(ref.id).detailed == true
	}
}

# sa(raw) is true when a raw SA value grants administrator rights. The
# default makes it false rather than undefined otherwise, so that OPA caches
# it for the few raw values there are (it caches values, not undefined).
sa(raw) if lower(trim_space(text.str(raw))) in {"true", "1", "yes"}

default sa(_) := false

# admin_state(sources) is {"state": "admin", "granted_by"} when a source
# that was read grants SA (certain even if another source is unknown),
# {"state": "unknown", "reason"} when not every source was read, else
# {"state": "no"}.
admin_state(sources) := {"state": "admin", "granted_by": text.join(names)} if {
	names := {s.name | some s in sources; s.known == true; sa(s.claims.SA)}
	count(names) > 0
} else := {"state": "unknown", "reason": unknown_reasons(sources)} if {
	not known(sources)
} else := {"state": "no"}
