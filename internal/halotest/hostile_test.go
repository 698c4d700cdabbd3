package halotest

import (
	"strings"
	"testing"
)

func prefixID(m map[string]any) { m["id"] = "x" + idOf(m) }

func TestRewritesMakeTheServerHostile(t *testing.T) {
	tn := sample(t)
	roleID := tn.Roles[0]["id"].(string)
	agentID := idOf(tn.Agents[0])
	for _, tc := range []struct {
		name    string
		rewrite Rewrite
		check   func(t *testing.T, s *Server, tok string)
	}{
		{"an object listed twice, the copy stripped", DuplicateObject("/api/roles", roleID, "name"), func(t *testing.T, s *Server, tok string) {
			items, _, count := list(t, get(t, s, "/api/Roles", tok))
			var copies, named int
			for _, it := range items {
				if it["id"] == roleID {
					copies++
					if it["name"] != nil {
						named++
					}
				}
			}
			if copies != 2 || named != 1 || count != len(tn.Roles) {
				t.Errorf("%d copies (%d named), record_count %d", copies, named, count)
			}
		}},
		{"page 2 repeats page 1", RepeatPage("/api/agent", 2, 1), func(t *testing.T, s *Server, tok string) {
			p1 := get(t, s, "/api/Agent?pageinate=true&page_size=3&page_no=1", tok)
			p2 := get(t, s, "/api/Agent?pageinate=true&page_size=3&page_no=2", tok)
			if string(p1.body) != string(p2.body) {
				t.Errorf("page 2 differs from page 1:\n%s\n%s", p1.body, p2.body)
			}
		}},
		{"an object left out, the count kept", DropObject("/api/roles", roleID), func(t *testing.T, s *Server, tok string) {
			items, _, count := list(t, get(t, s, "/api/Roles", tok))
			if len(items) != len(tn.Roles)-1 || count != len(tn.Roles) {
				t.Errorf("%d roles, record_count %d, want %d and %d", len(items), count, len(tn.Roles)-1, len(tn.Roles))
			}
		}},
		{"a field in another shape", SetField("/api/roles/*", "claims", "SA"), func(t *testing.T, s *Server, tok string) {
			m := get(t, s, "/api/Roles/"+roleID+"?includedetails=true", tok).json(t).(map[string]any)
			if m["claims"] != "SA" {
				t.Errorf("claims = %v", m["claims"])
			}
		}},
		{"each object of a list edited, and the object", Rewrites(EditObject("/api/agent", prefixID), EditObject("/api/agent/*", prefixID)), func(t *testing.T, s *Server, tok string) {
			items, _, _ := list(t, get(t, s, "/api/Agent?includeapiagents=true", tok))
			for _, it := range items {
				if !strings.HasPrefix(idOf(it), "x") {
					t.Errorf("agent not edited: %v", it["id"])
				}
			}
			if m := get(t, s, "/api/Agent/"+agentID+"?includedetails=true", tok).json(t).(map[string]any); idOf(m) != "x"+agentID {
				t.Errorf("detail not edited: %v", m["id"])
			}
		}},
		{"the token's lifetime misstated", TokenExpiresIn(-5), func(t *testing.T, s *Server, tok string) {
			a := tokenRequest(t, s, "", auditorForm("admin"))
			if m := a.json(t).(map[string]any); m["expires_in"] != float64(-5) {
				t.Errorf("expires_in: %s", a.body)
			}
			if a := get(t, s, "/api/Roles", tok); a.status != 200 {
				t.Errorf("the token no longer works: %d", a.status)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, tn, Options{Rewrite: tc.rewrite})
			tc.check(t, s, login(t, s))
		})
	}
}
