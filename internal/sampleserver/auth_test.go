package sampleserver

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	tn := sample(t)
	tn.Credentials = append(tn.Credentials,
		Credential{ClientID: "hosted", ClientSecret: "SECRET-hosted", Tenant: "acme", Scopes: []string{"admin", "read:tickets"}},
		Credential{ClientID: "any-scope", ClientSecret: "SECRET-any-scope"})
	known := func(name string) bool { return name != "read:everything" }
	s := start(t, tn, Options{KnownScope: known})

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
	anyScope := url.Values{"grant_type": {"client_credentials"}, "client_id": {"any-scope"}, "client_secret": {"SECRET-any-scope"}, "scope": {"read:everything"}}
	oauthErr("unknown scope, any scope allowed", tokenRequest(t, s, "", anyScope), 400, "invalid_scope")
	// Without KnownScope every name is known: only the grant limits.
	if a := tokenRequest(t, start(t, tn, Options{}), "", anyScope); a.status != 200 {
		t.Errorf("no scope catalog: %d %s", a.status, a.body)
	}
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
