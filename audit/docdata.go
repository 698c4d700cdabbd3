package audit

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/halolint/halolint/internal/vocabulary"
	"github.com/open-policy-agent/opa/v1/util"
)

// regoData is what the generic Rego reads of one document:
// {"spec" (what discovery and the check functions read), "select",
// "checks" (one rule per derived check), "full_access" (the full-access
// scopes the vendor documents)}.
func (d *document) regoData(checks []derivedCheck, vocab *vocabulary.Vocabulary) map[string]any {
	rules := make([]any, len(checks))
	for i, c := range checks {
		rules[i] = c.rule
	}
	var full []string
	for _, s := range d.app.scopes {
		for _, f := range vocab.FullAccess() {
			if s == f {
				full = append(full, s)
			}
		}
	}
	sel := "auto"
	if d.explicit {
		sel = "explicit"
	}
	notes := map[string]any{}
	for k, v := range d.app.scopeNotes {
		notes[k] = v
	}
	return map[string]any{
		"spec": map[string]any{
			"name":             d.name,
			"vendor":           d.product,
			"keywords":         nonNil(d.keywords),
			"agent_by_keyword": !d.app.identity,
			"agent_roles":      nonNil(d.agent.roles),
			"administrator":    d.role.administrator,
			"defaults": map[string]any{
				"application": d.names.application,
				"agent":       d.names.agent,
				"role":        d.names.role,
				"category":    d.names.category,
			},
			"howto":       d.howto(),
			"scope_notes": notes,
			"source":      map[string]any{"title": d.source.title, "url": d.source.url},
		},
		"select":            sel,
		"checks":            rules,
		"full_access":       nonNil(full),
		"documented_claims": d.documentedCodes(),
	}
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// documentedCodes are the claim codes the document asks for.
func (d *document) documentedCodes() []string {
	out := []string{}
	for _, dp := range d.role.permissions {
		if dp.perm.Coded() {
			out = append(out, dp.perm.Code)
		}
	}
	return out
}

// howto says how to create each object, for the messages of a readiness
// check that finds it missing.
func (d *document) howto() map[string]any {
	p, n := d.product, d.names
	scopes := ""
	if len(d.app.scopes) > 0 {
		scopes = ", and on the Permissions tab " + strings.Join(d.app.scopes, ", ")
	}
	login := fmt.Sprintf("Login Type Agent, Agent to log in as the %s API-only agent", n.agent)
	agent := fmt.Sprintf("Create it in %s > New: an active, API-only agent named %s holding %s", uiAgents, n.agent, roleList(d.agentRoles()))
	if d.role.administrator == "during-setup" {
		agent += " (and, during the initial setup only, the Administrator role)"
	}
	if d.app.identity {
		login = fmt.Sprintf("Login Type Agent, Agent to log in as Application Identity, Identity Roles the %s role", n.role)
		agent = fmt.Sprintf("%s documents no agent: set the application's Agent to log in as Application Identity, with the %s role as Identity Role", p, n.role)
	}
	auth := ""
	if d.app.auth != nil {
		auth = fmt.Sprintf(", Authentication Method %s", d.app.auth.Label)
	}
	return map[string]any{
		"application": fmt.Sprintf("Create it in %s > New: Application Name %s, Active ticked%s, %s%s", uiApplications, n.application, auth, login, scopes),
		"agent":       agent,
		"role":        fmt.Sprintf("Create it in %s > New: a role named %s with the permissions %s documents", uiRoles, n.role, p),
	}
}

// agentRoles are the roles the vendor puts on its agent: those the
// document lists, else the profile's role.
func (d *document) agentRoles() []string {
	if len(d.agent.roles) > 0 {
		return d.agent.roles
	}
	return []string{d.names.role}
}

// policyData is the data document the generic Rego reads beside the
// policies: data.halolint.vocabulary and data.halolint.documents, handed to
// OPA through its store rather than compiled as rules (a profile adds no
// rule to parse, type-check or index). Values are plain JSON, as the store
// and opa eval's data files hold them.
func policyData(vocab *vocabulary.Vocabulary, docs []*document, derived map[string][]derivedCheck) (map[string]any, error) {
	profiles := map[string]any{}
	for _, d := range docs {
		profiles[d.name] = d.regoData(derived[d.name], vocab)
	}
	doc := map[string]any{"halolint": map[string]any{
		"vocabulary": map[string]any{
			"claims":             vocab.Claims(),
			"sensitive_claims":   vocab.Sensitive,
			"scopes":             vocab.Scopes(),
			"full_access_scopes": vocab.FullAccess(),
			"access":             vocab.Access(),
		},
		"documents": map[string]any{"profiles": profiles},
	}}
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("policy data: %w", err)
	}
	var out map[string]any
	if err := util.UnmarshalJSON(js, &out); err != nil {
		return nil, fmt.Errorf("policy data: %w", err)
	}
	return out, nil
}
