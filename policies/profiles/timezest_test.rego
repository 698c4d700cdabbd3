package halolint.profiles.timezest_test

import data.halolint.lib.document
import data.halolint.test.fixtures as fx

# The profile document's derived checks, as the generic Rego reads them.
_checks := data.halolint.documents.profiles.timezest.checks

claim_requirements := {c.id: c | some c in _checks; c.kind == "claim"}

scopes := [c.scopes | some c in _checks; c.kind == "application_scopes"][0]

# TimeZest configured as documented, after the setup (operate phase).
claims := {
	"Tx": "2", "Ux": "3", "Fx": "3", "Ax": "2", "Ox": "2", "l6": "1", "l9": "1", "l8": "1", "l7": "1", "le": "1",
	"lb": "3", "lg": "2", "lz": "3", "lr": "3", "Ft": "1", "Fc": "1", "SA": "false",
}

role := fx.role("role-tz", "TimeZest", claims)

agent := fx.agent(21, "TimeZest API", [role], {})

app := fx.app("app-tz", "TimeZest", 21, ["all"])

tenant := fx.tenant({"roles": [role, fx.admin_role], "agents": [agent], "applications": [app, fx.auditor_app]})

setup(inp) := object.union(inp, {"phase": "setup"})

with_claims(c) := object.union(tenant, {"roles": [object.union(object.remove(role, ["claims"]), {"claims": c}), fx.admin_role]})

with_role_admin := with_claims(object.union(claims, {"SA": "true"}))

with_agent(fields) := object.union(tenant, {"agents": [object.union(object.remove(agent, object.keys(fields)), fields)]})

# the agent also holds the built-in Administrator role.
with_admin_role := with_agent({"roles": [{"id": "role-tz", "name": "TimeZest"}, {"id": "role-admin", "name": "Administrator"}]})

with_app(fields) := object.union(tenant, {"applications": [object.union(app, fields)]})

result(inp, check) := r if {
	rs := document.results.timezest with input as inp
	r := fx.one(rs, check)
}

status(inp, check) := result(inp, check).status

claim_status(check, code, value) := status(with_claims(object.union(claims, {code: value})), check)

test_documented_setup_passes_everything if {
	rs := document.results.timezest with input as tenant
	count(rs) == 28
	every r in rs {
		r.status == "pass"
	}
}

test_detected if {
	document.detected.timezest with input as tenant
	not document.detected.timezest with input as fx.empty
}

test_every_claim_requirement_has_both_sides if {
	every id, req in claim_requirements {
		claim_status(id, req.claim, "0") == "fail"
		claim_status(id, req.claim, req.value) == "pass"
	}
}

test_tickets_access if {
	claim_status("timezest.role.tickets-access", "Tx", "1") == "fail"
	claim_status("timezest.role.tickets-access", "Tx", "2") == "pass"
}

test_customers_access if {
	claim_status("timezest.role.customers-access", "Ux", "2") == "fail"
	claim_status("timezest.role.customers-access", "Ux", "3") == "pass"
}

test_users_access if {
	claim_status("timezest.role.users-access", "Fx", "2") == "fail"
	claim_status("timezest.role.users-access", "Fx", "3") == "pass"
}

test_calendars_access if {
	claim_status("timezest.role.calendars-access", "Ax", "1") == "fail"
	claim_status("timezest.role.calendars-access", "Ax", "2") == "pass"
}

test_sales_access if {
	claim_status("timezest.role.sales-access", "Ox", "1") == "fail"
	claim_status("timezest.role.sales-access", "Ox", "2") == "pass"
}

test_add_tickets if {
	claim_status("timezest.role.add-tickets", "l6", "0") == "fail"
	claim_status("timezest.role.add-tickets", "l6", "1") == "pass"
}

test_view_unassigned_tickets if {
	claim_status("timezest.role.view-unassigned-tickets", "l9", "0") == "fail"
	claim_status("timezest.role.view-unassigned-tickets", "l9", "1") == "pass"
}

test_view_others_tickets if {
	claim_status("timezest.role.view-others-tickets", "l8", "0") == "fail"
	claim_status("timezest.role.view-others-tickets", "l8", "1") == "pass"
}

test_reassign_tickets if {
	claim_status("timezest.role.reassign-tickets", "l7", "0") == "fail"
	claim_status("timezest.role.reassign-tickets", "l7", "1") == "pass"
}

test_edit_unassigned_tickets if {
	claim_status("timezest.role.edit-unassigned-tickets", "le", "0") == "fail"
	claim_status("timezest.role.edit-unassigned-tickets", "le", "1") == "pass"
}

test_edit_appointments if {
	claim_status("timezest.role.edit-appointments", "lb", "1") == "fail"
	claim_status("timezest.role.edit-appointments", "lb", "3") == "pass"
	result(tenant, "timezest.role.edit-appointments").actual == "Can Edit All Appointments"
}

test_add_appointments if {
	claim_status("timezest.role.add-appointments", "lg", "1") == "fail"
	claim_status("timezest.role.add-appointments", "lg", "2") == "pass"
}

test_view_appointments if {
	claim_status("timezest.role.view-appointments", "lz", "2") == "fail"
	claim_status("timezest.role.view-appointments", "lz", "3") == "pass"
}

test_delete_appointments if {
	claim_status("timezest.role.delete-appointments", "lr", "1") == "fail"
	claim_status("timezest.role.delete-appointments", "lr", "3") == "pass"
}

test_all_ticket_types if {
	claim_status("timezest.role.all-ticket-types", "Ft", "0") == "fail"
	claim_status("timezest.role.all-ticket-types", "Ft", "1") == "pass"
}

test_all_customers if {
	claim_status("timezest.role.all-customers", "Fc", "0") == "fail"
	claim_status("timezest.role.all-customers", "Fc", "1") == "pass"
}

test_undocumented if {
	status(tenant, "timezest.role.undocumented") == "pass"
	claim_status("timezest.role.undocumented", "Dx", "2") == "warn"
	claim_status("timezest.role.undocumented", "SA", "true") == "pass"
}

# --- the administrator in two places

test_role_administrator_operate if {
	status(tenant, "timezest.role.administrator") == "pass"
	r := result(with_role_admin, "timezest.role.administrator")
	r.status == "fail"
	contains(r.message, "leftover administrator: remove it now that TimeZest is configured")
	contains(r.message, "phase operate")
	r.actual == "Yes"
}

test_role_administrator_setup if {
	r := result(setup(with_role_admin), "timezest.role.administrator")
	r.status == "pass"
	contains(r.message, "phase setup")
	status(setup(tenant), "timezest.role.administrator") == "fail"
}

test_agent_administrator_operate if {
	status(tenant, "timezest.agent.administrator") == "pass"
	r := result(with_admin_role, "timezest.agent.administrator")
	r.status == "fail"
	contains(r.message, "leftover administrator: remove the Administrator role from the TimeZest agent")
	r.granted_by == "Administrator"
	status(with_agent({"claims": {"SA": "true"}}), "timezest.agent.administrator") == "fail"
}

test_agent_administrator_setup if {
	status(setup(with_admin_role), "timezest.agent.administrator") == "pass"
	status(setup(tenant), "timezest.agent.administrator") == "fail"
}

# The role's own flag is the role check's finding only; the Administrator
# role on the agent is the agent check's only.
test_two_places_never_report_the_same_cause if {
	status(with_role_admin, "timezest.role.administrator") == "fail"
	status(with_role_admin, "timezest.agent.administrator") == "pass"
	status(with_admin_role, "timezest.role.administrator") == "pass"
	status(with_admin_role, "timezest.agent.administrator") == "fail"
	both := object.union(with_role_admin, {"agents": with_admin_role.agents})
	status(both, "timezest.role.administrator") == "fail"
	status(both, "timezest.agent.administrator") == "fail"
	result(both, "timezest.agent.administrator").granted_by == "Administrator"
}

# The role's own flag makes the agent an administrator: the agent check's
# pass must not say the agent holds no administrator role.
test_agent_administrator_pass_message_with_role_flag if {
	r := result(with_role_admin, "timezest.agent.administrator")
	r.status == "pass"
	not contains(r.message, "holds no administrator role")
	contains(r.message, `role "TimeZest"'s own Is a HaloPSA Administrator flag is judged by the role's administrator check`)
	contains(result(tenant, "timezest.agent.administrator").message, "holds no administrator role and no administrator claim of its own")
}

# In the setup phase one place holding the administrator serves the setup.
test_setup_admin_in_either_place if {
	status(setup(with_role_admin), "timezest.agent.administrator") == "pass"
	status(setup(with_admin_role), "timezest.role.administrator") == "pass"
}

# In the setup phase the role's own flag unticked is a fail only when the
# agent is known not to be an administrator some other way.
test_role_administrator_setup_other_place_unknown_is_error if {
	# the Administrator role on the agent was not read
	unread_admin := object.union(with_admin_role, {"roles": [role, object.union(fx.admin_role, {"detailed": false, "claims": {}})]})
	r := result(setup(unread_admin), "timezest.role.administrator")
	r.status == "error"
	contains(r.message, "unknown")

	# the agents could not be listed
	no_agents := object.union(tenant, {"agents": [], "collection_errors": [fx.error("agents", "")]})
	status(setup(no_agents), "timezest.role.administrator") == "error"

	# an administrator role that was read is certain despite another role
	# that was not
	other := fx.role("role-o", "Helpdesk", {})
	mixed := object.union(tenant, {
		"roles": [role, fx.admin_role, object.union(other, {"detailed": false})],
		"agents": [object.union(object.remove(agent, ["roles"]), {"roles": [{"id": "role-tz", "name": "TimeZest"}, {"id": "role-admin", "name": "Administrator"}, {"id": "role-o", "name": "Helpdesk"}]})],
	})
	m := result(setup(mixed), "timezest.role.administrator")
	m.status == "pass"
	m.granted_by == "Administrator"

	# no agent at all: nothing else can serve the setup
	status(setup(object.union(tenant, {"agents": [], "applications": []})), "timezest.role.administrator") == "fail"
}

test_administrator_unknown_is_error if {
	status(with_agent({"detailed": false}), "timezest.agent.administrator") == "error"
	unread := object.union(tenant, {"collection_errors": [fx.error("role", "role-tz")]})
	status(unread, "timezest.role.administrator") == "error"
}

with_control(c) := object.union(object.remove(tenant, ["control"]), {"control": c})

test_setting_accounts_id_optional if {
	status(tenant, "timezest.setting.accounts-id-optional") == "pass"
	r := result(with_control({"force_accounts_id": true}), "timezest.setting.accounts-id-optional")
	r.status == "fail"
	r.actual == "selected"
	r.object.type == "setting"
	status(with_control({"force_accounts_id": null}), "timezest.setting.accounts-id-optional") == "manual"
	status(with_control({}), "timezest.setting.accounts-id-optional") == "manual"
	failed := object.union(with_control(null), {"collection_errors": [fx.error("control", "")]})
	e := result(failed, "timezest.setting.accounts-id-optional")
	e.status == "error"
	contains(e.message, "403")
	status(with_control(null), "timezest.setting.accounts-id-optional") == "error"
}

test_agent_api_only if {
	status(tenant, "timezest.agent.api-only") == "pass"
	status(with_agent({"isapiagent": false}), "timezest.agent.api-only") == "fail"
}

test_agent_enabled if {
	status(tenant, "timezest.agent.enabled") == "pass"
	status(with_agent({"isdisabled": true}), "timezest.agent.enabled") == "fail"
}

test_agent_timezest_role if {
	status(tenant, "timezest.agent.timezest-role") == "pass"
	other := fx.role("role-o", "Helpdesk", {"Tx": "2"})
	inp := object.union(tenant, {
		"roles": [role, other],
		"agents": [object.union(object.remove(agent, ["roles"]), {"roles": [{"id": "role-o", "name": "Helpdesk"}]})],
	})
	status(inp, "timezest.agent.timezest-role") == "fail"
}

test_agent_undocumented_roles if {
	status(tenant, "timezest.agent.undocumented-roles") == "pass"
	other := fx.role("role-o", "Helpdesk", {"Tx": "2"})
	inp := object.union(tenant, {
		"roles": [role, other],
		"agents": [object.union(object.remove(agent, ["roles"]), {"roles": [{"id": "role-tz", "name": "TimeZest"}, {"id": "role-o", "name": "Helpdesk"}]})],
	})
	r := result(inp, "timezest.agent.undocumented-roles")
	r.status == "warn"
	contains(r.message, `"Helpdesk"`)
}

# TimeZest documents no role other than the TimeZest role "(and Administrator in
# the setup phase)": in the operate phase the Administrator role is
# undocumented.
test_agent_undocumented_roles_administrator if {
	s := result(setup(with_admin_role), "timezest.agent.undocumented-roles")
	s.status == "pass"
	contains(s.message, `administrator role "Administrator": allowed in the setup phase`)
	r := result(with_admin_role, "timezest.agent.undocumented-roles")
	r.status == "warn"
	contains(r.message, `holds role(s) "Administrator"`)
	contains(r.message, "needs it during the initial setup only")
	r.actual == ["Administrator", "TimeZest"]
}

# A custom role carrying the administrator flag counts as an administrator
# role: allowed in the setup phase, undocumented in the operate phase.
test_agent_undocumented_roles_custom_admin_role if {
	super := fx.role("role-su", "Superusers", {"SA": "1"})
	inp := object.union(tenant, {
		"roles": [role, super],
		"agents": [object.union(object.remove(agent, ["roles"]), {"roles": [{"id": "role-tz", "name": "TimeZest"}, {"id": "role-su", "name": "Superusers"}]})],
	})
	status(setup(inp), "timezest.agent.undocumented-roles") == "pass"
	status(inp, "timezest.agent.undocumented-roles") == "warn"
}

test_application_exists if {
	status(tenant, "timezest.application.exists") == "pass"
	status(with_app({"inactive": true}), "timezest.application.exists") == "fail"
	status(fx.empty, "timezest.application.exists") == "fail"
}

test_auth_method if {
	status(tenant, "timezest.application.auth-method") == "pass"
	status(with_app({"grant_type": "authorization_code"}), "timezest.application.auth-method") == "fail"
}

test_login_agent if {
	status(tenant, "timezest.application.login-agent") == "pass"
	status(with_app({"loginas_agent_id": 0}), "timezest.application.login-agent") == "fail"
	status(with_agent({"isapiagent": false}), "timezest.application.login-agent") == "fail"
}

test_scopes if {
	status(tenant, "timezest.application.scopes") == "pass"
	status(with_app({"scopes": ["edit:tickets"]}), "timezest.application.scopes") == "fail"
}

test_config_agent_name if {
	human := object.union(fx.agent(5, "Jane", [], {}), {"isapiagent": false})
	tz := fx.agent(21, "Scheduler", [role], {})
	inp := fx.tenant({
		"roles": [role],
		"agents": [human, tz],
		"config": fx.config("timezest", {"agent": "scheduler"}),
	})
	r := result(inp, "timezest.agent.api-only")
	r.status == "pass"
	r.object.name == "Scheduler"
}
