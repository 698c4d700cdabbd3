# METADATA
# title: Generic checks
# description: |
#   The comparisons every profile shares. A profile states its requirements as
#   data (claim and required value, the status above it, scope lists) and each
#   of its check rules is one call into this package. Every function returns
#   one result object; an object that cannot be found gives fail with how to
#   create it, data that could not be collected gives error, never pass.
# scope: package
package halolint.lib.checks

import data.halolint.lib.claims
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

full_access_scopes := {s | some s in data.halolint.vocabulary.full_access_scopes}

# ---------------------------------------------------------------------------
# Role permissions (the agent's effective permissions, else the role's)

# claim(objs, req) judges one claim: req is {"check", "claim" (code),
# "value" (the documented value), "above" (status when higher: "warn",
# "fail", or absent when higher is fine), "label" (optional: the
# permission as the vendor words it, "Clients Access Level")}.
claim(objs, req) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, req.check, claims.decode(req.claim, req.value).label)
} else := r if {
	want := object.union(claims.decode(req.claim, req.value), {"claim": object.get(req, "label", claims.label(req.claim))})
	have := permissions.claim(objs.permissions.sources, req.claim)
	status := _claim_status(req, want, have)
	r := results.make(req.check, status, objs.permissions.subject, _claim_message(objs, status, want, have), {
		"expected": want.label,
		"actual": have.label,
		"granted_by": have.granted_by,
	})
}

_claim_status(req, want, have) := "manual" if {
	not have.known
} else := "fail" if {
	have.rank < want.rank
} else := "pass" if {
	have.rank == want.rank
} else := req.above if {
	_above_status(req)
} else := "pass"

_above_status(req) if req.above in {"warn", "fail"}

_claim_message(objs, "manual", want, have) := sprintf("%s of %s is %s%s, a value halolint cannot rank: check in HaloPSA that it is %s", [want.claim, _subject(objs), have.label, _by(have), want.label])

_claim_message(objs, "fail", want, have) := sprintf("%s of %s is %s%s; %s needs %s: set %s to %s on %s", [want.claim, _subject(objs), have.label, _by(have), objs.spec.vendor, want.label, want.claim, want.label, _fix_place(objs)]) if {
	have.rank < want.rank
}

_claim_message(objs, "pass", want, have) := sprintf("%s of %s is %s%s, as %s documents", [want.claim, _subject(objs), have.label, _by(have), objs.spec.vendor]) if {
	have.rank == want.rank
}

_claim_message(objs, "pass", want, have) := sprintf("%s of %s is %s%s, which includes the %s %s documents", [want.claim, _subject(objs), have.label, _by(have), want.label, objs.spec.vendor]) if {
	have.rank > want.rank
}

_claim_message(objs, status, want, have) := sprintf("%s of %s is %s%s, more than the %s %s documents: lower it to %s on %s", [want.claim, _subject(objs), have.label, _by(have), want.label, objs.spec.vendor, want.label, have.granted_by]) if {
	status in {"warn", "fail"}
	have.rank > want.rank
}

# not_admin(objs, check): the agent (or role) is not a HaloPSA Administrator.
not_admin(objs, check) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "No")
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	not have.known
	r := results.make(check, "manual", objs.permissions.subject, sprintf("Is a HaloPSA Administrator of %s is %s%s, a value halolint cannot read: check in HaloPSA that it is not ticked", [_subject(objs), have.label, _by(have)]), {"expected": "No", "actual": have.label, "granted_by": have.granted_by})
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	have.rank > 0
	r := results.make(check, "fail", objs.permissions.subject, sprintf("%s is a HaloPSA Administrator%s, which %s does not ask for: untick Is a HaloPSA Administrator on %s, or take that role off the agent", [_subject(objs), _by(have), objs.spec.vendor, have.granted_by]), {"expected": "No", "actual": "Yes", "granted_by": have.granted_by})
} else := results.make(check, "pass", objs.permissions.subject, sprintf("%s is not a HaloPSA Administrator", [_subject(objs)]), {"expected": "No", "actual": "No"})

# undocumented(objs, check, documented): no claim beyond the documented codes
# (SA aside: it has its own check) is above its lowest value.
undocumented(objs, check, documented) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "no other permission")
} else := r if {
	extras := _extras(objs, documented)
	count(extras) > 0
	listed := sort([sprintf("%s: %s (granted by %s)", [e.claim, e.label, e.granted_by]) | some e in extras])
	r := results.make(check, "warn", objs.permissions.subject, sprintf("%s has %d permission(s) %s does not document: %s. Set them back to No Access / No on the granting role, unless something else needs them%s", [_subject(objs), count(extras), objs.spec.vendor, concat("; ", listed), _admin_roles_note(objs)]), {
		"expected": "no permission beyond the documented ones",
		"actual": listed,
		"granted_by": text.join({g | some e in extras; some g in split(e.granted_by, ", ")}),
	})
} else := results.make(check, "pass", objs.permissions.subject, sprintf("%s has no permission beyond those %s documents%s", [_subject(objs), objs.spec.vendor, _admin_roles_note(objs)]), {"expected": "no permission beyond the documented ones", "actual": "none"})

# _extras: the claims above their lowest value beyond the documented codes
# and SA. An administrator role (other than the profile's role) is left out:
# the administrator check reports it, and its claims are not reported twice.
_extras(objs, documented) := [e |
	some code, e in permissions.granted(_judged_sources(objs))
	not code in documented
	code != "SA"
]

_judged_sources(objs) := [s | some s in objs.permissions.sources; not _admin_role_source(objs, s)]

_admin_role_source(objs, s) if {
	s.kind == "role"
	not _is_own_source(objs, s)
	claims.decode("SA", object.get(s.claims, "SA", "false")).rank > 0
}

_admin_roles_note(objs) := sprintf(" (the permissions of administrator role %s are left to the administrator check)", [text.quoted(names)]) if {
	names := {s.name | some s in objs.permissions.sources; _admin_role_source(objs, s)}
	count(names) > 0
} else := ""

_subject(objs) := sprintf("%s %q", [objs.permissions.subject.type, objs.permissions.subject.name])

_by(have) := sprintf(" (granted by %s)", [have.granted_by]) if have.granted_by != ""

else := ""

# _fix_place says where to raise a permission.
_fix_place(objs) := sprintf("role %q", [objs.role.name]) if objs.role.status == "found"

else := sprintf("one of %s's roles (or create the %s role: %s)", [_subject(objs), objs.spec.vendor, objs.spec.howto.role]) if objs.permissions.subject.type == "agent"

else := _subject(objs)

_no_permissions(objs, check, expected) := results.make(check, "fail", objs.permissions.subject, objs.permissions.message, {"expected": expected, "actual": "no role or agent found"}) if {
	objs.permissions.status == "missing"
} else := results.make(check, "error", objs.permissions.subject, objs.permissions.message, {"expected": expected})
