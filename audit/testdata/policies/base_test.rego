package halolint.profiles.base_test

import data.halolint.profiles.base

test_unnamed_role_fails if {
	some r in base.results with input as {"roles": [{"id": "1", "name": ""}], "applications": [], "control": {}}
	r.check == "base.role.named"
	r.status == "fail"
}

test_named_role_passes if {
	rs := base.results with input as {"roles": [{"id": "1", "name": "A"}], "applications": [], "control": {}}
	every r in rs {
		r.status == "pass"
	}
}
