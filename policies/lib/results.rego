# METADATA
# title: Result builders
# description: |
#   Build the result objects of docs/policy-authoring.md: check, status,
#   object, message, and optionally expected, actual, granted_by and
#   remediation (empty values are left out).
# scope: package
package halolint.lib.results

# make(check, status, obj, message, d) is a result with the required keys
# and those of d among expected, actual, granted_by and remediation whose
# value is neither null nor "" nor an empty list. Every result is made
# here, so it calls no function of its own beyond _kept: each user
# function call costs about as much as ten builtin ones.
make(check, status, obj, message, d) := object.union(
	{
		"check": check,
		"status": status,
		"object": obj,
		"message": message,
	},
	_kept(d),
)

_kept(d) := {k: v |
	some k, v in d
	k in {"expected", "actual", "granted_by", "remediation"}
	not v in {null, "", []}
}

# tenant is the object of a result about the whole tenant.
tenant := {"type": "tenant", "id": "tenant", "name": "tenant"}
