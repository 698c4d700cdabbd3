# METADATA
# title: Result builders
# description: |
#   Build the result objects of docs/policy-authoring.md: check, status,
#   object, message, and optionally expected, actual, granted_by and
#   remediation (empty values are left out).
# scope: package
package halolint.lib.results

# result(check, status, obj, message) is a result with the required keys.
result(check, status, obj, message) := {
	"check": check,
	"status": status,
	"object": obj,
	"message": message,
}

# details(r, d) adds the optional keys of details whose value is neither
# null nor "" nor an empty list.
details(r, d) := object.union(r, _kept(d))

_kept(d) := {k: v |
	some k, v in d
	k in {"expected", "actual", "granted_by", "remediation"}
	not v in {null, "", []}
}

# make(check, status, obj, message, d) is result() then details(), written
# out: every result is made here, and each user function call costs about
# as much as ten builtin ones.
make(check, status, obj, message, d) := object.union(
	{
		"check": check,
		"status": status,
		"object": obj,
		"message": message,
	},
	_kept(d),
)

# tenant is the object of a result about the whole tenant.
tenant := {"type": "tenant", "id": "tenant", "name": "tenant"}
