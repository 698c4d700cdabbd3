# METADATA
# title: Gradient MSP (MSPCentric), billing and alerts
# description: |
#   The role, API-only agent and API application Gradient MSP (MSPCentric)
#   documents for billing and alerts (the SonicWall app's Alerts module). Use
#   this profile or gradient-alerts, not both.
# scope: package
# custom:
#   vendor: Gradient MSP
#   source: 000_38df1217fac5a254.txt
# related_resources:
#   - ref: https://support.meetgradient.com/halo-integration
#     description: Gradient's current HaloPSA guide (the All permission breaks authentication)
package halolint.profiles.gradient

import data.halolint.lib.checks
import data.halolint.lib.discovery

keywords := ["gradient", "mspcentric", "synthesize"]

# The objects' default names and how to create each one.
spec := {
	"name": "gradient",
	"vendor": "Gradient",
	"keywords": keywords,
	"agent_by_keyword": true,
	"defaults": {"application": "MSPCentric", "agent": "MSPCentric", "role": "MSPCentric"},
	"howto": {
		"application": "Create it in Configuration > Integrations > HaloPSA API > View Applications > New: Application Name MSPCentric, Authentication Method Client ID and Secret (Services), Login Type Agent, Agent to log in as the MSPCentric API-only agent, and on the Permissions tab read:customers, read:contracts, edit:contracts, read:items, edit:items, read:invoices, edit:invoices, read:tickets, edit:tickets",
		"agent": "Create it in Configuration > Teams & Agents > Agents > New: username MSPCentric, role MSPCentric, API-only agent ticked",
		"role": "Create it in Configuration > Teams & Agents > Roles > New (for example MSPCentric) with the permissions Gradient documents, and give it to the MSPCentric API-only agent",
	},
	"all_scope_breaks": "Gradient's authentication breaks when the application has the All permission (scope all)",
}

objects := discovery.objects(spec)

detected if discovery.application(spec).status == "found"

# The role permissions Gradient documents: claim code -> documented value,
# and the status when the agent has more.
claim_requirements := {
	"gradient.role.customers-access": {"claim": "Ux", "value": "2", "above": "warn"},
	"gradient.role.items-access": {"claim": "Ix", "value": "3"},
	"gradient.role.invoices-access": {"claim": "Xx", "value": "2", "above": "warn"},
	"gradient.role.contracts-access": {"claim": "Cx", "value": "2"},
	"gradient.role.tickets-access": {"claim": "Tx", "value": "2"},
	"gradient.role.add-tickets": {"claim": "l6", "value": "1"},
	"gradient.role.edit-closed-tickets": {"claim": "lf", "value": "1"},
	"gradient.role.edit-unassigned-tickets": {"claim": "le", "value": "1"},
	"gradient.role.all-ticket-types": {"claim": "Ft", "value": "1"},
	"gradient.role.all-customers": {"claim": "Fc", "value": "1"},
}

documented_claims := {req.claim | some req in claim_requirements}

scopes := ["read:customers", "read:contracts", "edit:contracts", "read:items", "edit:items", "read:invoices", "edit:invoices", "read:tickets", "edit:tickets"]

_claim(id) := checks.claim(objects, object.union(claim_requirements[id], {"check": id}))

# METADATA
# title: Role grants Clients Access Level "Read Only"
# custom:
#   id: gradient.role.customers-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Clients Access Level - Read Only
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.customers-access")

# METADATA
# title: Role grants Items Access Level "Read and Modify"
# custom:
#   id: gradient.role.items-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Items Access Level - Read and Modify
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.items-access")

# METADATA
# title: Role grants Invoices Access Level "Read, Create and Modify"
# custom:
#   id: gradient.role.invoices-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Invoices Access Level - Read, Create and Modify
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.invoices-access")

# METADATA
# title: Role grants Client Contracts Access Level "Read and Modify"
# custom:
#   id: gradient.role.contracts-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Client Contracts Access Level - Read and Modify
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.contracts-access")

# METADATA
# title: Role grants Tickets Access Level "Read and Modify"
# custom:
#   id: gradient.role.tickets-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Feature Access > Tickets Access Level - Read and Modify
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.tickets-access")

# METADATA
# title: Role can add new tickets
# custom:
#   id: gradient.role.add-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can add new tickets - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.add-tickets")

# METADATA
# title: Role can edit closed tickets
# custom:
#   id: gradient.role.edit-closed-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can edit closed tickets - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.edit-closed-tickets")

# METADATA
# title: Role can edit tickets which are not assigned to them
# custom:
#   id: gradient.role.edit-unassigned-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Permissions > Ticket Permissions > Can edit tickets which are not assigned to them - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.edit-unassigned-tickets")

# METADATA
# title: Role may use all Ticket Types
# custom:
#   id: gradient.role.all-ticket-types
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Ticket Type Restrictions > Allow use of all Ticket Types - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.all-ticket-types")

# METADATA
# title: Role may use all Clients
# custom:
#   id: gradient.role.all-customers
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > (the MSPCentric role) > Client Restrictions > Allow use of all Clients - yes
#   source: 000_38df1217fac5a254.txt
results contains _claim("gradient.role.all-customers")

# METADATA
# title: The Gradient agent is not a HaloPSA Administrator
# custom:
#   id: gradient.role.not-admin
#   object: role
#   severity: critical
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions > General Permissions > Is a HaloPSA Administrator - untick; or take the Administrator role off the MSPCentric agent
#   source: 000_38df1217fac5a254.txt
results contains checks.not_admin(objects, "gradient.role.not-admin")

# METADATA
# title: No access level or ticket permission beyond Gradient's list
# custom:
#   id: gradient.role.undocumented
#   object: role
#   severity: low
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions - set every permission Gradient does not document back to No Access / No
#   source: 000_38df1217fac5a254.txt
results contains checks.undocumented(objects, "gradient.role.undocumented", documented_claims)

# METADATA
# title: The Gradient agent is an API-only agent
# custom:
#   id: gradient.agent.api-only
#   object: agent
#   severity: medium
#   remediation: Configuration > Teams & Agents > Agents > MSPCentric - tick "API-only agent"
#   source: 000_38df1217fac5a254.txt
results contains checks.agent_api_only(objects, "gradient.agent.api-only")

# METADATA
# title: The Gradient agent is not disabled
# custom:
#   id: gradient.agent.enabled
#   object: agent
#   severity: high
#   remediation: Configuration > Teams & Agents > Agents > MSPCentric - enable the agent
#   source: 000_38df1217fac5a254.txt
results contains checks.agent_enabled(objects, "gradient.agent.enabled")

# METADATA
# title: The Gradient application exists and is active
# custom:
#   id: gradient.application.exists
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > New - Application Name MSPCentric, Active ticked
#   source: 000_38df1217fac5a254.txt
results contains checks.application_exists(objects, "gradient.application.exists")

# METADATA
# title: The Gradient application authenticates with Client ID and Secret (Services)
# custom:
#   id: gradient.application.auth-method
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Details > Authentication Method - Client ID and Secret (Services)
#   source: 000_38df1217fac5a254.txt
results contains checks.application_auth_method(objects, "gradient.application.auth-method")

# METADATA
# title: The Gradient application logs in as the API-only agent
# custom:
#   id: gradient.application.login-agent
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Details > Login Type - Agent; Agent to log in as - the MSPCentric API-only agent
#   source: 000_38df1217fac5a254.txt
results contains checks.application_login_agent(objects, "gradient.application.login-agent")

# METADATA
# title: The Gradient application has the scopes Gradient needs
# custom:
#   id: gradient.application.scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Permissions - tick read:customers, read:contracts, edit:contracts, read:items, edit:items, read:invoices, edit:invoices, read:tickets, edit:tickets
#   source: 000_38df1217fac5a254.txt
results contains checks.application_scopes(objects, "gradient.application.scopes", scopes)

# METADATA
# title: The Gradient application has no scope beyond Gradient's list
# custom:
#   id: gradient.application.excess-scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > MSPCentric > Permissions - untick every scope Gradient does not document (never All, which breaks Gradient's authentication)
#   source: 000_38df1217fac5a254.txt
# related_resources:
#   - ref: https://support.meetgradient.com/halo-integration
results contains checks.application_excess_scopes(objects, "gradient.application.excess-scopes", scopes)
