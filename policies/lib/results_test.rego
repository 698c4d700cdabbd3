package halolint.lib.results_test

import data.halolint.lib.results

test_make_drops_empty_details if {
	r := results.make("x.y", "pass", results.tenant, "ok", {"expected": "a", "actual": "", "granted_by": null, "other": "z"})
	r == {"check": "x.y", "status": "pass", "object": results.tenant, "message": "ok", "expected": "a"}
	results.make("x.y", "warn", results.tenant, "ok", {"actual": [], "remediation": ["do"]}) == {"check": "x.y", "status": "warn", "object": results.tenant, "message": "ok", "remediation": ["do"]}
}
