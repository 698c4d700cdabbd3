package halolint.profiles.baseline_test

import data.halolint.profiles.baseline
import data.halolint.test.fixtures as fx

plain := fx.role("role-p", "Helpdesk", {"Tx": "2"})

tz_role := fx.role("role-tz", "TimeZest", {"Tx": "2"})

api := fx.agent(5, "Sync agent", [plain], {})

tz_agent := fx.agent(21, "TimeZest API", [tz_role], {})

admin_agent := fx.agent(6, "Admin API", [fx.admin_role], {})

app := fx.app("app-1", "Sync", 5, ["read:tickets"])

tenant := fx.tenant({
	"roles": [plain, tz_role, fx.admin_role],
	"agents": [api, tz_agent],
	"applications": [app, fx.auditor_app],
})

results(inp) := rs if {
	rs := baseline.results with input as inp
}

of(inp, check) := fx.all(results(inp), check)

# only(inp, check) is the single result of a check.
only(inp, check) := r if {
	rs := of(inp, check)
	count(rs) == 1
	some r in rs
}

test_clean_tenant_passes if {
	every r in results(tenant) {
		r.status == "pass"
	}
	count(results(tenant)) == 6
	only(tenant, "baseline.application.full-access-scope").object.type == "tenant"
}

test_detected if {
	baseline.detected with input as fx.empty
}

test_full_access_scope if {
	full := fx.app("app-2", "Reporting", 5, ["all:standard"])
	admin := fx.app("app-3", "Sync admin", 5, ["admin", "read:tickets"])
	inp := object.union(tenant, {"applications": [app, full, admin, fx.auditor_app]})
	rs := of(inp, "baseline.application.full-access-scope")
	count(rs) == 2
	every r in rs {
		r.status == "warn"
		r.object.type == "application"
	}
}

test_full_access_scope_ignores_inactive_system_and_auditor if {
	inactive := object.union(fx.app("app-2", "Old", 5, ["all"]), {"inactive": true})
	system := object.union(fx.app("app-3", "Halo mobile", 0, ["all"]), {"is_system": true})
	aud := object.union(fx.auditor_app, {"scopes": ["all"]})
	inp := object.union(tenant, {"applications": [app, inactive, system, aud]})
	only(inp, "baseline.application.full-access-scope").status == "pass"
}

test_full_access_scope_details_unread_is_error if {
	inp := object.union(tenant, {"applications": [object.union(app, {"detailed": false}), fx.auditor_app]})
	r := only(inp, "baseline.application.full-access-scope")
	r.status == "error"
	r.object.id == "app-1"
	only(object.union(fx.empty, {"collection_errors": [fx.error("applications", "")]}), "baseline.application.full-access-scope").status == "error"
}

# TimeZest documents all: passed while its login agent is no administrator.
test_full_access_scope_timezest_documented_all if {
	tz := fx.app("app-tz", "TimeZest", 21, ["all"])
	inp := object.union(tenant, {"applications": [app, tz, fx.auditor_app]})
	r := only(inp, "baseline.application.full-access-scope")
	r.status == "pass"
	r.message == "scope all documented by TimeZest; limited by the login agent's role"
	r.object.id == "app-tz"
}

test_full_access_scope_timezest_admin_agent_warns if {
	tz := fx.app("app-tz", "TimeZest", 21, ["all"])
	admin_tz := fx.agent(21, "TimeZest API", [tz_role, fx.admin_role], {})
	inp := object.union(tenant, {"agents": [api, admin_tz], "applications": [app, tz, fx.auditor_app]})
	r := only(inp, "baseline.application.full-access-scope")
	r.status == "warn"
	r.granted_by == "Administrator"
	flagged := object.union(tenant, {
		"roles": [plain, fx.role("role-tz", "TimeZest", {"SA": "true"}), fx.admin_role],
		"applications": [app, tz, fx.auditor_app],
	})
	only(flagged, "baseline.application.full-access-scope").status == "warn"
}

test_full_access_scope_timezest_other_full_scope_warns if {
	tz := fx.app("app-tz", "TimeZest", 21, ["all", "admin"])
	inp := object.union(tenant, {"applications": [app, tz, fx.auditor_app]})
	only(inp, "baseline.application.full-access-scope").status == "warn"
}

test_admin_login_agent if {
	only(tenant, "baseline.application.admin-login-agent").status == "pass"
	bad := fx.app("app-2", "Admin sync", 6, ["read:tickets"])
	inp := object.union(tenant, {"agents": [api, tz_agent, admin_agent], "applications": [app, bad, fx.auditor_app]})
	r := only(inp, "baseline.application.admin-login-agent")
	r.status == "fail"
	r.granted_by == "Administrator"
	r.object.id == "app-2"
}

test_admin_login_agent_unknown_is_error if {
	bad := fx.app("app-2", "Admin sync", 6, ["read:tickets"])
	unread := object.union(admin_agent, {"roles": [{"id": "role-p", "name": "Helpdesk"}], "detailed": false})
	inp := object.union(tenant, {"agents": [api, unread], "applications": [app, bad, fx.auditor_app]})
	only(inp, "baseline.application.admin-login-agent").status == "error"
}

test_admin_login_agent_ignores_the_auditor if {
	aud := object.union(fx.auditor_app, {"loginas_agent_id": 6})
	inp := object.union(tenant, {"agents": [api, admin_agent], "applications": [app, aud]})
	only(inp, "baseline.application.admin-login-agent").status == "pass"
}

test_broken_login_agent if {
	only(tenant, "baseline.application.broken-login-agent").status == "pass"
	missing := fx.app("app-2", "Ghost", 404, [])
	disabled := fx.app("app-3", "Sleeper", 7, [])
	sleeping := object.union(fx.agent(7, "Sleeping", [plain], {}), {"isdisabled": true})
	none := fx.app("app-4", "Identity", 0, [])
	inp := object.union(tenant, {"agents": [api, tz_agent, sleeping], "applications": [app, missing, disabled, none, fx.auditor_app]})
	rs := of(inp, "baseline.application.broken-login-agent")
	{r.object.id | some r in rs} == {"app-2", "app-3"}
	every r in rs {
		r.status == "fail"
	}
}

test_login_agent_checks_ignore_inactive_and_system_applications if {
	sleeping := object.union(fx.agent(7, "Sleeping", [plain], {}), {"isdisabled": true})
	old := object.union(fx.app("app-2", "Old admin sync", 6, ["read:tickets"]), {"inactive": true})
	halo := object.union(fx.app("app-3", "Halo mobile", 7, []), {"is_system": true})
	inp := object.union(tenant, {"agents": [api, admin_agent, sleeping], "applications": [app, old, halo, fx.auditor_app]})
	only(inp, "baseline.application.admin-login-agent").status == "pass"
	only(inp, "baseline.application.broken-login-agent").status == "pass"
}

test_broken_login_agent_agents_error if {
	inp := object.union(tenant, {"agents": [], "collection_errors": [fx.error("agents", "")]})
	rs := of(inp, "baseline.application.broken-login-agent")
	count(rs) == 1
	every r in rs {
		r.status == "error"
	}
}

test_api_agent_admin if {
	only(tenant, "baseline.agent.api-agent-admin").status == "pass"
	inp := object.union(tenant, {"agents": [api, admin_agent]})
	r := only(inp, "baseline.agent.api-agent-admin")
	r.status == "warn"
	r.object == {"type": "agent", "id": "6", "name": "Admin API"}
	disabled := object.union(tenant, {"agents": [api, object.union(admin_agent, {"isdisabled": true})]})
	only(disabled, "baseline.agent.api-agent-admin").status == "pass"
	human := object.union(tenant, {"agents": [api, object.union(admin_agent, {"isapiagent": false})]})
	only(human, "baseline.agent.api-agent-admin").status == "pass"
	own := object.union(tenant, {"agents": [object.union(api, {"claims": {"SA": "True"}})]})
	only(own, "baseline.agent.api-agent-admin").granted_by == "agent Sync agent"
}

test_api_agent_admin_unknown_is_error if {
	inp := object.union(tenant, {"agents": [object.union(api, {"detailed": false})]})
	only(inp, "baseline.agent.api-agent-admin").status == "error"
}

test_auditor_self if {
	r := only(tenant, "baseline.auditor.self")
	r.status == "pass"
	contains(r.message, "admin is what reading the configuration most likely needs")
	every scopes in [["all"], ["all:standard"], ["admin", "edit:tickets"]] {
		only(object.union(tenant, {"applications": [app, object.union(fx.auditor_app, {"scopes": scopes})]}), "baseline.auditor.self").status == "warn"
	}
	only(object.union(tenant, {"applications": [app, object.union(fx.auditor_app, {"scopes": ["read:tickets"]})]}), "baseline.auditor.self").status == "pass"
}

test_auditor_found_by_client_id if {
	aud := object.union(fx.app("app-x", "halolint", 0, ["all"]), {"client_id": "auditor-client"})
	inp := object.union(tenant, {"applications": [app, aud]})
	r := only(inp, "baseline.auditor.self")
	r.status == "warn"
	r.object.id == "app-x"
	only(inp, "baseline.application.full-access-scope").status == "pass"
}

test_auditor_not_found if {
	only(object.union(tenant, {"applications": [app]}), "baseline.auditor.self").status == "manual"
	only(object.union(fx.empty, {"collection_errors": [fx.error("applications", "")]}), "baseline.auditor.self").status == "error"
	only(object.union(tenant, {"applications": [app, object.union(fx.auditor_app, {"detailed": false})]}), "baseline.auditor.self").status == "error"
}

test_sensitive_permissions if {
	only(tenant, "baseline.agent.sensitive-permissions").status == "pass"
	sql := fx.role("role-sql", "Reporting", {"Ad": "1", "la": "0"})
	inp := object.union(tenant, {"roles": [plain, tz_role, sql], "agents": [fx.agent(5, "Sync agent", [plain, sql], {}), tz_agent]})
	r := only(inp, "baseline.agent.sensitive-permissions")
	r.status == "warn"
	r.object.id == "5"
	r.granted_by == "Reporting"
	contains(r.message, "Can create SQL data sources (granted by Reporting)")
	not contains(r.message, "Password fields")
}

test_sensitive_permissions_own_claim_and_human_agents if {
	own := fx.agent(5, "Sync agent", [plain], {"lv": "1"})
	r := only(object.union(tenant, {"agents": [own, tz_agent]}), "baseline.agent.sensitive-permissions")
	r.status == "warn"
	contains(r.message, "Can queue PowerShell scripts via a quick action (granted by agent Sync agent)")

	# A person's agent that no application logs in as is not an integration agent.
	human := object.union(fx.agent(8, "Jordan", [plain], {"Av": "1"}), {"isapiagent": false})
	only(object.union(tenant, {"agents": [api, tz_agent, human]}), "baseline.agent.sensitive-permissions").status == "pass"
}

test_sensitive_permissions_leave_administrators_to_their_checks if {
	inp := object.union(tenant, {"agents": [api, tz_agent, admin_agent]})
	only(inp, "baseline.agent.sensitive-permissions").status == "pass"
}

test_sensitive_permissions_unknown_is_error if {
	unread := object.union(api, {"detailed": false})
	only(object.union(tenant, {"agents": [unread, tz_agent]}), "baseline.agent.sensitive-permissions").status == "error"
}

# Each check is in exactly one part, and the parts together are results:
# the engine evaluates the parts instead of results.
messy := fx.tenant({
	"roles": [plain, tz_role, fx.admin_role],
	"agents": [api, tz_agent, admin_agent, object.union(fx.agent(7, "Gone API", [plain], {}), {"isdisabled": true})],
	"applications": [app, fx.auditor_app, fx.app("app-2", "Admin sync", 6, ["all"])],
})

test_results_are_the_parts_together if {
	every inp in [tenant, messy] {
		_parts_together(inp)
	}
}

_parts_together(inp) if {
	agents := baseline.parts.agents with input as inp
	applications := baseline.parts.applications with input as inp
	results(inp) == agents | applications
	count(agents) > 0
	count(applications) > 0
	count({r.check | some r in agents} & {r.check | some r in applications}) == 0
}
