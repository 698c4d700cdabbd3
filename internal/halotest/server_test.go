package halotest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// basicAuth is the Authorization header value for client credentials sent
// the way RFC 6749 §2.3.1 says (form-encoded, then Basic).
func basicAuth(clientID, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret)))
}

func start(t *testing.T, tenant *Tenant, opts Options) *Server {
	t.Helper()
	s := New(tenant, opts)
	t.Cleanup(s.Close)
	return s
}

func sample(t *testing.T) *Tenant {
	t.Helper()
	tn, err := Fixture(FixtureSample)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("body is not JSON (%v): %.200s", err, a.body)
	}
	return v
}

func do(t *testing.T, s *Server, method, path, token string, body io.Reader, header http.Header) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, data}
}

func get(t *testing.T, s *Server, path, token string) answer {
	t.Helper()
	return do(t, s, http.MethodGet, path, token, nil, nil)
}

func tokenRequest(t *testing.T, s *Server, query string, form url.Values) answer {
	t.Helper()
	path := "/auth/token"
	if query != "" {
		path += "?" + query
	}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return do(t, s, http.MethodPost, path, "", strings.NewReader(form.Encode()), h)
}

func auditorForm(scope string) url.Values {
	return url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {AuditorClientID},
		"client_secret": {AuditorClientSecret},
		"scope":         {scope},
	}
}

func login(t *testing.T, s *Server) string {
	t.Helper()
	a := tokenRequest(t, s, "", auditorForm("admin"))
	if a.status != http.StatusOK {
		t.Fatalf("token: %d %s", a.status, a.body)
	}
	m := a.json(t).(map[string]any)
	tok, _ := m["access_token"].(string)
	if tok == "" {
		t.Fatalf("no access_token in %s", a.body)
	}
	return tok
}

// list decodes a list answer in either shape.
func list(t *testing.T, a answer) (items []map[string]any, envelope bool, count int) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %.300s", a.status, a.body)
	}
	switch v := a.json(t).(type) {
	case []any:
		for _, x := range v {
			items = append(items, x.(map[string]any))
		}
		return items, false, len(items)
	case map[string]any:
		n, ok := v["record_count"].(float64)
		if !ok {
			t.Fatalf("envelope without record_count: %.300s", a.body)
		}
		for k, x := range v {
			if arr, ok := x.([]any); ok {
				_ = k
				for _, y := range arr {
					items = append(items, y.(map[string]any))
				}
			}
		}
		return items, true, int(n)
	}
	t.Fatalf("unexpected list shape: %.300s", a.body)
	return nil, false, 0
}

func TestAuthInfo(t *testing.T) {
	tn := sample(t)
	s := start(t, tn, Options{})
	a := get(t, s, "/api/authinfo", "")
	if a.status != 200 {
		t.Fatalf("authinfo: %d", a.status)
	}
	m := a.json(t).(map[string]any)
	if m["auth_url"] != s.URL+"/auth" {
		t.Errorf("auth_url = %v, want %s/auth", m["auth_url"], s.URL)
	}
	if m["tenant_id"] != tn.TenantID || tn.TenantID == "" {
		t.Errorf("tenant_id = %v, want %s", m["tenant_id"], tn.TenantID)
	}
	// Case-insensitive path.
	if a := get(t, s, "/API/AuthInfo", ""); a.status != 200 {
		t.Errorf("/API/AuthInfo: %d", a.status)
	}

	s2 := start(t, tn, Options{DisableAuthInfo: true})
	a = get(t, s2, "/api/authinfo", "")
	if a.status != 404 || !strings.Contains(string(a.body), "<html") {
		t.Errorf("disabled authinfo: %d %.100s", a.status, a.body)
	}
}

func TestToken(t *testing.T) {
	tn := sample(t)
	tn.Credentials = append(tn.Credentials, Credential{ClientID: "hosted", ClientSecret: "SECRET-hosted", Tenant: "acme", Scopes: []string{"admin", "read:tickets"}})
	s := start(t, tn, Options{})

	a := tokenRequest(t, s, "", auditorForm("admin"))
	if a.status != 200 {
		t.Fatalf("good credentials: %d %s", a.status, a.body)
	}
	m := a.json(t).(map[string]any)
	if m["token_type"] != "Bearer" || m["expires_in"] != float64(3600) || m["scope"] != "admin" {
		t.Errorf("token answer: %s", a.body)
	}
	if tok := m["access_token"].(string); !strings.Contains(tok, "TOKEN-") {
		t.Errorf("token %q lacks the secret marker", tok)
	}

	// Basic authentication, form-encoded values (what golang.org/x/oauth2 sends first).
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {basicAuth(AuditorClientID, AuditorClientSecret)}}
	a = do(t, s, http.MethodPost, "/auth/token", "", strings.NewReader("grant_type=client_credentials&scope=admin"), h)
	if a.status != 200 {
		t.Errorf("basic auth: %d %s", a.status, a.body)
	}

	oauthErr := func(name string, a answer, status int, code string) {
		t.Helper()
		if a.status != status {
			t.Errorf("%s: status %d, want %d (%s)", name, a.status, status, a.body)
			return
		}
		m, ok := a.json(t).(map[string]any)
		if !ok || m["error"] != code || m["error_description"] == "" {
			t.Errorf("%s: body %s, want error %s", name, a.body, code)
		}
		if strings.Contains(string(a.body), "SECRET-") {
			t.Errorf("%s: the error repeats a secret: %s", name, a.body)
		}
	}
	f := auditorForm("admin")
	f.Set("client_secret", "SECRET-wrong")
	oauthErr("wrong secret", tokenRequest(t, s, "", f), 400, "invalid_client")
	h.Set("Authorization", basicAuth(AuditorClientID, "SECRET-wrong"))
	oauthErr("wrong secret (basic)", do(t, s, http.MethodPost, "/auth/token", "", strings.NewReader("grant_type=client_credentials"), h), 401, "invalid_client")
	f = auditorForm("admin")
	f.Set("client_id", "nobody")
	oauthErr("unknown client", tokenRequest(t, s, "", f), 400, "invalid_client")
	oauthErr("unknown scope", tokenRequest(t, s, "", auditorForm("admin read:everything")), 400, "invalid_scope")
	oauthErr("scope not granted", tokenRequest(t, s, "", auditorForm("all")), 400, "invalid_scope")
	f = auditorForm("admin")
	f.Set("grant_type", "password")
	oauthErr("grant type", tokenRequest(t, s, "", f), 400, "unsupported_grant_type")

	hosted := url.Values{"grant_type": {"client_credentials"}, "client_id": {"hosted"}, "client_secret": {"SECRET-hosted"}, "scope": {"admin"}}
	oauthErr("missing tenant", tokenRequest(t, s, "", hosted), 400, "invalid_client")
	oauthErr("wrong tenant", tokenRequest(t, s, "tenant=other", hosted), 400, "invalid_client")
	if a := tokenRequest(t, s, "tenant=acme", hosted); a.status != 200 {
		t.Errorf("right tenant: %d %s", a.status, a.body)
	}
	hosted.Set("tenant", "acme")
	if a := tokenRequest(t, s, "", hosted); a.status != 200 {
		t.Errorf("tenant in the form: %d %s", a.status, a.body)
	}

	// GET on the token endpoint.
	if a := get(t, s, "/auth/token", ""); a.status != 405 {
		t.Errorf("GET /auth/token: %d", a.status)
	}
	// An inactive application cannot log in.
	inactive := sample(t)
	inactive.Application(AuditorClientID)["inactive"] = true
	oauthErr("inactive application", tokenRequest(t, start(t, inactive, Options{}), "", auditorForm("admin")), 400, "invalid_client")
}

func TestBearerRequired(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := start(t, sample(t), Options{Now: clock})
	tok := login(t, s)
	for _, p := range []string{"/api/Roles", "/api/Agent", "/api/Application", "/api/Category?type_id=1", "/api/Control", "/api/Agent/me", "/api/nothing"} {
		if a := get(t, s, p, ""); a.status != 401 {
			t.Errorf("%s without token: %d", p, a.status)
		}
		if a := get(t, s, p, "halotest-TOKEN-forged"); a.status != 401 {
			t.Errorf("%s with a forged token: %d", p, a.status)
		}
	}
	if a := get(t, s, "/api/Roles", tok); a.status != 200 {
		t.Errorf("with token: %d", a.status)
	}
	// Expiry follows the clock.
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	if a := get(t, s, "/api/Roles", tok); a.status != 401 {
		t.Errorf("expired token: %d", a.status)
	}
}

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

	role := tn.Role("TimeZest")
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

func TestNotFound(t *testing.T) {
	s := start(t, sample(t), Options{})
	tok := login(t, s)
	for _, p := range []string{
		"/api/Tickets", "/api/Roles/00000000-0000-0000-0000-000000000000", "/api/Agent/999",
		"/api/Agent/abc", "/api/Application/nope?includedetails=true", "/api/Roles/a/b", "/elsewhere", "/",
	} {
		a := get(t, s, p, tok)
		if a.status != 404 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || !strings.Contains(string(a.body), "<html") {
			t.Errorf("%s: %d %s %.60s", p, a.status, a.header.Get("Content-Type"), a.body)
		}
	}
	// Agent/me for an application without a login agent.
	noAgent := sample(t)
	noAgent.Application(AuditorClientID)["loginas_agent_id"] = 0
	s = start(t, noAgent, Options{})
	if a := get(t, s, "/api/Agent/me", login(t, s)); a.status != 404 {
		t.Errorf("Agent/me without a login agent: %d", a.status)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := start(t, sample(t), Options{})
	tok := login(t, s)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		a := do(t, s, m, "/api/Roles", tok, strings.NewReader("[]"), http.Header{"Content-Type": {"application/json"}})
		if a.status != 405 || a.header.Get("Allow") != "GET" {
			t.Errorf("%s /api/Roles: %d", m, a.status)
		}
		if a := do(t, s, m, "/api/Roles", "", nil, nil); a.status != 405 {
			t.Errorf("%s /api/Roles without token: %d", m, a.status)
		}
	}
	if a := do(t, s, http.MethodHead, "/api/Roles", tok, nil, nil); a.status != 200 {
		t.Errorf("HEAD: %d", a.status)
	}
}

func TestPagination(t *testing.T) {
	tn := Generate(GenerateSpec{Seed: 1, Roles: 250, Agents: 30, Applications: 5})
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

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	s := start(t, sample(t), Options{RateLimit: 5, RateWindow: 10 * time.Second, Now: clock})
	tok := login(t, s) // request 1
	for i := 2; i <= 5; i++ {
		advance(time.Second)
		if a := get(t, s, "/api/Roles", tok); a.status != 200 {
			t.Fatalf("request %d: %d", i, a.status)
		}
	}
	a := get(t, s, "/api/Roles", tok)
	if a.status != 429 || string(a.body) != RateLimitBody {
		t.Fatalf("request 6: %d %q", a.status, a.body)
	}
	if a.header.Get("Retry-After") != "" || a.header.Get("X-RateLimit-Remaining") != "" {
		t.Errorf("429 carries rate headers: %v", a.header)
	}
	// The first request (at t=0) leaves the window at t=10s.
	advance(5 * time.Second) // t = 9s
	if a := get(t, s, "/api/Roles", tok); a.status != 429 {
		t.Errorf("still within the window: %d", a.status)
	}
	advance(time.Second) // t = 10s: request 1 is out
	if a := get(t, s, "/api/Roles", tok); a.status != 200 {
		t.Errorf("after the window rolled: %d", a.status)
	}
	if a := get(t, s, "/api/Roles", tok); a.status != 429 {
		t.Errorf("budget spent again: %d", a.status)
	}
	var n429 int
	for _, r := range s.Requests() {
		if r.Status == 429 {
			n429++
		}
	}
	if n429 != 3 {
		t.Errorf("recorded %d 429s, want 3", n429)
	}
}

func TestFailTimes(t *testing.T) {
	s := start(t, sample(t), Options{FailTimes: map[string]int{"/api/roles": 2, "/auth/token": 1, "/api/agent/*": 1}})
	if a := tokenRequest(t, s, "", auditorForm("admin")); a.status != 500 {
		t.Errorf("first token request: %d", a.status)
	}
	tok := login(t, s)
	for i := 0; i < 2; i++ {
		if a := get(t, s, "/api/Roles?x=1", tok); a.status != 500 {
			t.Errorf("attempt %d: %d", i+1, a.status)
		}
	}
	if a := get(t, s, "/api/ROLES", tok); a.status != 200 {
		t.Errorf("after the faults: %d", a.status)
	}
	if a := get(t, s, "/api/Agent", tok); a.status != 200 {
		t.Errorf("the list is not below /api/agent/: %d", a.status)
	}
	if a := get(t, s, "/api/Agent/2", tok); a.status != 500 {
		t.Errorf("wildcard fault: %d", a.status)
	}
	if a := get(t, s, "/api/Agent/3", tok); a.status != 200 {
		t.Errorf("wildcard fault spent: %d", a.status)
	}
}

func TestForbiddenAndCanned(t *testing.T) {
	s := start(t, sample(t), Options{
		Forbidden: []string{"/api/control"},
		Canned: map[string]Canned{
			"/api/roles":     {ContentType: "text/html", Body: []byte("<html>login</html>")},
			"/api/roles/*":   {Body: []byte(`{"id": "trunc`)},
			"/api/category":  {Status: 400, ContentType: "text/plain", Body: []byte("Bad request")},
			"/api/authinfo2": {Body: []byte("{}")},
		},
	})
	tok := login(t, s)
	if a := get(t, s, "/api/Control", tok); a.status != 403 {
		t.Errorf("control: %d", a.status)
	}
	if a := get(t, s, "/api/Control", ""); a.status != 401 {
		t.Errorf("control without token: %d", a.status)
	}
	if a := get(t, s, "/api/Agent", tok); a.status != 200 {
		t.Errorf("agents: %d", a.status)
	}
	if a := get(t, s, "/api/Roles", tok); a.status != 200 || string(a.body) != "<html>login</html>" {
		t.Errorf("canned roles: %d %s", a.status, a.body)
	}
	if a := get(t, s, "/api/Roles/x", tok); string(a.body) != `{"id": "trunc` {
		t.Errorf("canned role: %s", a.body)
	}
	if a := get(t, s, "/api/Category?type_id=1", tok); a.status != 400 {
		t.Errorf("canned category: %d", a.status)
	}
}

func TestHangAndLatency(t *testing.T) {
	s := start(t, sample(t), Options{HangPaths: []string{"/api/roles"}, Latency: 20 * time.Millisecond})
	tok := login(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/api/Roles", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	_, err := s.ts.Client().Do(req)
	if err == nil {
		t.Fatal("a hanging path answered")
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
	start = time.Now()
	if a := get(t, s, "/api/Agent", tok); a.status != 200 {
		t.Errorf("agents: %d", a.status)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}

	// Close ends a hanging request at once.
	s2 := New(sample(t), Options{HangPaths: []string{"/api/authinfo"}})
	done := make(chan error, 1)
	go func() {
		resp, err := s2.ts.Client().Get(s2.URL + "/api/authinfo")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	closed := make(chan struct{})
	go func() { s2.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("Close blocked on a hanging request")
	}
	<-done
}

func TestRequestsRecorded(t *testing.T) {
	s := start(t, sample(t), Options{})
	get(t, s, "/api/authinfo", "")
	tok := login(t, s)
	get(t, s, "/api/Roles?pageinate=true&page_size=5", tok)
	get(t, s, "/api/Control", "")
	do(t, s, http.MethodDelete, "/api/Agent/2", tok, nil, nil)

	reqs := s.Requests()
	want := []struct {
		method, path, query string
		status              int
		authorized          bool
	}{
		{"GET", "/api/authinfo", "", 200, false},
		{"POST", "/auth/token", "", 200, false},
		{"GET", "/api/Roles", "pageinate=true&page_size=5", 200, true},
		{"GET", "/api/Control", "", 401, false},
		{"DELETE", "/api/Agent/2", "", 405, true},
	}
	if len(reqs) != len(want) {
		t.Fatalf("recorded %d requests, want %d: %+v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		r := reqs[i]
		if r.Method != w.method || r.Path != w.path || r.RawQuery != w.query || r.Status != w.status || r.Authorized != w.authorized {
			t.Errorf("request %d = %+v, want %+v", i, r, w)
		}
	}
	if reqs[2].ClientID != AuditorClientID || reqs[2].UserAgent == "" {
		t.Errorf("request 2: client %q, user agent %q", reqs[2].ClientID, reqs[2].UserAgent)
	}
	if n := len(s.IssuedTokens()); n != 1 {
		t.Errorf("issued tokens: %d", n)
	}
}

func TestConcurrent(t *testing.T) {
	s := start(t, Generate(GenerateSpec{Seed: 7, Roles: 50, Agents: 50, Applications: 10}), Options{RateLimit: 1000, RateWindow: time.Minute})
	tok := login(t, s)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				for _, p := range []string{"/api/Roles", "/api/Agent?includeroles=true", "/api/Agent/1000?includedetails=true", "/api/Control"} {
					req, _ := http.NewRequest(http.MethodGet, s.URL+p, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					resp, err := s.ts.Client().Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						t.Errorf("%s: %d", p, resp.StatusCode)
					}
				}
			}
			s.Requests()
		}()
	}
	wg.Wait()
	if n := len(s.Requests()); n != 1+8*10*4 {
		t.Errorf("recorded %d requests", n)
	}
}

func TestTLS(t *testing.T) {
	s := NewTLS(sample(t), Options{})
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %s", s.URL)
	}
	a := get(t, s, "/api/authinfo", "")
	if m := a.json(t).(map[string]any); m["auth_url"] != s.URL+"/auth" {
		t.Errorf("auth_url %v", m["auth_url"])
	}
	if _, err := http.Get(s.URL + "/api/authinfo"); err == nil {
		t.Error("an untrusting client accepted the certificate")
	}
}
