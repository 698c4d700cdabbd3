package halolint.profiles.extra_test

import data.halolint.profiles.extra

test_api_agent_passes if {
	some r in extra.results with input as {"agents": [{"id": 1, "name": "A", "isapiagent": true}]}
	r.status == "pass"
}
