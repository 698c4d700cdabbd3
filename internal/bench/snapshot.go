package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// BigSpec is the tenant of the evaluation figures: 10,000 roles with the
// full set of claims, 2,000 applications, 5,000 agents (plus the fixed
// part of every generated tenant: 4 roles, 7 applications, 3 agents).
var BigSpec = halotest.GenerateSpec{Seed: 7, Roles: 10_000, Applications: 2_000, Agents: 5_000}

// CollectedAt is the collection time written into generated snapshots.
var CollectedAt = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// SnapshotOf turns a generated tenant into the snapshot a full collection
// (`halolint snapshot --full`) would write: every object detailed, the
// "Category 1" values, Control.
func SnapshotOf(t *halotest.Tenant) *halo.Snapshot {
	s := &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Tool:          halo.Tool{Name: "halolint", Version: "bench"},
		Source:        halo.Source{URL: "https://bench.halopsa.example", CollectedAt: CollectedAt},
		Auditor:       halo.Auditor{ClientID: halotest.AuditorClientID},
		Full:          true,
	}
	str := func(v any) string { x, _ := v.(string); return x }
	num := func(v any) int { x, _ := halotest.AsInt(v); return x }
	truth := func(v any) bool { x, _ := halotest.AsBool(v); return x }
	objs := func(v any) []map[string]any {
		list, _ := v.([]any)
		out := make([]map[string]any, 0, len(list))
		for _, o := range list {
			if m, ok := o.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	claims := func(v any) []halo.Claim {
		out := []halo.Claim{}
		for _, c := range objs(v) {
			out = append(out, halo.Claim{Type: str(c["type"]), Value: fmt.Sprint(c["value"])})
		}
		return out
	}
	for _, r := range t.Roles {
		role := halo.Role{ID: str(r["id"]), IDInt: num(r["id_int"]), Name: str(r["name"]),
			IsIntegration: truth(r["is_integration"]), Detailed: true, Claims: claims(r["claims"]),
			Departments: []halo.RoleDepartment{}}
		for _, d := range objs(r["departments"]) {
			role.Departments = append(role.Departments, halo.RoleDepartment{DepartmentID: num(d["department_id"]),
				DepartmentName: str(d["department_name"]), MembershipLevel: num(d["membershiplevel"])})
		}
		s.Roles = append(s.Roles, role)
	}
	names := map[int]string{}
	for _, a := range t.Agents {
		agent := halo.Agent{ID: num(a["id"]), Name: str(a["name"]), IsDisabled: truth(a["isdisabled"]),
			IsAPIAgent: truth(a["isapiagent"]), IsAdmin: truth(a["is_admin"]), Detailed: true,
			Claims: claims(a["claims"]), Roles: []halo.RoleRef{}}
		for _, ref := range objs(a["roles"]) {
			agent.Roles = append(agent.Roles, halo.RoleRef{ID: str(ref["id"]), IDInt: num(ref["id_int"]), Name: str(ref["name"])})
		}
		names[agent.ID] = agent.Name
		s.Agents = append(s.Agents, agent)
	}
	for _, a := range t.Applications {
		app := halo.Application{ID: str(a["id"]), ClientID: str(a["clientId"]), DisplayName: str(a["displayName"]),
			Inactive: truth(a["inactive"]), IsSystem: truth(a["_issystem"]), GrantType: str(a["grant_type"]),
			CredentialType: num(a["credential_type"]), LoginAsAgentID: num(a["loginas_agent_id"]),
			Detailed: true, Scopes: []string{}}
		app.LoginAsAgentName = names[app.LoginAsAgentID]
		for _, sc := range objs(a["scopes"]) {
			app.Scopes = append(app.Scopes, str(sc["name"]))
		}
		if app.ClientID == halotest.AuditorClientID {
			app.IsAuditor = true
			s.Auditor.ApplicationID = app.ID
		}
		s.Applications = append(s.Applications, app)
	}
	for _, c := range t.Categories {
		if num(c["type_id"]) == 1 {
			s.Categories = append(s.Categories, halo.Category{ID: num(c["id"]), Value: str(c["value"]),
				CategoryName: str(c["category_name"]), TypeID: 1})
		}
	}
	force := truth(t.Control["force_accounts_id"])
	s.Control = &halo.Control{ForceAccountsID: &force}
	s.CollectionErrors = []halo.CollectionError{}
	s.Notices = []halo.Notice{}
	return s
}

// WriteSnapshotFile writes s with halo.WriteSnapshot and returns its size.
func WriteSnapshotFile(path string, s *halo.Snapshot) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if err := halo.WriteSnapshot(f, s); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// WriteJSON writes v as compact JSON to path.
func WriteJSON(path string, v any) (int64, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	return int64(len(data)), os.WriteFile(path, data, 0o644)
}

// WritePolicies writes the engine's Rego modules (built-in, custom and the
// ones generated from the profile documents) under dir, and returns how
// many it wrote.
func WritePolicies(modules map[string]string, dir string) (int, error) {
	for name, text := range modules {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(dst, []byte(text), 0o644); err != nil {
			return 0, err
		}
	}
	return len(modules), nil
}
