# METADATA
# title: Baseline (test)
# description: Tenant-wide checks for the engine's tests.
# scope: package
# custom:
#   vendor: halolint
package halolint.profiles.base

import data.halolint.lib.result

# METADATA
# title: Every role has a name
# description: A role without a name cannot be told apart in the UI.
# related_resources:
#   - https://example.com/roles
# custom:
#   id: base.role.named
#   object: role
#   severity: low
#   remediation: Configuration > Teams & Agents > Roles > (the role) > Name
#   source: test-roles.txt
results contains {
	"check": "base.role.named",
	"status": result.status(role.name != ""),
	"object": result.object("role", role.id, role.name),
	"message": "role name checked",
	"expected": "a name",
	"actual": role.name,
} if {
	some role in input.roles
}

# METADATA
# title: Applications are active
# custom:
#   id: base.application.active
#   object: application
#   severity: medium
#   remediation: Tick Active on the application.
#   source: test-apps.txt
results contains r if {
	some app in input.applications
	app.inactive
	r := {
		"check": "base.application.active",
		"status": "warn",
		"object": result.object("application", app.id, app.display_name),
		"message": "application is inactive",
		"remediation": sprintf("Applications > %s > Active", [app.display_name]),
		"actual": ["inactive"],
	}
}

results contains r if {
	some app in input.applications
	not app.inactive
	r := {
		"check": "base.application.active",
		"status": "pass",
		"object": result.object("application", app.id, app.display_name),
		"message": "application is active",
	}
}

results contains r if {
	count(input.applications) == 0
	r := {
		"check": "base.application.active",
		"status": "pass",
		"object": result.object("tenant", "", ""),
		"message": "no application",
	}
}

# METADATA
# title: Control can be read
# custom:
#   id: base.setting.control
#   object: setting
#   severity: info
#   remediation: Grant the auditor read access to the configuration.
#   source: test-control.txt
results contains r if {
	input.control == null
	r := {
		"check": "base.setting.control",
		"status": "error",
		"object": result.object("setting", "control", "Control"),
		"message": "Control could not be read",
	}
}

results contains r if {
	input.control != null
	r := {
		"check": "base.setting.control",
		"status": "pass",
		"object": result.object("setting", "control", "Control"),
		"message": sprintf("phase %s, collected %v", [input.phase, input.collected_at]),
	}
}
