package reports

import (
	"time"

	"github.com/halolint/halolint/audit"
)

// The two fixture reports every golden file is rendered from. They are
// built here, not by the engine, so that the renderers' tests do not move
// when a policy changes.

var collectedAt = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// catalog is the checks of the fixture profiles.
func catalog() []audit.Check {
	return []audit.Check{
		{ID: "baseline.auditor.self", Profile: "baseline", Title: "The auditor application can only read", Object: audit.ObjectApplication,
			Severity: audit.SeverityHigh, Remediation: "Configuration > Integrations > HaloPSA API > Applications > halolint > Permissions: tick read scopes only",
			Source: "halolint"},
		{ID: "baseline.control.force-accounts-id", Profile: "baseline", Title: "Accounts ID on new customers is mandatory", Object: audit.ObjectSetting,
			Severity: audit.SeverityLow, Remediation: "Configuration > Billing > General Settings: tick \"Accounts ID on new Customers and Products are mandatory\"",
			Source: "halolint"},
		{ID: "baseline.roles.integration-admin", Profile: "baseline", Title: "No integration role is a HaloPSA Administrator", Object: audit.ObjectRole,
			Severity: audit.SeverityCritical, Remediation: "Configuration > Teams & Agents > Roles > the role > Permissions: untick Administrator",
			Source: "halolint", Description: "An integration that is an administrator can change every setting of the tenant."},
		{ID: "cove.application.scopes", Profile: "cove", Title: "Application has the scopes Cove needs", Object: audit.ObjectApplication,
			Severity: audit.SeverityHigh, Remediation: "Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions: tick the scopes",
			Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/", RelatedResources: []string{"https://example.com/cove/halopsa"}},
		{ID: "cove.category.exists", Profile: "cove", Title: "The Cove ticket category exists", Object: audit.ObjectCategory,
			Severity: audit.SeverityMedium, Remediation: "Configuration > Tickets > Categories > Category 1: add \"Cove Data Protection\"",
			Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
		{ID: "cove.role.identity", Profile: "cove", Title: "The application's identity role grants ticket access", Object: audit.ObjectRole,
			Severity: audit.SeverityMedium, Remediation: "Configuration > Teams & Agents > Roles > Cove-Role: check the identity role by hand",
			Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
		{ID: "cove.role.tickets", Profile: "cove", Title: "The role can read and modify tickets", Object: audit.ObjectRole,
			Severity: audit.SeverityHigh, Remediation: "Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Tickets: Read and Modify",
			Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
		{ID: "timezest.agent.api-only", Profile: "timezest", Title: "The TimeZest agent is an API-only agent", Object: audit.ObjectAgent,
			Severity: audit.SeverityInfo, Remediation: "Configuration > Teams & Agents > Agents > TimeZest API: tick \"API-only agent\"",
			Source: "timezest-halopsa.pdf"},
	}
}

// allPassReport is a clean live audit: every check passes.
func allPassReport() *audit.Report {
	pass := func(id, profile, title string, o audit.Object, sev audit.Severity) audit.Result {
		return audit.Result{ID: id, Profile: profile, Title: title, Status: audit.StatusPass, Severity: sev, Object: o,
			Message: "as required", Remediation: "nothing to do", Source: "halolint"}
	}
	r := &audit.Report{
		SchemaVersion: audit.ReportSchemaVersion,
		Tool:          audit.Tool{Name: "halolint", Version: "v0.1.0"},
		Source:        audit.ReportSource{Kind: "live", URL: "https://acme.halopsa.com", CollectedAt: collectedAt},
		Phase:         audit.PhaseOperate,
		Profiles:      []string{"baseline", "cove"},
		Results: []audit.Result{
			pass("cove.role.tickets", "cove", "The role can read and modify tickets", audit.Object{Type: audit.ObjectRole, ID: "2f4c0000-0000-0000-0000-000000000001", Name: "Cove-Role"}, audit.SeverityHigh),
			pass("baseline.auditor.self", "baseline", "The auditor application can only read", audit.Object{Type: audit.ObjectApplication, ID: "a1", Name: "halolint"}, audit.SeverityHigh),
			pass("cove.application.scopes", "cove", "Application has the scopes Cove needs", audit.Object{Type: audit.ObjectApplication, ID: "5c1e0000-0000-0000-0000-000000000002", Name: "Cove-HaloPSA"}, audit.SeverityHigh),
			pass("baseline.roles.integration-admin", "baseline", "No integration role is a HaloPSA Administrator", audit.Object{Type: audit.ObjectRole, ID: "2f4c0000-0000-0000-0000-000000000001", Name: "Cove-Role"}, audit.SeverityCritical),
			pass("cove.category.exists", "cove", "The Cove ticket category exists", audit.Object{Type: audit.ObjectCategory, ID: "4", Name: "Cove Data Protection"}, audit.SeverityMedium),
		},
		CollectionErrors: nil, // rendered as []
		Catalog:          catalog()[:5],
	}
	r.Summary = audit.Summary{Pass: 5}
	return r
}

// mixedReport is an offline audit of a snapshot with every status, both
// kinds of collection error, two notices, long messages, Unicode names and
// names full of Markdown and HTML.
func mixedReport() *audit.Report {
	coveRole := audit.Object{Type: audit.ObjectRole, ID: "2f4c0000-0000-0000-0000-000000000001", Name: "Cove-Role"}
	coveApp := audit.Object{Type: audit.ObjectApplication, ID: "5c1e0000-0000-0000-0000-000000000002", Name: "Cove-HaloPSA"}
	unicodeRole := audit.Object{Type: audit.ObjectRole, ID: "77", Name: "Rôle d'intégration Sécurité Ünïcödé"}
	wideRole := audit.Object{Type: audit.ObjectRole, ID: "78", Name: "統合ロール"}
	trickyRole := audit.Object{Type: audit.ObjectRole, ID: "79", Name: "Ops | *Admins* <b>@team</b> [x](y) #12 $x$"}
	r := &audit.Report{
		SchemaVersion: audit.ReportSchemaVersion,
		Tool:          audit.Tool{Name: "halolint", Version: "v0.1.0"},
		Source: audit.ReportSource{Kind: "snapshot", URL: "https://acme.halopsa.com",
			CollectedAt: collectedAt.In(time.FixedZone("CET", 3600)), File: "acme-snapshot.json"},
		Phase:    audit.PhaseSetup,
		Profiles: []string{"cove", "baseline", "timezest"},
		Summary:  audit.Summary{Pass: 99}, // wrong on purpose: renderers count
		Results: []audit.Result{
			{ID: "cove.application.scopes", Profile: "cove", Title: "Application has the scopes Cove needs", Status: audit.StatusFail,
				Severity: audit.SeverityHigh, Object: coveApp, Message: "missing scope edit:tickets",
				Expected: []string{"edit:tickets", "read:customers"}, Actual: []any{"read:customers"},
				Remediation: "Configuration > Integrations > HaloPSA API > Applications > Cove-HaloPSA > Permissions: tick edit:tickets",
				Source:      "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
			{ID: "cove.role.tickets", Profile: "cove", Title: "The role can read and modify tickets", Status: audit.StatusWarn,
				Severity: audit.SeverityHigh, Object: coveRole,
				Message: "the role can read tickets but not modify them, so Cove cannot close the tickets it opens for failed backups; " +
					"every backup failure will stay open until someone closes it by hand, which is the opposite of what the integration is for",
				Expected: "Read and Modify", Actual: "Read only", GrantedBy: "Cove-Role",
				Remediation: "Configuration > Teams & Agents > Roles > Cove-Role > Permissions > Tickets: Read and Modify",
				Source:      "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
			{ID: "cove.role.tickets", Profile: "cove", Title: "The role can read and modify tickets", Status: audit.StatusPass,
				Severity: audit.SeverityHigh, Object: wideRole, Message: "Read and Modify",
				Remediation: "nothing to do", Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
			{ID: "cove.role.identity", Profile: "cove", Title: "The application's identity role grants ticket access", Status: audit.StatusManual,
				Severity: audit.SeverityMedium, Object: coveApp,
				Message:     "identity roles are not exposed by the API: check Cove-HaloPSA's identity role by hand",
				Remediation: "Configuration > Teams & Agents > Roles > Cove-Role: check the identity role by hand",
				Source:      "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
			{ID: "cove.category.exists", Profile: "cove", Title: "The Cove ticket category exists", Status: audit.StatusPass,
				Severity: audit.SeverityMedium, Object: audit.Object{Type: audit.ObjectCategory, ID: "4", Name: "Cove Data Protection"},
				Message: "found", Remediation: "nothing to do", Source: "Configure HaloPSA (Cove Data Protection)", SourceURL: "https://documentation.n-able.com/covedataprotection/"},
			{ID: "baseline.control.force-accounts-id", Profile: "baseline", Title: "Accounts ID on new customers is mandatory", Status: audit.StatusError,
				Severity: audit.SeverityLow, Object: audit.Object{Type: audit.ObjectSetting, ID: "force_accounts_id", Name: "force_accounts_id"},
				Message:     "/api/Control could not be read (HTTP 403): the setting is unknown",
				Remediation: "Configuration > Billing > General Settings", Source: "halolint"},
			{ID: "baseline.roles.integration-admin", Profile: "baseline", Title: "No integration role is a HaloPSA Administrator", Status: audit.StatusFail,
				Severity: audit.SeverityCritical, Object: unicodeRole,
				Message: "the role is a HaloPSA Administrator", Expected: "not Administrator", Actual: "Administrator",
				Remediation: "Configuration > Teams & Agents > Roles > Rôle d'intégration Sécurité Ünïcödé > Permissions: untick Administrator",
				Source:      "halolint"},
			{ID: "baseline.roles.integration-admin", Profile: "baseline", Title: "No integration role is a HaloPSA Administrator", Status: audit.StatusWarn,
				Severity: audit.SeverityCritical, Object: trickyRole,
				Message: "the role `grants` *admin* | via <agent> & more", Expected: "not Administrator", Actual: "Administrator (through agent Ops)",
				GrantedBy:   "agent Ops <ops@acme.example>",
				Remediation: "Configuration > Teams & Agents > Roles > Ops | *Admins* > Permissions: untick Administrator",
				Source:      "halolint"},
			{ID: "baseline.auditor.self", Profile: "baseline", Title: "The auditor application can only read", Status: audit.StatusPass,
				Severity: audit.SeverityHigh, Object: audit.Object{Type: audit.ObjectApplication, ID: "a1", Name: "halolint"},
				Message: "read-only", Remediation: "nothing to do", Source: "halolint"},
			{ID: "timezest.agent.api-only", Profile: "timezest", Title: "The TimeZest agent is an API-only agent", Status: audit.StatusPass,
				Severity: audit.SeverityInfo, Object: audit.Object{Type: audit.ObjectAgent, ID: "12", Name: "TimeZest API"},
				Message: "API-only", Remediation: "nothing to do", Source: "timezest-halopsa.pdf"},
			{ID: "timezest.local.policy-with-a-long-identifier", Profile: "timezest",
				Title: "A check of a --policy folder, absent from the catalog", Status: audit.StatusFail,
				Severity: audit.SeverityMedium, Object: audit.Object{Type: audit.ObjectTenant, ID: "", Name: ""},
				Message: "a policy loaded with --policy failed", Remediation: "see the policy's documentation", Source: "local policy"},
		},
		CollectionErrors: []audit.CollectionError{
			{Endpoint: "/api/Roles/9", Status: 0, Message: "connection reset by peer", Needed: false},
			{Endpoint: "/api/Control", Status: 403, Message: "Forbidden", Needed: true},
		},
		// Out of order on purpose, one quoting an escape sequence from the
		// tenant: the table and Markdown spell it out.
		Notices: []audit.Notice{
			{Kind: "empty-list", Endpoint: "/api/Roles", Message: "the server answered an empty list of roles: Halo gives an agent without permission " +
				"an empty list instead of 403, so roles may exist that halolint could not see (check the auditor application's scopes and login agent)"},
			{Kind: "auditor-not-found", Endpoint: "/api/Application", Message: "no application has the auditor's client ID \"halolint\x1b[2J\": " +
				"the checks of the auditor's own application cannot run"},
		},
		Catalog: catalog(),
	}
	return r
}

// judgedReport is the mixed report as an audit with an accept list and
// --previous makes it: one fail accepted (its reason holding an escape
// sequence), one warn accepted, the other findings new or unchanged, two
// fixed findings, and the notices those judgements give.
func judgedReport() *audit.Report {
	r := mixedReport()
	expires, _ := audit.ParseDate("2027-03-31")
	soon, _ := audit.ParseDate("2026-11-30")
	for i := range r.Results {
		res := &r.Results[i]
		if res.Status != audit.StatusFail && res.Status != audit.StatusWarn {
			continue
		}
		res.Change = audit.ChangeUnchanged
		switch res.ID {
		case "cove.application.scopes":
			res.Accepted = &audit.Accepted{Reason: "Cove's v2 agent reads tickets through the portal\x1b[2J; reviewed with N-able", Expires: expires, By: "jdoe"}
		case "cove.role.tickets":
			res.Accepted = &audit.Accepted{Reason: "closing tickets by hand until the next release", Expires: soon}
		case "timezest.local.policy-with-a-long-identifier":
			res.Change = audit.ChangeNew
		}
	}
	r.Previous = &audit.ReportSource{Kind: "snapshot", URL: "https://acme.halopsa.com", CollectedAt: collectedAt.Add(-24 * time.Hour), File: "last-night.json"}
	r.Fixed = []audit.Finding{
		{ID: "timezest.role.administrator", Profile: "timezest", Title: "The TimeZest role's own administrator flag suits the phase",
			Object: audit.Object{Type: audit.ObjectRole, ID: "3a9e", Name: "TimeZest"}},
		{ID: "baseline.application.full-access-scope", Profile: "baseline", Title: "No active application holds a full-access scope",
			Object: audit.Object{Type: audit.ObjectApplication, ID: "9f00", Name: "Legacy RMM Sync"}},
	}
	r.Notices = append(r.Notices,
		audit.Notice{Kind: audit.NoticeAcceptanceExpiring, Endpoint: "halolint.yaml:9", Message: "the acceptance of cove.role.tickets on role/Cove-Role expires on 2026-11-30: review it before then"},
		audit.Notice{Kind: audit.NoticeAcceptanceExpired, Endpoint: "halolint.yaml:14", Message: "the acceptance of baseline.auditor.self expired on 2026-10-01: its findings count again; renew it with a new reason and date, or fix them"},
	)
	return r
}
