# METADATA
# title: Extra (custom)
# scope: package
# custom:
#   vendor: Someone
#   source: extra.txt
package halolint.profiles.extra

# METADATA
# title: Agents are API-only
# custom:
#   id: extra.agent.api
#   object: agent
#   severity: critical
#   remediation: Tick API-only.
#   source: extra.txt
results contains r if {
	some agent in input.agents
	r := {
		"check": "extra.agent.api",
		"status": _status(agent.isapiagent),
		"object": {"type": "agent", "id": format_int(agent.id, 10), "name": agent.name},
		"message": "checked",
		"granted_by": sprintf("agent %s", [agent.name]),
	}
}

_status(true) := "pass"

_status(false) := "fail"

# METADATA
# title: Never answers
# custom:
#   id: extra.tenant.silent
#   object: tenant
#   severity: low
#   remediation: Nothing.
#   source: extra.txt
results contains r if {
	false
	r := {}
}
