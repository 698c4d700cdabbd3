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
details(r, d) := object.union(r, {k: v |
	some k, v in d
	k in {"expected", "actual", "granted_by", "remediation"}
	not _empty(v)
})

_empty(v) if v == null

_empty(v) if v == ""

_empty(v) if v == []

# make(check, status, obj, message, d) is result() then details().
make(check, status, obj, message, d) := details(result(check, status, obj, message), d)

# tenant is the object of a result about the whole tenant.
tenant := {"type": "tenant", "id": "tenant", "name": "tenant"}
