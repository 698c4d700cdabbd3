# Generic checks: the application.
# The checks on the integration's API application: it exists, how it
# authenticates and logs in, and its scopes.
package halolint.lib.checks

import data.halolint.lib.collection
import data.halolint.lib.discovery
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

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
