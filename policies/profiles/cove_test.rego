package halolint.profiles.cove_test

import data.halolint.lib.document
import data.halolint.test.fixtures as fx

# The profile document's derived checks, as the generic Rego reads them.
_checks := data.halolint.documents.profiles.cove.checks

claim_requirements := {c.id: c | some c in _checks; c.kind == "claim"}

scopes := [c.scopes | some c in _checks; c.kind == "application_scopes"][0]

# Cove set up exactly as the document says: Application Identity with the
# Cove role as identity role.
claims := {"Tx": "2", "Ux": "2", "l6": "1", "l9": "1"}

role := object.union(fx.role("role-cove", "Cove-Role", claims), {"departments": [
	{"department_id": 1, "department_name": "Support", "membershiplevel": 3},
	{"department_id": 2, "department_name": "Projects", "membershiplevel": 3},
]})

app := fx.app("app-cove", "Cove-HaloPSA", 0, ["edit:tickets", "read:customers"])

category := {"id": 4, "value": "Cove Data Protection", "category_name": "", "type_id": 1}

tenant := fx.tenant({"roles": [role], "applications": [app, fx.auditor_app], "categories": [category]})

with_claims(c) := object.union(tenant, {"roles": [object.union(object.remove(role, ["claims"]), {"claims": c})]})

with_app(fields) := object.union(tenant, {"applications": [object.union(app, fields)]})

result(inp, check) := r if {
	rs := document.results.cove with input as inp
	r := fx.one(rs, check)
}

status(inp, check) := result(inp, check).status

claim_status(check, code, value) := status(with_claims(object.union(claims, {code: value})), check)

test_documented_setup if {
	rs := document.results.cove with input as tenant
	count(rs) == 13
	every r in rs {
		r.status == _expected_status(r.check)
	}
}

_expected_status(check) := "manual" if check in {"cove.role.department-membership", "cove.application.identity"}

else := "pass"

test_detected if {
	document.detected.cove with input as tenant
	not document.detected.cove with input as fx.empty
}

test_category if {
	status(tenant, "cove.category.cove-data-protection") == "pass"
	lower_case := object.union(tenant, {"categories": [{"id": 5, "value": "", "category_name": "cove data protection", "type_id": 1}]})
	status(lower_case, "cove.category.cove-data-protection") == "pass"
	r := result(object.union(tenant, {"categories": [{"id": 6, "value": "Backup", "category_name": "", "type_id": 1}]}), "cove.category.cove-data-protection")
	r.status == "fail"
	contains(r.message, "Category 1")
	failed := object.union(tenant, {"categories": [], "collection_errors": [fx.error("categories", "")]})
	status(failed, "cove.category.cove-data-protection") == "error"
}

test_department_membership_is_manual_with_raw_levels if {
	r := result(tenant, "cove.role.department-membership")
	r.status == "manual"
	r.actual == ["Projects: membership level 3", "Support: membership level 3"]
	contains(r.message, "Modify all")
	status(fx.empty, "cove.role.department-membership") == "fail"
	status(object.union(tenant, {"collection_errors": [fx.error("role", "role-cove")]}), "cove.role.department-membership") == "error"
}

test_every_claim_requirement_has_both_sides if {
	every id, req in claim_requirements {
		claim_status(id, req.claim, "0") == "fail"
		claim_status(id, req.claim, req.value) == "pass"
	}
}

test_tickets_access if {
	claim_status("cove.role.tickets-access", "Tx", "1") == "fail"
	claim_status("cove.role.tickets-access", "Tx", "2") == "pass"
}

test_customers_access if {
	claim_status("cove.role.customers-access", "Ux", "1") == "fail"
	claim_status("cove.role.customers-access", "Ux", "2") == "pass"
	claim_status("cove.role.customers-access", "Ux", "3") == "warn"
}

test_add_tickets if {
	claim_status("cove.role.add-tickets", "l6", "0") == "fail"
	claim_status("cove.role.add-tickets", "l6", "1") == "pass"
}

test_view_unassigned_tickets if {
	claim_status("cove.role.view-unassigned-tickets", "l9", "0") == "fail"
	claim_status("cove.role.view-unassigned-tickets", "l9", "1") == "pass"
}

test_not_admin if {
	status(tenant, "cove.role.not-admin") == "pass"
	claim_status("cove.role.not-admin", "SA", "true") == "fail"
}

test_undocumented if {
	status(tenant, "cove.role.undocumented") == "pass"
	claim_status("cove.role.undocumented", "lf", "1") == "warn"
}

test_role_by_config_name if {
	other := fx.role("role-x", "Backup integration", {"Tx": "1"})
	inp := object.union(tenant, {"roles": [role, other], "config": fx.config("cove", {"role": "Backup integration"})})
	r := result(inp, "cove.role.tickets-access")
	r.status == "fail"
	r.object.name == "Backup integration"
}

test_no_role_readiness if {
	r := result(fx.tenant({"applications": [app]}), "cove.role.tickets-access")
	r.status == "fail"
	contains(r.message, "Create it in Configuration > Teams & Agents > Roles")
}

test_roles_list_error if {
	inp := fx.tenant({"applications": [app], "collection_errors": [fx.error("roles", "")]})
	status(inp, "cove.role.tickets-access") == "error"
	status(inp, "cove.role.department-membership") == "error"
}

test_application_exists if {
	status(tenant, "cove.application.exists") == "pass"
	status(with_app({"inactive": true}), "cove.application.exists") == "fail"
	status(fx.empty, "cove.application.exists") == "fail"
}

test_auth_method if {
	status(tenant, "cove.application.auth-method") == "pass"
	status(with_app({"grant_type": "authorization_code"}), "cove.application.auth-method") == "fail"
	status(with_app({"grant_type": ""}), "cove.application.auth-method") == "manual"
}

test_identity if {
	r := result(tenant, "cove.application.identity")
	r.status == "manual"
	contains(r.message, "Application Identity")
	agent := fx.agent(9, "Cove robot", [role], {})
	inp := object.union(with_app({"loginas_agent_id": 9, "loginas_agent_name": "Cove robot"}), {"agents": [agent]})
	status(inp, "cove.application.identity") == "fail"
	status(with_app({"detailed": false}), "cove.application.identity") == "error"
}

# When the application does log in as an agent, that agent's effective
# permissions are judged.
test_login_agent_permissions_judged if {
	weak := fx.role("role-w", "Cove weak", {"Tx": "1"})
	agent := fx.agent(9, "Robot", [weak], {})
	inp := object.union(with_app({"loginas_agent_id": 9}), {"roles": [role, weak], "agents": [agent]})
	r := result(inp, "cove.role.tickets-access")
	r.status == "fail"
	r.object == {"type": "agent", "id": "9", "name": "Robot"}
}

test_scopes if {
	status(tenant, "cove.application.scopes") == "pass"
	status(with_app({"scopes": ["read:tickets", "read:customers"]}), "cove.application.scopes") == "fail"
	status(with_app({"scopes": ["edit:tickets", "edit:customers"]}), "cove.application.scopes") == "pass"
}

test_excess_scopes if {
	status(tenant, "cove.application.excess-scopes") == "pass"
	status(with_app({"scopes": ["edit:tickets", "read:customers", "read:tickets"]}), "cove.application.excess-scopes") == "pass"
	status(with_app({"scopes": ["edit:tickets", "read:customers", "read:assets"]}), "cove.application.excess-scopes") == "warn"
	status(with_app({"scopes": ["edit:tickets", "read:customers", "all"]}), "cove.application.excess-scopes") == "fail"
	status(with_app({"scopes": ["edit:tickets", "read:customers", "admin"]}), "cove.application.excess-scopes") == "fail"
	status(with_app({"detailed": false}), "cove.application.excess-scopes") == "error"
}

test_auditor_application_is_not_the_vendor_application if {
	aud := object.union(fx.auditor_app, {"display_name": "Cove audit"})
	inp := fx.tenant({"roles": [role], "applications": [aud]})
	status(inp, "cove.application.exists") == "fail"
}
