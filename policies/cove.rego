# METADATA
# title: N-able Cove Data Protection
# description: |
#   Cove's HaloPSA category, role and application. The application logs in
#   as "Application Identity" with the Cove role as identity role, which the
#   API does not expose: the role is found by name, and its permissions are
#   judged (or, when the application does log in as an agent, that agent's
#   effective permissions).
# scope: package
# custom:
#   vendor: N-able
#   source: 003_43bdb87ac6e306aa.txt
package halolint.profiles.cove

import data.halolint.lib.checks
import data.halolint.lib.discovery

keywords := ["cove"]

spec := {
	"name": "cove",
	"vendor": "Cove",
	"keywords": keywords,
	"agent_by_keyword": false,
	"defaults": {"application": "Cove-HaloPSA", "role": "Cove-Role", "category": "Cove Data Protection", "agent": ""},
	"howto": {
		"application": "Create it in Configuration > Integrations > HaloPSA API > Applications > New: Application Name Cove-HaloPSA, Active ticked, Authentication Method Client ID and Secret, Login Type Agent, Agent to log in as Application Identity, Identity Roles the Cove role, and on the Permissions tab edit:tickets and read:customers",
		"agent": "Cove documents no agent: set the application's Agent to log in as Application Identity, with the Cove role as Identity Role",
		"role": "Create it in Configuration > Teams & Agents > Roles > New: a role named Cove-Role, Departments & Teams: Modify all in every department, Permissions: Tickets Access Level Read and Modify, Customers Access Level Read Only, Can Add New Tickets and Can View Unassigned Tickets ticked",
	},
}

objects := discovery.objects(spec)

detected if discovery.application(spec).status == "found"

claim_requirements := {
	"cove.role.tickets-access": {"claim": "Tx", "value": "2"},
	"cove.role.customers-access": {"claim": "Ux", "value": "2", "above": "warn"},
	"cove.role.add-tickets": {"claim": "l6", "value": "1"},
	"cove.role.view-unassigned-tickets": {"claim": "l9", "value": "1"},
}

documented_claims := {req.claim | some req in claim_requirements}

scopes := ["edit:tickets", "read:customers"]

_claim(id) := checks.claim(objects, object.union(claim_requirements[id], {"check": id}))

# METADATA
# title: Category 1 has the value "Cove Data Protection"
# custom:
#   id: cove.category.cove-data-protection
#   object: category
#   severity: high
#   remediation: Configuration > Tickets > Categorisation > Category 1 - add "Cove Data Protection" and save
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.category(objects, "cove.category.cove-data-protection")

# METADATA
# title: The Cove role is a member of every department with "Modify all"
# description: The encoding of departments[].membershiplevel is unknown, so the raw levels are reported for a person to check.
# custom:
#   id: cove.role.department-membership
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Departments & Teams - set Membership level to Modify all (Can view/modify all Tickets in all Departments) for all departments
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.department_membership(objects, "cove.role.department-membership")

# METADATA
# title: Role grants Tickets Access Level "Read and Modify"
# custom:
#   id: cove.role.tickets-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Feature Access > Tickets Access Level - Read and Modify
#   source: 003_43bdb87ac6e306aa.txt
results contains _claim("cove.role.tickets-access")

# METADATA
# title: Role grants Customers Access Level "Read Only"
# custom:
#   id: cove.role.customers-access
#   object: role
#   severity: high
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Feature Access > Customers Access Level - Read Only
#   source: 003_43bdb87ac6e306aa.txt
results contains _claim("cove.role.customers-access")

# METADATA
# title: Role can add new tickets
# custom:
#   id: cove.role.add-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Tickets Permissions > Can Add New Tickets - Yes
#   source: 003_43bdb87ac6e306aa.txt
results contains _claim("cove.role.add-tickets")

# METADATA
# title: Role can view unassigned tickets
# custom:
#   id: cove.role.view-unassigned-tickets
#   object: role
#   severity: medium
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Tickets Permissions > Can View Unassigned Tickets - Yes
#   source: 003_43bdb87ac6e306aa.txt
results contains _claim("cove.role.view-unassigned-tickets")

# METADATA
# title: The Cove role is not a HaloPSA Administrator
# custom:
#   id: cove.role.not-admin
#   object: role
#   severity: critical
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions > General Permissions > Is a HaloPSA Administrator - untick
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.not_admin(objects, "cove.role.not-admin")

# METADATA
# title: No permission beyond Cove's list
# custom:
#   id: cove.role.undocumented
#   object: role
#   severity: low
#   remediation: Configuration > Teams & Agents > Roles > Cove-Role > Permissions - set every permission Cove does not document back to No Access / No
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.undocumented(objects, "cove.role.undocumented", documented_claims)

# METADATA
# title: The Cove application exists and is active
# custom:
#   id: cove.application.exists
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > New - Application Name Cove-HaloPSA, Active ticked
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.application_exists(objects, "cove.application.exists")

# METADATA
# title: The Cove application authenticates with Client ID and Secret
# custom:
#   id: cove.application.auth-method
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Details > Authentication Method - ClientID and Secret
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.application_auth_method(objects, "cove.application.auth-method")

# METADATA
# title: The Cove application logs in as Application Identity with the Cove role
# custom:
#   id: cove.application.identity
#   object: application
#   severity: medium
#   remediation: Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Details > Login Type - Agent; Agent to log in as - Application Identity; Identity Roles - Cove-Role
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.application_identity(objects, "cove.application.identity")

# METADATA
# title: The Cove application has the scopes Cove needs
# custom:
#   id: cove.application.scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions - tick edit:tickets and read:customers
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.application_scopes(objects, "cove.application.scopes", scopes)

# METADATA
# title: The Cove application has no scope beyond Cove's list
# custom:
#   id: cove.application.excess-scopes
#   object: application
#   severity: high
#   remediation: Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions - untick every scope but edit:tickets and read:customers
#   source: 003_43bdb87ac6e306aa.txt
results contains checks.application_excess_scopes(objects, "cove.application.excess-scopes", scopes)
