# METADATA
# title: Entry point of the engine's test policies
# description: The shape of the real halolint.main, small enough to read.
# scope: package
package halolint.main

_pkg(name) := replace(name, "-", "_")

_name(pkg) := replace(pkg, "_", "-")

selected contains name if {
	some name in input.profiles
}

selected contains "base" if count(input.profiles) == 0

selected contains _name(pkg) if {
	count(input.profiles) == 0
	data.halolint.profiles[pkg].detected
}

results contains object.union(r, {"profile": name}) if {
	some name in selected
	some r in data.halolint.profiles[_pkg(name)].results
}

discovery_keywords contains kw if {
	some kw in data.halolint.profiles[_].keywords
}

discovery_keywords contains lower(n) if {
	some names in input.config.profiles
	some key in ["role", "agent"]
	n := names[key]
	n != ""
}
