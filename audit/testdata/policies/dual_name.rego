# METADATA
# title: Dual Name (test)
# description: A vendor profile whose name has a dash.
# scope: package
# custom:
#   vendor: Dual Inc.
#   source: dual.txt
package halolint.profiles.dual_name

import data.halolint.lib.result

keywords := {"dual", "twofold"}

_apps := [app | some app in input.applications; contains(lower(app.display_name), "dual")]

_configured := input.config.profiles["dual-name"].application

_apps_by_config := [app | some app in input.applications; _configured != ""; app.display_name == _configured]

detected if count(_apps) > 0

detected if count(_apps_by_config) > 0

# METADATA
# title: The Dual application exists
# custom:
#   id: dual-name.application.exists
#   object: application
#   severity: high
#   remediation: Create an application named Dual.
#   source: dual.txt
results contains r if {
	detected
	r := {
		"check": "dual-name.application.exists",
		"status": "pass",
		"object": result.object("application", "", "Dual"),
		"message": "found",
	}
}

results contains r if {
	not detected
	r := {
		"check": "dual-name.application.exists",
		"status": "fail",
		"object": result.object("application", "", "Dual"),
		"message": "no application named Dual: create one",
	}
}

# METADATA
# title: The Dual category is set up
# custom:
#   id: dual-name.category.present
#   object: category
#   severity: low
#   remediation: Add the Dual category.
#   source: dual.txt
results contains {
	"check": "dual-name.category.present",
	"status": "manual",
	"object": result.object("category", "", "Dual"),
	"message": "look in the UI",
}
