package audit

import (
	"testing"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestInputDocument pins the input document of docs/policy-authoring.md:
// the hand-built terms must equal the documented JSON.
func TestInputDocument(t *testing.T) {
	t.Parallel()
	no := false
	label := "Category"
	snap := &halo.Snapshot{
		Source:  halo.Source{URL: "https://acme.halopsa.com", CollectedAt: time.Date(2026, 11, 22, 11, 0, 0, 500, time.FixedZone("CET", 3600))},
		Auditor: halo.Auditor{ClientID: "b1f0", ApplicationID: "5c1e"},
		Roles: []halo.Role{{
			ID: "2f4c", Name: "Cove-Role", Detailed: true,
			Claims:      []halo.Claim{{Type: "Tx", Value: "2"}, {Type: "SA", Value: "false"}, {Type: "Tx", Value: "1"}},
			Departments: []halo.RoleDepartment{{DepartmentID: 1, DepartmentName: "Support", MembershipLevel: 3}},
			Extra:       map[string]any{"ignored": true},
		}, {ID: "9", Name: "Bare"}},
		Agents: []halo.Agent{{
			ID: 12, Name: "Cove API", IsAPIAgent: true,
			Roles: []halo.RoleRef{{ID: "2f4c", Name: "Cove-Role"}}, Detailed: true,
		}},
		Applications: []halo.Application{{
			ID: "5c1e", ClientID: "9a8b", DisplayName: "Cove-HaloPSA", GrantType: "client_credentials",
			LoginAsAgentID: 12, LoginAsAgentName: "Cove API", Detailed: true, Scopes: []string{"edit:tickets", "read:customers"},
		}},
		Categories:       []halo.Category{{ID: 4, Value: "Cove Data Protection", TypeID: 1}},
		Control:          &halo.Control{ForceAccountsID: &no, Category1Label: &label},
		CollectionErrors: []halo.CollectionError{{Resource: halo.ResourceRole, ObjectID: "9", Endpoint: "/api/Roles/9", Status: 403, Message: "Forbidden"}},
	}
	got := newInputBuilder().build(snap, inputArgs{
		phase:    PhaseOperate,
		explicit: []string{"baseline", "cove"},
		config:   Config{Profiles: map[string]ProfileNames{"cove": {Application: "Cove HaloPSA integration", Role: "Cove role"}}},
		profiles: []string{"baseline", "cove"},
		keywords: []string{"cove", "role", "halopsa"},
	})
	want := ast.MustParseTerm(`{
		"phase": "operate",
		"collected_at": "2026-11-22T10:00:00Z",
		"profiles": ["baseline", "cove"],
		"auditor": {"client_id": "b1f0", "application_id": "5c1e"},
		"config": {"profiles": {
			"baseline": {"application": "", "role": "", "agent": "", "category": ""},
			"cove": {"application": "Cove HaloPSA integration", "role": "Cove role", "agent": "", "category": ""}
		}},
		"roles": [
			{"id": "2f4c", "name": "Cove-Role", "is_integration": false, "detailed": true,
			 "claims": {"Tx": "2", "SA": "false"},
			 "departments": [{"department_id": 1, "department_name": "Support", "membershiplevel": 3}]},
			{"id": "9", "name": "Bare", "is_integration": false, "detailed": false, "claims": {}, "departments": []}
		],
		"agents": [
			{"id": 12, "name": "Cove API", "isdisabled": false, "isapiagent": true, "is_admin": false,
			 "roles": [{"id": "2f4c", "name": "Cove-Role"}], "detailed": true, "claims": {}}
		],
		"applications": [
			{"id": "5c1e", "client_id": "9a8b", "display_name": "Cove-HaloPSA", "inactive": false,
			 "is_system": false, "is_auditor": false, "grant_type": "client_credentials",
			 "credential_type": 0, "loginas_agent_id": 12, "loginas_agent_name": "Cove API", "detailed": true,
			 "scopes": ["edit:tickets", "read:customers"]}
		],
		"categories": [{"id": 4, "value": "Cove Data Protection", "category_name": "", "type_id": 1}],
		"control": {"force_accounts_id": false, "category_1_label": "Category", "category_2_label": null,
		            "category_3_label": null, "category_4_label": null},
		"collection_errors": [
			{"resource": "role", "object_id": "9", "endpoint": "/api/Roles/9", "status": 403, "message": "Forbidden"}
		],
		"index": {
			"roles_by_id": {"2f4c": 0, "9": 1},
			"roles_by_name": {"cove-role": [0], "bare": [1]},
			"agents_by_id": {"12": 0},
			"agents_by_name": {"cove api": [0]},
			"applications_by_name": {"cove-halopsa": [0]},
			"keywords": {
				"roles": {"cove": [0], "role": [0], "halopsa": []},
				"agents": {"cove": [0], "role": [], "halopsa": []},
				"applications": {"cove": [0], "role": [], "halopsa": [0]}
			}
		}
	}`).Value
	if got.Compare(want) != 0 {
		t.Errorf("input document:\n got %v\nwant %v", got, want)
	}
}

func TestInputDocumentOfAnEmptySnapshot(t *testing.T) {
	t.Parallel()
	got := newInputBuilder().build(&halo.Snapshot{}, inputArgs{phase: PhaseSetup})
	want := ast.MustParseTerm(`{
		"phase": "setup", "collected_at": null, "profiles": [],
		"auditor": {"client_id": "", "application_id": ""},
		"config": {"profiles": {}},
		"roles": [], "agents": [], "applications": [], "categories": [],
		"control": null, "collection_errors": [],
		"index": {"roles_by_id": {}, "roles_by_name": {}, "agents_by_id": {}, "agents_by_name": {},
		          "applications_by_name": {}, "keywords": {"roles": {}, "agents": {}, "applications": {}}}
	}`).Value
	if got.Compare(want) != 0 {
		t.Errorf("input document:\n got %v\nwant %v", got, want)
	}
}
