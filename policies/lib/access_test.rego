package halolint.lib.access_test

import data.halolint.lib.access
import data.halolint.test.fixtures as fx

# A role that reads tickets and has no access to assets, as the issue's
# example: scope all, tickets read, assets none.
readers := fx.role("r-read", "Ticket readers", {"Tx": "1", "Ux": "3", "Hx": "3", "Ad": "1"})

bot := fx.agent(7, "Sync Bot", [readers], {})

row(inp, id) := r if {
	some r in access.applications with input as inp
	r.id == id
}

tenant(apps) := fx.tenant({"roles": [readers, fx.admin_role], "agents": [bot], "applications": apps})

test_all_scope_limited_by_the_agent if {
	r := row(tenant([fx.app("a1", "Sync", 7, ["all"])]), "a1")
	r.access.tickets == "read"
	r.access.assets == "none"
	r.access.customers == "edit"
	r.access.timesheets == "read"
	r.login == {"type": "agent", "agent": {"id": 7, "name": "Sync Bot", "api_only": true, "enabled": true, "administrator": false}}
	r.sensitive == ["Can create SQL data sources"]
	r.errors == []
	r.active == true
}

test_scopes_limit_the_agent if {
	r := row(tenant([fx.app("a1", "Sync", 7, ["read:customers", "edit:tickets", "read:assets"])]), "a1")
	r.access.customers == "read"
	r.access.tickets == "read"
	r.access.assets == "none"
	r.access.invoices == "none"
	r.scopes == ["edit:tickets", "read:assets", "read:customers"]
}

test_edit_implies_read_and_edit_mine_is_edit if {
	access.scope_levels({"edit:tickets"}).tickets == "edit"
	access.scope_levels({"EditMine:timesheets"}).timesheets == "edit"
	access.scope_levels({"read:tickets"}).tickets == "read"
	access.scope_levels({"read:tickets"}).assets == "none"
	access.scope_levels({"read:tickets", "edit:tickets"}).tickets == "edit"
	access.scope_levels({"All:Standard"}).assets == "edit"
	access.scope_levels({"admin"}).tickets == "none"
	access.scope_levels({"edit:ticketsx", "read:tickets:x"}).tickets == "none"
	access.scope_levels(set()).tickets == "none"
}

test_administrator_permissions_are_its_claims if {
	admin := fx.agent(8, "Admin Bot", [fx.admin_role], {})
	inp := fx.tenant({"roles": [fx.admin_role], "agents": [admin], "applications": [fx.app("a1", "Old", 8, ["all"])]})
	r := row(inp, "a1")
	r.login.agent.administrator == true
	r.access.tickets == "none"
}

test_application_identity_is_bounded_by_its_scopes if {
	r := row(tenant([fx.app("a1", "Cove", 0, ["read:customers"])]), "a1")
	r.login == {"type": "application-identity"}
	r.access.customers == "read"
	r.access.tickets == "none"
	contains(r.notes[0], "Application Identity")
	r.errors == []
}

test_unread_details_are_unknown_never_none if {
	app := object.union(fx.app("a1", "Sync", 7, ["all"]), {"detailed": false})
	r := row(tenant([app]), "a1")
	r.access.tickets == "unknown"
	r.access.assets == "unknown"
	r.login.type == "unknown"
	r.scopes == []
	contains(r.errors[0], "were not read")
}

test_failed_details_name_the_request if {
	inp := object.union(tenant([fx.app("a1", "Sync", 7, ["all"])]), {"collection_errors": [fx.error("application", "a1")]})
	r := row(inp, "a1")
	r.access.tickets == "unknown"
	contains(r.errors[0], "answered 403")
}

test_unread_agent_leaves_only_what_the_scopes_forbid_known if {
	unread := object.union(readers, {"detailed": false})
	inp := fx.tenant({"roles": [unread], "agents": [bot], "applications": [fx.app("a1", "Sync", 7, ["read:tickets"])]})
	r := row(inp, "a1")
	r.access.tickets == "unknown"
	r.access.assets == "none"
	r.login.agent.administrator == null
	count(r.errors) == 1
}

test_missing_agent_can_do_nothing if {
	r := row(tenant([fx.app("a1", "Ghost", 99, ["all"])]), "a1")
	r.access.tickets == "none"
	r.login.agent.id == 99
	r.login.agent.enabled == null
	r.errors == []
	contains(r.notes[0], "does not exist")
}

test_agents_not_read_is_an_error if {
	inp := object.union(tenant([fx.app("a1", "Sync", 7, ["all"])]), {"agents": [], "collection_errors": [fx.error("agents", "")]})
	r := row(inp, "a1")
	r.access.tickets == "unknown"
	contains(r.errors[0], "the agents could not be read")
}

test_disabled_agent_is_noted if {
	off := object.union(bot, {"isdisabled": true})
	inp := fx.tenant({"roles": [readers], "agents": [off], "applications": [fx.app("a1", "Sync", 7, ["all"])]})
	r := row(inp, "a1")
	r.login.agent.enabled == false
	r.access.tickets == "read"
	r.notes == ["its login agent is disabled"]
}

test_system_applications_are_left_out_and_the_auditor_noted if {
	system := object.union(fx.app("s1", "HaloPSA Mobile App", 0, ["all"]), {"is_system": true})
	apps := access.applications with input as tenant([system, fx.auditor_app])
	[r.id | some r in apps] == ["app-auditor"]
	apps[0].auditor == true
	apps[0].access.tickets == "none"
}

test_unknown_value_assumes_more_access if {
	odd := fx.role("r-odd", "Odd", {"Tx": "7"})
	agent := fx.agent(9, "Odd Bot", [odd], {})
	inp := fx.tenant({"roles": [odd], "agents": [agent], "applications": [fx.app("a1", "Odd", 9, ["all"])]})
	row(inp, "a1").access.tickets == "edit"
}

test_applications_list_not_read if {
	errs := access.errors with input as fx.tenant({"collection_errors": [fx.error("applications", "")]})
	count(errs) == 1
}

test_authentication_label if {
	r := row(tenant([fx.app("a1", "Sync", 7, [])]), "a1")
	r.authentication == "Client ID and Secret (Services)"
	odd := object.union(fx.app("a2", "Web", 7, []), {"grant_type": "authorization_code"})
	row(tenant([odd]), "a2").authentication == "authorization_code"
}
