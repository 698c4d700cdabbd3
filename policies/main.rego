# METADATA
# title: halolint entry point
# description: |
#   The single entry point the engine queries: selected (the profiles
#   audited) and results (every result of every selected profile, each with
#   "profile" added). Also discovery_keywords, which tells the collector which
#   roles, agents and applications to read in detail.
# scope: package
package halolint.main

# profile_name(pkg) is the profile name of a package key: gradient_alerts is
# gradient-alerts.
profile_name(pkg) := replace(pkg, "_", "-")

package_key(name) := replace(name, "-", "_")

# profiles is every profile the policies define.
profiles contains profile_name(pkg) if {
	some pkg
	data.halolint.profiles[pkg].keywords
}

_explicit := {name | some name in input.profiles; name != "all"}

_all if "all" in input.profiles

# selected: the profiles named in input.profiles (all of them for "all"),
# else baseline plus every profile whose application is detected.
selected contains name if {
	some name in _explicit
}

selected contains name if {
	_all
	some name in profiles
}

selected contains "baseline" if count(input.profiles) == 0

selected contains profile_name(pkg) if {
	count(input.profiles) == 0
	data.halolint.profiles[pkg].detected == true
}

# results: every result of every selected profile, with its profile.
results contains object.union(r, {"profile": name}) if {
	some name in selected
	some r in data.halolint.profiles[package_key(name)].results
}

# discovery_keywords: every profile's keywords plus every name in the config
# file, lower-cased. The collector reads in detail the roles, agents and
# applications whose names contain one.
discovery_keywords contains lower(k) if {
	some pkg
	some k in data.halolint.profiles[pkg].keywords
	trim_space(k) != ""
}

discovery_keywords contains lower(trim_space(n)) if {
	some _, names in input.config.profiles
	some key in ["application", "role", "agent", "category"]
	n := names[key]
	is_string(n)
	trim_space(n) != ""
}
