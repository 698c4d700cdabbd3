package halolint.lib.index_test

import data.halolint.lib.index
import data.halolint.test.fixtures as fx

test_duplicates_keep_the_first if {
	a := fx.role("r1", "A", {})
	b := fx.role("r1", "B", {})
	v1 := index.roles_by_id with input as fx.tenant({"roles": [a, b]})
	v1.r1.name == "A"
}

test_agent_by_number_or_string if {
	inp := fx.tenant({"agents": [fx.agent(7, "Bot", [], {})]})
	index.agent(7).name == "Bot" with input as inp
	index.agent("7").name == "Bot" with input as inp
	not index.agent(8) with input as inp
}

test_loginas if {
	index.loginas({"loginas_agent_id": 5}) == 5
	index.loginas({"loginas_agent_id": 0}) == 0
	index.loginas({"loginas_agent_id": null}) == 0
	index.loginas({}) == 0
	index.loginas({"loginas_agent_id": "12"}) == 12
}

test_holds if {
	r := fx.role("r1", "TimeZest", {})
	index.holds(fx.agent(1, "A", [r], {}), r)
	index.holds({"roles": [{"id": "x", "name": "timezest"}]}, r)
	not index.holds(fx.agent(1, "A", [], {}), r)
}

test_one_pass_and_general_indexes_agree if {
	a := fx.role("r1", "Tickets", {})
	b := fx.role("r2", " tickets ", {})
	c := fx.role("r3", "Other", {})
	unique := fx.tenant({"roles": [a, c], "agents": [fx.agent(1, "A", [], {}), fx.agent(2, "B", [], {})]})
	index.roles_by_id == {"r1": a, "r3": c} with input as unique
	index.roles_by_name == {"tickets": [a], "other": [c]} with input as unique
	[id | some id, _ in index.agents_by_id] == [1, 2] with input as unique

	# Duplicate names and ids take the general form: every role of a name,
	# the first object of an id.
	dup := fx.tenant({"roles": [a, b, c], "agents": [fx.agent(1, "A", [], {}), fx.agent(1, "A again", [], {})]})
	index.roles_by_name.tickets == [a, b] with input as dup
	index.agents_by_id[1].name == "A" with input as dup
}

test_keyword_searches if {
	inp := fx.tenant({
		"roles": [fx.role("r1", "TimeZest role", {}), fx.role("r2", "Other", {})],
		"agents": [fx.agent(1, "MSPCentric API", [], {})],
		"applications": [fx.app("a1", "Cove-HaloPSA", 0, [])],
	})
	[r.id | some r in index.roles_with_keyword({"timezest", "nothing"})] == ["r1"] with input as inp
	count(index.roles_with_keyword({"cove"})) == 0 with input as inp
	[a.id | some a in index.agents_with_keyword({"mspcentric"})] == [1] with input as inp
	[a.id | some a in index.applications_with_keyword({"cove"})] == ["a1"] with input as inp
}
