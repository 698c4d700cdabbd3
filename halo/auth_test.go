package halo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestTokenRequest(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	cfg := testConfig(ts, newFakeClock())
	cfg.Tenant = testTenant
	cfg.Scope = "admin read:tickets"
	client := newTestClient(t, cfg)
	if err := client.Authorize(context.Background()); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if want := ts.URL + "/auth/token?tenant=acme"; client.TokenURL() != want {
		t.Errorf("TokenURL = %q, want %q", client.TokenURL(), want)
	}
	reqs := ts.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/api/authinfo" || reqs[1].Path != "/auth/token" {
		t.Fatalf("requests = %+v", reqs)
	}
	tok := reqs[1]
	if tok.Method != http.MethodPost || tok.Query != "tenant=acme" {
		t.Errorf("token request %s ?%s", tok.Method, tok.Query)
	}
	form, _ := url.ParseQuery(tok.Form)
	want := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret},
		"scope": {"admin read:tickets"}, "tenant": {testTenant},
	}
	for k, v := range want {
		if form.Get(k) != v[0] {
			t.Errorf("form %s = %q, want %q", k, form.Get(k), v[0])
		}
	}
	if tok.Header.Get("Authorization") != "" {
		t.Error("credentials also sent in a header")
	}
	// A second call sends nothing.
	if err := client.Authorize(context.Background()); err != nil || len(ts.Requests()) != 2 {
		t.Errorf("second Authorize: %v, %d requests", err, len(ts.Requests()))
	}
}

func TestBadCredentials(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	cfg := testConfig(ts, newFakeClock())
	cfg.ClientSecret = "wrong-secret-DO-NOT-LEAK"
	client := newTestClient(t, cfg)
	err := client.Authorize(context.Background())
	var authErr *AuthError
	if !errors.As(err, &authErr) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	msg := err.Error()
	for _, want := range []string{ts.URL + "/auth/token", testClientID, "invalid_client", "Client authentication failed"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "wrong-secret") {
		t.Errorf("message leaks the secret: %q", msg)
	}
	// Refused credentials are not retried.
	if n := len(ts.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (authinfo, token)", n)
	}
	// An API method fails the same way, without data requests.
	if _, err := client.Roles(context.Background()); !errors.As(err, &authErr) {
		t.Errorf("Roles: err = %v, want *AuthError", err)
	}
	if len(ts.apiRequests()) != 0 {
		t.Errorf("data requested: %v", ts.apiRequests())
	}
}

func TestAuthDiscovery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		authinfo func(ts *tenantServer) http.HandlerFunc
		authURL  func(ts *tenantServer) string
		wantNote string
	}{
		{
			name:     "authinfo answers",
			authinfo: func(*tenantServer) http.HandlerFunc { return nil },
		},
		{
			name:     "authinfo missing, HALO_AUTH_URL",
			authinfo: func(*tenantServer) http.HandlerFunc { return answerStatus(404, "text/html", "<html>nope</html>") },
			authURL:  func(ts *tenantServer) string { return ts.URL + "/auth/" },
			wantNote: "used HALO_AUTH_URL",
		},
		{
			name:     "authinfo missing, default",
			authinfo: func(*tenantServer) http.HandlerFunc { return answerStatus(404, "text/html", "<html>nope</html>") },
			wantNote: "used the default",
		},
		{
			name: "authinfo points to clear text",
			authinfo: func(*tenantServer) http.HandlerFunc {
				return answer(map[string]any{"auth_url": "http://evil.example.com/auth"})
			},
			wantNote: "unusable auth_url",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, tenantRoutes())
			ts.authinfo = tt.authinfo(ts)
			cfg := testConfig(ts, newFakeClock())
			if tt.authURL != nil {
				cfg.AuthURL = tt.authURL(ts)
			}
			client := newTestClient(t, cfg)
			snap, err := Collect(context.Background(), client, Plan{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if client.TokenURL() != ts.URL+"/auth/token" {
				t.Errorf("TokenURL = %q", client.TokenURL())
			}
			var notes []string
			for _, n := range snap.Notices {
				if n.Resource == ResourceAuthInfo {
					notes = append(notes, n.Message)
				}
			}
			switch {
			case tt.wantNote == "" && len(notes) != 0:
				t.Errorf("unexpected notices %q", notes)
			case tt.wantNote != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.wantNote)):
				t.Errorf("notices %q, want one containing %q", notes, tt.wantNote)
			}
		})
	}
}

func TestTokenEndpointOverloadIsRetried(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	ts.tokenStatus = http.StatusServiceUnavailable
	clock := newFakeClock()
	client := newTestClient(t, testConfig(ts, clock))
	err := client.Authorize(context.Background())
	var authErr *AuthError
	if err == nil || errors.As(err, &authErr) {
		t.Fatalf("err = %v, want a non-auth failure", err)
	}
	if !strings.Contains(err.Error(), "gave up after 5 attempts") {
		t.Errorf("err = %v", err)
	}
	if n := len(ts.Requests()); n != 6 {
		t.Errorf("%d requests, want 1 authinfo + 5 token attempts", n)
	}
}
