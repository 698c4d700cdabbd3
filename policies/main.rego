# METADATA
# title: halolint entry point
# description: |
#   The single entry point the engine queries: selected (the profiles
#   audited) and results (every result of every selected profile, each with
#   "profile" added). A profile is a document (data.halolint.documents,
#   evaluated by lib.document) or a Rego package halolint.profiles.<name>.
# scope: package
package halolint.main

import data.halolint.documents.profiles as documents
import data.halolint.lib.document

# profile_name(pkg) is the profile name of a package key: gradient_alerts is
# gradient-alerts.
profile_name(pkg) := replace(pkg, "_", "-")

package_key(name) := replace(name, "-", "_")

# profiles is every profile the policies define.
profiles contains profile_name(pkg) if {
	some pkg
	data.halolint.profiles[pkg].keywords
}

profiles contains name if some name, _ in documents

# selected: the profiles named in input.profiles (the engine decides an
# explicit selection, "all" expanded), else baseline plus every profile
# whose application is detected.
selected contains name if {
	some name in input.profiles
}

selected contains "baseline" if count(input.profiles) == 0

selected contains profile_name(pkg) if {
	count(input.profiles) == 0
	data.halolint.profiles[pkg].detected == true
}

selected contains name if {
	count(input.profiles) == 0
	document.detected[name]
}

# results: every result of every selected profile, with its profile.
results := results_of(selected)

# results_of(names) is every result of the profiles named, with its
# profile: what results is for a selection of exactly those. A profile's
# results do not depend on which others are selected, so the engine may
# evaluate the selection in groups, one per core, and join them.
results_of(names) := {object.union(r, {"profile": name}) |
	some name in names
	some r in data.halolint.profiles[package_key(name)].results
} | {object.union(r, {"profile": name}) |
	some name in names
	some r in document.results[name]
}

# results_of_part(name, part) is one part of a Rego profile's results, with
# its profile. A profile may split its checks into parts[part] sets whose
# union is its results (the baseline does): the engine then evaluates each
# part on a core of its own.
results_of_part(name, part) := {object.union(r, {"profile": name}) |
	some r in data.halolint.profiles[package_key(name)].parts[part]
}
