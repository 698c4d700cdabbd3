package halo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose Sleep advances time at once: tests that wait
// minutes of budget or backoff take no real time, and the sleeps are
// recorded for assertions.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 10, 0, 0, 123456789, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func (c *fakeClock) Elapsed(since time.Time) time.Duration { return c.Now().Sub(since) }

// Credentials and secrets of the test tenant. Every secret value is
// searched for in written snapshots.
const (
	testClientID     = "auditor-client-id"
	testClientSecret = "auditor-secret-DO-NOT-LEAK"
	testAccessToken  = "access-token-DO-NOT-LEAK"
	testTenant       = "acme"
)

var testSecrets = []string{
	testClientSecret, testAccessToken,
	"app-secret-DO-NOT-LEAK", "agent-password-DO-NOT-LEAK", "agent-token-DO-NOT-LEAK",
	"control-secret-DO-NOT-LEAK", "control-token-DO-NOT-LEAK", "control-pass-DO-NOT-LEAK",
	"nested-key-DO-NOT-LEAK", "role-secret-DO-NOT-LEAK",
}

// request is one request the fake server received.
type request struct {
	Method string
	Path   string
	Query  string
	Form   string
	Header http.Header
}

// tenantServer is a small HaloPSA on loopback: authinfo, a token endpoint
// that checks the credentials, a bearer check, and routes by exact path.
// It records every request, whatever its method.
type tenantServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []request
	routes   map[string]http.HandlerFunc
	// authinfo answers /api/authinfo; nil means the default pointing at
	// this server's /auth.
	authinfo http.HandlerFunc
	// tokenStatus, when not 0, is the token endpoint's answer status for
	// otherwise valid credentials (429, 500).
	tokenStatus int
}

func newTenantServer(t *testing.T, routes map[string]http.HandlerFunc) *tenantServer {
	t.Helper()
	ts := &tenantServer{routes: routes}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tenantServer) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	rec := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	if r.Method == http.MethodPost {
		rec.Form = r.PostForm.Encode()
	}
	ts.mu.Lock()
	ts.requests = append(ts.requests, rec)
	authinfo, tokenStatus := ts.authinfo, ts.tokenStatus
	ts.mu.Unlock()

	switch r.URL.Path {
	case "/api/authinfo":
		if authinfo != nil {
			authinfo(w, r)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"auth_url": ts.URL + "/auth", "tenant_id": "t-1"})
		return
	case "/auth/token":
		ts.token(w, r, tokenStatus)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+testAccessToken {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthorized"})
		return
	}
	if h, ok := ts.routes[r.URL.Path]; ok && r.Method == http.MethodGet {
		h(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body><h2>The resource you are looking for has been removed.</h2></body></html>")
}

func (ts *tenantServer) token(w http.ResponseWriter, r *http.Request, status int) {
	f := r.PostForm
	if r.Method != http.MethodPost || f.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request"})
		return
	}
	if f.Get("client_id") != testClientID || f.Get("client_secret") != testClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "Client authentication failed"})
		return
	}
	if status != 0 {
		writeJSON(w, status, map[string]any{"message": "busy"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": testAccessToken, "token_type": "Bearer", "expires_in": 3600})
}

func (ts *tenantServer) Requests() []request {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]request(nil), ts.requests...)
}

// apiRequests lists the requests to /api/ other than authinfo, as
// "METHOD path?query".
func (ts *tenantServer) apiRequests() []string {
	var out []string
	for _, r := range ts.Requests() {
		if strings.HasPrefix(r.Path, "/api/") && r.Path != "/api/authinfo" {
			line := r.Method + " " + r.Path
			if r.Query != "" {
				line += "?" + r.Query
			}
			out = append(out, line)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func answer(v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, v) }
}

func answerStatus(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// testConfig is a valid configuration for ts with a fake clock and a
// jitter that always waits the longest, so backoffs are predictable.
func testConfig(ts *tenantServer, clock *fakeClock) Config {
	return Config{
		URL:          ts.URL,
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		Version:      "test",
		Clock:        clock,
		Jitter:       func(max time.Duration) time.Duration { return max },
		Transport:    ts.Client().Transport,
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// tenantRoutes is a tenant with every quirk the collection must handle:
// lists as bare arrays and as envelopes, a hidden login agent, a system
// application, and secrets in every place Halo puts them.
func tenantRoutes() map[string]http.HandlerFunc {
	claims := func(pairs ...string) []any {
		var out []any
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, map[string]any{"type": pairs[i], "value": pairs[i+1]})
		}
		return out
	}
	roleDetail := func(id string, idInt int, name string, c []any) map[string]any {
		return map[string]any{
			"id": id, "id_int": idInt, "name": name, "is_integration": false, "notes": "from details",
			"claims":         c,
			"departments":    []any{map[string]any{"department_id": 1, "department_name": "Support", "membershiplevel": 3, "includeteamsintree": true}},
			"webhook_secret": "role-secret-DO-NOT-LEAK",
		}
	}
	agentDetail := func(id int, name string, api bool, roleID, roleName string) map[string]any {
		roles := []any{}
		if roleID != "" {
			roles = append(roles, map[string]any{"id": roleID, "name": roleName})
		}
		return map[string]any{
			"id": id, "name": name, "isdisabled": false, "isapiagent": api, "is_admin": false,
			"roles":            roles,
			"claims":           claims("Tx", "2"),
			"password":         "agent-password-DO-NOT-LEAK",
			"new_access_token": "agent-token-DO-NOT-LEAK",
			"email":            strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com",
		}
	}
	appDetail := func(id, clientID, name string, loginAs int, scopes ...string) map[string]any {
		var s []any
		for _, sc := range scopes {
			s = append(s, map[string]any{"id": 1, "application_id": id, "name": sc})
		}
		return map[string]any{
			"id": id, "clientId": clientID, "displayName": name, "inactive": false, "_issystem": false,
			"grant_type": "client_credentials", "credential_type": 1, "loginas_agent_id": loginAs,
			"clientSecret": "app-secret-DO-NOT-LEAK", "scopes": s,
			"integration": map[string]any{"api_key": "nested-key-DO-NOT-LEAK", "region": "eu"},
		}
	}
	return map[string]http.HandlerFunc{
		// An envelope with an unusual key, as the list shape is unknown.
		"/api/Roles": answer(map[string]any{"record_count": 4, "roles": []any{
			map[string]any{"id": "r-admin", "id_int": 1, "name": "Administrators"},
			map[string]any{"id": "r-cove", "id_int": 2, "name": "Cove-Role"},
			map[string]any{"id": "r-gradient", "id_int": 3, "name": "Gradient API role"},
			map[string]any{"id": "r-sales", "id_int": 4, "name": "Sales"},
		}}),
		"/api/Roles/r-admin":    answer(roleDetail("r-admin", 1, "Administrators", claims("SA", "true", "Tx", "2"))),
		"/api/Roles/r-cove":     answer(roleDetail("r-cove", 2, "Cove-Role", claims("Tx", "2", "Ux", "2"))),
		"/api/Roles/r-gradient": answer(roleDetail("r-gradient", 3, "Gradient API role", claims("Ux", "1"))),
		"/api/Roles/r-tz":       answer(roleDetail("r-tz", 5, "TimeZest role", claims("Ax", "2"))),
		"/api/Roles/r-sales":    answer(roleDetail("r-sales", 4, "Sales", claims("Ox", "2"))),
		// Agents: a bare array, as Halo answers it.
		"/api/Agent": answer([]any{
			map[string]any{"id": 1, "name": "Alice Admin", "isapiagent": false, "roles": []any{map[string]any{"id": "r-admin", "name": "Administrators"}}},
			map[string]any{"id": 2, "name": "Cove API", "isapiagent": true, "roles": []any{map[string]any{"id": "r-cove", "name": "Cove-Role"}}},
			map[string]any{"id": 3, "name": "Synthesize Bot", "isapiagent": "false", "roles": []any{map[string]any{"id": "r-gradient", "name": "Gradient API role"}}},
			map[string]any{"id": 4, "name": "Bob Sales", "roles": []any{map[string]any{"id": "r-sales", "name": "Sales"}}},
			map[string]any{"id": 5, "name": "Dan Disabled", "isdisabled": 1, "roles": []any{}},
		}),
		"/api/Agent/1": answer(agentDetail(1, "Alice Admin", false, "r-admin", "Administrators")),
		"/api/Agent/2": answer(agentDetail(2, "Cove API", true, "r-cove", "Cove-Role")),
		"/api/Agent/3": answer(agentDetail(3, "Synthesize Bot", false, "r-gradient", "Gradient API role")),
		"/api/Agent/4": answer(agentDetail(4, "Bob Sales", false, "r-sales", "Sales")),
		"/api/Agent/5": answer(agentDetail(5, "Dan Disabled", false, "", "")),
		// Agent 7 is TimeZest's login agent, absent from the list.
		"/api/Agent/7": answer(agentDetail(7, "TimeZest API", true, "r-tz", "TimeZest role")),
		"/api/Application": answer(map[string]any{"record_count": "4", "applications": []any{
			map[string]any{"id": "a-auditor", "clientId": testClientID, "displayName": "halolint", "clientSecret": "app-secret-DO-NOT-LEAK"},
			map[string]any{"id": "a-cove", "clientId": "cove-client", "displayName": "Cove-HaloPSA"},
			map[string]any{"id": "a-system", "clientId": "halo-mobile", "displayName": "Halo Mobile", "_issystem": true, "loginas_agent_id": 6},
			map[string]any{"id": "a-tz", "clientId": "tz-client", "displayName": "TimeZest"},
		}}),
		"/api/Application/a-auditor": answer(appDetail("a-auditor", testClientID, "halolint", 1, "admin")),
		"/api/Application/a-cove":    answer(appDetail("a-cove", "cove-client", "Cove-HaloPSA", 2, "read:customers", "edit:tickets", "read:customers")),
		"/api/Application/a-tz":      answer(appDetail("a-tz", "tz-client", "TimeZest", 7, "edit:calendar")),
		"/api/Category": answer([]any{
			map[string]any{"id": 9, "value": "Hardware", "type_id": 1},
			map[string]any{"id": 4, "value": "Cove Data Protection", "category_name": "", "type_id": "1", "sequence": 2},
		}),
		"/api/Control": answer(map[string]any{
			"force_accounts_id":     true,
			"category_1_label":      "Category",
			"xero_client_secret":    "control-secret-DO-NOT-LEAK",
			"halo_refresh_token":    "control-token-DO-NOT-LEAK",
			"smtp_pass":             "control-pass-DO-NOT-LEAK",
			"some_unmodelled_field": "kept out too",
		}),
	}
}
