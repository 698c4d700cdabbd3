# METADATA
# title: Tenant-wide checks
# description: |
#   The baseline's checks over every application and agent. Halo's system
#   applications are never judged, nor is the auditor's own application
#   (only by auditor_self). A full-access scope documented by the vendor
#   profile owning the application (each profile's full_access_documented) is
#   passed while its login agent, which limits it, is no administrator.
# scope: package
package halolint.lib.tenant

import data.halolint.lib.claims
import data.halolint.lib.collection
import data.halolint.lib.discovery
import data.halolint.lib.index
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

full_access_scopes := {s | some s in data.halolint.vocabulary.full_access_scopes}

# judged is every active, non-system application but the auditor's.
judged := [a |
	some a in text.list(input.applications)
	not a.inactive == true
	not a.is_system == true
	not discovery.is_auditor(a)
]

# documented lists what vendor profiles say about their application's
# full-access scopes.
documented := array.concat(
	[d | some name; d := data.halolint.profiles[name].full_access_documented],
	[d | some _, d in data.halolint.lib.document.full_access_documented],
)

_app(app) := discovery.object("application", app)

_name(app) := text.str(app.display_name)

_unread(app) if not app.detailed == true

_unread(app) if collection.failed_object("application", app.id)

# Asked several times of each application: false rather than undefined
# lets OPA cache it.
default _unread(_) := false

_unread_message(app) := sprintf("the details of application %q could not be read: %s", [_name(app), collection.describe_object("application", app.id)]) if {
	collection.failed_object("application", app.id)
} else := sprintf("the details of application %q were not read", [_name(app)])

_scopes(app) := {trim_space(s) | is_array(app.scopes); some s in app.scopes; is_string(s)}

# _or_pass(check, found, message) is found, or a single tenant pass when
# found is empty.
_or_pass(check, found, message) := found if count(found) > 0

else := {results.make(check, "pass", results.tenant, message, {})}

_list_error(check, resource) := {results.make(check, "error", results.tenant, collection.not_collected(resource), {})} if {
	collection.failed(resource)
} else := set()

# full_access_scope(check): one result per active, non-system application
# holding all, all:standard or admin; a single pass when none.
full_access_scope(check) := _or_pass(
	check, _list_error(check, "applications") | {r |
		some app in judged
		r := _full_access(check, app)
	},
	"no active application (Halo's own and the auditor's aside) holds all, all:standard or admin",
)

_full_access(check, app) := r if {
	_unread(app)
	r := results.make(check, "error", _app(app), _unread_message(app), {"expected": "no full-access scope"})
} else := r if {
	full := sort([s | some s in _scopes(app); s in full_access_scopes])
	count(full) > 0
	r := _full_access_verdict(check, app, full)
}

_full_access_verdict(check, app, full) := r if {
	some d in documented
	d.application_id == text.id(app.id)
	every s in full {
		s in d.scopes
	}
	r := _documented_verdict(check, app, full, d)
} else := results.make(check, "warn", _app(app), sprintf("application %q holds %s, full access to the API: give it only the scopes its integration documents", [_name(app), concat(", ", full)]), {"expected": "no full-access scope", "actual": full})

_documented_verdict(check, app, full, d) := results.make(check, "pass", _app(app), sprintf("scope %s documented by %s; limited by the login agent's role", [concat(", ", full), d.vendor]), {"expected": sprintf("%s (documented by %s), limited by a login agent that is no administrator", [concat(", ", full), d.vendor]), "actual": full}) if {
	d.admin == "no"
} else := results.make(check, "error", _app(app), sprintf("application %q holds %s, documented by %s and limited by its login agent's role, but %s", [_name(app), concat(", ", full), d.vendor, d.message]), {"expected": "a login agent that is no administrator"}) if {
	d.admin == "unknown"
} else := results.make(check, "warn", _app(app), sprintf("application %q holds %s, documented by %s, but its login agent %q is a HaloPSA Administrator (granted by %s), so the application has full access: take the administrator rights off the agent", [_name(app), concat(", ", full), d.vendor, d.agent, d.granted_by]), {"expected": "a login agent that is no administrator", "actual": full, "granted_by": d.granted_by}) if {
	d.admin == "yes"
} else := results.make(check, "warn", _app(app), sprintf("application %q holds %s, documented by %s to be limited by its login agent's role, but it has no login agent: set Login Type Agent and log in as the %s agent", [_name(app), concat(", ", full), d.vendor, d.vendor]), {"expected": "a login agent limiting the scope", "actual": full})

# _missing_login(app) is true when an application without details might
# have a login agent that was not read.
_login_unknown(app) if {
	index.loginas(app) == 0
	_unread(app)
}

# admin_login_agent(check): no active application logs in as an agent who
# is a HaloPSA Administrator; a single pass when none does.
admin_login_agent(check) := _or_pass(
	check, _list_error(check, "agents") | {r |
		some app in judged
		r := _admin_login(check, app)
	},
	"no active application (Halo's own and the auditor's aside) logs in as a HaloPSA Administrator",
)

_admin_login(check, app) := r if {
	_login_unknown(app)
	r := results.make(check, "error", _app(app), _unread_message(app), {"expected": "a login agent that is no administrator"})
} else := r if {
	agent := index.agent(index.loginas(app))
	r := _admin_login_verdict(check, app, agent, permissions.agent_admin(agent.id))
}

_admin_login_verdict(check, app, agent, state) := results.make(check, "warn", _app(app), sprintf("application %q logs in as agent %q, a HaloPSA Administrator (granted by %s), as %s documents (%s): the integration can do anything its scopes allow; ask %s whether less will do", [_name(app), text.str(agent.name), state.granted_by, d.vendor, _cite(d.source), d.vendor]), {"expected": "a login agent that is no administrator", "actual": sprintf("agent %q is an administrator, as %s documents", [text.str(agent.name), d.vendor]), "granted_by": state.granted_by}) if {
	state.state == "admin"
	d := _documented_admin_app(app)
} else := results.make(check, "fail", _app(app), sprintf("application %q logs in as agent %q, who is a HaloPSA Administrator (granted by %s): the application can do anything its scopes allow. Log in as an API-only agent whose roles grant only what the integration needs", [_name(app), text.str(agent.name), state.granted_by]), {"expected": "a login agent that is no administrator", "actual": sprintf("agent %q is an administrator", [text.str(agent.name)]), "granted_by": state.granted_by}) if {
	state.state == "admin"
} else := results.make(check, "error", _app(app), sprintf("application %q logs in as agent %q, but %s", [_name(app), text.str(agent.name), state.reason]), {"expected": "a login agent that is no administrator"}) if {
	state.state == "unknown"
}

# broken_login_agent(check): no active application logs in as an agent
# that is disabled or does not exist (loginas_agent_id 0 or absent is no
# login agent, not a broken one).
broken_login_agent(check) := _or_pass(
	check, _list_error(check, "agents") | {r |
		some app in judged
		r := _broken_login(check, app)
	},
	"every active application with a login agent logs in as an existing, enabled agent",
)

_broken_login(check, app) := r if {
	_login_unknown(app)
	r := results.make(check, "error", _app(app), _unread_message(app), {"expected": "an existing, enabled login agent"})
} else := r if {
	id := index.loginas(app)
	id > 0
	not index.agent(id)
	not collection.failed("agents")
	r := results.make(check, "fail", _app(app), sprintf("application %q logs in as agent id %v (%q), which does not exist: pick an existing API-only agent as its Agent to log in as, or deactivate the application", [_name(app), id, text.str(app.loginas_agent_name)]), {"expected": "an existing, enabled login agent", "actual": sprintf("agent id %v does not exist", [id])})
} else := r if {
	agent := index.agent(index.loginas(app))
	agent.isdisabled == true
	r := results.make(check, "fail", _app(app), sprintf("application %q logs in as agent %q, which is disabled: enable the agent, pick another one, or deactivate the application", [_name(app), text.str(agent.name)]), {"expected": "an existing, enabled login agent", "actual": sprintf("agent %q is disabled", [text.str(agent.name)])})
}

# api_agent_admin(check): no enabled API-only agent is a HaloPSA
# Administrator; a single pass when none is.
api_agent_admin(check) := _or_pass(
	check, _list_error(check, "agents") | {r |
		some agent in text.list(input.agents)
		agent.isapiagent == true
		not agent.isdisabled == true
		r := _api_admin(check, agent, permissions.agent_admin(agent.id))
	},
	"no enabled API-only agent is a HaloPSA Administrator",
)

_api_admin(check, agent, state) := results.make(check, "warn", discovery.object("agent", agent), sprintf("API-only agent %q is a HaloPSA Administrator (granted by %s), as %s documents (%s): every application logging in as it can do anything its scopes allow; ask %s whether less will do", [text.str(agent.name), state.granted_by, d.vendor, _cite(d.source), d.vendor]), {"expected": "not an administrator", "actual": sprintf("administrator, as %s documents", [d.vendor]), "granted_by": state.granted_by}) if {
	state.state == "admin"
	d := _documented_admin_agent(agent)
} else := results.make(check, "warn", discovery.object("agent", agent), sprintf("API-only agent %q is a HaloPSA Administrator (granted by %s): every application logging in as it can do anything its scopes allow. Take the administrator rights off it unless an integration documents them", [text.str(agent.name), state.granted_by]), {"expected": "not an administrator", "actual": "administrator", "granted_by": state.granted_by}) if {
	state.state == "admin"
} else := results.make(check, "error", discovery.object("agent", agent), sprintf("whether API-only agent %q is a HaloPSA Administrator is unknown: %s", [text.str(agent.name), state.reason]), {"expected": "not an administrator"}) if {
	state.state == "unknown"
}

# A vendor that documents administrator rights: its login agent and
# application are warned about, naming the vendor and its guide.
_documented_admin_app(app) := d if {
	some d in data.halolint.lib.document.documented_admin
	d.application_id == text.id(app.id)
}

_documented_admin_agent(agent) := d if {
	some d in data.halolint.lib.document.documented_admin
	d.agent_id == agent.id
}

_cite(source) := sprintf("%s, %s", [source.title, source.url])

# sensitive_permissions(check): no integration agent (one an active
# application logs in as, or an enabled API-only agent) holds a permission
# that reaches far beyond its area, unless the vendor profile owning the
# agent documents it; one result per agent, a single pass when none.
sensitive_permissions(check) := _or_pass(
	check, _list_error(check, "agents") | {r |
		some id in _integration_agent_ids
		r := _sensitive(check, index.agent(id))
	},
	"no integration agent holds a permission that reaches far beyond its area (SQL data sources, password fields, PowerShell quick actions, creating roles)",
)

# By ID: a set of whole agent objects would hash every claim of each.
_integration_agent_ids := {a.id |
	some app in judged
	a := index.agent(index.loginas(app))
} | {a.id |
	some a in text.list(input.agents)
	a.isapiagent == true
	not a.isdisabled == true
}

# _sensitive_sources are the agent's roles and own claims as far as they
# were read, administrator ones aside. Fast path when nothing failed to
# collect and every role is found by ID: no source object is built.
_sensitive_sources(agent) := array.concat(
	[{"name": role.name, "claims": role.claims} |
		some ref in agent.roles
		role := index.role_by_id(ref.id)
		not permissions.sa(object.get(role.claims, "SA", "false"))
	],
	[{"name": sprintf("agent %s", [agent.name]), "claims": agent.claims} | not permissions.sa(object.get(agent.claims, "SA", "false"))],
) if {
	count(input.collection_errors) == 0
	agent.detailed == true
	every ref in agent.roles {
		index.role_by_id(ref.id).detailed == true
	}
} else := _judged_sources(permissions.agent_sources(agent))

# An administrator source is left out: the administrator checks report
# the agent, and what an administrator role holds is not reported twice.
_judged_sources(sources) := [s |
	some s in sources
	s.known == true
	not permissions.sa(object.get(s.claims, "SA", "false"))
]

_sensitive_codes := {c | some c in data.halolint.vocabulary.sensitive_claims}

_sensitive(check, agent) := r if {
	sources := _sensitive_sources(agent)
	documented := object.get(data.halolint.lib.document.documented_claims_of, agent.id, set())

	# The sensitive permissions are flags: granted when a source sets one.
	held := {code: names |
		some code in _sensitive_codes
		not code in documented
		names := {s.name |
			some s in sources
			permissions.sa(object.get(s.claims, code, "0"))
		}
		count(names) > 0
	}
	count(held) > 0
	listed := sort([sprintf("%s (granted by %s)", [claims.label(code), text.join(names)]) | some code, names in held])
	r := results.make(check, "warn", discovery.object("agent", agent), sprintf("agent %q, which integrations log in as, holds %s: these reach far beyond an integration's area. Take them off unless its vendor documents them", [text.str(agent.name), concat("; ", listed)]), {
		"expected": "none of the sensitive permissions",
		"actual": listed,
		"granted_by": text.join({n | some names in held; some n in names}),
	})
} else := r if {
	sources := permissions.agent_sources(agent)
	not permissions.known(sources)
	r := results.make(check, "error", discovery.object("agent", agent), sprintf("whether agent %q holds a sensitive permission is unknown: %s", [text.str(agent.name), permissions.unknown_reasons(sources)]), {"expected": "none of the sensitive permissions"})
}

# auditor_self(check): the auditor's own application holds no scope that
# can write (all, all:standard, any edit:*); admin alone is what reading
# the configuration most likely needs.
auditor_self(check) := {r} if {
	apps := [a | some a in text.list(input.applications); discovery.is_auditor(a)]
	count(apps) > 0
	r := _auditor_verdict(check, discovery.first_app(apps))
} else := {results.make(check, "error", results.tenant, collection.not_collected("applications"), {"expected": "no scope that can write"})} if {
	collection.failed("applications")
} else := {results.make(check, "manual", {"type": "application", "id": text.id(input.auditor.application_id), "name": sprintf("client ID %s", [text.str(input.auditor.client_id)])}, sprintf("the auditor's own application (client ID %q) is not among the applications read: check in Configuration > Integrations > HaloPSA API > Applications that it holds no scope that can write (all, all:standard, edit:*); admin alone is what reading the configuration most likely needs", [text.str(input.auditor.client_id)]), {"expected": "no scope that can write"})}

_writes(have) := sort([s |
	some s in have
	_can_write(s)
])

_can_write(s) if s in {"all", "all:standard"}

_can_write(s) if startswith(lower(s), "edit")

_auditor_verdict(check, app) := r if {
	_unread(app)
	r := results.make(check, "error", _app(app), _unread_message(app), {"expected": "no scope that can write"})
} else := r if {
	writes := _writes(_scopes(app))
	count(writes) > 0
	r := results.make(check, "warn", _app(app), sprintf("the auditor's own application %q holds %s, which can write: halolint only reads, so untick them (admin alone is what reading the configuration most likely needs)", [_name(app), concat(", ", writes)]), {"expected": "no scope that can write", "actual": sort([s | some s in _scopes(app)])})
} else := r if {
	"admin" in _scopes(app)
	r := results.make(check, "pass", _app(app), sprintf("the auditor's own application %q holds admin and no scope that can write: admin is what reading the configuration most likely needs", [_name(app)]), {"expected": "no scope that can write", "actual": sort([s | some s in _scopes(app)])})
} else := results.make(check, "pass", _app(app), sprintf("the auditor's own application %q holds no scope that can write", [_name(app)]), {"expected": "no scope that can write", "actual": _actual_scopes(app)})

_actual_scopes(app) := sort([s | some s in _scopes(app)]) if count(_scopes(app)) > 0

else := "no scope"
