package reports

import (
	"time"

	"github.com/halolint/halolint/audit"
)

// The access view every access golden file is rendered from, built by
// hand like the report fixtures: every login type, every level, an
// application whose details failed, names full of markup and formulas.

func boolp(b bool) *bool { return &b }

func accessAreas() []audit.AccessArea {
	return []audit.AccessArea{
		{Name: "tickets", Permission: "Tickets Access Level"},
		{Name: "customers", Permission: "Customers Access Level"},
		{Name: "assets", Permission: "Assets Access Level"},
		{Name: "invoices", Permission: "Invoices Access Level"},
		{Name: "sos", Permission: "Sales Orders Access Level"},
	}
}

func levels(tickets, customers, assets, invoices, sos audit.AccessLevel) map[string]audit.AccessLevel {
	return map[string]audit.AccessLevel{"tickets": tickets, "customers": customers, "assets": assets, "invoices": invoices, "sos": sos}
}

const (
	none    = audit.AccessNone
	read    = audit.AccessRead
	edit    = audit.AccessEdit
	unknown = audit.AccessUnknown
)

func agentLogin(id int, name string, apiOnly, enabled bool, admin *bool) audit.AccessLogin {
	return audit.AccessLogin{Type: audit.LoginAgent, Agent: &audit.AccessAgent{ID: id, Name: name, APIOnly: boolp(apiOnly), Enabled: boolp(enabled), Administrator: admin}}
}

// accessFixture is a live view of seven applications, out of order.
func accessFixture() *audit.AccessReport {
	return &audit.AccessReport{
		SchemaVersion: audit.AccessSchemaVersion,
		Kind:          audit.AccessKind,
		Tool:          audit.Tool{Name: "halolint", Version: "v0.1.0"},
		Source:        audit.ReportSource{Kind: "live", URL: "https://acme.halopsa.com", CollectedAt: collectedAt.In(time.FixedZone("CET", 3600)), File: "ignored.json"},
		Areas:         accessAreas(),
		Applications: []audit.ApplicationAccess{
			{ID: "0fff", Name: "TimeZest", Active: true, Authentication: "Client ID and Secret (Services)",
				Login:  agentLogin(21, "TimeZest API", true, true, boolp(false)),
				Scopes: []string{"all"}, Profile: "timezest",
				Access:    levels(read, edit, none, none, none),
				Sensitive: []string{"Password fields visible"}},
			{ID: "3501", Name: "Cove-HaloPSA", Active: true, Authentication: "Client ID and Secret (Services)",
				Login:  audit.AccessLogin{Type: audit.LoginApplicationIdentity},
				Scopes: []string{"read:customers", "read:assets"}, Profile: "cove",
				Access: levels(none, read, read, none, none),
				Notes:  []string{"it logs in without an agent (Application Identity): the API does not show what its identity roles allow, so its access is what its scopes allow, at most"}},
			{ID: "f6b1", Name: "Legacy RMM Sync", Active: true, Authentication: "Client ID and Secret (Services)",
				Login:  agentLogin(22, "Integration Service", false, true, boolp(true)),
				Scopes: []string{"all"},
				Access: levels(edit, edit, edit, edit, edit)},
			{ID: "d81b", Name: "Customer Portal Test", Active: false, Authentication: "authorization_code",
				Login:  audit.AccessLogin{Type: audit.LoginUnknown},
				Access: levels(unknown, unknown, unknown, unknown, unknown),
				Errors: []string{"the details of application \"Customer Portal Test\" could not be read: GET /api/Application/d81b answered 500 (boom)"}},
			{ID: "66b7", Name: "halolint auditor", Active: true, Auditor: true, Authentication: "Client ID and Secret (Services)",
				Login:  agentLogin(2, "Alex Morgan", false, true, boolp(true)),
				Scopes: []string{"admin"},
				Access: levels(none, none, none, none, none),
				Notes:  []string{"halolint's own application: the audit reads with it"}},
			{ID: "a1", Name: `<script>alert("pwned")</script> & 'Sync' <b>Bold</b>`, Active: true, Authentication: "Client ID and Secret (Services)",
				Login:  agentLogin(40, `"><img src=x onerror=alert(1)>`, true, false, nil),
				Scopes: []string{"read:tickets", "edit:sos"},
				Access: levels(unknown, none, none, none, unknown),
				Errors: []string{"the effective permissions of its login agent \"\\\"><img src=x onerror=alert(1)>\" are unknown: role \"<i>R</i>\" held by the agent is not among the roles read"},
				Notes:  []string{"its login agent is disabled"}},
			{ID: "a2", Name: "=HYPERLINK(\"https://evil.example/\",\"click\")", Active: true, Authentication: "Client ID and Secret (Services)",
				Login:  agentLogin(41, "-2+3 \x1b[31mred\x1b[0m", true, true, boolp(false)),
				Scopes: []string{"read:invoices"},
				Access: levels(none, none, none, read, none)},
		},
		CollectionErrors: []audit.CollectionError{
			{Endpoint: "/api/Control", Status: 403, Message: "Forbidden"},
			{Endpoint: "/api/Application/d81b", Status: 500, Message: "boom", Needed: true},
		},
		Notices: []audit.Notice{
			{Kind: "roles", Endpoint: "/api/Roles", Message: "the server answered an empty list of roles"},
		},
	}
}

// emptyAccess is a snapshot view whose applications list could not be read.
func emptyAccess() *audit.AccessReport {
	return &audit.AccessReport{
		Tool:             audit.Tool{Name: "halolint", Version: "v0.1.0"},
		Source:           audit.ReportSource{Kind: "snapshot", URL: "https://acme.halopsa.com", CollectedAt: collectedAt, File: "acme.json"},
		Areas:            accessAreas(),
		Errors:           []string{"the applications could not be read: GET /api/Application answered 403 (Forbidden)"},
		CollectionErrors: []audit.CollectionError{{Endpoint: "/api/Application", Status: 403, Message: "Forbidden", Needed: true}},
	}
}
