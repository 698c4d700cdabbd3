package halolint.profiles.gradient_alerts_test

import data.halolint.lib.document
import data.halolint.test.fixtures as fx

# The profile document's derived checks, as the generic Rego reads them.
_checks := data.halolint.documents.profiles["gradient-alerts"].checks

claim_requirements := {c.id: c | some c in _checks; c.kind == "claim"}

scopes := [c.scopes | some c in _checks; c.kind == "application_scopes"][0]

claims := {"Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1"}

role := fx.role("role-g", "MSPCentric", claims)

agent := fx.agent(7, "MSPCentric", [role], {})

app := fx.app("app-g", "MSPCentric", 7, scopes)

tenant := fx.tenant({"roles": [role], "agents": [agent], "applications": [app, fx.auditor_app]})

with_claims(c) := object.union(tenant, {"roles": [object.union(object.remove(role, ["claims"]), {"claims": c})]})

with_app(fields) := object.union(tenant, {"applications": [object.union(app, fields)]})

with_agent(fields) := object.union(tenant, {"agents": [object.union(agent, fields)]})

result(inp, check) := r if {
	rs := document.results["gradient-alerts"] with input as inp
	r := fx.one(rs, check)
}

status(inp, check) := result(inp, check).status

claim_status(check, code, value) := status(with_claims(object.union(claims, {code: value})), check)

test_documented_setup_passes_everything if {
	rs := document.results["gradient-alerts"] with input as tenant
	count(rs) == 15
	every r in rs {
		r.status == "pass"
	}
}

test_never_detected if {
	not document.detected["gradient-alerts"] with input as tenant
}

test_every_claim_requirement_has_both_sides if {
	every id, req in claim_requirements {
		claim_status(id, req.claim, "0") == "fail"
		claim_status(id, req.claim, req.value) == "pass"
	}
}

test_tickets_access if {
	claim_status("gradient-alerts.role.tickets-access", "Tx", "1") == "fail"
	claim_status("gradient-alerts.role.tickets-access", "Tx", "2") == "pass"
}

test_add_tickets if {
	claim_status("gradient-alerts.role.add-tickets", "l6", "0") == "fail"
	claim_status("gradient-alerts.role.add-tickets", "l6", "1") == "pass"
}

test_edit_closed_tickets if {
	claim_status("gradient-alerts.role.edit-closed-tickets", "lf", "0") == "fail"
	claim_status("gradient-alerts.role.edit-closed-tickets", "lf", "1") == "pass"
}

test_edit_unassigned_tickets if {
	claim_status("gradient-alerts.role.edit-unassigned-tickets", "le", "0") == "fail"
	claim_status("gradient-alerts.role.edit-unassigned-tickets", "le", "1") == "pass"
}

test_all_ticket_types if {
	claim_status("gradient-alerts.role.all-ticket-types", "Ft", "0") == "fail"
	claim_status("gradient-alerts.role.all-ticket-types", "Ft", "1") == "pass"
}

test_all_customers if {
	claim_status("gradient-alerts.role.all-customers", "Fc", "0") == "fail"
	claim_status("gradient-alerts.role.all-customers", "Fc", "1") == "pass"
}

test_not_admin if {
	status(tenant, "gradient-alerts.role.not-admin") == "pass"
	claim_status("gradient-alerts.role.not-admin", "SA", "true") == "fail"
}

# The billing permissions of the full gradient profile are extras here.
test_undocumented if {
	status(tenant, "gradient-alerts.role.undocumented") == "pass"
	r := result(with_claims(object.union(claims, {"Ux": "2", "Ix": "3"})), "gradient-alerts.role.undocumented")
	r.status == "warn"
	count(r.actual) == 2
}

test_agent_api_only if {
	status(tenant, "gradient-alerts.agent.api-only") == "pass"
	status(with_agent({"isapiagent": false}), "gradient-alerts.agent.api-only") == "fail"
}

test_agent_enabled if {
	status(tenant, "gradient-alerts.agent.enabled") == "pass"
	status(with_agent({"isdisabled": true}), "gradient-alerts.agent.enabled") == "fail"
}

test_application_exists if {
	status(tenant, "gradient-alerts.application.exists") == "pass"
	status(with_app({"inactive": true}), "gradient-alerts.application.exists") == "fail"
	status(fx.empty, "gradient-alerts.application.exists") == "fail"
}

test_auth_method if {
	status(tenant, "gradient-alerts.application.auth-method") == "pass"
	status(with_app({"grant_type": "password"}), "gradient-alerts.application.auth-method") == "fail"
	status(with_app({"grant_type": ""}), "gradient-alerts.application.auth-method") == "manual"
}

test_login_agent if {
	status(tenant, "gradient-alerts.application.login-agent") == "pass"
	status(with_app({"loginas_agent_id": 0}), "gradient-alerts.application.login-agent") == "fail"
}

test_config_names_use_the_profile_name if {
	other := fx.app("app-x", "Alerts app", 7, scopes)
	inp := object.union(tenant, {
		"applications": [object.union(app, {"scopes": ["all"]}), other],
		"config": fx.config("gradient-alerts", {"application": "Alerts app"}),
	})
	result(inp, "gradient-alerts.application.excess-scopes").object.id == "app-x"
}

test_scopes if {
	status(tenant, "gradient-alerts.application.scopes") == "pass"
	status(with_app({"scopes": ["edit:tickets", "edit:customers"]}), "gradient-alerts.application.scopes") == "pass"
	status(with_app({"scopes": ["read:tickets", "read:customers"]}), "gradient-alerts.application.scopes") == "fail"
}

test_excess_scopes if {
	status(tenant, "gradient-alerts.application.excess-scopes") == "pass"
	status(with_app({"scopes": array.concat(scopes, ["edit:invoices"])}), "gradient-alerts.application.excess-scopes") == "warn"
	r := result(with_app({"scopes": array.concat(scopes, ["all"])}), "gradient-alerts.application.excess-scopes")
	r.status == "fail"
	contains(r.message, "Gradient's authentication breaks")
	status(with_app({"scopes": array.concat(scopes, ["admin"])}), "gradient-alerts.application.excess-scopes") == "fail"
}
