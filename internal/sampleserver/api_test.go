package sampleserver

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestListShapes(t *testing.T) {
	tn := sample(t)
	s := start(t, tn, Options{})
	tok := login(t, s)
	for _, c := range []struct {
		path     string
		envelope bool
		key      string
	}{
		{"/api/Roles", true, "roles"},
		{"/api/roles", true, "roles"},
		{"/api/Application", true, "applications"},
		{"/api/Agent", false, ""},
		{"/api/AGENT/", false, ""},
		{"/api/Category?type_id=1", false, ""},
	} {
		a := get(t, s, c.path, tok)
		items, env, n := list(t, a)
		if env != c.envelope {
			t.Errorf("%s: envelope = %v, want %v", c.path, env, c.envelope)
		}
		if n != len(items) || n == 0 {
			t.Errorf("%s: record_count %d, items %d", c.path, n, len(items))
		}
		if c.envelope {
			if _, ok := a.json(t).(map[string]any)[c.key]; !ok {
				t.Errorf("%s: envelope without key %q", c.path, c.key)
			}
		}
	}
	// Shapes are configurable.
	s2 := start(t, tn, Options{Envelope: map[string]bool{"roles": false, "agents": true}})
	tok2 := login(t, s2)
	if _, env, _ := list(t, get(t, s2, "/api/Roles", tok2)); env {
		t.Error("roles should be bare")
	}
	if _, env, _ := list(t, get(t, s2, "/api/Agent", tok2)); !env {
		t.Error("agents should be an envelope")
	}
	if _, env, _ := list(t, get(t, s2, "/api/Application", tok2)); !env {
		t.Error("applications keep their default")
	}
	// An endpoint that ignores paging answers everything, unpaginated.
	s4 := start(t, tn, Options{IgnorePaging: []string{ListAgents}})
	tok4 := login(t, s4)
	if items, env, _ := list(t, get(t, s4, "/api/Agent?includeapiagents=true&includedisabled=true&pageinate=true&page_size=1&page_no=2", tok4)); env || len(items) != len(tn.Agents) {
		t.Errorf("agents ignoring paging: envelope %v, %d items, want a bare array of %d", env, len(items), len(tn.Agents))
	}
	if items, env, _ := list(t, get(t, s4, "/api/Roles?pageinate=true&page_size=1&page_no=1", tok4)); !env || len(items) != 1 {
		t.Errorf("roles still page: envelope %v, %d items", env, len(items))
	}
	// Category filter by type_id.
	items, _, _ := list(t, get(t, s, "/api/Category?type_id=3", tok))
	for _, c := range items {
		if c["type_id"] != float64(3) {
			t.Errorf("type_id=3 answered %v", c)
		}
	}
	if len(items) == 0 {
		t.Error("no type 3 categories")
	}
	// Empty lists, as for a restricted agent.
	s3 := start(t, tn, Options{EmptyLists: []string{ListRoles}})
	items, _, n := list(t, get(t, s3, "/api/Roles", login(t, s3)))
	if len(items) != 0 || n != 0 {
		t.Errorf("empty roles: %d items, record_count %d", len(items), n)
	}
}

func TestAgentsHidden(t *testing.T) {
	tn := sample(t)
	s := start(t, tn, Options{})
	tok := login(t, s)
	count := func(q string) (n, api, disabled, withRoles int) {
		items, _, _ := list(t, get(t, s, "/api/Agent"+q, tok))
		for _, a := range items {
			n++
			if a["isapiagent"] == true {
				api++
			}
			if a["isdisabled"] == true {
				disabled++
			}
			if _, ok := a["roles"]; ok {
				withRoles++
			}
			for _, k := range []string{"claims", "password", "new_access_token"} {
				if _, ok := a[k]; ok {
					t.Errorf("agents list carries %s: %v", k, a)
				}
			}
		}
		return
	}
	n, api, dis, roles := count("")
	if api != 0 || dis != 0 || roles != 0 || n == 0 {
		t.Errorf("plain list: %d agents, %d API, %d disabled, %d with roles", n, api, dis, roles)
	}
	n2, api, dis, roles := count("?includeapiagents=true&includedisabled=TRUE&includeroles=true")
	if n2 != len(tn.Agents) || api == 0 || dis == 0 || roles != n2 {
		t.Errorf("full list: %d of %d agents, %d API, %d disabled, %d with roles", n2, len(tn.Agents), api, dis, roles)
	}
	if _, api, dis, _ := count("?includeapiagents=true"); api == 0 || dis != 0 {
		t.Errorf("API agents only: %d API, %d disabled", api, dis)
	}
}

func TestDetails(t *testing.T) {
	tn := sample(t)
	s := start(t, tn, Options{})
	tok := login(t, s)

	role := roleNamed(tn, "TimeZest")
	id := role["id"].(string)
	sum := get(t, s, "/api/Roles/"+id, tok).json(t).(map[string]any)
	if _, ok := sum["claims"]; ok {
		t.Error("role summary carries claims")
	}
	if _, ok := sum["departments"]; ok {
		t.Error("role summary carries departments")
	}
	det := get(t, s, "/api/roles/"+strings.ToUpper(id)+"?includedetails=true", tok).json(t).(map[string]any)
	if cl, _ := det["claims"].([]any); len(cl) < 40 {
		t.Errorf("role details: %d claims", len(cl))
	}
	if _, ok := det["departments"]; !ok {
		t.Error("role details lack departments")
	}
	items, _, _ := list(t, get(t, s, "/api/Roles", tok))
	for _, r := range items {
		if _, ok := r["claims"]; ok {
			t.Errorf("roles list carries claims: %v", r["name"])
		}
	}

	app := tn.Application(AuditorClientID)
	appID := app["id"].(string)
	sum = get(t, s, "/api/Application/"+appID, tok).json(t).(map[string]any)
	if _, ok := sum["scopes"]; ok {
		t.Error("application summary carries scopes")
	}
	if _, ok := sum["clientSecret"]; ok {
		t.Error("application summary carries clientSecret")
	}
	det = get(t, s, "/api/Application/"+appID+"?includedetails=true", tok).json(t).(map[string]any)
	if det["clientSecret"] != AuditorClientSecret {
		t.Errorf("application details: clientSecret %v", det["clientSecret"])
	}
	scopes, _ := det["scopes"].([]any)
	if len(scopes) != 1 || scopes[0].(map[string]any)["name"] != "admin" || scopes[0].(map[string]any)["application_id"] != appID {
		t.Errorf("application details: scopes %v", det["scopes"])
	}
	items, _, _ = list(t, get(t, s, "/api/Application", tok))
	for _, a := range items {
		if _, ok := a["scopes"]; ok {
			t.Errorf("applications list carries scopes: %v", a["displayName"])
		}
		if _, ok := a["clientSecret"]; ok {
			t.Errorf("applications list carries clientSecret: %v", a["displayName"])
		}
	}

	sum = get(t, s, "/api/Agent/20", tok).json(t).(map[string]any)
	if _, ok := sum["claims"]; ok {
		t.Error("agent summary carries claims")
	}
	if _, ok := sum["password"]; ok {
		t.Error("agent summary carries password")
	}
	det = get(t, s, "/api/Agent/14?includedetails=true", tok).json(t).(map[string]any)
	if _, ok := det["claims"].([]any); !ok {
		t.Error("agent details lack claims")
	}
	if !strings.Contains(det["password"].(string), "SECRET-") || !strings.Contains(det["new_access_token"].(string), "TOKEN-") {
		t.Errorf("agent details lack the write-only secrets: %v", det)
	}
	if _, ok := det["roles"].([]any); !ok {
		t.Error("agent details lack roles")
	}

	me := get(t, s, "/api/Agent/me", tok).json(t).(map[string]any)
	if me["id"] != float64(2) || me["name"] != "Alex Morgan" {
		t.Errorf("Agent/me = %v", me)
	}

	ctl := get(t, s, "/api/Control", tok).json(t).(map[string]any)
	if ctl["force_accounts_id"] != false || ctl["category_1_label"] == nil {
		t.Errorf("control: %v %v", ctl["force_accounts_id"], ctl["category_1_label"])
	}
	if len(ctl) < 40 || !strings.Contains(ctl["xero_client_secret"].(string), "SECRET-") {
		t.Errorf("control: %d fields", len(ctl))
	}
	s2 := start(t, tn, Options{ControlAsArray: true})
	if arr, ok := get(t, s2, "/api/Control", login(t, s2)).json(t).([]any); !ok || len(arr) != 1 {
		t.Error("ControlAsArray: not a one-element array")
	}
}

// manyObjects is the sample with 250 more roles and 30 more agents.
func manyObjects(t *testing.T) *Tenant {
	tn := sample(t)
	for i := range 250 {
		tn.Roles = append(tn.Roles, map[string]any{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", i), "name": fmt.Sprintf("Role %d", i)})
	}
	for i := range 30 {
		tn.Agents = append(tn.Agents, map[string]any{"id": 1000 + i, "name": fmt.Sprintf("Agent %d", i)})
	}
	return tn
}

func TestPagination(t *testing.T) {
	tn := manyObjects(t)
	s := start(t, tn, Options{})
	tok := login(t, s)
	total := len(tn.Roles)
	seen := map[string]bool{}
	for page := 1; ; page++ {
		a := get(t, s, "/api/Roles?pageinate=true&page_size=500&page_no="+strconv.Itoa(page), tok)
		m := a.json(t).(map[string]any)
		if m["record_count"] != float64(total) {
			t.Fatalf("record_count = %v, want %d", m["record_count"], total)
		}
		if m["page_size"] != float64(100) {
			t.Errorf("page_size = %v, want the cap 100", m["page_size"])
		}
		items := m["roles"].([]any)
		if len(items) > 100 {
			t.Fatalf("page %d has %d items", page, len(items))
		}
		for _, x := range items {
			seen[x.(map[string]any)["id"].(string)] = true
		}
		if len(items) == 0 {
			break
		}
		if page > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != total {
		t.Errorf("pages gave %d distinct roles, want %d", len(seen), total)
	}
	// Agents are a bare array unpaginated, an envelope when paginated.
	a := get(t, s, "/api/Agent?pageinate=true&page_size=10&page_no=2&includeapiagents=true&includedisabled=true", tok)
	items, env, n := list(t, a)
	if !env || len(items) != 10 || n != len(tn.Agents) {
		t.Errorf("agents page 2: envelope %v, %d items, record_count %d of %d", env, len(items), n, len(tn.Agents))
	}
	// A smaller cap.
	s2 := start(t, tn, Options{PageCap: 20})
	items, _, _ = list(t, get(t, s2, "/api/Roles?pageinate=true&page_size=100", login(t, s2)))
	if len(items) != 20 {
		t.Errorf("PageCap 20: %d items", len(items))
	}
}
