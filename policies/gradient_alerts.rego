# METADATA
# title: Gradient MSP, alerts only
# description: |
#   The "Alert Specific Permissions" of Gradient MSP's document: the same
#   objects and keywords as the gradient profile, with only what the Alerts
#   module needs. It is never selected by default (the two profiles are
#   alternatives): name it with -p gradient-alerts.
# scope: package
# custom:
#   vendor: Gradient MSP
#   source: 000_38df1217fac5a254.txt
# related_resources:
#   - ref: https://support.meetgradient.com/halo-integration
#     description: Gradient's current HaloPSA guide (the All permission breaks authentication)
package halolint.profiles.gradient_alerts

import data.halolint.lib.checks
import data.halolint.lib.discovery

keywords := ["gradient", "mspcentric", "synthesize"]

spec := {
	"name": "gradient-alerts",
	"vendor": "Gradient",
	"keywords": keywords,
	"agent_by_keyword": true,
	"defaults": {"application": "MSPCentric", "agent": "MSPCentric", "role": "MSPCentric"},
	"howto": {
		"application": "Create it in Configuration > Integrations > HaloPSA API > View Applications > New: Application Name MSPCentric, Authentication Method Client ID and Secret (Services), Login Type Agent, Agent to log in as the MSPCentric API-only agent, and on the Permissions tab read:tickets, edit:tickets, read:customers",
		"agent": "Create it in Configuration > Teams & Agents > Agents > New: username MSPCentric, role MSPCentric, API-only agent ticked",
		"role": "Create it in Configuration > Teams & Agents > Roles > New (for example MSPCentric) with the alert permissions Gradient documents, and give it to the MSPCentric API-only agent",
	},
	"all_scope_breaks": "Gradient's authentication breaks when the application has the All permission (scope all)",
}

objects := discovery.objects(spec)

# Never selected by default: it shares gradient's keywords and the two are
# alternatives.
detected := false

claim_requirements := {
	"gradient-alerts.role.tickets-access": {"claim": "Tx", "value": "2"},
	"gradient-alerts.role.add-tickets": {"claim": "l6", "value": "1"},
	"gradient-alerts.role.edit-closed-tickets": {"claim": "lf", "value": "1"},
	"gradient-alerts.role.edit-unassigned-tickets": {"claim": "le", "value": "1"},
	"gradient-alerts.role.all-ticket-types": {"claim": "Ft", "value": "1"},
	"gradient-alerts.role.all-customers": {"claim": "Fc", "value": "1"},
}

documented_claims := {req.claim | some req in claim_requirements}

scopes := ["read:tickets", "edit:tickets", "read:customers"]

_claim(id) := checks.claim(objects, object.union(claim_requirements[id], {"check": id}))

# METADATA
# title: Role grants Ticket Access Level "Read and Modify"
# custom:
#   id: gradient-alerts.role.tickets-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Ticket Access Level - Read and Modify
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.tickets-access")

# METADATA
# title: Role can add new tickets
# custom:
#   id: gradient-alerts.role.add-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can add new tickets - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.add-tickets")

# METADATA
# title: Role can edit closed tickets
# custom:
#   id: gradient-alerts.role.edit-closed-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can edit closed tickets - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.edit-closed-tickets")

# METADATA
# title: Role can edit tickets which are not assigned to them
# custom:
#   id: gradient-alerts.role.edit-unassigned-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can edit tickets which are not assigned to them - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.edit-unassigned-tickets")

# METADATA
# title: Role may use all Ticket Types
# custom:
#   id: gradient-alerts.role.all-ticket-types
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Ticket Type Restrictions > Allow use of all Ticket Types - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.all-ticket-types")

# METADATA
# title: Role may use all Clients
# custom:
#   id: gradient-alerts.role.all-customers
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Client Restrictions > Allow use of all Clients - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient-alerts.role.all-customers")

# METADATA
# title: The Gradient agent is not a HaloPSA Administrator
# custom:
#   id: gradient-alerts.role.not-admin
#   object: role
#   severity: critical
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions > General Permissions > Is a HaloPSA Administrator - untick; or take the Administrator role off the MSPCentric agent
#   source: 000_38df1217fac5a254.txt
results contains checks.not_admin(objects, "gradient-alerts.role.not-admin")

# METADATA
# title: No permission beyond Gradient's alert list
# custom:
#   id: gradient-alerts.role.undocumented
#   object: role
#   severity: low
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions - set every permission the alert setup does not document back to No Access / No
#   source: 000_38df1217fac5a254.txt
results contains checks.undocumented(objects, "gradient-alerts.role.undocumented", documented_claims)

# METADATA
# title: The Gradient agent is an API-only agent
# custom:
#   id: gradient-alerts.agent.api-only
#   object: agent
#   severity: medium
#   remediation: Configuration > Teams & Agents > Agents > MSPCentric - tick "API-only agent"
#   source: 000_38df1217fac5a254.txt
results contains checks.agent_api_only(objects, "gradient-alerts.agent.api-only")

# METADATA
# title: The Gradient agent is not disabled
# custom:
#   id: gradient-alerts.agent.enabled
#   object: agent
#   severity: high
#   remediation: Configuration > Teams & Agents > Agents > MSPCentric - enable the agent
#   source: 000_38df1217fac5a254.txt
results contains checks.agent_enabled(objects, "gradient-alerts.agent.enabled")

# METADATA
# title: The Gradient application exists and is active
# custom:
#   id: gradient-alerts.application.exists
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > New - Application Name MSPCentric, Active ticked
#   source: 000_38df1217fac5a254.txt
results contains checks.application_exists(objects, "gradient-alerts.application.exists")

# METADATA
# title: The Gradient application authenticates with Client ID and Secret (Services)
# custom:
#   id: gradient-alerts.application.auth-method
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Details > Authentication Method - Client ID and Secret (Services)
#   source: 000_38df1217fac5a254.txt
results contains checks.application_auth_method(objects, "gradient-alerts.application.auth-method")

# METADATA
# title: The Gradient application logs in as the API-only agent
# custom:
#   id: gradient-alerts.application.login-agent
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Details > Login Type - Agent; Agent to log in as - the MSPCentric API-only agent
#   source: 000_38df1217fac5a254.txt
results contains checks.application_login_agent(objects, "gradient-alerts.application.login-agent")

# METADATA
# title: The Gradient application has the alert scopes
# custom:
#   id: gradient-alerts.application.scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Permissions - tick read:tickets, edit:tickets, read:customers
#   source: 000_38df1217fac5a254.txt
results contains checks.application_scopes(objects, "gradient-alerts.application.scopes", scopes)

# METADATA
# title: The Gradient application has no scope beyond the alert scopes
# custom:
#   id: gradient-alerts.application.excess-scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Permissions - untick every scope but read:tickets, edit:tickets and read:customers (never All, which breaks Gradient's authentication)
#   source: 000_38df1217fac5a254.txt
# related_resources:
#   - ref: https://support.meetgradient.com/halo-integration
results contains checks.application_excess_scopes(objects, "gradient-alerts.application.excess-scopes", scopes)
