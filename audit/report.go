package audit

import (
	"time"
)

// ReportSchemaVersion is the version of the JSON report (schemas/report.v1.json).
const ReportSchemaVersion = 1

// Status is the outcome of one check on one object.
type Status string

const (
	StatusPass   Status = "pass"
	StatusFail   Status = "fail"
	StatusWarn   Status = "warn"
	StatusError  Status = "error"
	StatusManual Status = "manual"
)

// Statuses lists every status in the order summaries print them.
var Statuses = []Status{StatusPass, StatusFail, StatusWarn, StatusError, StatusManual}

// Valid reports whether s is one of the five statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPass, StatusFail, StatusWarn, StatusError, StatusManual:
		return true
	}
	return false
}

// Severity is how much a failing check matters, from the check's METADATA.
type Severity string

const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool {
	switch s {
	case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo:
		return true
	}
	return false
}

// Phase is the lifecycle phase of the integrations being audited.
type Phase string

const (
	PhaseOperate Phase = "operate"
	PhaseSetup   Phase = "setup"
)

// ObjectType is the kind of HaloPSA object a result is about.
type ObjectType string

const (
	ObjectRole        ObjectType = "role"
	ObjectAgent       ObjectType = "agent"
	ObjectApplication ObjectType = "application"
	ObjectCategory    ObjectType = "category"
	ObjectSetting     ObjectType = "setting"
	ObjectTenant      ObjectType = "tenant"
)

// Valid reports whether t is one of the documented object types.
func (t ObjectType) Valid() bool {
	switch t {
	case ObjectRole, ObjectAgent, ObjectApplication, ObjectCategory, ObjectSetting, ObjectTenant:
		return true
	}
	return false
}

// Check is one entry of the catalog, read from a rule's # METADATA.
type Check struct {
	ID          string     `json:"id"`
	Profile     string     `json:"profile"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Object      ObjectType `json:"object"`
	Severity    Severity   `json:"severity"`
	// Remediation says what to set and where in the HaloPSA UI.
	Remediation string `json:"remediation"`
	// Source names the vendor document the requirement comes from, and
	// SourceURL is its public address.
	Source    string `json:"source"`
	SourceURL string `json:"source_url,omitempty"`
	// RelatedResources are links or document names beside Source.
	RelatedResources []string `json:"related_resources,omitempty"`
}

// Profile is one vendor's documented setup, read from a package's METADATA.
type Profile struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Vendor      string `json:"vendor"`
	Source      string `json:"source"`
	SourceURL   string `json:"source_url,omitempty"`
	Description string `json:"description,omitempty"`
	// Keywords find the profile's objects by name.
	Keywords []string `json:"keywords,omitempty"`
	// Builtin is false for profiles loaded with --policy.
	Builtin bool `json:"builtin"`
	// Explicit profiles join an audit only when named with -p.
	Explicit bool `json:"explicit,omitempty"`
	// Document is the profile document's file, "" for a Rego profile.
	Document string  `json:"document,omitempty"`
	Checks   []Check `json:"checks"`
}

// Object identifies the HaloPSA object a result is about.
type Object struct {
	Type ObjectType `json:"type"`
	ID   string     `json:"id"`
	Name string     `json:"name"`
}

// Result is one check's verdict on one object, joined with its catalog entry.
type Result struct {
	ID       string   `json:"id"`
	Profile  string   `json:"profile"`
	Title    string   `json:"title"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`
	Object   Object   `json:"object"`
	Message  string   `json:"message"`
	// Expected and Actual are in terms a person recognises ("Read and
	// Modify"): nil, a string or a []string (the engine converts what
	// Rego returns to exactly these).
	Expected    any    `json:"expected,omitempty"`
	Actual      any    `json:"actual,omitempty"`
	Remediation string `json:"remediation"`
	Source      string `json:"source"`
	SourceURL   string `json:"source_url,omitempty"`
	// GrantedBy names the role (or "agent <name>") granting the value
	// reported in Actual, for checks on effective permissions.
	GrantedBy string `json:"granted_by,omitempty"`
	// Accepted is set on a fail or warn result the config file accepts:
	// it keeps its status and does not count towards --fail-on.
	Accepted *Accepted `json:"accepted,omitempty"`
	// Change is set on every fail and warn result when the audit is
	// compared with a previous report.
	Change Change `json:"change,omitempty"`
}

// ReportSource says what was audited.
type ReportSource struct {
	Kind        string    `json:"kind"` // "live" or "snapshot"
	URL         string    `json:"url"`
	CollectedAt time.Time `json:"collected_at"`
	File        string    `json:"file,omitempty"`
	// CredentialsSentTo is the host that received the client secret (the
	// token server's), "" when the source does not say.
	CredentialsSentTo string `json:"credentials_sent_to,omitempty"`
}

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts results per status.
type Summary struct {
	Pass   int `json:"pass"`
	Fail   int `json:"fail"`
	Warn   int `json:"warn"`
	Error  int `json:"error"`
	Manual int `json:"manual"`
	// Accepted counts the fail and warn results the config file accepts
	// (they are counted under their status too).
	Accepted int `json:"accepted"`
}

// CollectionError is a request the collection could not complete, as the
// report shows it.
type CollectionError struct {
	Endpoint string `json:"endpoint"`
	Status   int    `json:"status"`
	Message  string `json:"message"`
	// Needed is true when a selected check needed the data (and so reports
	// error); false when no selected check did.
	Needed bool `json:"needed"`
}

// Notice is a fact about the collection that is not an error but changes
// how the results read: Halo answers an agent that may not read roles with
// an empty list rather than 403, so an empty roles list most likely means
// the auditor could not see the roles, not that there are none.
type Notice struct {
	// Kind is what the notice is about: "empty-list", "auditor-not-found"
	// (the collection),
	// "acceptance-expired", "acceptance-expiring", "acceptance-stale",
	// "acceptance-ambiguous" (the accept list), "previous-instance" (the
	// comparison).
	Kind string `json:"kind"`
	// Endpoint says where: the request, or the config file's line.
	Endpoint string `json:"endpoint"`
	Message  string `json:"message"`
}

// Report is the outcome of one audit: what every renderer draws.
type Report struct {
	SchemaVersion    int               `json:"schema_version"`
	Tool             Tool              `json:"tool"`
	Source           ReportSource      `json:"source"`
	Phase            Phase             `json:"phase"`
	Profiles         []string          `json:"profiles"`
	Summary          Summary           `json:"summary"`
	Results          []Result          `json:"results"`
	CollectionErrors []CollectionError `json:"collection_errors"`
	// Notices are the snapshot's, in CompareNotices order; nil when there
	// are none (the JSON report writes an empty list).
	Notices []Notice `json:"notices"`
	// Previous is the report this one is compared with (--previous), nil
	// when none; Fixed are its findings that now pass or are gone.
	Previous *ReportSource `json:"previous,omitempty"`
	Fixed    []Finding     `json:"fixed,omitempty"`
	// Catalog holds the checks of the selected profiles, for renderers
	// that list rules (SARIF). Not part of the JSON report.
	Catalog []Check `json:"-"`
}
