package halolint.profiles.gradient_test

import data.halolint.lib.document
import data.halolint.test.fixtures as fx

# The profile document's derived checks, as the generic Rego reads them.
_checks := data.halolint.documents.profiles.gradient.checks

claim_requirements := {c.id: c | some c in _checks; c.kind == "claim"}

scopes := [c.scopes | some c in _checks; c.kind == "application_scopes"][0]

# A Gradient setup done exactly as the document says.
claims := {"Ux": "2", "Ix": "3", "Xx": "2", "Cx": "2", "Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1", "SA": "false"}

role := fx.role("role-g", "MSPCentric", claims)

agent := fx.agent(7, "MSPCentric", [role], {})

app := fx.app("app-g", "MSPCentric", 7, scopes)

tenant := fx.tenant({"roles": [role], "agents": [agent], "applications": [app, fx.auditor_app]})

# with_claims(c) is the tenant with the role's claims replaced by c.
with_claims(c) := object.union(tenant, {"roles": [object.union(object.remove(role, ["claims"]), {"claims": c})]})

with_app(fields) := object.union(tenant, {"applications": [object.union(app, fields), fx.auditor_app]})

with_agent(fields) := object.union(tenant, {"agents": [object.union(agent, fields)]})

result(inp, check) := r if {
	rs := document.results.gradient with input as inp
	r := fx.one(rs, check)
}

status(inp, check) := result(inp, check).status

# claim_status(check, code, value) judges the role with one claim changed.
claim_status(check, code, value) := status(with_claims(object.union(claims, {code: value})), check)

absent_status(check, code) := status(with_claims(object.remove(claims, [code])), check)

test_documented_setup_passes_everything if {
	rs := document.results.gradient with input as tenant
	count(rs) == 19
	every r in rs {
		r.status == "pass"
	}
}

test_detected if {
	document.detected.gradient with input as tenant
	not document.detected.gradient with input as fx.empty
}

test_every_claim_requirement_has_both_sides if {
	every id, req in claim_requirements {
		claim_status(id, req.claim, "0") == "fail"
		absent_status(id, req.claim) == "fail"
		claim_status(id, req.claim, req.value) == "pass"
	}
}

test_customers_access if {
	claim_status("gradient.role.customers-access", "Ux", "1") == "fail"
	claim_status("gradient.role.customers-access", "Ux", "2") == "pass"
	claim_status("gradient.role.customers-access", "Ux", "3") == "warn"
	r := result(with_claims(object.union(claims, {"Ux": "3"})), "gradient.role.customers-access")
	r.expected == "Read Only"
	r.actual == "Read and Modify"
	r.granted_by == "MSPCentric"
	contains(r.message, "lower it to Read Only")
}

test_customers_access_fail_says_what_to_set if {
	r := result(with_claims(object.union(claims, {"Ux": "1"})), "gradient.role.customers-access")
	r.actual == "View (Names Only)"
	contains(r.message, `set Clients Access Level to Read Only on role "MSPCentric"`)
}

test_items_access if {
	claim_status("gradient.role.items-access", "Ix", "2") == "fail"
	claim_status("gradient.role.items-access", "Ix", "3") == "pass"
}

test_invoices_access if {
	claim_status("gradient.role.invoices-access", "Xx", "1") == "fail"
	claim_status("gradient.role.invoices-access", "Xx", "2") == "pass"
	claim_status("gradient.role.invoices-access", "Xx", "3") == "warn"
	result(tenant, "gradient.role.invoices-access").expected == "Read, Create and Modify"
}

test_contracts_access if {
	claim_status("gradient.role.contracts-access", "Cx", "1") == "fail"
	claim_status("gradient.role.contracts-access", "Cx", "2") == "pass"
}

test_tickets_access if {
	claim_status("gradient.role.tickets-access", "Tx", "1") == "fail"
	claim_status("gradient.role.tickets-access", "Tx", "2") == "pass"
	result(tenant, "gradient.role.tickets-access").actual == "Read and Modify"
}

test_ticket_flags if {
	every id in ["gradient.role.add-tickets", "gradient.role.edit-closed-tickets", "gradient.role.edit-unassigned-tickets", "gradient.role.all-ticket-types", "gradient.role.all-customers"] {
		code := claim_requirements[id].claim
		claim_status(id, code, "0") == "fail"
		claim_status(id, code, "1") == "pass"
		claim_status(id, code, "true") == "pass"
	}
}

test_add_tickets if {
	claim_status("gradient.role.add-tickets", "l6", "0") == "fail"
	claim_status("gradient.role.add-tickets", "l6", "1") == "pass"
}

test_edit_closed_tickets if {
	claim_status("gradient.role.edit-closed-tickets", "lf", "0") == "fail"
	claim_status("gradient.role.edit-closed-tickets", "lf", "1") == "pass"
}

test_edit_unassigned_tickets if {
	claim_status("gradient.role.edit-unassigned-tickets", "le", "0") == "fail"
	claim_status("gradient.role.edit-unassigned-tickets", "le", "1") == "pass"
}

test_all_ticket_types if {
	claim_status("gradient.role.all-ticket-types", "Ft", "0") == "fail"
	claim_status("gradient.role.all-ticket-types", "Ft", "1") == "pass"
}

test_all_customers if {
	claim_status("gradient.role.all-customers", "Fc", "0") == "fail"
	claim_status("gradient.role.all-customers", "Fc", "1") == "pass"
}

test_unrankable_value_is_manual if {
	claim_status("gradient.role.tickets-access", "Tx", "9") == "manual"
}

test_not_admin if {
	claim_status("gradient.role.not-admin", "SA", "false") == "pass"
	absent_status("gradient.role.not-admin", "SA") == "pass"
	claim_status("gradient.role.not-admin", "SA", "True") == "fail"
	r := result(with_claims(object.union(claims, {"SA": "true"})), "gradient.role.not-admin")
	r.granted_by == "MSPCentric"
	r.actual == "Yes"
}

test_not_admin_through_the_agent_own_claim if {
	r := result(with_agent({"claims": {"SA": "1"}}), "gradient.role.not-admin")
	r.status == "fail"
	r.granted_by == "agent MSPCentric"
}

test_undocumented if {
	status(tenant, "gradient.role.undocumented") == "pass"
	r := result(with_claims(object.union(claims, {"Dx": "1", "Hx": "3", "SA": "true"})), "gradient.role.undocumented")
	r.status == "warn"
	r.actual == ["Assets Access Level: Read Only (granted by MSPCentric)", "Timesheets Access Level: Read Only (granted by MSPCentric)"]
	r.granted_by == "MSPCentric"
	not contains(r.message, "Administrator")
}

test_undocumented_lowest_values_are_not_extras if {
	status(with_claims(object.union(claims, {"Dx": "0", "Hx": "0", "Av": "0"})), "gradient.role.undocumented") == "pass"
}

test_undocumented_unknown_code_reported_raw if {
	r := result(with_claims(object.union(claims, {"Q9": "2"})), "gradient.role.undocumented")
	r.status == "warn"
	contains(r.actual[0], "Q9")
}

# Two roles together meet the minimum while the agent's own claims make it
# an administrator.
test_effective_permissions_across_roles_and_own_claims if {
	billing := fx.role("role-b", "MSPCentric", {"Ux": "2", "Ix": "3", "Xx": "2", "Cx": "2"})
	tickets := fx.role("role-t", "Gradient tickets", {"Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1"})
	ag := fx.agent(7, "MSPCentric", [billing, tickets], {"SA": "true"})
	inp := fx.tenant({"roles": [billing, tickets], "agents": [ag], "applications": [app]})
	rs := document.results.gradient with input as inp
	fx.one(rs, "gradient.role.customers-access").status == "pass"
	fx.one(rs, "gradient.role.customers-access").granted_by == "MSPCentric"
	fx.one(rs, "gradient.role.tickets-access").status == "pass"
	fx.one(rs, "gradient.role.tickets-access").granted_by == "Gradient tickets"
	fx.one(rs, "gradient.role.not-admin").status == "fail"
	fx.one(rs, "gradient.role.not-admin").granted_by == "agent MSPCentric"
	fx.one(rs, "gradient.role.undocumented").status == "pass"
}

test_most_permissive_wins if {
	low := fx.role("role-low", "Gradient low", {"Ux": "1"})
	ag := fx.agent(7, "MSPCentric", [role, low], {})
	inp := object.union(tenant, {"roles": [role, low], "agents": [ag]})
	r := result(inp, "gradient.role.customers-access")
	r.status == "pass"
	r.granted_by == "MSPCentric"
}

test_role_not_read_is_error if {
	inp := with_claims(claims)
	err := object.union(inp, {"roles": [object.union(role, {"detailed": false, "claims": {}})]})
	every id in object.keys(claim_requirements) | {"gradient.role.not-admin", "gradient.role.undocumented"} {
		status(err, id) == "error"
	}
	failed := object.union(tenant, {"collection_errors": [fx.error("role", "role-g")]})
	status(failed, "gradient.role.tickets-access") == "error"
	contains(result(failed, "gradient.role.tickets-access").message, "403")
}

test_agent_not_read_is_error if {
	status(with_agent({"detailed": false}), "gradient.role.tickets-access") == "error"
	status(object.union(tenant, {"collection_errors": [fx.error("agent", "7")]}), "gradient.role.not-admin") == "error"
}

test_agent_api_only if {
	status(tenant, "gradient.agent.api-only") == "pass"
	status(with_agent({"isapiagent": false}), "gradient.agent.api-only") == "fail"
}

test_agent_enabled if {
	status(tenant, "gradient.agent.enabled") == "pass"
	r := result(with_agent({"isdisabled": true}), "gradient.agent.enabled")
	r.status == "fail"
	r.actual == "disabled"
}

test_application_exists if {
	status(tenant, "gradient.application.exists") == "pass"
	status(with_app({"inactive": true}), "gradient.application.exists") == "fail"
	r := result(fx.empty, "gradient.application.exists")
	r.status == "fail"
	contains(r.message, "Create it in Configuration > Integrations > HaloPSA API")
	r.object == {"type": "application", "id": "", "name": "MSPCentric"}
}

test_application_list_error if {
	inp := object.union(fx.empty, {"collection_errors": [fx.error("applications", "")]})
	every id in ["gradient.application.exists", "gradient.application.auth-method", "gradient.application.login-agent", "gradient.application.scopes", "gradient.application.excess-scopes"] {
		status(inp, id) == "error"
	}
}

test_auth_method if {
	status(tenant, "gradient.application.auth-method") == "pass"
	r := result(with_app({"grant_type": "authorization_code"}), "gradient.application.auth-method")
	r.status == "fail"
	r.actual == `grant_type "authorization_code"`
	status(with_app({"grant_type": ""}), "gradient.application.auth-method") == "manual"
	status(with_app({"grant_type": "", "detailed": false}), "gradient.application.auth-method") == "error"
}

test_login_agent if {
	status(tenant, "gradient.application.login-agent") == "pass"
	status(with_app({"loginas_agent_id": 0}), "gradient.application.login-agent") == "fail"
	status(with_app({"loginas_agent_id": 99}), "gradient.application.login-agent") == "fail"
	status(with_agent({"isapiagent": false}), "gradient.application.login-agent") == "fail"
	status(object.union(with_app({"loginas_agent_id": 99}), {"collection_errors": [fx.error("agents", "")]}), "gradient.application.login-agent") == "error"
}

test_login_agent_config_name_mismatch if {
	inp := object.union(tenant, {"config": fx.config("gradient", {"agent": "Gradient"})})
	r := result(inp, "gradient.application.login-agent")
	r.status == "fail"
	contains(r.message, `not "Gradient" named in the config file`)
}

test_scopes if {
	status(tenant, "gradient.application.scopes") == "pass"
	r := result(with_app({"scopes": ["read:customers", "edit:contracts", "edit:items", "edit:invoices", "edit:tickets"]}), "gradient.application.scopes")
	r.status == "pass"
	contains(r.message, "read:contracts is met by edit:contracts")
	f := result(with_app({"scopes": ["read:customers", "edit:contracts", "edit:items", "edit:invoices", "read:tickets"]}), "gradient.application.scopes")
	f.status == "fail"
	contains(f.message, "edit:tickets")
	status(with_app({"detailed": false}), "gradient.application.scopes") == "error"
	status(object.union(tenant, {"collection_errors": [fx.error("application", "app-g")]}), "gradient.application.scopes") == "error"
}

test_excess_scopes if {
	status(tenant, "gradient.application.excess-scopes") == "pass"
	status(with_app({"scopes": array.concat(scopes, ["read:assets"])}), "gradient.application.excess-scopes") == "warn"
	status(with_app({"scopes": array.concat(scopes, ["admin"])}), "gradient.application.excess-scopes") == "fail"
	status(with_app({"scopes": array.concat(scopes, ["all:standard"])}), "gradient.application.excess-scopes") == "fail"
	r := result(with_app({"scopes": array.concat(scopes, ["all"])}), "gradient.application.excess-scopes")
	r.status == "fail"
	contains(r.message, "Gradient's authentication breaks")
}

# Discovery: the config name wins over a keyword, an active application
# over an inactive one, the login agent over a keyword agent.
test_discovery_config_over_keyword if {
	other := fx.app("app-o", "Billing sync", 7, scopes)
	inp := object.union(tenant, {
		"applications": [object.union(app, {"scopes": ["all"]}), other],
		"config": fx.config("gradient", {"application": "billing sync"}),
	})
	r := result(inp, "gradient.application.excess-scopes")
	r.object.id == "app-o"
	r.status == "pass"
}

test_discovery_config_name_not_found if {
	inp := object.union(tenant, {"config": fx.config("gradient", {"application": "Gradient billing"})})
	r := result(inp, "gradient.application.exists")
	r.status == "fail"
	contains(r.message, `no application named "Gradient billing"`)
}

test_discovery_active_before_inactive if {
	old := object.union(fx.app("app-a", "A Gradient (old)", 7, ["all"]), {"inactive": true})
	inp := object.union(tenant, {"applications": [old, app]})
	result(inp, "gradient.application.exists").object.id == "app-g"
}

test_discovery_tie_break_by_name if {
	second := fx.app("app-z", "Synthesize", 7, ["all"])
	inp := object.union(tenant, {"applications": [second, app]})
	result(inp, "gradient.application.exists").object.id == "app-g"
}

test_discovery_system_and_auditor_apps_ignored if {
	sys := object.union(fx.app("app-s", "Gradient system", 0, []), {"is_system": true})
	aud := object.union(fx.auditor_app, {"display_name": "Gradient audit"})
	inp := fx.tenant({"roles": [role], "agents": [agent], "applications": [sys, aud]})
	status(inp, "gradient.application.exists") == "fail"
	not document.detected.gradient with input as inp
}

test_discovery_login_agent_over_keyword_agent if {
	decoy := object.union(fx.agent(3, "Gradient", [role], {}), {"isapiagent": false})
	login := fx.agent(7, "Billing robot", [role], {})
	inp := object.union(tenant, {"agents": [decoy, login]})
	r := result(inp, "gradient.agent.api-only")
	r.object.id == "7"
	r.status == "pass"
}

test_discovery_keyword_agent_without_application if {
	inp := fx.tenant({"roles": [role], "agents": [agent]})
	status(inp, "gradient.agent.api-only") == "pass"
	status(inp, "gradient.role.tickets-access") == "pass"
	status(inp, "gradient.application.exists") == "fail"
}

# The application's details were not read: its login agent is unknown, so
# the keyword agent's permissions are not judged in its place.
test_discovery_application_details_unread_is_error if {
	inp := with_app({"detailed": false, "loginas_agent_id": 0})
	every id in ["gradient.role.tickets-access", "gradient.role.not-admin", "gradient.role.undocumented", "gradient.agent.api-only", "gradient.agent.enabled", "gradient.application.login-agent"] {
		status(inp, id) == "error"
	}
	contains(result(inp, "gradient.agent.api-only").message, `the login agent of application "MSPCentric" is unknown`)
	status(inp, "gradient.application.exists") == "pass"
}

test_discovery_role_without_agent if {
	inp := fx.tenant({"roles": [role]})
	r := result(inp, "gradient.role.tickets-access")
	r.status == "pass"
	r.object.type == "role"
	status(inp, "gradient.agent.api-only") == "fail"
}

test_readiness_nothing_exists if {
	rs := document.results.gradient with input as fx.empty
	count(rs) == 19
	every r in rs {
		r.status == "fail"
		contains(r.message, "Create it")
	}
}
