# METADATA
# title: TimeZest
# description: |
#   TimeZest's role (Step 1), its API-only agent (Step 2) and API application
#   (Step 3). TimeZest needs HaloPSA Administrator rights only for its initial
#   setup (to install its custom tab): in the operate phase a leftover
#   administrator fails, on the TimeZest role's own flag
#   (timezest.role.administrator) or reaching the agent any other way
#   (timezest.agent.administrator); --phase setup expects it.
# scope: package
# custom:
#   vendor: TimeZest
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
#     description: Step 2 - Creating an API Agent for TimeZest
#   - ref: https://help.timezest.com/en/articles/8499445
#     description: Step 3 - Create an API Application
package halolint.profiles.timezest

import data.halolint.lib.checks
import data.halolint.lib.discovery

keywords := ["timezest"]

spec := {
	"name": "timezest",
	"vendor": "TimeZest",
	"keywords": keywords,
	"agent_by_keyword": true,
	"defaults": {"application": "TimeZest", "agent": "TimeZest", "role": "TimeZest"},
	"howto": {
		"application": "Create it in Configuration > Integrations > HaloPSA API > View Applications > New: Application Name TimeZest, Authentication Method Client ID and Secret (Services), Login Type Agent, Agent to log in as the TimeZest API-only agent, and the all permission on the Permissions tab",
		"agent": "Create it in Configuration > Teams & Agents > Agents > New: an active, API-only agent named TimeZest holding the TimeZest role (and, during the initial setup only, the Administrator role)",
		"role": "Create it in Configuration > Teams & Agents > Roles > New: a role named TimeZest with the permissions of TimeZest's Step 1",
	},
}

objects := discovery.objects(spec)

detected if discovery.application(spec).status == "found"

# TimeZest documents the all scope: the baseline passes it while the login
# agent, whose role limits it, is no administrator.
full_access_documented := checks.documented_full_access(objects, ["all"])

claim_requirements := {
	"timezest.role.tickets-access": {"claim": "Tx", "value": "2"},
	"timezest.role.customers-access": {"claim": "Ux", "value": "3"},
	"timezest.role.users-access": {"claim": "Fx", "value": "3"},
	"timezest.role.calendars-access": {"claim": "Ax", "value": "2"},
	"timezest.role.sales-access": {"claim": "Ox", "value": "2"},
	"timezest.role.add-tickets": {"claim": "l6", "value": "1"},
	"timezest.role.view-unassigned-tickets": {"claim": "l9", "value": "1"},
	"timezest.role.view-others-tickets": {"claim": "l8", "value": "1"},
	"timezest.role.reassign-tickets": {"claim": "l7", "value": "1"},
	"timezest.role.edit-unassigned-tickets": {"claim": "le", "value": "1"},
	"timezest.role.edit-appointments": {"claim": "lb", "value": "3"},
	"timezest.role.add-appointments": {"claim": "lg", "value": "2"},
	"timezest.role.view-appointments": {"claim": "lz", "value": "3"},
	"timezest.role.delete-appointments": {"claim": "lr", "value": "3"},
	"timezest.role.all-ticket-types": {"claim": "Ft", "value": "1"},
	"timezest.role.all-customers": {"claim": "Fc", "value": "1"},
}

documented_claims := {req.claim | some req in claim_requirements}

scopes := ["all"]

_claim(id) := checks.claim(objects, object.union(claim_requirements[id], {"check": id}))

# METADATA
# title: The TimeZest role's own "Is a HaloPSA Administrator" flag suits the phase
# description: Needed for the initial setup only (to install the TimeZest custom tab); a leftover flag fails in the operate phase.
# custom:
#   id: timezest.role.administrator
#   object: role
#   severity: critical
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > General Permissions > Is a HaloPSA Administrator - Yes during the initial setup, then untick it once TimeZest is configured
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains checks.role_own_admin(objects, "timezest.role.administrator")

# METADATA
# title: Role grants Tickets Access Level "Read and Modify"
# custom:
#   id: timezest.role.tickets-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Feature Access > Tickets Access Level - Read and Modify
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.tickets-access")

# METADATA
# title: Role grants Customers Access Level "Read and Modify"
# custom:
#   id: timezest.role.customers-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Feature Access > Customers Access Level - Read and Modify
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.customers-access")

# METADATA
# title: Role grants Users Access Level "Read and Modify"
# custom:
#   id: timezest.role.users-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Feature Access > Users Access Level - Read and Modify
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.users-access")

# METADATA
# title: Role grants Calendars and Appointments Access Level "Read and Modify"
# custom:
#   id: timezest.role.calendars-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Feature Access > Calendars and Appointments Access Level - Read and Modify
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.calendars-access")

# METADATA
# title: Role grants Sales Access Level "Read and Modify"
# custom:
#   id: timezest.role.sales-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Feature Access > Sales Access Level - Read and Modify
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.sales-access")

# METADATA
# title: Role can add new tickets
# custom:
#   id: timezest.role.add-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Ticket Permissions > Can add new tickets - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.add-tickets")

# METADATA
# title: Role can view unassigned tickets
# custom:
#   id: timezest.role.view-unassigned-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Ticket Permissions > Can view unassigned tickets - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.view-unassigned-tickets")

# METADATA
# title: Role can view tickets that are assigned to other agents
# custom:
#   id: timezest.role.view-others-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Ticket Permissions > Can view Tickets that are assigned to other Agents - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.view-others-tickets")

# METADATA
# title: Role can re-assign tickets
# custom:
#   id: timezest.role.reassign-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Ticket Permissions > Can Re-assign Tickets - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.reassign-tickets")

# METADATA
# title: Role can edit tickets which are not assigned to them
# description: Added in a later public revision of TimeZest's Step 1 than the seed's.
# custom:
#   id: timezest.role.edit-unassigned-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Ticket Permissions > Can Edit Tickets Which Are Not Assigned To Them - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.edit-unassigned-tickets")

# METADATA
# title: Role can edit all appointments
# custom:
#   id: timezest.role.edit-appointments
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Calendar and Appointments Permissions > Editing of Appointments - Can Edit All Appointments
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.edit-appointments")

# METADATA
# title: Role can add all appointments
# custom:
#   id: timezest.role.add-appointments
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Calendar and Appointments Permissions > Adding New Appointments - Can Add All Appointments
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.add-appointments")

# METADATA
# title: Role can view all appointments
# custom:
#   id: timezest.role.view-appointments
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Calendar and Appointments Permissions > Visibility of Appointments - Can View All Appointments
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.view-appointments")

# METADATA
# title: Role can delete all appointments
# custom:
#   id: timezest.role.delete-appointments
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Permissions > Calendar and Appointments Permissions > Deleting of Appointments - Can Delete All Appointments
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.delete-appointments")

# METADATA
# title: Role may use all Ticket Types
# custom:
#   id: timezest.role.all-ticket-types
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Ticket Type Restrictions > Allow use of all Ticket Types - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.all-ticket-types")

# METADATA
# title: Role may use all Customers
# custom:
#   id: timezest.role.all-customers
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > TimeZest > Client Restrictions > Allow use of all Customers - Yes
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains _claim("timezest.role.all-customers")

# METADATA
# title: No permission beyond TimeZest's list
# custom:
#   id: timezest.role.undocumented
#   object: role
#   severity: low
#   remediation: Configuration > Teams & Agents > Roles > (the role granting it) > Permissions - set every permission TimeZest does not document back to No Access / No
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains checks.undocumented(objects, "timezest.role.undocumented", documented_claims)

# METADATA
# title: Accounts ID on new Customers and Products is not mandatory
# custom:
#   id: timezest.setting.accounts-id-optional
#   object: setting
#   severity: medium
#   remediation: Configuration > Billing > General Settings > Advanced Settings - clear "Accounts ID on new Customers and Products are mandatory"
#   source: 002_6a4a6d6ef53cc8c0.txt
results contains checks.control_flag("timezest.setting.accounts-id-optional", {
	"field": "force_accounts_id",
	"want": false,
	"name": "Accounts ID on new Customers and Products are mandatory",
	"path": "Configuration > Billing > General Settings > Advanced Settings",
})

# METADATA
# title: The TimeZest agent is an API-only agent
# custom:
#   id: timezest.agent.api-only
#   object: agent
#   severity: medium
#   remediation: Configuration > Teams & Agents > Agents > TimeZest - tick "API-only agent"
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
results contains checks.agent_api_only(objects, "timezest.agent.api-only")

# METADATA
# title: The TimeZest agent is active
# custom:
#   id: timezest.agent.enabled
#   object: agent
#   severity: high
#   remediation: Configuration > Teams & Agents > Agents > TimeZest - enable the agent
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
results contains checks.agent_enabled(objects, "timezest.agent.enabled")

# METADATA
# title: The TimeZest agent holds the TimeZest role
# custom:
#   id: timezest.agent.timezest-role
#   object: agent
#   severity: high
#   remediation: Configuration > Teams & Agents > Agents > TimeZest > Roles - add the TimeZest role
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
results contains checks.agent_holds_role(objects, "timezest.agent.timezest-role")

# METADATA
# title: No administrator role on the TimeZest agent outside the setup
# description: Judged on the agent's effective permissions other than the TimeZest role's own flag (the built-in Administrator role, another role, the agent's own claim).
# custom:
#   id: timezest.agent.administrator
#   object: agent
#   severity: critical
#   remediation: Configuration > Teams & Agents > Agents > TimeZest > Roles - the Administrator role during the initial setup only; remove it once TimeZest is configured
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
results contains checks.agent_admin_elsewhere(objects, "timezest.agent.administrator")

# METADATA
# title: The TimeZest agent holds no role but the TimeZest role
# custom:
#   id: timezest.agent.undocumented-roles
#   object: agent
#   severity: low
#   remediation: Configuration > Teams & Agents > Agents > TimeZest > Roles - leave only the TimeZest role (and the Administrator role during the initial setup)
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8494530
results contains checks.agent_undocumented_roles(objects, "timezest.agent.undocumented-roles")

# METADATA
# title: The TimeZest application exists and is active
# custom:
#   id: timezest.application.exists
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > New - Application Name TimeZest, Active ticked
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8499445
results contains checks.application_exists(objects, "timezest.application.exists")

# METADATA
# title: The TimeZest application authenticates with Client ID & Secret (Services)
# custom:
#   id: timezest.application.auth-method
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > TimeZest > Details > Authentication Method - Client ID and Secret (Services)
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8499445
results contains checks.application_auth_method(objects, "timezest.application.auth-method")

# METADATA
# title: The TimeZest application logs in as the TimeZest API agent
# custom:
#   id: timezest.application.login-agent
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > TimeZest > Details > Login Type - Agent; Agent to log in as - the TimeZest API-only agent
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8499445
results contains checks.application_login_agent(objects, "timezest.application.login-agent")

# METADATA
# title: The TimeZest application has the all permission
# description: Documented by TimeZest; the login agent's role limits it.
# custom:
#   id: timezest.application.scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > View Applications > TimeZest > Permissions - tick all
#   source: 002_6a4a6d6ef53cc8c0.txt
# related_resources:
#   - ref: https://help.timezest.com/en/articles/8499445
results contains checks.application_scopes(objects, "timezest.application.scopes", scopes)
