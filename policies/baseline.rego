# METADATA
# title: Least privilege across the whole tenant
# description: |
#   Not tied to a vendor: looks at every application and agent. Halo's own
#   system applications are listed, never judged; the auditor's own
#   application is judged by baseline.auditor.self alone. Always selected by
#   default.
# scope: package
# custom:
#   vendor: halolint
#   source: halolint least-privilege baseline
package halolint.profiles.baseline

import data.halolint.lib.tenant

keywords := []

detected := true

# results is every check's; the checks come in two parts, of about the same
# cost on a large tenant, which the engine evaluates at once, one per core
# (docs/policy-authoring.md).
results contains r if {
	some part in parts
	some r in part
}

# METADATA
# title: No active application holds a full-access scope
# description: all, all:standard or admin on an active, non-system application; an all documented by the vendor profile owning the application passes while its login agent is no administrator.
# custom:
#   id: baseline.application.full-access-scope
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > (the application) > Permissions - untick all, all:standard and admin; tick only the scopes its integration documents
#   source: halolint least-privilege baseline
parts.applications contains r if {
	some r in tenant.full_access_scope("baseline.application.full-access-scope")
}

# METADATA
# title: No active application logs in as a HaloPSA Administrator
# custom:
#   id: baseline.application.admin-login-agent
#   object: application
#   severity: critical
#   remediation: Configuration > Integrations > HaloPSA API > Applications > (the application) > Details > Agent to log in as - an API-only agent that is no administrator; or Configuration > Teams & Agents > Agents > (the agent) > Roles - take the administrator rights off
#   source: halolint least-privilege baseline
parts.applications contains r if {
	some r in tenant.admin_login_agent("baseline.application.admin-login-agent")
}

# METADATA
# title: No active application logs in as a disabled or missing agent
# custom:
#   id: baseline.application.broken-login-agent
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > (the application) > Details > Agent to log in as - an existing, enabled agent; or untick Active if the integration is gone
#   source: halolint least-privilege baseline
parts.applications contains r if {
	some r in tenant.broken_login_agent("baseline.application.broken-login-agent")
}

# METADATA
# title: No enabled API-only agent is a HaloPSA Administrator
# custom:
#   id: baseline.agent.api-agent-admin
#   object: agent
#   severity: high
#   remediation: Configuration > Teams & Agents > Agents > (the agent) > Roles - remove the Administrator role; Configuration > Teams & Agents > Roles > (the role) > Permissions > Is a HaloPSA Administrator - untick
#   source: halolint least-privilege baseline
parts.agents contains r if {
	some r in tenant.api_agent_admin("baseline.agent.api-agent-admin")
}

# METADATA
# title: No integration agent holds a permission far beyond its area
# description: Can create SQL data sources, Password fields visible, Can queue PowerShell scripts via a quick action, Can create Roles, on an agent an active application logs in as or an enabled API-only agent, unless the vendor profile owning the agent documents it.
# custom:
#   id: baseline.agent.sensitive-permissions
#   object: agent
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions - untick the permission; or take that role off the agent
#   source: halolint least-privilege baseline
parts.agents contains r if {
	some r in tenant.sensitive_permissions("baseline.agent.sensitive-permissions")
}

# METADATA
# title: The auditor's own application holds no scope that can write
# description: halolint only reads; admin alone is what reading the configuration most likely needs.
# custom:
#   id: baseline.auditor.self
#   object: application
#   severity: medium
#   remediation: Configuration > Integrations > HaloPSA API > Applications > (halolint's application) > Permissions - untick all, all:standard and every edit:* scope; keep admin
#   source: halolint least-privilege baseline
parts.applications contains r if {
	some r in tenant.auditor_self("baseline.auditor.self")
}
