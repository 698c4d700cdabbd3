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
	[id | some id, _ in index.agents_by_id] == [1, 2] with input as unique

	# Duplicate ids take the general form: the first object of an id.
	dup := fx.tenant({"roles": [a, b, c], "agents": [fx.agent(1, "A", [], {}), fx.agent(1, "A again", [], {})]})
	index.roles_named("tickets") == [a, b] with input as dup
	index.agents_by_id[1].name == "A" with input as dup
}

# A tenant, and the index the engine builds for it with the keywords
# timezest and cove (audit/index.go): every look-up gives the same answer
# with the index and without it.
_roles := [fx.role("r1", "TimeZest role", {}), fx.role("r2", "Other", {}), fx.role("r1", "Copy", {}), fx.role("r4", " other ", {})]

_agents := [fx.agent(7, "MSPCentric API", [], {}), fx.agent(8, "Cove bot", [], {})]

_apps := [fx.app("a1", "Cove-HaloPSA", 0, []), fx.app("a2", "Other", 0, [])]

_plain := fx.tenant({"roles": _roles, "agents": _agents, "applications": _apps})

_indexed := object.union(_plain, {"index": {
	"roles_by_id": {"r1": 0, "r2": 1, "r4": 3},
	"roles_by_name": {"timezest role": [0], "other": [1, 3], "copy": [2]},
	"agents_by_id": {"7": 0, "8": 1},
	"agents_by_name": {"mspcentric api": [0], "cove bot": [1]},
	"applications_by_name": {"cove-halopsa": [0], "other": [1]},
	"keywords": {
		"roles": {"timezest": [0], "cove": []},
		"agents": {"timezest": [], "cove": [1]},
		"applications": {"timezest": [], "cove": [0]},
	},
}})

_answers := {
	"role r1": index.role_by_id("r1").name,
	"no role r9": [r | r := index.role_by_id("r9")],
	"role by ref": index.role({"id": "", "name": "OTHER"}).id,
	"roles named other": [r.id | some r in index.roles_named("other")],
	"no role named x": index.roles_named("x"),
	"agents named": [a.id | some a in index.agents_named("cove bot")],
	"applications named": [a.id | some a in index.applications_named("other")],
	"agent 7": index.agent(7).name,
	"agent \"8\"": index.agent("8").name,
	"no agent 9": [a | a := index.agent(9)],
	"roles with timezest": [r.id | some r in index.roles_with_keyword({"timezest", "nothing"})],
	"roles with cove": index.roles_with_keyword({"cove"}),
	"roles with a word not indexed": {r.id | some r in index.roles_with_keyword({"other"})},
	"agents with cove": [a.id | some a in index.agents_with_keyword({"cove"})],
	"agents with mspcentric": [a.id | some a in index.agents_with_keyword({"mspcentric"})],
	"applications with cove": [a.id | some a in index.applications_with_keyword({"cove"})],
}

test_lookups_agree_with_and_without_the_index if {
	plain := _answers with input as _plain
	indexed := _answers with input as _indexed
	plain == indexed
	plain == {
		"role r1": "TimeZest role",
		"no role r9": [],
		"role by ref": "r2",
		"roles named other": ["r2", "r4"],
		"no role named x": [],
		"agents named": [8],
		"applications named": ["a2"],
		"agent 7": "MSPCentric API",
		"agent \"8\"": "Cove bot",
		"no agent 9": [],
		"roles with timezest": ["r1"],
		"roles with cove": set(),
		"roles with a word not indexed": {"r2", "r4"},
		"agents with cove": [8],
		"agents with mspcentric": [7],
		"applications with cove": ["a1"],
	}
}

test_the_index_is_used_when_given if {
	# An index that disagrees with the lists wins: proof it is read.
	lying := object.union(_indexed, {"index": {"keywords": {"roles": {"timezest": [1]}}}})
	[r.id | some r in index.roles_with_keyword({"timezest"})] == ["r2"] with input as lying
	index.role_by_id("r2").name == "Other" with input as lying
}
