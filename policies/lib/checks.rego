# METADATA
# title: Generic checks
# description: |
#   The comparisons every profile shares. A profile states its requirements as
#   data (claim and required value, the status above it, scope lists) and each
#   of its check rules is one call into this package. Every function returns
#   one result object; an object that cannot be found gives fail with how to
#   create it, data that could not be collected gives error, never pass.
# scope: package
package halolint.lib.checks

import data.halolint.lib.claims
import data.halolint.lib.collection
import data.halolint.lib.discovery
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

full_access_scopes := {s | some s in data.halolint.vocabulary.full_access_scopes}

# ---------------------------------------------------------------------------
# Role permissions (the agent's effective permissions, else the role's)

# claim(objs, req) judges one claim: req is {"check", "claim" (code),
# "value" (the documented value), "above" (status when higher: "warn",
# "fail", or absent when higher is fine), "label" (optional: the
# permission as the vendor words it, "Clients Access Level")}.
claim(objs, req) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, req.check, claims.decode(req.claim, req.value).label)
} else := r if {
	want := object.union(claims.decode(req.claim, req.value), {"claim": object.get(req, "label", claims.label(req.claim))})
	have := permissions.claim(objs.permissions.sources, req.claim)
	status := _claim_status(req, want, have)
	r := results.make(req.check, status, objs.permissions.subject, _claim_message(objs, status, want, have), {
		"expected": want.label,
		"actual": have.label,
		"granted_by": have.granted_by,
	})
}

_claim_status(req, want, have) := "manual" if {
	not have.known
} else := "fail" if {
	have.rank < want.rank
} else := "pass" if {
	have.rank == want.rank
} else := req.above if {
	_above_status(req)
} else := "pass"

_above_status(req) if req.above in {"warn", "fail"}

_claim_message(objs, "manual", want, have) := sprintf("%s of %s is %s%s, a value halolint cannot rank: check in HaloPSA that it is %s", [want.claim, _subject(objs), have.label, _by(have), want.label])

_claim_message(objs, "fail", want, have) := sprintf("%s of %s is %s%s; %s needs %s: set %s to %s on %s", [want.claim, _subject(objs), have.label, _by(have), objs.spec.vendor, want.label, want.claim, want.label, _fix_place(objs)]) if {
	have.rank < want.rank
}

_claim_message(objs, "pass", want, have) := sprintf("%s of %s is %s%s, as %s documents", [want.claim, _subject(objs), have.label, _by(have), objs.spec.vendor]) if {
	have.rank == want.rank
}

_claim_message(objs, "pass", want, have) := sprintf("%s of %s is %s%s, which includes the %s %s documents", [want.claim, _subject(objs), have.label, _by(have), want.label, objs.spec.vendor]) if {
	have.rank > want.rank
}

_claim_message(objs, status, want, have) := sprintf("%s of %s is %s%s, more than the %s %s documents: lower it to %s on %s", [want.claim, _subject(objs), have.label, _by(have), want.label, objs.spec.vendor, want.label, have.granted_by]) if {
	status in {"warn", "fail"}
	have.rank > want.rank
}

# not_admin(objs, check): the agent (or role) is not a HaloPSA Administrator.
not_admin(objs, check) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "No")
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	not have.known
	r := results.make(check, "manual", objs.permissions.subject, sprintf("Is a HaloPSA Administrator of %s is %s%s, a value halolint cannot read: check in HaloPSA that it is not ticked", [_subject(objs), have.label, _by(have)]), {"expected": "No", "actual": have.label, "granted_by": have.granted_by})
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	have.rank > 0
	r := results.make(check, "fail", objs.permissions.subject, sprintf("%s is a HaloPSA Administrator%s, which %s does not ask for: untick Is a HaloPSA Administrator on %s, or take that role off the agent", [_subject(objs), _by(have), objs.spec.vendor, have.granted_by]), {"expected": "No", "actual": "Yes", "granted_by": have.granted_by})
} else := results.make(check, "pass", objs.permissions.subject, sprintf("%s is not a HaloPSA Administrator", [_subject(objs)]), {"expected": "No", "actual": "No"})

# undocumented(objs, check, documented): no claim beyond the documented codes
# (SA aside: it has its own check) is above its lowest value.
undocumented(objs, check, documented) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "no other permission")
} else := r if {
	extras := _extras(objs, documented)
	count(extras) > 0
	listed := sort([sprintf("%s: %s (granted by %s)", [e.claim, e.label, e.granted_by]) | some e in extras])
	r := results.make(check, "warn", objs.permissions.subject, sprintf("%s has %d permission(s) %s does not document: %s. Set them back to No Access / No on the granting role, unless something else needs them%s", [_subject(objs), count(extras), objs.spec.vendor, concat("; ", listed), _admin_roles_note(objs)]), {
		"expected": "no permission beyond the documented ones",
		"actual": listed,
		"granted_by": text.join({g | some e in extras; some g in split(e.granted_by, ", ")}),
	})
} else := results.make(check, "pass", objs.permissions.subject, sprintf("%s has no permission beyond those %s documents%s", [_subject(objs), objs.spec.vendor, _admin_roles_note(objs)]), {"expected": "no permission beyond the documented ones", "actual": "none"})

# _extras: the claims above their lowest value beyond the documented codes
# and SA. An administrator role (other than the profile's role) is left out:
# the administrator check reports it, and its claims are not reported twice.
_extras(objs, documented) := [e |
	some code, e in permissions.granted(_judged_sources(objs))
	not code in documented
	code != "SA"
]

_judged_sources(objs) := [s | some s in objs.permissions.sources; not _admin_role_source(objs, s)]

_admin_role_source(objs, s) if {
	s.kind == "role"
	not _is_own_source(objs, s)
	claims.decode("SA", object.get(s.claims, "SA", "false")).rank > 0
}

_admin_roles_note(objs) := sprintf(" (the permissions of administrator role %s are left to the administrator check)", [text.quoted(names)]) if {
	names := {s.name | some s in objs.permissions.sources; _admin_role_source(objs, s)}
	count(names) > 0
} else := ""

_subject(objs) := sprintf("%s %q", [objs.permissions.subject.type, objs.permissions.subject.name])

_by(have) := sprintf(" (granted by %s)", [have.granted_by]) if have.granted_by != ""

else := ""

# _fix_place says where to raise a permission.
_fix_place(objs) := sprintf("role %q", [objs.role.name]) if objs.role.status == "found"

else := sprintf("one of %s's roles (or create the %s role: %s)", [_subject(objs), objs.spec.vendor, objs.spec.howto.role]) if objs.permissions.subject.type == "agent"

else := _subject(objs)

_no_permissions(objs, check, expected) := results.make(check, "fail", objs.permissions.subject, objs.permissions.message, {"expected": expected, "actual": "no role or agent found"}) if {
	objs.permissions.status == "missing"
} else := results.make(check, "error", objs.permissions.subject, objs.permissions.message, {"expected": expected})

# ---------------------------------------------------------------------------
# Agent

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
# (profiles.md: "no role on the agent other than the TimeZest role (and
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

# ---------------------------------------------------------------------------
# Application

_app_object(objs) := discovery.object("application", objs.application.object)

_app_absent(objs, check, expected) := results.make(check, "error", discovery.missing_object("application", objs.application.name), objs.application.message, {"expected": expected}) if {
	objs.application.status == "error"
} else := results.make(check, "fail", discovery.missing_object("application", objs.application.name), objs.application.message, {"expected": expected, "actual": "no application found"})

# _details_unread(app) is true when the application's details (scopes,
# login agent) were not read.
_details_unread(app) if not app.detailed == true

_details_unread(app) if collection.failed_object("application", app.id)

_unread_message(app) := sprintf("the details of application %q could not be read: %s", [text.str(app.display_name), collection.describe_object("application", app.id)]) if {
	collection.failed_object("application", app.id)
} else := sprintf("the details of application %q were not read", [text.str(app.display_name)])

# application_exists(objs, check): the application exists and is active.
application_exists(objs, check) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, "an active application")
} else := results.make(check, "fail", _app_object(objs), sprintf("application %q is inactive: tick Active on its Details tab in Configuration > Integrations > HaloPSA API > Applications", [objs.application.name]), {"expected": "active", "actual": "inactive"}) if {
	objs.application.object.inactive == true
} else := results.make(check, "pass", _app_object(objs), sprintf("application %q exists and is active (found by %s)", [objs.application.name, objs.application.by]), {"expected": "active", "actual": "active"})

_grant_label(method, g) := method.label if g == method.grant_type

else := sprintf("grant_type %q", [g])

# application_auth_method(objs, check, method): the Authentication Method
# the vendor documents: method is {"grant_type", "label"} from the
# vocabulary.
application_auth_method(objs, check, method) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, method.label)
} else := results.make(check, "pass", _app_object(objs), sprintf("application %q authenticates with %s", [objs.application.name, method.label]), {"expected": method.label, "actual": method.label}) if {
	text.str(objs.application.object.grant_type) == method.grant_type
} else := r if {
	g := text.str(objs.application.object.grant_type)
	g != ""
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q authenticates with %s: set its Authentication Method to %s", [objs.application.name, _grant_label(method, g), method.label]), {"expected": method.label, "actual": _grant_label(method, g)})
} else := r if {
	_details_unread(objs.application.object)
	r := results.make(check, "error", _app_object(objs), _unread_message(objs.application.object), {"expected": method.label})
} else := results.make(check, "manual", _app_object(objs), sprintf("the API did not say how application %q authenticates: check in HaloPSA that its Authentication Method is %s", [objs.application.name, method.label]), {"expected": method.label, "actual": "not given by the API"})

# application_login_agent(objs, check): Login Type Agent, logging in as the
# profile's API-only agent.
application_login_agent(objs, check) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, _login_expected(objs))
} else := r if {
	index.loginas(objs.application.object) == 0
	_details_unread(objs.application.object)
	r := results.make(check, "error", _app_object(objs), _unread_message(objs.application.object), {"expected": _login_expected(objs)})
} else := r if {
	index.loginas(objs.application.object) == 0
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q has no login agent (its Login Type is not Agent, or it logs in as Application Identity): set Login Type to Agent and Agent to log in as the %s API-only agent %q", [objs.application.name, objs.spec.vendor, _agent_name(objs)]), {"expected": _login_expected(objs), "actual": "no login agent"})
} else := r if {
	objs.agent.status == "error"
	r := results.make(check, "error", _app_object(objs), objs.agent.message, {"expected": _login_expected(objs)})
} else := r if {
	objs.agent.status != "found"
	r := results.make(check, "fail", _app_object(objs), objs.agent.message, {"expected": _login_expected(objs), "actual": sprintf("agent id %v, which does not exist", [index.loginas(objs.application.object)])})
} else := r if {
	name := discovery.config(objs.spec.name, "agent")
	name != ""
	not text.same_name(objs.agent.name, name)
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q logs in as agent %q, not %q named in the config file: set its Agent to log in as %q", [objs.application.name, objs.agent.name, name, name]), {"expected": _login_expected(objs), "actual": sprintf("logs in as %q", [objs.agent.name])})
} else := r if {
	not objs.agent.object.isapiagent == true
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q logs in as agent %q, which is not an API-only agent: log in as a dedicated API-only %s agent", [objs.application.name, objs.agent.name, objs.spec.vendor]), {"expected": _login_expected(objs), "actual": sprintf("logs in as %q (not API-only)", [objs.agent.name])})
} else := results.make(check, "pass", _app_object(objs), sprintf("application %q logs in as the API-only agent %q", [objs.application.name, objs.agent.name]), {"expected": _login_expected(objs), "actual": sprintf("logs in as %q", [objs.agent.name])})

_login_expected(objs) := sprintf("Login Type Agent, logging in as the %s API-only agent", [objs.spec.vendor])

# application_identity(objs, check): Login Type Agent with "Application
# Identity" and the profile's role among the identity roles. The API does
# not expose identity roles: manual, unless a login agent contradicts it.
application_identity(objs, check) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, _identity_expected(objs))
} else := r if {
	id := index.loginas(objs.application.object)
	id > 0
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q logs in as agent %q (id %v), not as Application Identity as %s documents: set Agent to log in as Application Identity, with Identity Roles including role %q", [objs.application.name, text.str(objs.application.object.loginas_agent_name), id, objs.spec.vendor, discovery.expected_name(objs.spec, "role")]), {"expected": _identity_expected(objs), "actual": sprintf("logs in as agent %q", [text.str(objs.application.object.loginas_agent_name)])})
} else := r if {
	_details_unread(objs.application.object)
	r := results.make(check, "error", _app_object(objs), _unread_message(objs.application.object), {"expected": _identity_expected(objs)})
} else := results.make(check, "manual", _app_object(objs), sprintf("the API does not expose application %q's Login Type, Agent to log in as or Identity Roles: check in HaloPSA that Login Type is Agent, Agent to log in as is Application Identity, and Identity Roles include role %q", [objs.application.name, _role_name(objs)]), {"expected": _identity_expected(objs), "actual": "not exposed by the API (no login agent)"})

_identity_expected(objs) := sprintf("Login Type Agent, Application Identity, Identity Roles including role %q", [_role_name(objs)])

_role_name(objs) := objs.role.name if objs.role.status == "found"

else := discovery.expected_name(objs.spec, "role")

# scope_met(have, s): s is held, or s is read:X and edit:X is held.
scope_met(have, s) if s in have

scope_met(have, s) if _via_edit(have, s)

_via_edit(have, s) if {
	not s in have
	startswith(s, "read:")
	concat("", ["edit:", substring(s, 5, -1)]) in have
}

_scopes(app) := {trim_space(s) | some s in text.list(app.scopes); is_string(s)}

# application_scopes(objs, check, required): every required scope is held
# (a required read:X is met by edit:X).
application_scopes(objs, check, required) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, required)
} else := r if {
	_details_unread(objs.application.object)
	r := results.make(check, "error", _app_object(objs), _unread_message(objs.application.object), {"expected": required})
} else := r if {
	have := _scopes(objs.application.object)
	missing := [s | some s in required; not scope_met(have, s)]
	count(missing) > 0
	r := results.make(check, "fail", _app_object(objs), sprintf("application %q lacks the scope(s) %s that %s needs: tick them on its Permissions tab%s", [objs.application.name, concat(", ", missing), objs.spec.vendor, _edit_note(have, required)]), {"expected": required, "actual": _held(have)})
} else := results.make(check, "pass", _app_object(objs), sprintf("application %q holds every scope %s needs%s", [objs.application.name, objs.spec.vendor, _edit_note(_scopes(objs.application.object), required)]), {"expected": required, "actual": _held(_scopes(objs.application.object))})

_held(have) := sort([s | some s in have]) if count(have) > 0

else := "no scope"

_edit_note(have, required) := sprintf(" (%s)", [concat("; ", notes)]) if {
	notes := [sprintf("%s is met by edit:%s", [s, substring(s, 5, -1)]) | some s in required; _via_edit(have, s)]
	count(notes) > 0
} else := ""

# application_excess_scopes(objs, check, documented): no scope beyond the
# documented ones (a read:X beside a documented edit:X is not excess);
# all, all:standard and admin fail, any other warns.
application_excess_scopes(objs, check, documented) := r if {
	objs.application.status != "found"
	r := _app_absent(objs, check, documented)
} else := r if {
	_details_unread(objs.application.object)
	r := results.make(check, "error", _app_object(objs), _unread_message(objs.application.object), {"expected": documented})
} else := r if {
	have := _scopes(objs.application.object)
	extras := sort([s | some s in have; not _documented_scope(documented, s)])
	count(extras) > 0
	full := [s | some s in extras; s in full_access_scopes]
	status := _excess_status(full)
	r := results.make(check, status, _app_object(objs), sprintf("%sapplication %q holds scope(s) %s that %s does not document%s: untick them on its Permissions tab", [_all_note(objs, extras), objs.application.name, concat(", ", extras), objs.spec.vendor, _full_note(full)]), {"expected": documented, "actual": _held(have)})
} else := results.make(check, "pass", _app_object(objs), sprintf("application %q holds no scope beyond those %s documents", [objs.application.name, objs.spec.vendor]), {"expected": documented, "actual": _held(_scopes(objs.application.object))})

_documented_scope(documented, s) if s in documented

_documented_scope(documented, s) if {
	startswith(s, "read:")
	concat("", ["edit:", substring(s, 5, -1)]) in documented
}

_excess_status(full) := "fail" if count(full) > 0

else := "warn"

_full_note(full) := "" if count(full) == 0

else := sprintf(" (%s give(s) full access to the API)", [concat(", ", full)])

# _all_note: what the vendor says about a scope it warns against (Gradient:
# all breaks its authentication).
_all_note(objs, extras) := concat("", [sprintf("%s; ", [note]) |
	some s in extras
	note := text.str(object.get(objs.spec, ["scope_notes", s], ""))
	note != ""
])

# documented_full_access(objs, scopes) tells the baseline that the
# profile's application holds full-access scopes its vendor documents, and
# whether its login agent (which limits them) is an administrator:
# {"application_id", "vendor", "scopes", "agent" (login agent name, "" when
# none), "admin": "yes" | "no" | "unknown", "granted_by", "message"}.
documented_full_access(objs, scopes) := d if {
	objs.application.status == "found"
	d := {
		"application_id": text.id(objs.application.object.id),
		"vendor": objs.spec.vendor,
		"scopes": scopes,
		"agent": _login_agent_name(objs),
		"admin": _login_admin(objs),
		"granted_by": _login_admin_by(objs),
		"message": objs.permissions.message,
	}
}

_login_agent_name(objs) := objs.agent.name if {
	index.loginas(objs.application.object) > 0
	objs.agent.status == "found"
} else := ""

_login_admin(objs) := "none" if {
	_login_agent_name(objs) == ""
} else := "unknown" if {
	objs.permissions.status != "known"
} else := "yes" if {
	permissions.is_admin(objs.permissions.sources)
} else := "no"

_login_admin_by(objs) := permissions.claim(objs.permissions.sources, "SA").granted_by if {
	_login_admin(objs) == "yes"
} else := ""

# ---------------------------------------------------------------------------
# Category, role departments, settings

# category(objs, check, c): the Category list c.list has the value c.value
# (case-insensitively); the config file may rename the first category a
# profile documents (c.configurable).
category(objs, check, c) := r if {
	name := _category_wanted(objs, c)
	found := [x |
		some x in text.list(input.categories)
		_category_list(x) == c.list
		_category_named(x, name)
	]
	count(found) > 0
	x := sort([[text.id(y.id), y] | some y in found])[0][1]
	r := results.make(check, "pass", {"type": "category", "id": text.id(x.id), "name": _category_name(x)}, sprintf("Category %d has the value %q", [c.list, _category_name(x)]), {"expected": name, "actual": _category_name(x)})
} else := r if {
	collection.failed("categories")
	name := _category_wanted(objs, c)
	r := results.make(check, "error", discovery.missing_object("category", name), collection.not_collected("categories"), {"expected": name})
} else := r if {
	name := _category_wanted(objs, c)
	r := results.make(check, "fail", discovery.missing_object("category", name), sprintf("Category %d has no value %q, which %s needs: add it in Configuration > Tickets > Categorisation > Category %d and save", [c.list, name, objs.spec.vendor, c.list]), {"expected": name, "actual": "not found"})
}

_category_wanted(objs, c) := discovery.expected_name(objs.spec, "category") if c.configurable == true

else := c.value

# A category without type_id is taken to be of Category 1.
_category_list(x) := x.type_id if x.type_id in {1, 2, 3, 4}

else := 1

_category_named(c, name) if text.same_name(c.value, name)

_category_named(c, name) if text.same_name(c.category_name, name)

_category_name(c) := text.str(c.value) if text.str(c.value) != ""

else := text.str(c.category_name)

# department_membership(objs, check, level): the role's department
# membership levels, whose encoding nobody documents: manual, with the raw
# levels, asking for level (as the vendor words it) in every department.
department_membership(objs, check, level) := r if {
	objs.role.status == "error"
	r := results.make(check, "error", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": sprintf("%s in every department", [level])})
} else := r if {
	objs.role.status != "found"
	r := results.make(check, "fail", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": sprintf("%s in every department", [level]), "actual": "no role found"})
} else := r if {
	not permissions.role_source(objs.role.object).known
	r := results.make(check, "error", discovery.object("role", objs.role.object), permissions.role_source(objs.role.object).reason, {"expected": sprintf("%s in every department", [level])})
} else := r if {
	levels := sort([sprintf("%s: membership level %v", [_department(d), d.membershiplevel]) | some d in text.list(objs.role.object.departments)])
	r := results.make(check, "manual", discovery.object("role", objs.role.object), sprintf("the encoding of department membership levels is not documented, so halolint cannot judge them (read: %s): check on role %q's Departments & Teams tab that every department is set to %s", [_levels_text(levels), objs.role.name, level]), {"expected": sprintf("%s in every department", [level]), "actual": _levels_actual(levels)})
}

_department(d) := text.str(d.department_name) if text.str(d.department_name) != ""

else := sprintf("department %v", [d.department_id])

_levels_text(levels) := concat("; ", levels) if count(levels) > 0

else := "no department membership listed"

_levels_actual(levels) := levels if count(levels) > 0

else := "no department membership listed"

# control_flag(check, setting): a boolean of the global settings has the
# documented value. setting is {"field", "want" (bool), "name" (UI label),
# "path" (where in HaloPSA)}.
control_flag(check, setting) := r if {
	not is_object(input.control)
	r := results.make(check, "error", _setting_object(setting), _control_unread, {"expected": _setting_words(setting.want)})
} else := r if {
	v := _bool_value(object.get(input.control, setting.field, null))
	v == setting.want
	r := results.make(check, "pass", _setting_object(setting), sprintf("%s: %q is %s, as documented", [setting.path, setting.name, _setting_words(v)]), {"expected": _setting_words(setting.want), "actual": _setting_words(v)})
} else := r if {
	v := _bool_value(object.get(input.control, setting.field, null))
	r := results.make(check, "fail", _setting_object(setting), sprintf("%s: %q is %s: %s it", [setting.path, setting.name, _setting_words(v), _setting_action(setting.want)]), {"expected": _setting_words(setting.want), "actual": _setting_words(v)})
} else := results.make(check, "manual", _setting_object(setting), sprintf("the API did not give %s: check in HaloPSA, %s, that %q is %s", [setting.field, setting.path, setting.name, _setting_words(setting.want)]), {"expected": _setting_words(setting.want), "actual": "not given by the API"})

_control_unread := collection.not_collected("control")

_setting_object(setting) := {"type": "setting", "id": setting.field, "name": setting.name}

_setting_words(true) := "selected"

_setting_words(false) := "not selected"

_setting_action(true) := "select"

_setting_action(false) := "clear"

_bool_value(v) := v if is_boolean(v)

else if text.norm(v) in {"1", "true"}

else := false if text.norm(v) in {"0", "false"}

# ---------------------------------------------------------------------------
# Documented administrator, and what only a person can check

# admin_documented(objs, check): the vendor documents administrator rights
# (administrator: documented): present passes, saying so; absent fails,
# since the vendor's setup needs them.
admin_documented(objs, check) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "Yes")
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	not have.known
	r := results.make(check, "manual", objs.permissions.subject, sprintf("Is a HaloPSA Administrator of %s is %s%s, a value halolint cannot read: check in HaloPSA that it is ticked, as %s documents", [_subject(objs), have.label, _by(have), objs.spec.vendor]), {"expected": "Yes", "actual": have.label, "granted_by": have.granted_by})
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	have.rank > 0
	r := results.make(check, "pass", objs.permissions.subject, sprintf("%s is a HaloPSA Administrator%s, as %s documents (least privilege would have less: the baseline reports it as a documented administrator)", [_subject(objs), _by(have), objs.spec.vendor]), {"expected": "Yes", "actual": "Yes", "granted_by": have.granted_by})
} else := results.make(check, "fail", objs.permissions.subject, sprintf("%s is not a HaloPSA Administrator, which %s documents: tick Is a HaloPSA Administrator on %s", [_subject(objs), objs.spec.vendor, _fix_place(objs)]), {"expected": "Yes", "actual": "No"})

# manual(objs, check, c): what the API cannot show: where to look.
manual(objs, check, c) := results.make(check, "manual", _manual_object(objs, c), sprintf("the API does not show this: check in HaloPSA, %s, that %s", [c.look, c.title]), {"expected": c.expected})

_manual_object(objs, c) := discovery.object("role", objs.role.object) if {
	c.object == "role"
	objs.role.status == "found"
} else := discovery.missing_object("role", objs.role.name) if {
	c.object == "role"
} else := results.tenant
