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
