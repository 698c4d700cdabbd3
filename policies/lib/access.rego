# METADATA
# title: Effective access
# description: |
#   What every non-system application can effectively do (halolint access):
#   per area, the lower of what its scopes allow and what its login agent's
#   effective permissions allow, since HaloPSA grants an application what
#   both allow. The areas, the permission that limits each and what each of
#   its values allows come from the vocabulary's access section. Data that
#   was not read never reads as "none": the area is "unknown", and the
#   application's errors say what is missing. Without a login agent
#   (Application Identity) the API does not show what limits the
#   application, so its areas are what its scopes allow, at most.
# scope: package
package halolint.lib.access

import data.halolint.lib.collection
import data.halolint.lib.discovery
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.text

_map := data.halolint.vocabulary.access

_all_areas := {lower(s) | some s in _map.all_areas}

_sensitive_codes := {c | some c in data.halolint.vocabulary.sensitive_claims}

_order := {"none": 0, "read": 1, "edit": 2}

# applications is one entry per non-system application, in input order:
# {"id", "name", "active", "auditor", "authentication", "login", "scopes",
# "profile", "access", "sensitive", "errors", "notes"}.
applications := [app_access(app) |
	some app in text.list(input.applications)
	not app.is_system == true
]

# errors are the problems that leave the whole list incomplete.
errors contains collection.not_collected("applications") if collection.failed("applications")

app_access(app) := {
	"id": text.id(app.id),
	"name": text.str(app.display_name),
	"active": _active(app),
	"auditor": discovery.is_auditor(app),
	"authentication": _authentication(app),
	"login": login.view,
	"scopes": sort([s | some s in scopes]),
	"profile": owner(app),
	"access": {a.area: _level(known, allowed, login, a) | some a in _map.areas},
	"sensitive": login.sensitive,
	"errors": array.concat(_app_errors(app), login.errors),
	"notes": array.concat(_app_notes(app), login.notes),
} if {
	login := _login(app)
	known := scopes_known(app)
	scopes := _scopes(app)
	allowed := scope_levels(scopes)
}

_active(app) := false if app.inactive == true

else := true

_authentication(app) := l if l := _map.authentication[app.grant_type]

else := text.str(app.grant_type)

# scopes_known(app) is true when the application's details, which carry
# its scopes, were read.
scopes_known(app) if {
	app.detailed == true
	not collection.failed_object("application", app.id)
}

default scopes_known(_) := false

_scopes(app) := {trim_space(s) | some s in text.list(app.scopes); is_string(s)} if scopes_known(app)

else := set()

_app_errors(app) := [] if scopes_known(app)

else := [sprintf("the details of application %q could not be read: %s", [text.str(app.display_name), collection.describe_object("application", app.id)])] if {
	collection.failed_object("application", app.id)
} else := [sprintf("the details of application %q (its scopes and login agent) were not read", [text.str(app.display_name)])]

_app_notes(app) := ["halolint's own application: the audit reads with it"] if discovery.is_auditor(app)

else := []

# scope_levels(scopes) is what the scopes allow in each area: edit for an
# all-areas scope or edit:AREA (editMine:AREA too), read for read:AREA,
# none otherwise. Each scope is read once, not once per area.
scope_levels(scopes) := {a.area: _scope_level(all, edits, reads, a.area) | some a in _map.areas} if {
	lowered := {lower(s) | some s in scopes}
	all := count(lowered & _all_areas) > 0
	pairs := [parts | some s in lowered; parts := split(s, ":"); count(parts) == 2]
	edits := {p[1] | some p in pairs; startswith(p[0], "edit")}
	reads := {p[1] | some p in pairs; p[0] == "read"}
}

_scope_level(true, _, _, _) := "edit"

_scope_level(false, edits, _, area) := "edit" if area in edits

_scope_level(false, edits, reads, area) := "read" if {
	not area in edits
	area in reads
}

_scope_level(false, edits, reads, area) := "none" if {
	not area in edits
	not area in reads
}

# agent_level(sources, a) is what the agent's effective value of the
# area's permission allows. A value the vocabulary does not know allows
# edit unless it ranks lowest: more access assumed, never less.
agent_level(sources, a) := l if {
	e := permissions.claim(sources, a.claim)
	l := a.levels[e.value]
} else := "none" if {
	permissions.claim(sources, a.claim).rank <= 0
} else := "edit"

# lower_level(x, y) is the lower of two levels.
lower_level(x, y) := x if _order[x] <= _order[y]

else := y

# _level(known, allowed, login, a) is an area's level: unknown when the
# scopes are (details not read), or when the scopes allow something the
# login agent's unknown permissions decide.
_level(false, _, _, _) := "unknown"

_level(true, allowed, login, a) := l if {
	allowed[a.area] == "none"
	l := "none"
} else := l if {
	login.limit == "scopes"
	l := allowed[a.area]
} else := "unknown" if {
	login.limit == "unknown"
} else := "none" if {
	login.limit == "nothing"
} else := lower_level(allowed[a.area], agent_level(login.sources, a))

# _login(app) is who the application logs in as: {"view" (the login as
# reported), "limit" (agent: the agent's permissions; scopes: nothing the
# API shows; nothing: no such agent; unknown), "sources", "sensitive",
# "errors", "notes"}.
_login(app) := l if {
	not scopes_known(app)
	l := _no_agent_view("unknown", "unknown", [], [])
} else := l if {
	index.loginas(app) == 0
	l := _no_agent_view("application-identity", "scopes", [], ["it logs in without an agent (Application Identity): the API does not show what its identity roles allow, so its access is what its scopes allow, at most"])
} else := l if {
	agent := index.agent(index.loginas(app))
	l := _agent_login(agent)
} else := l if {
	collection.failed("agents")
	l := _missing_agent(app, "unknown", [sprintf("its login agent %q (id %v) is unknown: %s", [text.str(app.loginas_agent_name), index.loginas(app), collection.not_collected("agents")])], [])
} else := _missing_agent(app, "nothing", [], [sprintf("it logs in as agent id %v (%q), which does not exist among the agents: it most likely cannot log in, and can do nothing", [index.loginas(app), text.str(app.loginas_agent_name)])])

_no_agent_view(type, limit, errors, notes) := {
	"view": {"type": type},
	"limit": limit,
	"sources": [],
	"sensitive": [],
	"errors": errors,
	"notes": notes,
}

_missing_agent(app, limit, errors, notes) := {
	"view": {"type": "agent", "agent": {
		"id": index.loginas(app),
		"name": text.str(app.loginas_agent_name),
		"api_only": null,
		"enabled": null,
		"administrator": null,
	}},
	"limit": limit,
	"sources": [],
	"sensitive": [],
	"errors": errors,
	"notes": notes,
}

_agent_login(agent) := {
	"view": {"type": "agent", "agent": {
		"id": agent.id,
		"name": text.str(agent.name),
		"api_only": _flag(agent.isapiagent),
		"enabled": _active_agent(agent),
		"administrator": _administrator(sources),
	}},
	"limit": _limit(sources),
	"sources": sources,
	"sensitive": _sensitive(sources),
	"errors": _agent_errors(agent, sources),
	"notes": _agent_notes(agent),
} if {
	sources := permissions.agent_sources(agent)
}

_active_agent(agent) := false if agent.isdisabled == true

else := true

_flag(x) if x == true

else := false

_limit(sources) := "agent" if permissions.known(sources)

else := "unknown"

# An administrator source that was read makes the agent one even when
# another source is unknown.
_administrator(sources) if {
	permissions.admin_state(sources).state == "admin"
} else := null if {
	not permissions.known(sources)
} else := false

_sensitive(sources) := sort([e.claim |
	some code in _sensitive_codes
	e := permissions.claim(sources, code)
	e.rank > 0
])

_agent_errors(agent, sources) := [] if permissions.known(sources)

else := [sprintf("the effective permissions of its login agent %q are unknown: %s", [text.str(agent.name), permissions.unknown_reasons(sources)])]

_agent_notes(agent) := ["its login agent is disabled"] if agent.isdisabled == true

else := []

# owner(app) is the vendor profile whose application it is: of the profile
# documents that find it, one that joins the default selection first, then
# by name; "" when none does. owners is computed once for every
# application.
owner(app) := o if o := owners[text.id(app.id)]

else := ""

# Only the profiles' applications are looked for: finding their roles
# and agents would cost a scan of every role per profile.
_found := [[text.id(d.object.id), _explicit_rank(doc), name] |
	some name, doc in data.halolint.documents.profiles
	d := discovery.application(doc.spec)
	d.status == "found"
]

owners := {id: sort([[rank, name] | some [i, rank, name] in _found; i == id])[0][1] | some [id, _, _] in _found}

_explicit_rank(doc) := 0 if doc.select == "auto"

else := 1
