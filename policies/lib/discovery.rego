# METADATA
# title: Object discovery
# description: |
#   Finds a profile's objects as the README's "Which objects a profile looks
#   at" says. Application: the one named in the config file, else the
#   non-system application whose display name contains a keyword (an active
#   one before an inactive one, then by name, then by id). Agent: the
#   application's login agent, else the one named in the config file, else
#   one whose name contains a keyword; an error when the application's
#   details, which carry its login agent, were not read. Permissions: the agent's effective
#   permissions, else (no agent, or Application Identity) the role named in
#   the config file, else the role whose name contains a keyword. The
#   auditor's own application is never a vendor's application.
#
#   Each object is {"status": "found", "object", "by"}, or {"status":
#   "missing" | "error" | "none", "message"}; "name" is always the name the
#   object has or is expected to have.
# scope: package
package halolint.lib.discovery

import data.halolint.lib.collection
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.text

# phase is "operate" (the default) or "setup".
phase := input.phase if input.phase in {"operate", "setup"}

else := "operate"

# config(profile, key) is the name the config file gives the profile's
# application, role, agent or category, "" when none.
config(profile, key) := n if {
	n := trim_space(text.str(input.config.profiles[profile][key]))
	n != ""
} else := ""

# expected_name(spec, key) is the configured name, else the profile's default.
expected_name(spec, key) := n if {
	n := config(spec.name, key)
	n != ""
} else := text.str(spec.defaults[key])

# is_auditor(app) is true for the application halolint logs in with. The
# baseline asks it of every application, twice: the auditor's ids are read
# once, and the default (false, not undefined) lets OPA cache the answer.
is_auditor(app) if app.is_auditor == true

# Ids are strings (the input's contract), compared directly; text.id and
# text.str are called only for another type, as a call costs much more.
is_auditor(app) if {
	_auditor_id != ""
	app.id == _auditor_id
}

is_auditor(app) if {
	_auditor_id != ""
	not is_string(app.id)
	text.id(app.id) == _auditor_id
}

is_auditor(app) if {
	_auditor_client_id != ""
	app.client_id == _auditor_client_id
}

is_auditor(app) if {
	_auditor_client_id != ""
	not is_string(app.client_id)
	text.str(app.client_id) == _auditor_client_id
}

default is_auditor(_) := false

_auditor_id := text.id(input.auditor.application_id)

_auditor_client_id := text.str(input.auditor.client_id)

_inactive_rank(app) := 1 if app.inactive == true

else := 0

# first_app(apps): active before inactive, then by name, then by id.
first_app(apps) := sort([[_inactive_rank(a), text.norm(a.display_name), text.id(a.id), a] | some a in apps])[0][3]

_disabled_rank(agent) := 1 if agent.isdisabled == true

else := 0

_api_rank(agent) := 0 if agent.isapiagent == true

else := 1

# first_agent(agents): enabled before disabled, API-only before others, then
# by name, then by id.
first_agent(agents) := sort([[_disabled_rank(a), _api_rank(a), text.norm(a.name), text.id(a.id), a] | some a in agents])[0][4]

_held_rank(agentd, role) := 0 if {
	agentd.status == "found"
	index.holds(agentd.object, role)
} else := 1

# first_role(roles, agentd): a role the agent holds first, then by name,
# then by id.
first_role(roles, agentd) := sort([[_held_rank(agentd, r), text.norm(r.name), text.id(r.id), r] | some r in roles])[0][3]

_found(x, by) := {"status": "found", "object": x, "by": by, "name": _name(x)}

_name(x) := text.str(x.display_name) if x.display_name

else := text.str(x.name)

_error(resource, name) := {"status": "error", "name": name, "message": collection.not_collected(resource)}

_missing(name, message) := {"status": "missing", "name": name, "message": message}

# _keywords(spec) are the profile's keywords, lower-cased.
_keywords(spec) := {lower(k) | some k in spec.keywords; trim_space(k) != ""}

# application(spec) finds the profile's application.
application(spec) := d if {
	name := config(spec.name, "application")
	name != ""
	lname := lower(name)
	apps := [a |
		some a in index.applications_named(lname)
		not is_auditor(a)
	]
	count(apps) > 0
	d := _found(first_app(apps), sprintf("its name %q in the config file", [name]))
} else := d if {
	config(spec.name, "application") != ""
	collection.failed("applications")
	d := _error("applications", config(spec.name, "application"))
} else := d if {
	name := config(spec.name, "application")
	name != ""
	d := _missing(name, sprintf("no application named %q (the name in the config file) was found. %s", [name, spec.howto.application]))
} else := d if {
	kws := _keywords(spec)
	apps := {a |
		some a in index.applications_with_keyword(kws)
		not a.is_system == true
		not is_auditor(a)
	}
	count(apps) > 0
	d := _found(first_app(apps), sprintf("a name containing %s", [text.quoted(spec.keywords)]))
} else := d if {
	collection.failed("applications")
	d := _error("applications", spec.defaults.application)
} else := _missing(
	spec.defaults.application,
	sprintf("no %s application was found (none is named in the config file, and no application's name contains %s). %s", [spec.vendor, text.quoted(spec.keywords), spec.howto.application]),
)

# agent(spec, appd) finds the profile's agent from the application found.
agent(spec, appd) := d if {
	appd.status == "found"
	id := index.loginas(appd.object)
	id > 0
	d := _found(index.agent(id), sprintf("the login agent of application %q", [appd.name]))
} else := d if {
	appd.status == "found"
	index.loginas(appd.object) > 0
	collection.failed("agents")
	d := _error("agents", text.str(appd.object.loginas_agent_name))
} else := d if {
	appd.status == "found"
	id := index.loginas(appd.object)
	id > 0
	d := _missing(
		text.str(appd.object.loginas_agent_name),
		sprintf("application %q logs in as agent id %v (%q), which does not exist among the agents. %s", [appd.name, id, text.str(appd.object.loginas_agent_name), spec.howto.agent]),
	)
} else := d if {
	# The application's details (which carry its login agent) were not
	# read: its login agent is unknown, and another agent found by name
	# would be a guess.
	appd.status == "found"
	_details_unread(appd.object)
	d := {"status": "error", "name": _unknown_login_name(spec, appd), "message": sprintf("the login agent of application %q is unknown: %s", [appd.name, _unread_reason(appd.object)])}
} else := d if {
	name := config(spec.name, "agent")
	name != ""
	lname := lower(name)
	agents := index.agents_named(lname)
	count(agents) > 0
	d := _found(first_agent(agents), sprintf("its name %q in the config file", [name]))
} else := d if {
	config(spec.name, "agent") != ""
	collection.failed("agents")
	d := _error("agents", config(spec.name, "agent"))
} else := d if {
	name := config(spec.name, "agent")
	name != ""
	d := _missing(name, sprintf("no agent named %q (the name in the config file) was found. %s", [name, spec.howto.agent]))
} else := d if {
	spec.agent_by_keyword == true
	kws := _keywords(spec)
	agents := index.agents_with_keyword(kws)
	count(agents) > 0
	d := _found(first_agent(agents), sprintf("a name containing %s", [text.quoted(spec.keywords)]))
} else := d if {
	spec.agent_by_keyword == true
	collection.failed("agents")
	d := _error("agents", spec.defaults.agent)
} else := d if {
	spec.agent_by_keyword == true
	d := _missing(
		spec.defaults.agent,
		sprintf("no %s agent was found (the application has no login agent, none is named in the config file, and no agent's name contains %s). %s", [spec.vendor, text.quoted(spec.keywords), spec.howto.agent]),
	)
} else := {"status": "none", "name": "", "message": sprintf("the %s application logs in without an agent (Application Identity)", [spec.vendor])}

_details_unread(app) if not app.detailed == true

_details_unread(app) if collection.failed_object("application", app.id)

_unread_reason(app) := sprintf("its details could not be read: %s", [collection.describe_object("application", app.id)]) if {
	collection.failed_object("application", app.id)
} else := "its details were not read"

# _unknown_login_name names an unknown login agent: by the name expected
# for the profile's agent, else by its application.
_unknown_login_name(spec, appd) := n if {
	n := expected_name(spec, "agent")
	n != ""
} else := sprintf("login agent of %s", [appd.name])

# role(spec, agentd) finds the profile's role; among several candidates, one
# the agent holds comes first.
role(spec, agentd) := d if {
	name := config(spec.name, "role")
	name != ""
	roles := index.roles_named(text.norm(name))
	d := _found(first_role(roles, agentd), sprintf("its name %q in the config file", [name]))
} else := d if {
	config(spec.name, "role") != ""
	collection.failed("roles")
	d := _error("roles", config(spec.name, "role"))
} else := d if {
	name := config(spec.name, "role")
	name != ""
	d := _missing(name, sprintf("no role named %q (the name in the config file) was found. %s", [name, spec.howto.role]))
} else := d if {
	kws := _keywords(spec)
	roles := index.roles_with_keyword(kws)
	count(roles) > 0
	d := _found(first_role(roles, agentd), sprintf("a name containing %s", [text.quoted(spec.keywords)]))
} else := d if {
	# The vendor's own name for the role, exactly (a guide may put the
	# built-in Administrator role on its agent).
	roles := index.roles_named(text.norm(spec.defaults.role))
	d := _found(first_role(roles, agentd), sprintf("the name %q its vendor documents", [spec.defaults.role]))
} else := d if {
	collection.failed("roles")
	d := _error("roles", spec.defaults.role)
} else := _missing(
	spec.defaults.role,
	sprintf("no %s role was found (none is named in the config file, and no role's name contains %s). %s", [spec.vendor, text.quoted(spec.keywords), spec.howto.role]),
)

# view(agentd, roled) is the permissions a profile's role checks judge:
# {"status": "known" | "unknown" | "missing" | "error", "subject" (the
# result object), "sources", "message"}.
view(agentd, roled) := v if {
	agentd.status == "found"
	sources := permissions.agent_sources(agentd.object)
	v := _view(sources, object("agent", agentd.object))
} else := v if {
	agentd.status == "error"
	v := {"status": "error", "message": agentd.message, "subject": missing_object("agent", agentd.name), "sources": []}
} else := v if {
	roled.status == "found"
	v := _view([permissions.role_source(roled.object)], object("role", roled.object))
} else := v if {
	roled.status == "error"
	v := {"status": "error", "message": roled.message, "subject": missing_object("role", roled.name), "sources": []}
} else := {"status": "missing", "message": roled.message, "subject": missing_object("role", roled.name), "sources": []}

_view(sources, subject) := {"status": "known", "subject": subject, "sources": sources, "message": ""} if {
	permissions.known(sources)
} else := {
	"status": "unknown",
	"subject": subject,
	"sources": sources,
	"message": sprintf("the effective permissions of %s %q are unknown: %s", [subject.type, subject.name, permissions.unknown_reasons(sources)]),
}

# object(type, x) is the result object for a found role, agent or
# application.
object(type, x) := {"type": type, "id": text.id(x.id), "name": _name(x)}

# missing_object(type, name) is the result object for an object not found.
missing_object(type, name) := {"type": type, "id": "", "name": name}

# objects(spec) finds every object of a profile once:
# {"spec", "phase", "application", "agent", "role", "permissions"}.
objects(spec) := o if {
	appd := application(spec)
	agentd := agent(spec, appd)
	roled := role(spec, agentd)
	o := {
		"spec": spec,
		"phase": phase,
		"application": appd,
		"agent": agentd,
		"role": roled,
		"permissions": view(agentd, roled),
	}
}
