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
results contains object.union(r, {"profile": name}) if {
	some name in selected
	some r in data.halolint.profiles[package_key(name)].results
}

results contains object.union(r, {"profile": name}) if {
	some name in selected
	some r in document.results[name]
}
