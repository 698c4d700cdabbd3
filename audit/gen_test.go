package audit

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/halolint/halolint/halo"
)

// BigSnapshot is bigSnapshot for the external tests and benchmarks.
var BigSnapshot = bigSnapshot

// claimCodes is the full set of claims a generated role carries: the
// codes of the vocabulary and more, as a real tenant sends ~70.
func claimCodes() []string {
	codes := []string{
		"Tx", "Ux", "Fx", "Ix", "Dx", "Xx", "Cx", "Ax", "Ox", "Ex", "Bx", "Sx", "Qx", "Yx", "Zx", "Jx",
		"Rx", "Gx", "Vx", "Wx", "Lx", "Px", "Mx", "Nx", "Hx", "Kx", "SA", "l6", "lf", "le", "l9", "l8",
		"l7", "lc", "l1", "l4", "lm", "l5", "lb", "lg", "lz", "lr", "Ft", "Fc", "Av", "Ad", "la",
	}
	for i := len(codes); i < 70; i++ {
		codes = append(codes, fmt.Sprintf("q%02d", i))
	}
	return codes
}

// bigSnapshot generates a deterministic tenant: roles each with the full
// set of claims, applications, and agents holding one to three roles, with
// each vendor's objects present among them.
func bigSnapshot(roles, apps, agents int) *halo.Snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	codes := claimCodes()
	// Administrators are rare in a real tenant: one role in fifty.
	value := func(code string) string {
		switch {
		case code == "SA":
			if rng.IntN(50) == 0 {
				return "true"
			}
			return "false"
		case code[0] == 'l' || code[0] == 'F' || code[0] == 'A':
			return []string{"0", "1"}[rng.IntN(2)]
		}
		return fmt.Sprint(rng.IntN(4))
	}
	vendors := []string{"Cove-Role", "TimeZest", "MSPCentric"}

	s := &halo.Snapshot{
		SchemaVersion: halo.SchemaVersion,
		Source:        halo.Source{URL: "https://bench.halopsa.com", CollectedAt: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)},
		Auditor:       halo.Auditor{ClientID: "auditor-client", ApplicationID: "app-0000"},
		Full:          true,
	}
	for i := range roles {
		r := halo.Role{ID: fmt.Sprintf("role-%05d", i), IDInt: i + 1, Name: fmt.Sprintf("Role %05d", i), Detailed: true}
		if i < len(vendors) {
			r.Name = vendors[i]
		}
		for _, c := range codes {
			r.Claims = append(r.Claims, halo.Claim{Type: c, Value: value(c)})
		}
		r.Departments = []halo.RoleDepartment{{DepartmentID: 1, DepartmentName: "Support", MembershipLevel: rng.IntN(4)}}
		s.Roles = append(s.Roles, r)
	}
	agentNames := []string{"Cove API", "TimeZest API", "MSPCentric"}
	for i := range agents {
		a := halo.Agent{ID: i + 1, Name: fmt.Sprintf("Agent %05d", i), IsAPIAgent: i%5 == 0, IsDisabled: i%17 == 0, Detailed: true}
		if i < len(agentNames) {
			a.Name, a.IsAPIAgent, a.IsDisabled = agentNames[i], true, false
			a.Roles = []halo.RoleRef{{ID: s.Roles[i].ID, Name: s.Roles[i].Name}}
		}
		for n := 1 + rng.IntN(3); len(a.Roles) < n; {
			r := s.Roles[rng.IntN(len(s.Roles))]
			a.Roles = append(a.Roles, halo.RoleRef{ID: r.ID, Name: r.Name})
		}
		for _, c := range codes[:rng.IntN(5)] {
			a.Claims = append(a.Claims, halo.Claim{Type: c, Value: value(c)})
		}
		s.Agents = append(s.Agents, a)
	}
	appNames := []string{"Auditor", "Cove-HaloPSA", "TimeZest", "MSPCentric"}
	scopes := []string{"all", "admin", "edit:tickets", "read:tickets", "read:customers", "edit:customers", "read:invoices"}
	for i := range apps {
		a := halo.Application{
			ID: fmt.Sprintf("app-%04d", i), ClientID: fmt.Sprintf("client-%04d", i), DisplayName: fmt.Sprintf("App %04d", i),
			Inactive: i%11 == 0, GrantType: "client_credentials", Detailed: true,
			LoginAsAgentID: rng.IntN(agents + 1),
		}
		if i < len(appNames) {
			a.DisplayName, a.Inactive = appNames[i], false
			if i > 0 {
				a.LoginAsAgentID = i // the vendor's agent
			}
		}
		if i == 0 {
			a.ClientID, a.IsAuditor = "auditor-client", true
		}
		for _, sc := range scopes {
			if rng.IntN(3) == 0 {
				a.Scopes = append(a.Scopes, sc)
			}
		}
		s.Applications = append(s.Applications, a)
	}
	s.Categories = []halo.Category{{ID: 1, Value: "Cove Data Protection", TypeID: 1}}
	no := false
	s.Control = &halo.Control{ForceAccountsID: &no}
	return s
}
