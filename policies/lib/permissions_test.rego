package halolint.lib.permissions_test

import data.halolint.lib.permissions
import data.halolint.test.fixtures as fx

r1 := fx.role("r1", "Billing", {"Tx": "1", "Hx": "3", "SA": "false"})

r2 := fx.role("r2", "Tickets", {"Tx": "2", "Hx": "1"})

agent := fx.agent(1, "Bot", [r1, r2], {"Ux": "2"})

tenant := fx.tenant({"roles": [r1, r2], "agents": [agent]})

sources := s if {
	s := permissions.agent_sources(agent) with input as tenant
}

test_sources_name_roles_and_the_agent if {
	[s.name | some s in sources] == ["Billing", "Tickets", "agent Bot"]
	permissions.known(sources)
}

test_most_permissive_value_names_its_role if {
	e := permissions.claim(sources, "Tx")
	e.label == "Read and Modify"
	e.granted_by == "Tickets"
	u := permissions.claim(sources, "Ux")
	u.granted_by == "agent Bot"
}

# Hx: 1 (Read and Modify (Own)) outranks 3 (Read Only).
test_rank_not_number_decides if {
	e := permissions.claim(sources, "Hx")
	e.value == "1"
	e.granted_by == "Tickets"
}

test_tie_names_every_source if {
	both := [permissions.role_source(fx.role("a", "A", {"l6": "1"})), permissions.role_source(fx.role("b", "B", {"l6": "true"}))]
	permissions.claim(both, "l6").granted_by == "A, B"
}

test_absent_claim_is_lowest_and_granted_by_nobody if {
	e := permissions.claim(sources, "Dx")
	e.label == "No Access"
	e.granted_by == ""
	permissions.claim(sources, "SA").rank == 0
}

test_granted_lists_claims_above_lowest if {
	g := permissions.granted(sources)
	object.keys(g) == {"Tx", "Hx", "Ux"}
}

test_granted_is_a_code_some_source_sets_above_zero if {
	a := permissions.role_source(fx.role("a", "A", {"Tx": "0", "Hx": "0", "zz": "-1"}))
	b := permissions.role_source(fx.role("b", "B", {"Tx": "2", "zz": "0"}))
	g := permissions.granted([a, b])
	object.keys(g) == {"Tx"}
	g.Tx == permissions.claim([a, b], "Tx")
	g.Tx.granted_by == "B"
}

test_unknown_when_a_role_was_not_read if {
	inp := fx.tenant({"roles": [r1, object.union(r2, {"detailed": false})], "agents": [agent]})
	s := permissions.agent_sources(agent) with input as inp
	not permissions.known(s)
	contains(permissions.unknown_reasons(s), `role "Tickets" were not read`)
}

test_unknown_when_a_role_is_missing if {
	inp := fx.tenant({"roles": [r1], "agents": [agent]})
	s := permissions.agent_sources(agent) with input as inp
	not permissions.known(s)
}

test_role_resolved_by_name_when_id_differs if {
	renamed := object.union(agent, {"roles": [{"id": "other-id", "name": "tickets"}]})
	s := permissions.agent_sources(renamed) with input as tenant
	s[0].name == "Tickets"
	s[0].known
}

test_unknown_when_the_agent_failed if {
	inp := fx.tenant({"roles": [r1, r2], "agents": [agent], "collection_errors": [fx.error("agent", "1")]})
	s := permissions.agent_sources(agent) with input as inp
	not permissions.known(s)
	contains(permissions.unknown_reasons(s), "403")
}

test_admin_state if {
	admin := fx.agent(2, "Admin", [fx.admin_role], {})
	inp := fx.tenant({"roles": [r1, r2, fx.admin_role], "agents": [agent, admin]})
	permissions.agent_admin(1) == {"state": "no"} with input as inp
	fast := permissions.agent_admin(2) with input as inp
	fast == {"state": "admin", "granted_by": "Administrator"}
	slow := permissions.admin_state(permissions.agent_sources(admin)) with input as inp
	slow == fast
}

test_admin_state_certain_despite_unknown_role if {
	admin := fx.agent(2, "Admin", [fx.admin_role, r2], {})
	inp := fx.tenant({"roles": [fx.admin_role, object.union(r2, {"detailed": false})], "agents": [admin]})
	permissions.agent_admin(2).state == "admin" with input as inp
	unknown := fx.tenant({"roles": [object.union(r2, {"detailed": false})], "agents": [fx.agent(3, "X", [r2], {})]})
	permissions.agent_admin(3).state == "unknown" with input as unknown
}

# The agent list's is_admin against the claims: the more permissive wins,
# and the source says where it comes from.
test_is_admin_counts_when_no_claim_grants_it if {
	flagged := object.union(agent, {"is_admin": true})
	inp := fx.tenant({"roles": [r1, r2], "agents": [flagged]})
	s := permissions.agent_sources(flagged) with input as inp
	e := permissions.claim(s, "SA")
	e.rank > 0
	contains(e.granted_by, "is_admin flag of agent Bot")
	st := permissions.agent_admin(1) with input as inp
	st.state == "admin"
	contains(st.granted_by, "is_admin")
	slow := permissions.admin_state(s) with input as inp
	slow.state == "admin"
}

test_is_admin_adds_nothing_when_a_role_grants_it if {
	admin := object.union(fx.agent(2, "Admin", [fx.admin_role], {}), {"is_admin": true})
	inp := fx.tenant({"roles": [fx.admin_role], "agents": [admin]})
	s := permissions.agent_sources(admin) with input as inp
	[x.name | some x in s] == ["Administrator", "agent Admin"]
	permissions.claim(s, "SA").granted_by == "Administrator"
}
