package halo

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The decoders below are the one place each Halo object's fields are
// mapped to halolint's model (docs/halo-api.md describes the fields and
// what is known of each). When a live tenant shows a field spelled or
// typed differently, this is where to correct it.

func decodeRole(m map[string]any) Role {
	return Role{
		ID:            str(m["id"]),
		IDInt:         intField(m["id_int"]),
		Name:          str(m["name"]),
		IsIntegration: boolean(m["is_integration"]),
		Claims:        decodeClaims(m["claims"]),
		Departments:   decodeDepartments(m["departments"]),
		Extra:         extraFields(m, "id", "id_int", "name", "is_integration", "claims", "departments"),
	}
}

func decodeDepartments(v any) []RoleDepartment {
	objs := objects(v)
	out := make([]RoleDepartment, 0, len(objs))
	for _, d := range objs {
		out = append(out, RoleDepartment{
			DepartmentID:    intField(d["department_id"]),
			DepartmentName:  str(d["department_name"]),
			MembershipLevel: intField(d["membershiplevel"]),
			Extra:           extraFields(d, "department_id", "department_name", "membershiplevel"),
		})
	}
	return out
}

// decodeClaims accepts the documented array of {"type", "value"} and, in
// case a version sends it so, an object from code to value.
func decodeClaims(v any) []Claim {
	if obj, ok := v.(map[string]any); ok {
		codes := make([]string, 0, len(obj))
		for code := range obj {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		out := make([]Claim, 0, len(codes))
		for _, code := range codes {
			out = append(out, Claim{Type: code, Value: claimValue(obj[code])})
		}
		return out
	}
	objs := objects(v)
	out := make([]Claim, 0, len(objs))
	for _, c := range objs {
		code := str(first(c, "type", "Type"))
		if code == "" {
			continue
		}
		out = append(out, Claim{Type: code, Value: claimValue(first(c, "value", "Value"))})
	}
	return out
}

func decodeAgent(m map[string]any) Agent {
	return Agent{
		ID:         intField(m["id"]),
		Name:       str(m["name"]),
		IsDisabled: boolean(m["isdisabled"]),
		IsAPIAgent: boolean(m["isapiagent"]),
		IsAdmin:    boolean(m["is_admin"]),
		Roles:      decodeRoleRefs(m["roles"]),
		Claims:     decodeClaims(m["claims"]),
		Extra:      extraFields(m, "id", "name", "isdisabled", "isapiagent", "is_admin", "roles", "claims"),
	}
}

func decodeRoleRefs(v any) []RoleRef {
	objs := objects(v)
	out := make([]RoleRef, 0, len(objs))
	for _, r := range objs {
		ref := RoleRef{ID: str(r["id"]), IDInt: intField(r["id_int"]), Name: str(r["name"])}
		if ref.ID == "" && ref.IDInt == 0 && ref.Name == "" {
			continue
		}
		out = append(out, ref)
	}
	return out
}

// Application field spellings: Halo's newer API reference uses camelCase
// for some.
var (
	appClientIDKeys    = []string{"clientId", "client_id", "clientid"}
	appDisplayNameKeys = []string{"displayName", "display_name", "displayname"}
	appIsSystemKeys    = []string{"_issystem", "issystem", "is_system"}
)

func decodeApplication(m map[string]any) Application {
	modeled := []string{"id", "inactive", "grant_type", "credential_type", "loginas_agent_id", "loginas_agent_name", "scopes"}
	modeled = append(modeled, appClientIDKeys...)
	modeled = append(modeled, appDisplayNameKeys...)
	modeled = append(modeled, appIsSystemKeys...)
	return Application{
		ID:               str(m["id"]),
		ClientID:         str(first(m, appClientIDKeys...)),
		DisplayName:      str(first(m, appDisplayNameKeys...)),
		Inactive:         boolean(m["inactive"]),
		IsSystem:         boolean(first(m, appIsSystemKeys...)),
		GrantType:        str(m["grant_type"]),
		CredentialType:   intField(m["credential_type"]),
		LoginAsAgentID:   intField(m["loginas_agent_id"]),
		LoginAsAgentName: str(m["loginas_agent_name"]),
		Scopes:           decodeScopes(m["scopes"]),
		// clientSecret is left out by the name test in extraFields.
		Extra: extraFields(m, modeled...),
	}
}

// decodeScopes accepts [{"name": "edit:tickets", ...}], ["edit:tickets"]
// or "edit:tickets read:customers", and returns sorted unique names.
func decodeScopes(v any) []string {
	var names []string
	switch x := v.(type) {
	case string:
		names = strings.Fields(x)
	case []any:
		for _, e := range x {
			switch s := e.(type) {
			case string:
				names = append(names, strings.TrimSpace(s))
			case map[string]any:
				names = append(names, strings.TrimSpace(str(first(s, "name", "Name", "scope"))))
			}
		}
	}
	return sortedUnique(names)
}

func sortedUnique(names []string) []string {
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" && (len(out) == 0 || out[len(out)-1] != n) {
			out = append(out, n)
		}
	}
	return out
}

func decodeCategory(m map[string]any) Category {
	return Category{
		ID:           intField(m["id"]),
		Value:        str(m["value"]),
		CategoryName: str(m["category_name"]),
		TypeID:       intField(m["type_id"]),
		Extra:        extraFields(m, "id", "value", "category_name", "type_id"),
	}
}

// decodeControl keeps only the allowlisted settings of /api/Control, which
// holds every integration's secrets. Nothing else of it is ever copied.
func decodeControl(v any) (*Control, error) {
	if arr, ok := v.([]any); ok {
		if len(arr) != 1 {
			return nil, fmt.Errorf("expected one settings object, got an array of %d", len(arr))
		}
		v = arr[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("expected a settings object")
	}
	optionalString := func(key string) *string {
		raw, ok := m[key]
		if !ok || raw == nil {
			return nil
		}
		s := str(raw)
		return &s
	}
	c := &Control{
		Category1Label: optionalString("category_1_label"),
		Category2Label: optionalString("category_2_label"),
		Category3Label: optionalString("category_3_label"),
		Category4Label: optionalString("category_4_label"),
	}
	if raw, ok := m["force_accounts_id"]; ok && raw != nil {
		b := boolean(raw)
		c.ForceAccountsID = &b
	}
	return c, nil
}
