package audit

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/rego"
)

// AccessSchemaVersion is the version of the access document
// (schemas/access.v1.json).
const AccessSchemaVersion = 1

// AccessKind is the access document's kind, beside its schema version.
const AccessKind = "access"

// AccessLevel is what an application can effectively do in one area.
type AccessLevel string

const (
	AccessNone AccessLevel = "none"
	AccessRead AccessLevel = "read"
	AccessEdit AccessLevel = "edit"
	// AccessUnknown is an area whose data could not be read: never shown
	// as none.
	AccessUnknown AccessLevel = "unknown"
)

// AccessLevels lists the levels, lowest first, unknown last.
var AccessLevels = []AccessLevel{AccessNone, AccessRead, AccessEdit, AccessUnknown}

// Valid reports whether l is one of the four levels.
func (l AccessLevel) Valid() bool { return slices.Contains(AccessLevels, l) }

// How an application logs in.
const (
	LoginAgent               = "agent"
	LoginApplicationIdentity = "application-identity"
	// LoginUnknown: the application's details, which carry its login,
	// were not read.
	LoginUnknown = "unknown"
)

// AccessArea is one area of the access view: the scopes read:NAME and
// edit:NAME, and the role permission that limits them.
type AccessArea struct {
	Name       string `json:"name"`
	Permission string `json:"permission"`
}

// AccessAgent is the agent an application logs in as. APIOnly, Enabled
// and Administrator are nil when unknown (the agent does not exist, or its
// permissions were not read).
type AccessAgent struct {
	ID            int    `json:"id"`
	Name          string `json:"name"`
	APIOnly       *bool  `json:"api_only"`
	Enabled       *bool  `json:"enabled"`
	Administrator *bool  `json:"administrator"`
}

// AccessLogin is who an application logs in as: Type LoginAgent with its
// Agent, LoginApplicationIdentity, or LoginUnknown.
type AccessLogin struct {
	Type  string       `json:"type"`
	Agent *AccessAgent `json:"agent,omitempty"`
}

// ApplicationAccess is one application of the access view.
type ApplicationAccess struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Active bool   `json:"active"`
	// Auditor marks halolint's own application.
	Auditor bool `json:"auditor"`
	// Authentication is the Authentication Method as HaloPSA's screen
	// words it, else the grant type the API reported.
	Authentication string      `json:"authentication"`
	Login          AccessLogin `json:"login"`
	Scopes         []string    `json:"scopes"`
	// Profile is the vendor profile whose application it is, "" for none.
	Profile string `json:"profile"`
	// Access holds a level for every area of the report.
	Access map[string]AccessLevel `json:"access"`
	// Sensitive lists the login agent's permissions that reach far beyond
	// an area (the vocabulary's sensitive claims), by label.
	Sensitive []string `json:"sensitive"`
	// Errors say what could not be read: any makes the view incomplete.
	Errors []string `json:"errors"`
	// Notes say what changes how the row reads (Application Identity, a
	// disabled or missing login agent).
	Notes []string `json:"notes"`
}

// AccessReport is what every integration can effectively do: one entry
// per non-system application, sorted by name.
type AccessReport struct {
	SchemaVersion int          `json:"schema_version"`
	Kind          string       `json:"kind"`
	Tool          Tool         `json:"tool"`
	Source        ReportSource `json:"source"`
	// Areas are the vocabulary's, in its order.
	Areas        []AccessArea        `json:"areas"`
	Applications []ApplicationAccess `json:"applications"`
	// Errors are what leaves the whole view incomplete (the applications
	// list not read).
	Errors           []string          `json:"errors"`
	CollectionErrors []CollectionError `json:"collection_errors"`
	Notices          []Notice          `json:"notices"`
}

// accessQuery reads the access view and the areas it is made of.
const accessQuery = `areas = [{"name": a.area, "permission": a.permission} | some a in data.halolint.vocabulary.access.areas]; applications = data.halolint.lib.access.applications; errors = data.halolint.lib.access.errors`

// Access computes what every non-system application of snap can
// effectively do (policies/lib/access.rego). sel gives the config file's
// names (which decide the owning profiles), the tool and the source; its
// profiles and phase are not used.
func (e *Engine) Access(ctx context.Context, snap *halo.Snapshot, sel Selection) (*AccessReport, error) {
	if snap == nil {
		return nil, &UsageError{Message: "no snapshot to read"}
	}
	if !e.compiledAccessView() {
		return nil, engineErrorf("the engine was made without Options.Access: it did not compile the access view")
	}
	sel.Profiles, sel.Phase = nil, PhaseOperate
	input, _, err := e.input(snap, sel)
	if err != nil {
		return nil, err
	}
	pq, err := e.prepare(ctx, accessQuery)
	if err != nil {
		return nil, err
	}
	at := snap.Source.CollectedAt
	if at.IsZero() {
		at = time.Unix(0, 0)
	}
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(at))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("evaluate the access view: %w", ctx.Err())
		}
		return nil, &EngineError{Message: "evaluate the access view", Err: err}
	}
	if len(rs) == 0 {
		return nil, engineErrorf("data.halolint.lib.access.applications or the vocabulary's access areas are undefined")
	}
	r := &AccessReport{
		SchemaVersion:    AccessSchemaVersion,
		Kind:             AccessKind,
		Tool:             sel.Tool,
		Source:           reportSource(sel.Source, snap),
		CollectionErrors: accessCollectionErrors(snap.CollectionErrors),
		Notices:          noticesOf(snap.Notices),
	}
	b := rs[0].Bindings
	if err := decodeStrict(b["areas"], &r.Areas); err != nil {
		return nil, engineErrorf("the vocabulary's access areas: %v", err)
	}
	if err := decodeStrict(b["applications"], &r.Applications); err != nil {
		return nil, engineErrorf("data.halolint.lib.access.applications: %v", err)
	}
	if err := decodeStrict(b["errors"], &r.Errors); err != nil {
		return nil, engineErrorf("data.halolint.lib.access.errors: %v", err)
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	r.Normalize()
	return r, nil
}

// decodeStrict converts a binding to v through JSON, refusing unknown
// keys: a misspelt key in the Rego would otherwise vanish.
func decodeStrict(binding any, v any) error {
	b, err := json.Marshal(binding)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// check makes sure every application has a valid level for every area and
// a known login type.
func (r *AccessReport) check() error {
	for _, app := range r.Applications {
		for _, a := range r.Areas {
			if l, ok := app.Access[a.Name]; !ok || !l.Valid() {
				return engineErrorf("access of application %q: area %s has level %q", app.Name, a.Name, l)
			}
		}
		if len(app.Access) != len(r.Areas) {
			return engineErrorf("access of application %q: %d areas, want %d", app.Name, len(app.Access), len(r.Areas))
		}
		switch app.Login.Type {
		case LoginAgent:
			if app.Login.Agent == nil {
				return engineErrorf("access of application %q: login agent missing", app.Name)
			}
		case LoginApplicationIdentity, LoginUnknown:
		default:
			return engineErrorf("access of application %q: unknown login type %q", app.Name, app.Login.Type)
		}
	}
	return nil
}

// Normalize puts the report in the order every output shows it:
// applications by name (case-insensitively), then ID; lists sorted and
// never nil; the collection time in UTC. Renderers call it on their copy.
func (r *AccessReport) Normalize() {
	r.Source.CollectedAt = r.Source.CollectedAt.UTC()
	if r.Source.Kind != "snapshot" {
		r.Source.File = ""
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	for i := range r.Applications {
		app := &r.Applications[i]
		app.Scopes = nonNil(app.Scopes)
		slices.Sort(app.Scopes)
		app.Sensitive = nonNil(app.Sensitive)
		slices.Sort(app.Sensitive)
		app.Errors, app.Notes = nonNil(app.Errors), nonNil(app.Notes)
		if app.Access == nil {
			app.Access = map[string]AccessLevel{}
		}
	}
	slices.SortStableFunc(r.Applications, CompareApplications)
	if r.Areas == nil {
		r.Areas = []AccessArea{}
	}
	if r.Applications == nil {
		r.Applications = []ApplicationAccess{}
	}
	r.Errors = nonNil(r.Errors)
	slices.Sort(r.Errors)
	if r.CollectionErrors == nil {
		r.CollectionErrors = []CollectionError{}
	}
	slices.SortStableFunc(r.CollectionErrors, compareCollectionErrors)
	if r.Notices == nil {
		r.Notices = []Notice{}
	}
	slices.SortStableFunc(r.Notices, CompareNotices)
}

// CompareApplications is the access view's order: name case-insensitively,
// then name, then ID.
func CompareApplications(a, b ApplicationAccess) int {
	return cmp.Or(
		strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.ID, b.ID),
	)
}

func compareCollectionErrors(a, b CollectionError) int {
	return cmp.Or(
		strings.Compare(a.Endpoint, b.Endpoint),
		cmp.Compare(a.Status, b.Status),
		strings.Compare(a.Message, b.Message),
	)
}

// accessCollectionErrors lists the snapshot's collection errors, each
// Needed when the access view reads its resource (the application, agent
// and role lists and details).
func accessCollectionErrors(errs []halo.CollectionError) []CollectionError {
	out := make([]CollectionError, 0, len(errs))
	for _, ce := range errs {
		out = append(out, CollectionError{
			Endpoint: ce.Endpoint,
			Status:   ce.Status,
			Message:  ce.Message,
			Needed:   feeds(ce.Resource, ObjectApplication),
		})
	}
	return out
}

// AccessOutcome is the exit code an access view leads to.
type AccessOutcome struct {
	// Code is ExitClean, or ExitIncomplete when something the view needs
	// could not be read.
	Code int
	// Incomplete counts the applications with errors; ListErrors the
	// problems that leave the whole list incomplete.
	Incomplete int
	ListErrors int
}

// AccessGate decides the exit code of an access view: ExitIncomplete when
// the list or any application's access could not be read entirely.
func AccessGate(r *AccessReport) AccessOutcome {
	var o AccessOutcome
	if r == nil {
		return o
	}
	o.ListErrors = len(r.Errors)
	for _, app := range r.Applications {
		if len(app.Errors) > 0 {
			o.Incomplete++
		}
	}
	if o.Incomplete > 0 || o.ListErrors > 0 {
		o.Code = ExitIncomplete
	}
	return o
}

// Reason is the exit reason line.
func (o AccessOutcome) Reason() string {
	switch {
	case o.ListErrors > 0:
		return "exit 3: the applications could not be read: the view is incomplete"
	case o.Incomplete == 1:
		return "exit 3: 1 application's access could not be read entirely"
	case o.Incomplete > 1:
		return fmt.Sprintf("exit 3: %d applications' access could not be read entirely", o.Incomplete)
	}
	return "exit 0: every application's access was read"
}

// compiledAccessView says whether the engine compiled the access view's
// module (Options.Access).
func (e *Engine) compiledAccessView() bool {
	return slices.ContainsFunc(e.sources, func(s source) bool { return packageOf(s.text) == accessPackage })
}
