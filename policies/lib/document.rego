# METADATA
# title: Profile documents
# description: |
#   Evaluates every profile document (data.halolint.documents.profiles, the
#   data the engine compiles from policies/profiles/*.yaml and the --policy
#   folders' documents and hands to OPA's store): each derived check names the check function of
#   lib.checks to run and its arguments. Objects are found once per profile.
# scope: package
package halolint.lib.document

import data.halolint.documents.profiles
import data.halolint.lib.checks
import data.halolint.lib.discovery
import data.halolint.lib.text

# objects[name] is every object of profile name, found once.
objects[name] := discovery.objects(doc.spec) if some name, doc in profiles

# detected[name]: the profile's application is found, and the profile joins
# the default selection by itself.
detected[name] if {
	some name, doc in profiles
	doc.select == "auto"
	discovery.application(doc.spec).status == "found"
}

# results[name] is every result of profile name.
results[name] contains run(objects[name], c) if {
	some name, doc in profiles
	some c in doc.checks
}

# What the baseline asks of the documents, for every profile whether
# selected or not, so each finds only what it needs: the application and
# its login agent, never the role (a keyword scan over every role), and
# only for the documents that say something to the baseline.

_application[name] := discovery.application(doc.spec) if {
	some name, doc in profiles
	_speaks_to_baseline(doc)
}

_agent[name] := discovery.agent(doc.spec, _application[name]) if {
	some name, doc in profiles
	_speaks_to_baseline(doc)
}

_speaks_to_baseline(doc) if count(doc.full_access) > 0

_speaks_to_baseline(doc) if doc.spec.administrator == "documented"

_speaks_to_baseline(doc) if {
	some code in doc.documented_claims
	code in data.halolint.vocabulary.sensitive_claims
}

# full_access_documented[name] tells the baseline which full-access scopes
# the vendor documents for its application.
full_access_documented[name] := checks.documented_full_access(_login_objects(name, doc), doc.full_access) if {
	some name, doc in profiles
	count(doc.full_access) > 0
	_application[name].status == "found"
}

# _login_objects are the objects documented_full_access reads: the
# application, its login agent and that agent's permissions.
_login_objects(name, doc) := {
	"spec": doc.spec,
	"application": _application[name],
	"agent": _agent[name],
	"permissions": discovery.view(_agent[name], {"status": "none", "name": "", "message": "no login agent"}),
}

# documented_admin[name] is the login agent and application of a profile
# whose vendor documents administrator rights (administrator: documented):
# the baseline warns about them, naming the vendor, instead of failing.
documented_admin[name] := {
	"application_id": text.id(_application[name].object.id),
	"agent_id": _agent[name].object.id,
	"vendor": doc.spec.vendor,
	"source": doc.spec.source,
} if {
	some name, doc in profiles
	doc.spec.administrator == "documented"
	_application[name].status == "found"
	_agent[name].status == "found"
}

# documented_claims_of[agent_id] is every sensitive claim code the profiles
# owning that agent document.
documented_claims_of[agent_id] := {code |
	some name, doc in profiles
	_agent[name].status == "found"
	_agent[name].object.id == agent_id
	some code in doc.documented_claims
} if {
	some name, doc in profiles
	some code in doc.documented_claims
	code in data.halolint.vocabulary.sensitive_claims
	_agent[name].status == "found"
	agent_id := _agent[name].object.id
}

# run(objs, c) runs one derived check. Its kind is the first argument of
# _run, a constant in each head, so that OPA's rule index picks the one
# definition that applies instead of trying each.
run(objs, c) := _run(c.kind, objs, c)

_run("application_exists", objs, c) := checks.application_exists(objs, c.id)

_run("application_auth_method", objs, c) := checks.application_auth_method(objs, c.id, c)

_run("application_scopes", objs, c) := checks.application_scopes(objs, c.id, c.scopes)

_run("application_excess_scopes", objs, c) := checks.application_excess_scopes(objs, c.id, c.scopes)

_run("application_login_agent", objs, c) := checks.application_login_agent(objs, c.id)

_run("application_identity", objs, c) := checks.application_identity(objs, c.id)

_run("agent_api_only", objs, c) := checks.agent_api_only(objs, c.id)

_run("agent_enabled", objs, c) := checks.agent_enabled(objs, c.id)

_run("agent_holds_role", objs, c) := checks.agent_holds_role(objs, c.id, c.role)

_run("agent_undocumented_roles", objs, c) := checks.agent_undocumented_roles(objs, c.id)

_run("claim", objs, c) := checks.claim(objs, {"check": c.id, "claim": c.claim, "value": c.value, "above": c.above, "label": c.label})

_run("not_admin", objs, c) := checks.not_admin(objs, c.id)

_run("role_own_admin", objs, c) := checks.role_own_admin(objs, c.id)

_run("agent_admin_elsewhere", objs, c) := checks.agent_admin_elsewhere(objs, c.id)

_run("admin_documented", objs, c) := checks.admin_documented(objs, c.id)

_run("undocumented", objs, c) := checks.undocumented(objs, c.id, {code | some code in c.documented})

_run("department_membership", objs, c) := checks.department_membership(objs, c.id, c.value)

_run("category", objs, c) := checks.category(objs, c.id, c)

_run("control_flag", objs, c) := checks.control_flag(c.id, c.setting)

_run("manual", objs, c) := checks.manual(objs, c.id, c)
