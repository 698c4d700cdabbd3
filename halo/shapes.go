package halo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The fields that decide what an object grants are read strictly: a value
// of an unexpected shape is a collection error for that object (its checks
// report error), never read as "nothing granted". Everything else is read
// tolerantly (decode.go).

// shapeProblem says why the fields of a merged object (list and details)
// that decide what it grants are of a shape halolint does not read, ""
// when they are all readable: a role's claims; an agent's own claims, its
// roles and its is_admin flag; an application's scopes and login agent.
// A field that is absent or null is not a shape problem here (fetchDetails
// requires the role's claims and the application's scopes of a detail
// answer).
func shapeProblem(resource Resource, m map[string]any) string {
	switch resource {
	case ResourceRole:
		return claimsProblem(m["claims"])
	case ResourceAgent:
		if p := claimsProblem(m["claims"]); p != "" {
			return "its own " + p
		}
		if p := roleRefsProblem(m["roles"]); p != "" {
			return p
		}
		if v, ok := m["is_admin"]; ok && v != nil && !readableBool(v) {
			return fmt.Sprintf("its is_admin flag is a %s, neither true nor false, so whether it is an administrator is unknown", jsonKind(v))
		}
	case ResourceApplication:
		if p := scopesProblem(m["scopes"]); p != "" {
			return p
		}
		if v, ok := m["loginas_agent_id"]; ok && v != nil {
			if n, isInt := integer(v); !isInt || n < 0 {
				return fmt.Sprintf("its login agent id (loginas_agent_id, a %s) is not a whole number, so whom it logs in as is unknown", jsonKind(v))
			}
		}
	}
	return ""
}

// claimsProblem checks the documented shape of claims, [{"type": code,
// "value": scalar}], and the object {code: scalar} that decodeClaims also
// reads.
func claimsProblem(v any) string {
	const unknown = ", so what it grants is unknown"
	switch x := v.(type) {
	case nil:
		return ""
	case map[string]any:
		for code, val := range x {
			if code == "" || !scalar(val) {
				return "claims are an object whose values are not all text, numbers or booleans" + unknown
			}
		}
		return ""
	case []any:
		for i, e := range x {
			c, ok := e.(map[string]any)
			if !ok {
				return fmt.Sprintf("claims hold a %s (element %d), not a {type, value} object%s", jsonKind(e), i+1, unknown)
			}
			code, ok := first(c, "type", "Type").(string)
			if !ok || code == "" {
				return fmt.Sprintf("claims hold an object without a type (element %d)%s", i+1, unknown)
			}
			if !scalar(first(c, "value", "Value")) {
				return fmt.Sprintf("claims hold a value that is a %s (element %d, type %q)%s", jsonKind(first(c, "value", "Value")), i+1, shortText(code), unknown)
			}
		}
		return ""
	}
	return fmt.Sprintf("claims are a %s, not a list of {type, value} objects%s", jsonKind(v), unknown)
}

// scopesProblem checks the documented shape of scopes, [{"name": scope}],
// and the strings decodeScopes also reads (["edit:tickets"] or one
// space-separated string).
func scopesProblem(v any) string {
	const unknown = ", so which scopes it has is unknown"
	switch x := v.(type) {
	case nil, string:
		return ""
	case []any:
		for i, e := range x {
			switch s := e.(type) {
			case string:
			case map[string]any:
				if name, ok := first(s, "name", "Name", "scope").(string); !ok || strings.TrimSpace(name) == "" {
					return fmt.Sprintf("scopes hold an object without a name (element %d)%s", i+1, unknown)
				}
			default:
				return fmt.Sprintf("scopes hold a %s (element %d), not a scope%s", jsonKind(e), i+1, unknown)
			}
		}
		return ""
	}
	return fmt.Sprintf("scopes are a %s, not a list%s", jsonKind(v), unknown)
}

// roleRefsProblem checks an agent's roles: [{"id", "id_int", "name"}],
// each with at least one of the three.
func roleRefsProblem(v any) string {
	const unknown = ", so which roles it holds is unknown"
	switch x := v.(type) {
	case nil:
		return ""
	case []any:
		for i, e := range x {
			r, ok := e.(map[string]any)
			if !ok {
				return fmt.Sprintf("its roles hold a %s (element %d), not a role%s", jsonKind(e), i+1, unknown)
			}
			if str(r["id"]) == "" && intField(r["id_int"]) == 0 && str(r["name"]) == "" {
				return fmt.Sprintf("its roles hold an object without id or name (element %d)%s", i+1, unknown)
			}
		}
		return ""
	}
	return fmt.Sprintf("its roles are a %s, not a list%s", jsonKind(v), unknown)
}

func scalar(v any) bool {
	switch v.(type) {
	case nil, string, bool, json.Number, float64:
		return true
	}
	return false
}

// readableBool reports whether boolean reads v as what it is: true or
// false, "true"/"false" in any case, 0 or 1.
func readableBool(v any) bool {
	switch x := v.(type) {
	case bool:
		return true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "false", "1", "0", "yes", "no", "":
			return true
		}
		return false
	}
	n, ok := integer(v)
	return ok && (n == 0 || n == 1)
}

// shortText is a server's short text for a message, cut to 40 bytes.
func shortText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// vetShapes records a collection error for each object of objs whose
// permission fields are unreadable, and takes it out of details: an
// object whose permissions are unknown is not detailed.
func vetShapes[K comparable](c *collector, resource Resource, objs []map[string]any, details map[K]map[string]any,
	key func(any) K, endpoint func(K) string) {
	for _, m := range objs {
		problem := shapeProblem(resource, m)
		if problem == "" {
			continue
		}
		k := key(m["id"])
		c.mu.Lock()
		c.errs = append(c.errs, CollectionError{Resource: resource, ObjectID: fmt.Sprint(k), Endpoint: endpoint(k), Status: 200,
			Message: c.client.secrets.scrub(fmt.Sprintf("%s %v: %s", resource, k, problem))})
		c.mu.Unlock()
		delete(details, k)
	}
}
