package halotest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// GenerateSpec sizes a generated tenant for performance tests.
type GenerateSpec struct {
	// Seed makes the tenant deterministic: the same spec gives the same
	// tenant.
	Seed uint64
	// Roles, Agents and Applications count the filler objects. A fixed part
	// comes on top: the Administrator role and an administrator agent (id
	// 2), the auditor's application (AuditorClientID), three Halo system
	// applications, and Gradient, TimeZest and Cove set up as their vendors
	// document them (3 roles, 2 API agents, 3 applications, the category).
	Roles, Agents, Applications int
	// Categories is the number of filler "Category 1" values (default 20).
	Categories int
}

// Generate builds a tenant of the given size. Every role carries the full
// set of ClaimCodes (about seventy claims). Agents hold one to three roles;
// about one in ten is disabled and one in twenty API-only. Applications log
// in as random agents (or none) with random scopes; about one in eight is
// inactive. Agent ids start at 1000, filler categories at 1000.
func Generate(spec GenerateSpec) *Tenant {
	rng := rand.New(rand.NewPCG(spec.Seed, spec.Seed^0x9e3779b97f4a7c15))
	guid := func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	}
	t := &Tenant{
		Name:        fmt.Sprintf("generated-%d", spec.Seed),
		Description: fmt.Sprintf("Generated: %d filler roles, %d agents, %d applications (seed %d).", spec.Roles, spec.Agents, spec.Applications, spec.Seed),
		TenantID:    guid(),
		Credentials: []Credential{{ClientID: AuditorClientID, ClientSecret: AuditorClientSecret}},
		Control:     map[string]any{"force_accounts_id": false},
	}
	depts := func(level int) []any {
		return []any{
			map[string]any{"department_id": 1, "department_name": "Service Desk", "membershiplevel": level, "includeteamsintree": true},
			map[string]any{"department_id": 2, "department_name": "Projects", "membershiplevel": level, "includeteamsintree": true},
		}
	}
	toAny := func(cl []map[string]any) []any {
		out := make([]any, len(cl))
		for i, c := range cl {
			out[i] = c
		}
		return out
	}
	roleN := 0
	addRole := func(name string, claims []map[string]any) map[string]any {
		roleN++
		r := map[string]any{
			"id": guid(), "id_int": roleN, "name": name, "notes": "",
			"is_integration": false, "claims": toAny(claims), "departments": depts(1 + rng.IntN(3)),
			"teams": []any{}, "clients": []any{}, "tickettypes": []any{}, "sites": []any{},
		}
		t.Roles = append(t.Roles, r)
		return r
	}
	ref := func(r map[string]any) any {
		return map[string]any{"id": r["id"], "id_int": r["id_int"], "name": r["name"]}
	}
	addAgent := func(id int, name string, roles []map[string]any, api, disabled bool, own []map[string]any) {
		refs := make([]any, len(roles))
		names := make([]string, len(roles))
		admin := false
		for i, r := range roles {
			refs[i] = ref(r)
			names[i], _ = r["name"].(string)
			for _, c := range r["claims"].([]any) {
				if c := c.(map[string]any); c["type"] == "SA" && c["value"] == "true" {
					admin = true
				}
			}
		}
		email := ""
		if !api {
			email = strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example-msp.test"
		}
		t.Agents = append(t.Agents, map[string]any{
			"id": id, "name": name, "email": email, "isdisabled": disabled, "isapiagent": api, "is_admin": admin,
			"roles": refs, "role_list": strings.Join(names, ", "), "claims": toAny(own),
			"password":         fmt.Sprintf("SECRET-agent-%d-password", id),
			"new_access_token": fmt.Sprintf("TOKEN-agent-%d-new-access", id),
		})
	}
	scopeID := 5000
	addApp := func(name, clientID string, scopes []string, loginas int, inactive, system bool) {
		id := guid()
		sc := make([]any, len(scopes))
		for i, s := range scopes {
			scopeID++
			sc[i] = map[string]any{"id": scopeID, "application_id": id, "name": s}
		}
		grant := "client_credentials"
		if system {
			grant = "authorization_code"
		}
		t.Applications = append(t.Applications, map[string]any{
			"id": id, "clientId": clientID, "displayName": name, "description": "",
			"inactive": inactive, "_issystem": system, "grant_type": grant, "credential_type": 0,
			"loginas_agent_id": loginas, "loginentity": 0, "allowagents": true, "allowusers": false,
			"scopes": sc, "clientSecret": "SECRET-" + clientID + "-client-secret",
		})
	}

	// Fixed part.
	full := map[string]string{}
	for _, c := range ClaimCodes() {
		full[c.Code] = c.Max
	}
	admin := addRole("Administrator", FullClaims(full, false))
	addAgent(2, "Alex Morgan", []map[string]any{admin}, false, false, nil)
	grad := addRole("MSPCentric", FullClaims(map[string]string{"Ux": "2", "Ix": "3", "Xx": "2", "Cx": "2", "Tx": "2", "l6": "1", "lf": "1", "le": "1", "Ft": "1", "Fc": "1"}, false))
	tz := addRole("TimeZest", FullClaims(map[string]string{"SA": "true", "Tx": "2", "Ux": "3", "Fx": "3", "Ax": "2", "Ox": "2", "l6": "1", "l9": "1", "l8": "1", "l7": "1", "le": "1", "lb": "3", "lg": "2", "lz": "3", "lr": "3", "Ft": "1", "Fc": "1"}, false))
	addRole("Cove-Role", FullClaims(map[string]string{"Tx": "2", "Ux": "2", "l6": "1", "l9": "1"}, false))
	addAgent(20, "MSPCentric", []map[string]any{grad}, true, false, nil)
	addAgent(21, "TimeZest API", []map[string]any{tz}, true, false, nil)
	addApp("HaloPSA Mobile App", "halo-system-mobile", []string{"all"}, 0, false, true)
	addApp("HaloPSA Outlook Add-in", "halo-system-outlook", []string{"all:standard"}, 0, false, true)
	addApp("Halo Integrator", "halo-system-integrator", []string{"all"}, 0, false, true)
	addApp("halolint auditor", AuditorClientID, []string{"admin"}, 2, false, false)
	for i, a := range t.Applications {
		if a["clientId"] == AuditorClientID {
			t.Applications[i]["clientSecret"] = AuditorClientSecret
		}
	}
	addApp("MSPCentric", "gen-mspcentric", []string{"read:customers", "read:contracts", "edit:contracts", "read:items", "edit:items", "read:invoices", "edit:invoices", "read:tickets", "edit:tickets"}, 20, false, false)
	addApp("TimeZest", "gen-timezest", []string{"all"}, 21, false, false)
	addApp("Cove-HaloPSA", "gen-cove", []string{"edit:tickets", "read:customers"}, 0, false, false)

	// Filler.
	words := []string{"Service Desk", "Projects", "Accounts", "Sales", "Field", "Dispatch", "NOC", "Security", "Onboarding", "Procurement", "Reporting", "Management"}
	levels := []string{"Technician", "Lead", "Manager", "Viewer", "Specialist"}
	var filler []map[string]any
	for i := 0; i < spec.Roles; i++ {
		set := map[string]string{}
		for _, c := range ClaimCodes() {
			switch {
			case c.Code == "SA":
				if rng.IntN(40) == 0 {
					set["SA"] = "true"
				}
			case rng.IntN(3) == 0:
				set[c.Code] = c.Max
			case rng.IntN(2) == 0 && c.Max != "1":
				set[c.Code] = "1"
			}
		}
		name := fmt.Sprintf("%s %s %d", words[rng.IntN(len(words))], levels[rng.IntN(len(levels))], i+1)
		filler = append(filler, addRole(name, FullClaims(set, false)))
	}
	first := []string{"Alex", "Sam", "Priya", "Tom", "Chloe", "Daniel", "Emma", "Liam", "Sofia", "Noah", "Grace", "Oliver", "Mia", "Jordan", "Ava", "Ethan"}
	last := []string{"Morgan", "Shah", "Becker", "Martin", "Okafor", "Walsh", "Novak", "Rossi", "Fischer", "Kim", "Brown", "Lee", "Turner", "Patel", "Nguyen", "Silva"}
	pool := append([]map[string]any{admin}, filler...)
	var agentIDs []int
	for i := 0; i < spec.Agents; i++ {
		id := 1000 + i
		agentIDs = append(agentIDs, id)
		n := 1 + rng.IntN(3)
		var roles []map[string]any
		for j := 0; j < n && len(pool) > 0; j++ {
			r := pool[rng.IntN(len(pool))]
			if r["name"] == "Administrator" && rng.IntN(10) != 0 {
				continue
			}
			roles = append(roles, r)
		}
		var own []map[string]any
		if rng.IntN(10) == 0 {
			c := ClaimCodes()[rng.IntN(len(ClaimCodes()))]
			own = append(own, map[string]any{"type": c.Code, "value": c.Max})
		}
		api := rng.IntN(20) == 0
		name := fmt.Sprintf("%s %s %d", first[rng.IntN(len(first))], last[rng.IntN(len(last))], id)
		if api {
			name = fmt.Sprintf("API Agent %d", id)
		}
		addAgent(id, name, roles, api, rng.IntN(10) == 0, own)
	}
	for i := 0; i < spec.Applications; i++ {
		k := 1 + rng.IntN(4)
		var scopes []string
		for j := 0; j < k; j++ {
			s := ScopeNames()[rng.IntN(len(ScopeNames()))]
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
		loginas := 0
		if len(agentIDs) > 0 && rng.IntN(4) != 0 {
			loginas = agentIDs[rng.IntN(len(agentIDs))]
		}
		addApp(fmt.Sprintf("Integration %d", i+1), fmt.Sprintf("gen-app-%d", i+1), scopes, loginas, rng.IntN(8) == 0, false)
	}
	cats := spec.Categories
	if cats <= 0 {
		cats = 20
	}
	t.Categories = append(t.Categories, map[string]any{"id": 1, "value": "Cove Data Protection", "category_name": "Cove Data Protection", "type_id": 1})
	for i := 0; i < cats; i++ {
		v := fmt.Sprintf("Category value %d", i+1)
		t.Categories = append(t.Categories, map[string]any{"id": 1000 + i, "value": v, "category_name": v, "type_id": 1 + i%4})
	}
	return t
}
