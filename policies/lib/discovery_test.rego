package halolint.lib.discovery_test

import data.halolint.lib.discovery
import data.halolint.test.fixtures as fx

spec := {
	"name": "cove",
	"vendor": "Cove",
	"keywords": ["cove"],
	"agent_by_keyword": true,
	"defaults": {"application": "Cove-HaloPSA", "agent": "Cove", "role": "Cove-Role"},
	"howto": {"application": "make app", "agent": "make agent", "role": "make role"},
}

test_phase_defaults_to_operate if {
	discovery.phase == "operate" with input as fx.empty
	discovery.phase == "setup" with input as fx.tenant({"phase": "setup"})
	discovery.phase == "operate" with input as fx.tenant({"phase": null})
}

test_application_config_over_keyword if {
	inp := fx.tenant({
		"applications": [fx.app("a1", "Cove", 0, []), fx.app("a2", "Backups", 0, [])],
		"config": fx.config("cove", {"application": "BACKUPS"}),
	})
	d := discovery.application(spec) with input as inp
	d.object.id == "a2"
	contains(d.by, "config")
}

test_application_active_before_inactive_then_name_then_id if {
	inactive := object.union(fx.app("a0", "A cove", 0, []), {"inactive": true})
	inp := fx.tenant({"applications": [inactive, fx.app("a3", "Cove B", 0, []), fx.app("a2", "Cove B", 0, []), fx.app("a1", "Cove C", 0, [])]})
	v1 := discovery.application(spec) with input as inp
	v1.object.id == "a2"
	only_inactive := fx.tenant({"applications": [inactive]})
	v2 := discovery.application(spec) with input as only_inactive
	v2.object.id == "a0"
}

test_application_skips_system_and_auditor if {
	sys := object.union(fx.app("a1", "Cove", 0, []), {"is_system": true})
	by_id := object.union(fx.app("app-auditor", "Cove audit", 0, []), {"client_id": "x"})
	inp := fx.tenant({"applications": [sys, by_id]})
	v3 := discovery.application(spec) with input as inp
	v3.status == "missing"
}

test_application_missing_and_error if {
	d := discovery.application(spec) with input as fx.empty
	d.status == "missing"
	contains(d.message, "make app")
	e := discovery.application(spec) with input as fx.tenant({"collection_errors": [fx.error("applications", "")]})
	e.status == "error"
}

test_agent_login_over_config_over_keyword if {
	login := fx.agent(5, "Robot", [], {})
	named := fx.agent(6, "Named", [], {})
	kw := fx.agent(7, "Cove agent", [], {})
	app := fx.app("a1", "Cove", 5, [])
	inp := fx.tenant({"applications": [app], "agents": [kw, named, login], "config": fx.config("cove", {"agent": "named"})})
	v4 := discovery.agent(spec, discovery.application(spec)) with input as inp
	v4.object.id == 5
	no_login := object.union(inp, {"applications": [fx.app("a1", "Cove", 0, [])]})
	v5 := discovery.agent(spec, discovery.application(spec)) with input as no_login
	v5.object.id == 6
	no_config := fx.tenant({"agents": [kw, named]})
	v6 := discovery.agent(spec, discovery.application(spec)) with input as no_config
	v6.object.id == 7
}

test_agent_keyword_prefers_enabled_api_agents if {
	human := object.union(fx.agent(1, "Cove A", [], {}), {"isapiagent": false})
	disabled := object.union(fx.agent(2, "Cove B", [], {}), {"isdisabled": true})
	api := fx.agent(3, "Cove C", [], {})
	inp := fx.tenant({"agents": [human, disabled, api]})
	v7 := discovery.agent(spec, discovery.application(spec)) with input as inp
	v7.object.id == 3
}

test_broken_login_agent_is_missing if {
	inp := fx.tenant({"applications": [fx.app("a1", "Cove", 99, [])], "agents": [fx.agent(7, "Cove agent", [], {})]})
	d := discovery.agent(spec, discovery.application(spec)) with input as inp
	d.status == "missing"
	contains(d.message, "id 99")
}

test_no_agent_without_keyword_search if {
	s := object.union(spec, {"agent_by_keyword": false})
	inp := fx.tenant({"agents": [fx.agent(7, "Cove agent", [], {})]})
	v8 := discovery.agent(s, discovery.application(s)) with input as inp
	v8.status == "none"
}

test_role_held_by_the_agent_first if {
	a := fx.role("r1", "Cove A", {})
	b := fx.role("r2", "Cove B", {})
	ag := fx.agent(7, "X", [b], {})
	inp := fx.tenant({"roles": [a, b], "agents": [ag]})
	v9 := discovery.role(spec, {"status": "found", "object": ag}) with input as inp
	v9.object.id == "r2"
	v10 := discovery.role(spec, {"status": "none"}) with input as inp
	v10.object.id == "r1"
}

test_view_falls_back_to_the_role if {
	r := fx.role("r1", "Cove-Role", {"Tx": "2"})
	inp := fx.tenant({"roles": [r]})
	o := discovery.objects(object.union(spec, {"agent_by_keyword": false})) with input as inp
	o.permissions.status == "known"
	o.permissions.subject == {"type": "role", "id": "r1", "name": "Cove-Role"}
}

test_view_missing_and_error if {
	v11 := discovery.objects(spec) with input as fx.empty
	v11.permissions.status == "missing"
	v12 := discovery.objects(spec) with input as fx.tenant({"collection_errors": [fx.error("agents", "")]})
	v12.permissions.status == "error"
}

test_is_auditor_by_flag_id_or_client_id if {
	discovery.is_auditor({"is_auditor": true, "id": "x", "client_id": "y"}) with input as fx.empty
	discovery.is_auditor({"id": "app-auditor", "client_id": "y"}) with input as fx.empty
	discovery.is_auditor({"id": "x", "client_id": "auditor-client"}) with input as fx.empty
	not discovery.is_auditor({"id": "x", "client_id": "y"}) with input as fx.empty

	# Ids of another type are compared as the strings results carry.
	numeric := fx.tenant({"auditor": {"client_id": "7", "application_id": "12"}})
	discovery.is_auditor({"id": 12, "client_id": "y"}) with input as numeric
	discovery.is_auditor({"id": "x", "client_id": 7}) with input as numeric

	# An unknown auditor matches nothing.
	unknown := fx.tenant({"auditor": {"client_id": "", "application_id": ""}})
	not discovery.is_auditor({"id": "", "client_id": ""}) with input as unknown
}

# An application whose details (and so its login agent) were not read has
# an unknown login agent: an agent found by keyword would be a guess.
test_agent_unknown_when_application_details_unread if {
	kw := fx.agent(7, "Cove agent", [], {})
	unread := object.union(fx.app("a1", "Cove", 0, []), {"detailed": false})
	inp := fx.tenant({"applications": [unread], "agents": [kw]})
	d := discovery.agent(spec, discovery.application(spec)) with input as inp
	d.status == "error"
	contains(d.message, `the login agent of application "Cove" is unknown: its details were not read`)
	o := discovery.objects(spec) with input as inp
	o.permissions.status == "error"

	failed := fx.tenant({"applications": [fx.app("a1", "Cove", 0, [])], "agents": [kw], "collection_errors": [fx.error("application", "a1")]})
	f := discovery.agent(spec, discovery.application(spec)) with input as failed
	f.status == "error"
	contains(f.message, "403")

	# Read, with no login agent: the keyword agent stands.
	read := fx.tenant({"applications": [fx.app("a1", "Cove", 0, [])], "agents": [kw]})
	r := discovery.agent(spec, discovery.application(spec)) with input as read
	r.object.id == 7
}
