package audit

import (
	"fmt"
	"strings"
)

// A document's checks are derived, never written: each has its ID, title,
// remediation (the UI path that fixes it), severity, object and source from
// what the document says, and a rule for the generic Rego
// (policies/lib/document.rego) naming the check function to run and its
// arguments.

// derivedCheck is one check of a document: its catalog entry and the rule
// the generic Rego evaluates.
type derivedCheck struct {
	Check
	rule map[string]any
}

// UI paths of the screens remediations point to.
const (
	uiRoles        = "Configuration > Teams & Agents > Roles"
	uiAgents       = "Configuration > Teams & Agents > Agents"
	uiApplications = "Configuration > Integrations > HaloPSA API > View Applications"
	uiCategories   = "Configuration > Tickets > Categorisation"
)

// derive lists the document's checks, sorted by ID.
func (d *document) derive() []derivedCheck {
	var out []derivedCheck
	add := func(object ObjectType, suffix string, sev Severity, title, remediation string, rule map[string]any) {
		rule["id"] = d.name + "." + string(object) + "." + suffix
		out = append(out, derivedCheck{
			Check: Check{
				ID:               d.name + "." + string(object) + "." + suffix,
				Profile:          d.name,
				Title:            title,
				Object:           object,
				Severity:         sev,
				Remediation:      remediation,
				Source:           d.source.title,
				SourceURL:        d.source.url,
				RelatedResources: d.relatedURLs(),
			},
			rule: rule,
		})
	}
	p, n := d.product, d.names
	app := uiApplications + " > " + n.application

	// The application.
	add(ObjectApplication, "exists", SeverityHigh,
		fmt.Sprintf("The %s application exists and is active", p),
		fmt.Sprintf("%s > New - Application Name %s, Active ticked", uiApplications, n.application),
		rule("application_exists"))
	if d.app.auth != nil {
		add(ObjectApplication, "auth-method", SeverityHigh,
			fmt.Sprintf("The %s application authenticates with %s", p, d.app.authLabel),
			fmt.Sprintf("%s > Details > Authentication Method - %s", app, d.app.auth.Label),
			rule("application_auth_method", "grant_type", d.app.auth.GrantType, "label", d.app.auth.Label))
	}
	// A guide that lists no scopes gives nothing to compare with.
	if d.app.scopesGiven {
		add(ObjectApplication, "scopes", SeverityHigh,
			fmt.Sprintf("The %s application has the scopes %s needs", p, p),
			fmt.Sprintf("%s > Permissions - tick %s", app, listOrNone(d.app.scopes)),
			rule("application_scopes", "scopes", d.app.scopes))
	}
	if d.app.scopesGiven && !d.app.ignoreExcess {
		fix := fmt.Sprintf("%s > Permissions - untick every scope but %s", app, listOrNone(d.app.scopes))
		for _, s := range sortedKeys(d.app.scopeNotes) {
			fix += fmt.Sprintf(" (never %s: %s)", s, d.app.scopeNotes[s])
		}
		add(ObjectApplication, "excess-scopes", SeverityHigh,
			fmt.Sprintf("The %s application has no scope beyond %s list", p, possessive(p)), fix,
			rule("application_excess_scopes", "scopes", d.app.scopes))
	}

	// How it logs in, and the agent.
	agent := uiAgents + " > " + n.agent
	if d.app.identity {
		add(ObjectApplication, "identity", SeverityMedium,
			fmt.Sprintf("The %s application logs in as Application Identity with the %s role", p, p),
			fmt.Sprintf("%s > Details > Login Type - Agent; Agent to log in as - Application Identity; Identity Roles - %s", app, n.role),
			rule("application_identity"))
	} else {
		add(ObjectApplication, "login-agent", SeverityHigh,
			fmt.Sprintf("The %s application logs in as the %s API-only agent", p, p),
			fmt.Sprintf("%s > Details > Login Type - Agent; Agent to log in as - the %s API-only agent", app, n.agent),
			rule("application_login_agent"))
		if d.agent.apiOnly {
			add(ObjectAgent, "api-only", SeverityMedium,
				fmt.Sprintf("The %s agent is an API-only agent", p),
				fmt.Sprintf("%s - tick \"API-only agent\"", agent),
				rule("agent_api_only"))
		}
		add(ObjectAgent, "enabled", SeverityHigh,
			fmt.Sprintf("The %s agent is not disabled", p),
			fmt.Sprintf("%s - enable the agent", agent),
			rule("agent_enabled"))
	}
	for _, r := range d.agent.roles {
		add(ObjectAgent, slug(r)+"-role", SeverityHigh,
			fmt.Sprintf("The %s agent holds the %s role", p, r),
			fmt.Sprintf("%s > Roles - add the %s role", agent, r),
			rule("agent_holds_role", "role", r))
	}
	if len(d.agent.roles) > 0 {
		fix := fmt.Sprintf("%s > Roles - leave only %s", agent, roleList(d.agent.roles))
		if d.role.administrator == "during-setup" {
			fix += " (and the Administrator role during the initial setup)"
		}
		add(ObjectAgent, "undocumented-roles", SeverityLow,
			fmt.Sprintf("The %s agent holds no role but %s", p, roleList(d.agent.roles)), fix,
			rule("agent_undocumented_roles"))
	}

	// The role's permissions.
	roles := uiRoles + " > " + d.roleRef()
	adminPath := d.adminPath()
	switch d.role.administrator {
	case "never":
		fix := fmt.Sprintf("%s > %s - untick", roles, adminPath)
		if !d.app.identity {
			fix += fmt.Sprintf("; or take the Administrator role off the %s agent", n.agent)
		}
		add(ObjectRole, "not-admin", SeverityCritical,
			fmt.Sprintf("The %s %s is not a HaloPSA Administrator", p, d.subject()), fix,
			rule("not_admin"))
	case "during-setup":
		add(ObjectRole, "administrator", SeverityCritical,
			fmt.Sprintf("The %s role's own \"Is a HaloPSA Administrator\" flag suits the phase", p),
			fmt.Sprintf("%s > %s - Yes during the initial setup, then untick it once %s is configured", roles, adminPath, p),
			rule("role_own_admin"))
		if !d.app.identity {
			add(ObjectAgent, "administrator", SeverityCritical,
				fmt.Sprintf("No administrator role on the %s agent outside the setup", p),
				fmt.Sprintf("%s > Roles - the Administrator role during the initial setup only; remove it once %s is configured", agent, p),
				rule("agent_admin_elsewhere"))
		}
	case "documented":
		add(ObjectRole, "administrator", SeverityCritical,
			fmt.Sprintf("The %s %s is a HaloPSA Administrator, as %s documents", p, d.subject(), p),
			fmt.Sprintf("%s > %s - Yes, as %s documents", roles, adminPath, p),
			rule("admin_documented"))
	}
	var documented []string
	for _, dp := range d.role.permissions {
		if dp.perm.Coded() {
			documented = append(documented, dp.perm.Code)
		}
		id := dp.perm.Slug
		where := fmt.Sprintf("%s > %s > %s", roles, dp.perm.Section.Path, dp.label)
		if dp.manual {
			add(ObjectRole, id, severityOf(dp), fmt.Sprintf("Role grants %s %q", dp.label, dp.manualValue),
				fmt.Sprintf("%s - %s", where, dp.manualValue),
				rule("manual", "title", fmt.Sprintf("%s is %s (halolint cannot read this permission through the API)", dp.label, dp.manualValue),
					"look", fmt.Sprintf("%s > %s", roles, dp.perm.Section.Path), "expected", dp.manualValue, "object", "role"))
			continue
		}
		add(ObjectRole, id, severityOf(dp), permissionTitle(dp),
			fmt.Sprintf("%s - %s", where, dp.value.Label),
			rule("claim", "claim", dp.perm.Code, "value", dp.value.Raw, "above", dp.above, "label", dp.label))
	}
	// Without the guide's list, every permission would be "undocumented".
	if d.role.listed && !d.role.ignoreExtra {
		add(ObjectRole, "undocumented", SeverityLow,
			fmt.Sprintf("No permission beyond %s list", possessive(p)),
			fmt.Sprintf("%s > (the role granting it) > Permissions - set every permission %s does not document back to No Access / No", uiRoles, p),
			rule("undocumented", "documented", documented))
	}
	if d.role.departments != "" {
		add(ObjectRole, "department-membership", SeverityMedium,
			fmt.Sprintf("The %s role is a member of every department with %q", p, d.role.departments),
			fmt.Sprintf("%s > Departments & Teams - set Membership level to %s for all departments", roles, d.role.departments),
			rule("department_membership", "value", d.role.departments))
	}

	// Categories, settings, what only a person can check.
	for i, c := range d.categories {
		add(ObjectCategory, slug(c.value), SeverityHigh,
			fmt.Sprintf("Category %d has the value %q", c.list, c.value),
			fmt.Sprintf("%s > Category %d - add %q and save", uiCategories, c.list, c.value),
			rule("category", "list", c.list, "value", c.value, "configurable", i == 0))
	}
	for _, s := range d.settings {
		add(ObjectSetting, s.setting.Slug, SeverityMedium,
			fmt.Sprintf("%q is %s", s.setting.Label, settingWords(s.want)),
			fmt.Sprintf("%s - %s %q", s.setting.Path, settingAction(s.want), s.setting.Label),
			rule("control_flag", "setting", map[string]any{"field": s.setting.Field, "want": s.want, "name": s.setting.Label, "path": s.setting.Path}))
	}
	for _, m := range d.manual {
		add(ObjectTenant, m.id, SeverityMedium, m.title, m.look,
			rule("manual", "title", m.title, "look", m.look, "expected", m.title, "object", "tenant"))
	}
	// Manual checks live under <profile>.manual.<id>, whatever their
	// object.
	for i := range out {
		if out[i].rule["kind"] == "manual" && out[i].Object == ObjectTenant {
			id := d.name + ".manual." + strings.TrimPrefix(out[i].ID, d.name+".tenant.")
			out[i].ID, out[i].rule["id"] = id, id
		}
	}
	return out
}

// roleRef names the profile's role in a UI path.
func (d *document) roleRef() string {
	if d.roleUnnamed {
		return fmt.Sprintf("(the %s role)", d.product)
	}
	return d.names.role
}

// possessive is "Gradient's", "SaaS Alerts'".
func possessive(s string) string {
	if strings.HasSuffix(s, "s") {
		return s + "'"
	}
	return s + "'s"
}

func rule(kind string, kv ...any) map[string]any {
	m := map[string]any{"kind": kind}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// subject is what the administrator checks judge: the login agent's
// effective permissions, or the role when the application has no agent.
func (d *document) subject() string {
	if d.app.identity {
		return "role"
	}
	return "agent"
}

func (d *document) adminPath() string { return d.adminSection + " > Is a HaloPSA Administrator" }

func (d *document) relatedURLs() []string {
	var out []string
	for _, r := range d.related {
		out = append(out, r.url)
	}
	return out
}

// severityOf: an access level matters more than a flag.
func severityOf(dp docPermission) Severity {
	if dp.perm.Kind == "level" && strings.HasSuffix(dp.perm.Label, "Access Level") {
		return SeverityHigh
	}
	return SeverityMedium
}

func permissionTitle(dp docPermission) string {
	if dp.perm.Kind == "flag" {
		return fmt.Sprintf("Role grants %q", dp.label)
	}
	return fmt.Sprintf("Role grants %s %q", dp.label, dp.value.Label)
}

func listOrNone(xs []string) string {
	switch len(xs) {
	case 0:
		return "no scope"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func roleList(roles []string) string {
	if len(roles) == 1 {
		return "the " + roles[0] + " role"
	}
	return "the roles " + strings.Join(roles, ", ")
}

func settingWords(want bool) string {
	if want {
		return "selected"
	}
	return "not selected"
}

func settingAction(want bool) string {
	if want {
		return "select"
	}
	return "clear"
}
