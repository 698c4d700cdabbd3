# Generic checks: the agent.
# The checks on the integration's agent: API-only, enabled, the roles it
# holds, and its administrator rights from any source but the profile
# role's own flag.
package halolint.lib.checks

import data.halolint.lib.claims
import data.halolint.lib.discovery
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

_agent_absent(objs, check, expected) := results.make(check, "error", discovery.missing_object("agent", objs.agent.name), objs.agent.message, {"expected": expected}) if {
	objs.agent.status == "error"
} else := results.make(check, "fail", discovery.missing_object("agent", _agent_name(objs)), objs.agent.message, {"expected": expected, "actual": "no agent found"})

_agent_name(objs) := objs.agent.name if objs.agent.name != ""

else := discovery.expected_name(objs.spec, "agent")

_agent_object(objs) := discovery.object("agent", objs.agent.object)

# agent_api_only(objs, check): the agent is an API-only agent.
agent_api_only(objs, check) := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, "API-only agent")
} else := results.make(check, "pass", _agent_object(objs), sprintf("agent %q is an API-only agent", [objs.agent.name]), {"expected": "API-only agent", "actual": "API-only agent"}) if {
	objs.agent.object.isapiagent == true
} else := results.make(check, "fail", _agent_object(objs), sprintf("agent %q is not an API-only agent: tick \"API-only agent\" on it in Configuration > Teams & Agents > Agents, or create a dedicated API-only agent for %s", [objs.agent.name, objs.spec.vendor]), {"expected": "API-only agent", "actual": "not an API-only agent"})

# agent_enabled(objs, check): the agent is not disabled.
agent_enabled(objs, check) := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, "enabled")
} else := results.make(check, "fail", _agent_object(objs), sprintf("agent %q is disabled: %s cannot log in as it. Enable it in Configuration > Teams & Agents > Agents", [objs.agent.name, objs.spec.vendor]), {"expected": "enabled", "actual": "disabled"}) if {
	objs.agent.object.isdisabled == true
} else := results.make(check, "pass", _agent_object(objs), sprintf("agent %q is enabled", [objs.agent.name]), {"expected": "enabled", "actual": "enabled"})

# agent_holds_role(objs, check, name): the agent holds the role the vendor
# names. The profile's own role is the one discovery found (by the config
# file or a keyword, whatever its exact name); another is found by name.
agent_holds_role(objs, check, name) := r if {
	_is_own_role_name(objs, name)
	r := _holds_own_role(objs, check)
} else := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, sprintf("holds role %q", [name]))
} else := results.make(check, "pass", _agent_object(objs), sprintf("agent %q holds role %q", [objs.agent.name, name]), {"expected": sprintf("holds role %q", [name]), "actual": _role_names(objs.agent.object)}) if {
	some ref in text.list(objs.agent.object.roles)
	text.same_name(ref.name, name)
} else := results.make(check, "fail", _agent_object(objs), sprintf("agent %q does not hold role %q: add the role on the agent's Roles in Configuration > Teams & Agents > Agents", [objs.agent.name, name]), {"expected": sprintf("holds role %q", [name]), "actual": _role_names(objs.agent.object)})

_is_own_role_name(objs, name) if text.same_name(name, objs.spec.defaults.role)

_holds_own_role(objs, check) := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, sprintf("holds the %s role", [objs.spec.vendor]))
} else := r if {
	objs.role.status == "error"
	r := results.make(check, "error", _agent_object(objs), objs.role.message, {"expected": sprintf("holds role %q", [objs.role.name])})
} else := r if {
	objs.role.status != "found"
	r := results.make(check, "fail", _agent_object(objs), objs.role.message, {"expected": sprintf("holds role %q", [objs.role.name]), "actual": _role_names(objs.agent.object)})
} else := results.make(check, "pass", _agent_object(objs), sprintf("agent %q holds role %q", [objs.agent.name, objs.role.name]), {"expected": sprintf("holds role %q", [objs.role.name]), "actual": _role_names(objs.agent.object)}) if {
	index.holds(objs.agent.object, objs.role.object)
} else := results.make(check, "fail", _agent_object(objs), sprintf("agent %q does not hold role %q: add the role on the agent's Roles in Configuration > Teams & Agents > Agents", [objs.agent.name, objs.role.name]), {"expected": sprintf("holds role %q", [objs.role.name]), "actual": _role_names(objs.agent.object)})

_role_names(agent) := sort([text.str(ref.name) | some ref in text.list(agent.roles)])

# agent_undocumented_roles(objs, check): the agent holds no role but the
# profile's, and an administrator role in the setup phase only
# (as TimeZest documents it: "no role on the agent other than the TimeZest role (and
# Administrator in the setup phase)"). In the operate phase an
# administrator role is undocumented too; the administrator check fails on
# the rights it grants, this one on the role being there.
agent_undocumented_roles(objs, check) := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, sprintf("only the %s role", [objs.spec.vendor]))
} else := r if {
	refs := text.list(objs.agent.object.roles)
	extras := sort([text.str(ref.name) | some ref in refs; not _is_profile_role(objs, ref); not _setup_admin_role(objs, ref)])
	admins := sort([text.str(ref.name) | some ref in refs; not _is_profile_role(objs, ref); _is_admin_role(ref)])
	status := _warn_if_any(extras)
	r := results.make(check, status, _agent_object(objs), _roles_message(objs, status, extras, admins), {
		"expected": sprintf("only the %s role", [objs.spec.vendor]),
		"actual": _role_names(objs.agent.object),
	})
}

_warn_if_any(xs) := "warn" if count(xs) > 0

else := "pass"

_roles_message(objs, "warn", extras, admins) := sprintf("agent %q holds role(s) %s that %s does not document: take them off the agent%s", [objs.agent.name, text.quoted(extras), objs.spec.vendor, _admin_note(objs, admins)])

_roles_message(objs, "pass", _, admins) := sprintf("agent %q holds no role beyond the %s role%s", [objs.agent.name, objs.spec.vendor, _admin_note(objs, admins)])

_admin_note(_, admins) := "" if count(admins) == 0

_admin_note(objs, admins) := sprintf(" (administrator role %s: allowed in the setup phase)", [text.quoted(admins)]) if {
	count(admins) > 0
	_admin_during_setup(objs)
	discovery.phase == "setup"
}

_admin_note(objs, admins) := sprintf(" (administrator role %s: %s needs it during the initial setup only)", [text.quoted(admins), objs.spec.vendor]) if {
	count(admins) > 0
	_admin_during_setup(objs)
	discovery.phase != "setup"
}

_admin_note(objs, admins) := "" if {
	count(admins) > 0
	not _admin_during_setup(objs)
}

# _admin_during_setup: the vendor needs administrator rights only while it
# installs (administrator: during-setup).
_admin_during_setup(objs) if objs.spec.administrator == "during-setup"

_is_profile_role(objs, ref) if {
	objs.role.status == "found"
	text.id(ref.id) != ""
	text.id(ref.id) == text.id(objs.role.object.id)
}

_is_profile_role(objs, ref) if {
	objs.role.status == "found"
	text.same_name(ref.name, objs.role.object.name)
}

# Another role the vendor puts on its agent.
_is_profile_role(objs, ref) if {
	some name in object.get(objs.spec, "agent_roles", [])
	not _is_own_role_name(objs, name)
	text.same_name(ref.name, name)
}

_setup_admin_role(objs, ref) if {
	_admin_during_setup(objs)
	discovery.phase == "setup"
	_is_admin_role(ref)
}

_is_admin_role(ref) if text.same_name(ref.name, "Administrator")

_is_admin_role(ref) if {
	role := index.role(ref)
	claims.decode("SA", object.get(role, ["claims", "SA"], "false")).rank > 0
}

# ---------------------------------------------------------------------------
# Administrator in two places (TimeZest): the profile role's own flag, and
# the agent's administrator rights from any other source.

_own_source(objs) := permissions.role_source(objs.role.object)

_own_admin(objs) if permissions.claim([_own_source(objs)], "SA").rank > 0

# _other_sources: the agent's sources but the profile role's own.
_other_sources(objs) := [s |
	some s in objs.permissions.sources
	not _is_own_source(objs, s)
]

_is_own_source(objs, s) if {
	objs.role.status == "found"
	s.kind == "role"
	s.id == text.id(objs.role.object.id)
}

_other_admin(objs) := e if {
	objs.agent.status == "found"
	objs.permissions.status == "known"
	e := permissions.claim(_other_sources(objs), "SA")
	e.rank > 0
} else := {"granted_by": st.granted_by} if {
	# Certain even when another of the agent's sources was not read.
	objs.agent.status == "found"
	st := permissions.admin_state(_other_sources(objs))
	st.state == "admin"
}

# role_own_admin(objs, check): the profile role's own "Is a HaloPSA
# Administrator" flag, needed in the setup phase only.
role_own_admin(objs, check) := r if {
	objs.role.status == "error"
	r := results.make(check, "error", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": _admin_expected})
} else := r if {
	objs.role.status != "found"
	r := results.make(check, "fail", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": _admin_expected, "actual": "no role found"})
} else := r if {
	not _own_source(objs).known
	r := results.make(check, "error", discovery.object("role", objs.role.object), _own_source(objs).reason, {"expected": _admin_expected})
} else := r if {
	own := permissions.claim([_own_source(objs)], "SA")
	not own.known
	r := results.make(check, "manual", discovery.object("role", objs.role.object), sprintf("Is a HaloPSA Administrator on role %q is %s, a value halolint cannot read: check it in HaloPSA (phase %s)", [objs.role.name, own.label, discovery.phase]), {"expected": _admin_expected, "actual": own.label})
} else := r if {
	discovery.phase == "operate"
	_own_admin(objs)
	r := results.make(check, "fail", discovery.object("role", objs.role.object), sprintf("leftover administrator: remove it now that %s is configured (untick Is a HaloPSA Administrator on role %q; phase operate)", [objs.spec.vendor, objs.role.name]), {"expected": _admin_expected, "actual": "Yes", "granted_by": objs.role.name})
} else := r if {
	discovery.phase == "operate"
	r := results.make(check, "pass", discovery.object("role", objs.role.object), sprintf("role %q is not a HaloPSA Administrator, as %s needs once configured (phase operate)", [objs.role.name, objs.spec.vendor]), {"expected": _admin_expected, "actual": "No"})
} else := r if {
	_own_admin(objs)
	r := results.make(check, "pass", discovery.object("role", objs.role.object), sprintf("role %q is a HaloPSA Administrator, which %s needs for its initial setup (phase setup): untick it once %s is configured", [objs.role.name, objs.spec.vendor, objs.spec.vendor]), {"expected": _admin_expected, "actual": "Yes", "granted_by": objs.role.name})
} else := r if {
	e := _other_admin(objs)
	r := results.make(check, "pass", discovery.object("role", objs.role.object), sprintf("role %q's own Is a HaloPSA Administrator is not ticked, but agent %q is an administrator through %s, which serves %s's initial setup (phase setup)", [objs.role.name, objs.agent.name, e.granted_by, objs.spec.vendor]), {"expected": _admin_expected, "actual": "No", "granted_by": e.granted_by})
} else := r if {
	# Whether the agent is an administrator some other way, which would
	# serve the setup, is unknown: never a fail on missing data.
	_other_admin_unknown(objs)
	r := results.make(check, "error", discovery.object("role", objs.role.object), sprintf("role %q's own Is a HaloPSA Administrator is not ticked, and whether agent %q is an administrator some other way (which would serve %s's initial setup) is unknown: %s (phase setup)", [objs.role.name, objs.agent.name, objs.spec.vendor, _other_admin_unknown_reason(objs)]), {"expected": _admin_expected, "actual": "No"})
} else := results.make(check, "fail", discovery.object("role", objs.role.object), sprintf("%s needs Is a HaloPSA Administrator during its initial setup, to install its custom tab: tick it on role %q, and untick it once %s is configured (phase setup)", [objs.spec.vendor, objs.role.name, objs.spec.vendor]), {"expected": _admin_expected, "actual": "No"})

_other_admin_unknown(objs) if objs.agent.status == "error"

_other_admin_unknown(objs) if {
	objs.agent.status == "found"
	objs.permissions.status != "known"
	permissions.admin_state(_other_sources(objs)).state != "admin"
}

_other_admin_unknown_reason(objs) := objs.agent.message if objs.agent.status == "error"

else := objs.permissions.message

_admin_expected := "No (needed for the initial setup only)" if discovery.phase == "operate"

else := "Yes (during the initial setup)"

# agent_admin_elsewhere(objs, check): the agent's administrator rights from
# any source but the profile role's own flag (the built-in Administrator
# role, another role, the agent's own claim), needed in the setup phase only.
agent_admin_elsewhere(objs, check) := r if {
	objs.agent.status != "found"
	r := _agent_absent(objs, check, _admin_expected)
} else := r if {
	objs.permissions.status != "known"
	r := results.make(check, "error", _agent_object(objs), objs.permissions.message, {"expected": _admin_expected})
} else := r if {
	e := permissions.claim(_other_sources(objs), "SA")
	not e.known
	r := results.make(check, "manual", _agent_object(objs), sprintf("Is a HaloPSA Administrator of agent %q is %s%s, a value halolint cannot read: check it in HaloPSA (phase %s)", [objs.agent.name, e.label, _by(e), discovery.phase]), {"expected": _admin_expected, "actual": e.label, "granted_by": e.granted_by})
} else := r if {
	discovery.phase == "operate"
	e := _other_admin(objs)
	r := results.make(check, "fail", _agent_object(objs), sprintf("leftover administrator: remove the Administrator role from the %s agent (agent %q is a HaloPSA Administrator through %s; phase operate)", [objs.spec.vendor, objs.agent.name, e.granted_by]), {"expected": _admin_expected, "actual": "Yes", "granted_by": e.granted_by})
} else := r if {
	discovery.phase == "operate"
	r := results.make(check, "pass", _agent_object(objs), _no_other_admin_message(objs), {"expected": _admin_expected, "actual": "No"})
} else := r if {
	e := _other_admin(objs)
	r := results.make(check, "pass", _agent_object(objs), sprintf("agent %q is a HaloPSA Administrator through %s, which %s needs for its initial setup (phase setup): remove it once %s is configured", [objs.agent.name, e.granted_by, objs.spec.vendor, objs.spec.vendor]), {"expected": _admin_expected, "actual": "Yes", "granted_by": e.granted_by})
} else := r if {
	objs.role.status == "found"
	_own_admin(objs)
	index.holds(objs.agent.object, objs.role.object)
	r := results.make(check, "pass", _agent_object(objs), sprintf("agent %q is a HaloPSA Administrator through role %q's own flag, which serves %s's initial setup (phase setup)", [objs.agent.name, objs.role.name, objs.spec.vendor]), {"expected": _admin_expected, "actual": "Yes", "granted_by": objs.role.name})
} else := results.make(check, "fail", _agent_object(objs), sprintf("%s needs administrator rights during its initial setup: add the built-in Administrator role to agent %q, and take it off once %s is configured (phase setup)", [objs.spec.vendor, objs.agent.name, objs.spec.vendor]), {"expected": _admin_expected, "actual": "No"})

# _no_other_admin_message: the operate-phase pass. When the profile role's
# own flag is set, the agent is an administrator through it, so the
# message must not say the agent holds no administrator role.
_no_other_admin_message(objs) := sprintf("agent %q gets no administrator rights from the Administrator role, another role or a claim of its own; role %q's own Is a HaloPSA Administrator flag is judged by the role's administrator check (phase operate)", [objs.agent.name, objs.role.name]) if {
	objs.role.status == "found"
	_own_admin(objs)
} else := sprintf("agent %q holds no administrator role and no administrator claim of its own (phase operate)", [objs.agent.name])
