package halo

import (
	"time"
)

// SchemaVersion is the version of the snapshot document this package writes
// and the only one it loads. A change that renames or removes a field, or
// changes a field's meaning, bumps it.
const SchemaVersion = 1

// Snapshot is a tenant as collected: halolint's own model of the objects the
// checks need, plus every other field the server sent, minus secrets. It is
// the contract between collection and evaluation, and the file users attach
// to support tickets, so a secret never enters it: redaction happens while
// decoding, before a value reaches any of these structs.
type Snapshot struct {
	SchemaVersion int    `json:"schema_version"`
	Tool          Tool   `json:"tool"`
	Source        Source `json:"source"`
	// Auditor identifies the application halolint logged in with, so that
	// policies judge it by baseline.auditor.self alone.
	Auditor Auditor `json:"auditor"`
	// Full is true when every role's and agent's details were read
	// (snapshot --full), not only those the checks need.
	Full bool `json:"full"`
	// RequestCount is the number of HTTP requests the collection sent,
	// the authorisation requests and retries included.
	RequestCount int `json:"request_count"`

	Roles        []Role        `json:"roles"`
	Agents       []Agent       `json:"agents"`
	Applications []Application `json:"applications"`
	// Categories holds the "Category 1" list (type_id=1).
	Categories []Category `json:"categories"`
	// Control is the allowlisted part of /api/Control; nil when it could
	// not be read.
	Control *Control `json:"control"`

	// CollectionErrors lists every request that failed after retries. A
	// check that needs data from a failed resource reports "error".
	CollectionErrors []CollectionError `json:"collection_errors"`
	// Notices are facts about the collection that are not errors but that a
	// reader must know, such as an empty roles list (Halo answers a
	// restricted agent with an empty list rather than 403).
	Notices []Notice `json:"notices"`
}

// Tool names the program that wrote the snapshot.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source says where and when the snapshot was collected.
type Source struct {
	URL         string    `json:"url"`
	CollectedAt time.Time `json:"collected_at"`
	// CredentialsSentTo is the host the client secret was sent to (the
	// token server's), so that a snapshot and the report made from it say
	// who received the credentials.
	CredentialsSentTo string `json:"credentials_sent_to,omitempty"`
}

// Auditor is the API application halolint itself used.
type Auditor struct {
	ClientID string `json:"client_id"`
	// ApplicationID is the id of the application whose client ID is
	// ClientID, empty when it was not found among the applications.
	ApplicationID string `json:"application_id,omitempty"`
}

// Resource names one kind of data the collection reads. Collection errors
// carry it so that policies know which checks lack their data.
type Resource string

const (
	ResourceAuthInfo     Resource = "authinfo"
	ResourceRoles        Resource = "roles"
	ResourceRole         Resource = "role" // one role's details
	ResourceAgents       Resource = "agents"
	ResourceAgent        Resource = "agent" // one agent's details
	ResourceApplications Resource = "applications"
	ResourceApplication  Resource = "application" // one application's details
	ResourceCategories   Resource = "categories"
	ResourceControl      Resource = "control"
	// ResourceCollection is the collection as a whole: the notice that the
	// deadline cut it short.
	ResourceCollection Resource = "collection"
)

// CollectionError is one request that could not be completed.
type CollectionError struct {
	Resource Resource `json:"resource"`
	// ObjectID is set for detail requests (one role, agent, application).
	ObjectID string `json:"object_id,omitempty"`
	Endpoint string `json:"endpoint"`
	// Status is the HTTP status, 0 when no response was received or the
	// response could not be decoded.
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// Notice is something suspicious about a successful response.
type Notice struct {
	// Kind says what it is about: NoticeEmptyList, NoticeAuditorNotFound.
	Kind     string   `json:"kind,omitempty"`
	Resource Resource `json:"resource"`
	Endpoint string   `json:"endpoint"`
	Message  string   `json:"message"`
}

// Notice kinds.
const (
	NoticeEmptyList       = "empty-list"
	NoticeAuditorNotFound = "auditor-not-found"
	NoticeDiscovery       = "discovery"
	NoticeTokenLifetime   = "token-lifetime"
	NoticeCutShort        = "cut-short"
	NoticeListedTwice     = "listed-twice"
)

// Claim is one permission setting of a role or agent: a short type code such
// as "Tx" and its value, kept as the string the server sent ("2", "true").
type Claim struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// Role is a HaloPSA role. Claims, Departments and Detailed are only
// meaningful when the role's details were read.
type Role struct {
	ID            string `json:"id"`
	IDInt         int    `json:"id_int,omitempty"`
	Name          string `json:"name"`
	IsIntegration bool   `json:"is_integration"`
	// Detailed is true when GET /api/Roles/{id}?includedetails=true answered.
	Detailed    bool             `json:"detailed"`
	Claims      Claims           `json:"claims"`
	Departments []RoleDepartment `json:"departments"`
	// Extra holds every other field the server sent, redacted.
	Extra map[string]any `json:"extra,omitempty"`
}

// RoleDepartment is one row of a role's "Departments & Teams" tab.
// What MembershipLevel's values mean is not publicly documented: it is
// kept raw, never interpreted.
type RoleDepartment struct {
	DepartmentID    int    `json:"department_id"`
	DepartmentName  string `json:"department_name"`
	MembershipLevel int    `json:"membershiplevel"`
	// Extra holds the row's other fields (includeteamsintree, ...), redacted.
	Extra map[string]any `json:"extra,omitempty"`
}

// RoleRef is a role as listed on an agent.
type RoleRef struct {
	ID    string `json:"id"`
	IDInt int    `json:"id_int,omitempty"`
	Name  string `json:"name"`
}

// Agent is a HaloPSA agent (a user of the PSA, or an API-only agent).
type Agent struct {
	ID         int       `json:"id"`
	Name       string    `json:"name"`
	IsDisabled bool      `json:"isdisabled"`
	IsAPIAgent bool      `json:"isapiagent"`
	IsAdmin    bool      `json:"is_admin"`
	Roles      []RoleRef `json:"roles"`
	// Detailed is true when GET /api/Agent/{id}?includedetails=true
	// answered; only then are Claims the agent's own claims.
	Detailed bool           `json:"detailed"`
	Claims   Claims         `json:"claims"`
	Extra    map[string]any `json:"extra,omitempty"`
}

// Application is an API application (Configuration > Integrations >
// HaloPSA API > Applications). Its client secret is never kept.
type Application struct {
	ID          string `json:"id"`
	ClientID    string `json:"client_id"`
	DisplayName string `json:"display_name"`
	Inactive    bool   `json:"inactive"`
	// IsSystem marks Halo's own built-in applications: listed, never judged.
	IsSystem bool `json:"is_system"`
	// IsAuditor marks the application halolint logged in with.
	IsAuditor      bool   `json:"is_auditor"`
	GrantType      string `json:"grant_type"`
	CredentialType int    `json:"credential_type"`
	// LoginAsAgentID is 0 when the application has no login agent.
	LoginAsAgentID   int    `json:"loginas_agent_id"`
	LoginAsAgentName string `json:"loginas_agent_name"`
	// Detailed is true when GET /api/Application/{id}?includedetails=true
	// answered; only then is Scopes meaningful.
	Detailed bool `json:"detailed"`
	// Scopes are the permission scope names ("edit:tickets", "all"), sorted.
	Scopes []string       `json:"scopes"`
	Extra  map[string]any `json:"extra,omitempty"`
}

// Category is one value of a ticket category list.
type Category struct {
	ID           int    `json:"id"`
	Value        string `json:"value"`
	CategoryName string `json:"category_name"`
	TypeID       int    `json:"type_id"`
	// Extra holds every other field the server sent, redacted.
	Extra map[string]any `json:"extra,omitempty"`
}

// Control is the allowlisted part of the global settings. /api/Control holds
// integration secrets, so only the fields a policy uses are ever kept; a
// field the server did not send stays nil.
type Control struct {
	// ForceAccountsID is most likely "Accounts ID on new Customers and
	// Products are mandatory" (Configuration > Billing > General Settings).
	ForceAccountsID *bool   `json:"force_accounts_id"`
	Category1Label  *string `json:"category_1_label,omitempty"`
	Category2Label  *string `json:"category_2_label,omitempty"`
	Category3Label  *string `json:"category_3_label,omitempty"`
	Category4Label  *string `json:"category_4_label,omitempty"`
}
