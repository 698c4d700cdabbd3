package sampleserver

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// basicAuth is the Authorization header value for client credentials sent
// the way RFC 6749 §2.3.1 says (form-encoded, then Basic).
func basicAuth(clientID, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(secret)))
}

func start(t *testing.T, tenant *Tenant, opts Options) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(New(tenant, opts))
	t.Cleanup(s.Close)
	return s
}

func sample(t *testing.T) *Tenant {
	t.Helper()
	tn, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// roleNamed returns the role of tn with that name, or nil.
func roleNamed(tn *Tenant, name string) map[string]any {
	for _, r := range tn.Roles {
		if r["name"] == name {
			return r
		}
	}
	return nil
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

func do(t *testing.T, s *httptest.Server, method, path, token string, body io.Reader, header http.Header) answer {
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
	resp, err := s.Client().Do(req)
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

func get(t *testing.T, s *httptest.Server, path, token string) answer {
	t.Helper()
	return do(t, s, http.MethodGet, path, token, nil, nil)
}

func tokenRequest(t *testing.T, s *httptest.Server, query string, form url.Values) answer {
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

func login(t *testing.T, s *httptest.Server) string {
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

// Start serves on a listener of its own, as the demo does: the URLs the
// server announces follow it, and Close stops it.
func TestStart(t *testing.T) {
	tn, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(tn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s, want a loopback address", s.URL)
	}
	resp, err := http.Get(s.URL + "/api/authinfo")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m["auth_url"] != s.URL+"/auth" || m["tenant_id"] != tn.TenantID {
		t.Errorf("authinfo %v, want auth_url %s/auth and tenant_id %s", m, s.URL, tn.TenantID)
	}
	s.Close()
	if resp, err := http.Get(s.URL + "/api/authinfo"); err == nil {
		resp.Body.Close()
		t.Error("the server still answers after Close")
	}
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
