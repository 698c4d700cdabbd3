package halolint.lib.tenant_test

import data.halolint.lib.tenant
import data.halolint.test.fixtures as fx

test_judged_excludes_inactive_system_and_auditor if {
	inp := fx.tenant({"applications": [
		fx.app("a1", "One", 0, []),
		object.union(fx.app("a2", "Two", 0, []), {"inactive": true}),
		object.union(fx.app("a3", "Three", 0, []), {"is_system": true}),
		fx.auditor_app,
	]})
	[a.id | some a in tenant.judged] == ["a1"] with input as inp
}

test_single_tenant_pass_when_nothing_found if {
	rs := tenant.full_access_scope("c") with input as fx.empty
	rs == {{"check": "c", "status": "pass", "object": {"type": "tenant", "id": "tenant", "name": "tenant"}, "message": "no active application (Halo's own and the auditor's aside) holds all, all:standard or admin"}}
}
