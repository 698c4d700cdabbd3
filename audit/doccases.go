package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/vocabulary"
)

// Tests that come free: for every profile document, cases build the
// tenant the document describes and check both sides of every requirement
// through the engine itself (Evaluate, the path an audit takes). A case
// mutates the documented tenant and names the statuses it expects of some
// checks; every other check must keep its status in the documented tenant.

// docCase is one generated case.
type docCase struct {
	name   string
	phase  Phase
	mutate func(t *docTenant)
	expect map[string]Status
	// contains, when set, must appear in the message of its check.
	contains map[string]string
	// loose cases compare only the checks they name: a missing object
	// changes what discovery finds, and with it many checks.
	loose bool
	// file and line are where a case file states the case ("" for a
	// generated one, which points at its document).
	file string
	line int
}

// docTenant is the tenant a document describes, built of snapshot objects.
type docTenant struct {
	role   halo.Role
	agent  *halo.Agent // nil with Application Identity
	extra  []halo.Role // other roles the vendor puts on the agent
	app    halo.Application
	cats   []halo.Category
	contrl map[string]any
}

const (
	caseAgentID  = 9001
	caseRoleID   = "role-under-test"
	caseAppID    = "app-under-test"
	caseExtraID  = "role-extra-"
	caseAuditor  = "auditor-app"
	caseClientID = "auditor-client"
)

// documentedTenant builds the tenant exactly as the document says, in
// phase (the setup phase adds the administrator rights a during-setup
// vendor needs then).
func (d *document) documentedTenant(phase Phase) *docTenant {
	t := &docTenant{contrl: map[string]any{}}
	t.role = halo.Role{ID: caseRoleID, Name: d.names.role, Detailed: true, Claims: []halo.Claim{}}
	for _, dp := range d.role.permissions {
		if !dp.manual {
			t.setClaim(dp.perm.Code, dp.value.Raw)
		}
	}
	if d.role.administrator == "documented" || (d.role.administrator == "during-setup" && phase == PhaseSetup) {
		t.setClaim("SA", "true")
	}
	for i, dept := range []string{"Support", "Projects"} {
		t.role.Departments = append(t.role.Departments, halo.RoleDepartment{DepartmentID: i + 1, DepartmentName: dept, MembershipLevel: 3})
	}
	t.app = halo.Application{
		ID: caseAppID, ClientID: "vendor-client", DisplayName: d.names.application,
		GrantType: "client_credentials", Detailed: true, Scopes: append([]string{}, d.app.scopes...),
	}
	if d.app.auth != nil {
		t.app.GrantType = d.app.auth.GrantType
	}
	if !d.app.identity {
		t.agent = &halo.Agent{ID: caseAgentID, Name: d.names.agent, IsAPIAgent: true, Detailed: true, Claims: []halo.Claim{},
			Roles: []halo.RoleRef{{ID: caseRoleID, Name: d.names.role}}}
		if !d.agent.apiOnly {
			t.agent.IsAPIAgent = false
		}
		for i, name := range d.agent.roles {
			if vocabulary.Normalize(name) == vocabulary.Normalize(d.names.role) {
				continue
			}
			id := fmt.Sprintf("%s%d", caseExtraID, i)
			t.extra = append(t.extra, halo.Role{ID: id, Name: name, Detailed: true, Claims: []halo.Claim{}})
			t.agent.Roles = append(t.agent.Roles, halo.RoleRef{ID: id, Name: name})
		}
		t.app.LoginAsAgentID, t.app.LoginAsAgentName = caseAgentID, d.names.agent
	}
	for i, c := range d.categories {
		t.cats = append(t.cats, halo.Category{ID: i + 1, Value: c.value, TypeID: c.list})
	}
	for _, s := range d.settings {
		t.contrl[s.setting.Field] = s.want
	}
	return t
}

func (t *docTenant) setClaim(code, value string) {
	for i, c := range t.role.Claims {
		if c.Type == code {
			t.role.Claims[i].Value = value
			return
		}
	}
	t.role.Claims = append(t.role.Claims, halo.Claim{Type: code, Value: value})
}

func (t *docTenant) dropClaim(code string) {
	t.role.Claims = slices.DeleteFunc(t.role.Claims, func(c halo.Claim) bool { return c.Type == code })
}

// snapshot is the tenant as a collection would have read it, with the
// auditor's own application beside the vendor's.
func (t *docTenant) snapshot() (*halo.Snapshot, error) {
	snap := &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Source:        halo.Source{URL: "https://generated.invalid", CollectedAt: time.Unix(0, 0).UTC()},
		Auditor:       halo.Auditor{ClientID: caseClientID, ApplicationID: caseAuditor},
		Roles:         append([]halo.Role{t.role}, t.extra...),
		Applications: []halo.Application{t.app, {ID: caseAuditor, ClientID: caseClientID, DisplayName: "halolint auditor",
			IsAuditor: true, GrantType: "client_credentials", Detailed: true, Scopes: []string{"admin"}}},
		Categories: t.cats,
	}
	if t.agent != nil {
		snap.Agents = []halo.Agent{*t.agent}
	}
	b, err := json.Marshal(t.contrl)
	if err != nil {
		return nil, err
	}
	snap.Control = &halo.Control{}
	if err := json.Unmarshal(b, snap.Control); err != nil {
		return nil, fmt.Errorf("settings of the generated tenant: %w", err)
	}
	return snap, nil
}

// cases lists the generated cases of a document.
func (d *document) cases(vocab *vocabulary.Vocabulary) []docCase {
	id := func(object, suffix string) string { return d.name + "." + object + "." + suffix }
	var out []docCase
	add := func(name string, phase Phase, mutate func(*docTenant), expect map[string]Status) {
		out = append(out, docCase{name: name, phase: phase, mutate: mutate, expect: expect})
	}
	add("the documented tenant", PhaseOperate, func(*docTenant) {}, nil)

	documented := map[string]bool{}
	for _, dp := range d.role.permissions {
		documented[dp.perm.Code] = true
	}
	for _, dp := range d.role.permissions {
		if dp.manual {
			continue
		}
		check, code := id("role", dp.perm.Slug), dp.perm.Code
		add(fmt.Sprintf("%s absent fails", dp.label), PhaseOperate, func(t *docTenant) { t.dropClaim(code) }, map[string]Status{check: StatusFail})
		if below := dp.perm.Values[dp.value.Rank-1]; below.Rank > 0 {
			add(fmt.Sprintf("%s at %s fails", dp.label, below.Label), PhaseOperate, func(t *docTenant) { t.setClaim(code, below.Raw) }, map[string]Status{check: StatusFail})
		}
		if dp.value.Rank < dp.perm.Top().Rank {
			above := dp.perm.Values[dp.value.Rank+1]
			add(fmt.Sprintf("%s at %s gives %s", dp.label, above.Label, dp.above), PhaseOperate, func(t *docTenant) { t.setClaim(code, above.Raw) }, map[string]Status{check: Status(dp.above)})
		}
	}
	if d.role.listed && !d.role.ignoreExtra {
		for _, p := range vocab.Permissions() {
			if p.Coded() && !documented[p.Code] && p.Code != "SA" {
				code, top := p.Code, p.Top().Raw
				add(fmt.Sprintf("an undocumented %s warns", p.Label), PhaseOperate, func(t *docTenant) { t.setClaim(code, top) },
					map[string]Status{id("role", "undocumented"): StatusWarn})
				break
			}
		}
	}

	// The administrator flag, per the document's option and the phase.
	setAdmin := func(t *docTenant) { t.setClaim("SA", "true") }
	dropAdmin := func(t *docTenant) { t.dropClaim("SA") }
	switch d.role.administrator {
	case "never":
		add("an administrator fails", PhaseOperate, setAdmin, map[string]Status{id("role", "not-admin"): StatusFail})
	case "during-setup":
		leftover := map[string]Status{id("role", "administrator"): StatusFail}
		if !d.app.identity {
			leftover[id("agent", "administrator")] = StatusPass
		}
		add("a leftover administrator fails in the operate phase", PhaseOperate, setAdmin, leftover)
		add("the documented tenant in the setup phase", PhaseSetup, func(*docTenant) {}, nil)
		missing := map[string]Status{id("role", "administrator"): StatusFail}
		if !d.app.identity {
			missing[id("agent", "administrator")] = StatusFail
		}
		add("no administrator in the setup phase fails", PhaseSetup, dropAdmin, missing)
	case "documented":
		add("no administrator fails", PhaseOperate, dropAdmin, map[string]Status{id("role", "administrator"): StatusFail})
	}

	// Scopes.
	have := map[string]bool{}
	for _, s := range d.app.scopes {
		have[s] = true
	}
	for _, s := range d.app.scopes {
		if rest, ok := strings.CutPrefix(s, "read:"); ok && have["edit:"+rest] {
			continue // met by edit:X, whatever its own tick
		}
		scope := s
		add(fmt.Sprintf("without scope %s fails", s), PhaseOperate, func(t *docTenant) {
			t.app.Scopes = slices.DeleteFunc(t.app.Scopes, func(x string) bool { return x == scope })
		}, map[string]Status{id("application", "scopes"): StatusFail})
	}
	if d.app.scopesGiven && !d.app.ignoreExcess {
		for _, s := range vocab.Scopes() {
			rest, isRead := strings.CutPrefix(s, "read:")
			if !isRead || have[s] || have["edit:"+rest] {
				continue
			}
			extra := s
			add(fmt.Sprintf("an undocumented scope %s warns", s), PhaseOperate, func(t *docTenant) { t.app.Scopes = append(t.app.Scopes, extra) },
				map[string]Status{id("application", "excess-scopes"): StatusWarn})
			break
		}
		for _, s := range []string{"all", "admin"} {
			if have[s] {
				continue
			}
			full := s
			expect := map[string]Status{id("application", "excess-scopes"): StatusFail}
			c := docCase{name: fmt.Sprintf("scope %s fails", s), phase: PhaseOperate, expect: expect,
				mutate: func(t *docTenant) { t.app.Scopes = append(t.app.Scopes, full) }}
			if note := d.app.scopeNotes[s]; note != "" {
				c.contains = map[string]string{id("application", "excess-scopes"): note}
			}
			out = append(out, c)
		}
	}

	// The application and its agent.
	loose := func(name string, mutate func(*docTenant), expect map[string]Status) {
		out = append(out, docCase{name: name, phase: PhaseOperate, mutate: mutate, expect: expect, loose: true})
	}
	appChecks := map[string]Status{}
	for _, c := range d.derive() {
		if c.Object == ObjectApplication {
			appChecks[c.ID] = StatusFail
		}
	}
	loose("no application fails", func(t *docTenant) { t.app.DisplayName = "Unrelated" }, appChecks)
	add("an inactive application fails", PhaseOperate, func(t *docTenant) { t.app.Inactive = true }, map[string]Status{id("application", "exists"): StatusFail})
	if d.app.auth != nil {
		add("another authentication method fails", PhaseOperate, func(t *docTenant) { t.app.GrantType = "authorization_code" }, map[string]Status{id("application", "auth-method"): StatusFail})
	}
	if !d.app.identity {
		if d.agent.apiOnly {
			add("an agent that is not API-only fails", PhaseOperate, func(t *docTenant) { t.agent.IsAPIAgent = false },
				map[string]Status{id("agent", "api-only"): StatusFail, id("application", "login-agent"): StatusFail})
		}
		add("a disabled agent fails", PhaseOperate, func(t *docTenant) { t.agent.IsDisabled = true }, map[string]Status{id("agent", "enabled"): StatusFail})
		loose("no login agent fails", func(t *docTenant) { t.app.LoginAsAgentID, t.app.LoginAsAgentName = 0, "" },
			map[string]Status{id("application", "login-agent"): StatusFail})
	} else {
		loose("a login agent fails Application Identity", func(t *docTenant) { t.app.LoginAsAgentID, t.app.LoginAsAgentName = 77, "Someone" },
			map[string]Status{id("application", "identity"): StatusFail})
	}
	for _, r := range d.agent.roles {
		roleName := r
		loose(fmt.Sprintf("an agent without role %s fails", r), func(t *docTenant) {
			t.agent.Roles = slices.DeleteFunc(t.agent.Roles, func(ref halo.RoleRef) bool {
				return vocabulary.Normalize(ref.Name) == vocabulary.Normalize(roleName)
			})
		}, map[string]Status{id("agent", slug(r)+"-role"): StatusFail})
	}
	if len(d.agent.roles) > 0 {
		add("an undocumented role on the agent warns", PhaseOperate, func(t *docTenant) {
			t.extra = append(t.extra, halo.Role{ID: "role-other", Name: "Something Else", Detailed: true, Claims: []halo.Claim{}})
			t.agent.Roles = append(t.agent.Roles, halo.RoleRef{ID: "role-other", Name: "Something Else"})
		}, map[string]Status{id("agent", "undocumented-roles"): StatusWarn})
	}
	for _, c := range d.categories {
		value := c.value
		add(fmt.Sprintf("without category %s fails", c.value), PhaseOperate, func(t *docTenant) {
			t.cats = slices.DeleteFunc(t.cats, func(x halo.Category) bool { return x.Value == value })
		}, map[string]Status{id("category", slug(c.value)): StatusFail})
	}
	for _, s := range d.settings {
		field, want := s.setting.Field, s.want
		add(fmt.Sprintf("%s the other way fails", s.setting.Label), PhaseOperate, func(t *docTenant) { t.contrl[field] = !want },
			map[string]Status{id("setting", s.setting.Slug): StatusFail})
	}
	return out
}

// docCaseResult is the outcome of one case.
type docCaseResult struct {
	profile, name, file string
	line                int
	failures            []string
	err                 error
}

// runDocumentCases runs every generated case of the engine's documents
// named in only (all of them when only is nil).
func (e *Engine) runDocumentCases(ctx context.Context, docs *documentSet, only map[string]bool) []docCaseResult {
	var out []docCaseResult
	for _, d := range docs.docs {
		if only != nil && !only[d.name] {
			continue
		}
		baseline := map[Phase]map[string]Status{}
		for _, c := range append(d.cases(docs.vocab), docs.quirks[d.name]...) {
			r := docCaseResult{profile: d.name, name: c.name, file: d.file, line: d.line}
			if c.file != "" {
				r.file, r.line = c.file, c.line
			}
			got, msgs, err := e.evaluateCase(ctx, d, c)
			if err != nil {
				r.err = err
				out = append(out, r)
				continue
			}
			base, ok := baseline[c.phase]
			if !ok {
				base = documentedStatuses(docs.derived[d.name])
				baseline[c.phase] = base
			}
			for _, chk := range docs.derived[d.name] {
				want, named := c.expect[chk.ID]
				if !named && c.loose {
					continue
				}
				if !named {
					want = base[chk.ID]
				}
				if got[chk.ID] != want {
					r.failures = append(r.failures, fmt.Sprintf("%s is %s, want %s: %s", chk.ID, got[chk.ID], want, msgs[chk.ID]))
				}
			}
			for chk, text := range c.contains {
				if !strings.Contains(msgs[chk], text) {
					r.failures = append(r.failures, fmt.Sprintf("%s: message %q lacks %q", chk, msgs[chk], text))
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// documentedStatuses is what the documented tenant must give: pass for
// every check but the manual ones. A check that gives anything else is
// reported by the documented-tenant case itself.
func documentedStatuses(checks []derivedCheck) map[string]Status {
	out := map[string]Status{}
	for _, c := range checks {
		switch c.rule["kind"] {
		case "manual", "department_membership", "application_identity":
			out[c.ID] = StatusManual
		default:
			out[c.ID] = StatusPass
		}
	}
	return out
}

// evaluateCase audits the case's tenant with the document's profile alone.
func (e *Engine) evaluateCase(ctx context.Context, d *document, c docCase) (map[string]Status, map[string]string, error) {
	t := d.documentedTenant(c.phase)
	c.mutate(t)
	snap, err := t.snapshot()
	if err != nil {
		return nil, nil, err
	}
	rep, err := e.Evaluate(ctx, snap, Selection{Profiles: []string{d.name}, Phase: c.phase})
	if err != nil {
		return nil, nil, err
	}
	got, msgs := map[string]Status{}, map[string]string{}
	for _, r := range rep.Results {
		if prev, dup := got[r.ID]; dup && prev != r.Status {
			msgs[r.ID] += "; " + r.Message
			continue
		}
		got[r.ID], msgs[r.ID] = r.Status, r.Message
	}
	return got, msgs, nil
}
