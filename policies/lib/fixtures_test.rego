# Test fixtures shared by every policy test: an input document with every
# key present, and builders for roles, agents and applications.
package halolint.test.fixtures

empty := {
	"phase": "operate",
	"collected_at": "2026-11-22T10:00:00Z",
	"profiles": [],
	"auditor": {"client_id": "auditor-client", "application_id": "app-auditor"},
	"config": {"profiles": {
		"baseline": {"application": "", "role": "", "agent": "", "category": ""},
		"cove": {"application": "", "role": "", "agent": "", "category": ""},
		"gradient": {"application": "", "role": "", "agent": "", "category": ""},
		"gradient-alerts": {"application": "", "role": "", "agent": "", "category": ""},
		"timezest": {"application": "", "role": "", "agent": "", "category": ""},
	}},
	"roles": [],
	"agents": [],
	"applications": [],
	"categories": [],
	"control": {"force_accounts_id": false},
	"collection_errors": [],
}

# tenant(overrides) is the empty tenant with the given keys replaced.
tenant(overrides) := object.union(empty, overrides)

# config(profile, names) sets config-file names for one profile.
config(profile, names) := {"profiles": object.union(empty.config.profiles, {profile: object.union(empty.config.profiles[profile], names)})}

role(id, name, claims) := {
	"id": id,
	"name": name,
	"is_integration": false,
	"detailed": true,
	"claims": claims,
	"departments": [],
}

agent(id, name, roles, claims) := {
	"id": id,
	"name": name,
	"isdisabled": false,
	"isapiagent": true,
	"is_admin": false,
	"roles": [{"id": r.id, "name": r.name} | some r in roles],
	"detailed": true,
	"claims": claims,
}

app(id, name, loginas, scopes) := {
	"id": id,
	"client_id": concat("", ["client-", id]),
	"display_name": name,
	"inactive": false,
	"is_system": false,
	"is_auditor": false,
	"grant_type": "client_credentials",
	"credential_type": 0,
	"loginas_agent_id": loginas,
	"loginas_agent_name": "",
	"detailed": true,
	"scopes": scopes,
}

# auditor_app is halolint's own application, holding admin.
auditor_app := object.union(app("app-auditor", "halolint", 0, ["admin"]), {"client_id": "auditor-client", "is_auditor": true})

# admin_role is Halo's built-in Administrator role.
admin_role := role("role-admin", "Administrator", {"SA": "true"})

# error(resource, object_id) is a collection error.
error(resource, object_id) := {"resource": resource, "object_id": object_id, "endpoint": concat("", ["/api/", resource]), "status": 403, "message": "Forbidden"}

# one(results, check) is the single result of check among results.
one(results, check) := r if {
	some r in results
	r.check == check
}

# all(results, check) is every result of check.
all(results, check) := {r | some r in results; r.check == check}
