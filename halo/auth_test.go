package halo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
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
	// A collection with this client fails the same way, without data
	// requests.
	if _, err := Collect(context.Background(), client, Plan{}, nil); !errors.As(err, &authErr) {
		t.Errorf("Collect: err = %v, want *AuthError", err)
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
			// HALO_AUTH_URL pins the server: authinfo is not asked, so
			// there is nothing to note (authserver_test.go).
			name:     "authinfo missing, HALO_AUTH_URL",
			authinfo: func(*tenantServer) http.HandlerFunc { return answerStatus(404, "text/html", "<html>nope</html>") },
			authURL:  func(ts *tenantServer) string { return ts.URL + "/auth/" },
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

// A server that echoes what it was sent must not make halolint print it:
// the shape test of quoteServerText lets a GUID-shaped or short secret
// through, so the known credentials are scrubbed by value, before any
// message is shortened.
func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	t.Parallel()
	// A GUID: exempt from quoteServerText's credential shape.
	const guidSecret = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	echo := func(prefix string) func(*http.Request) string {
		return func(r *http.Request) string {
			_ = r.ParseForm()
			return prefix + " client secret " + r.PostForm.Get("client_secret")
		}
	}
	t.Run("refused credential", func(t *testing.T) {
		t.Parallel()
		srv := echoTokenServer(t, http.StatusUnauthorized, echo("is not valid:"))
		client := newTestClient(t, Config{URL: srv.URL, ClientID: "id", ClientSecret: guidSecret, Clock: newFakeClock()})
		err := client.Authorize(context.Background())
		var authErr *AuthError
		if !errors.As(err, &authErr) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want an *AuthError", err)
		}
		if strings.Contains(err.Error(), guidSecret) || strings.Contains(authErr.Error(), guidSecret) {
			t.Errorf("the echoed secret is printed: %v", err)
		}
		if !strings.Contains(err.Error(), "is not valid: client secret [redacted]") {
			t.Errorf("the rest of the server's text is lost: %v", err)
		}
		_, err = Collect(context.Background(), client, Plan{}, nil)
		if err == nil || strings.Contains(err.Error(), guidSecret) || !errors.As(err, &authErr) {
			t.Errorf("Collect: err = %v", err)
		}
	})
	t.Run("overloaded token endpoint", func(t *testing.T) {
		t.Parallel()
		srv := echoTokenServer(t, http.StatusServiceUnavailable, echo("busy:"))
		cfg := Config{URL: srv.URL, ClientID: "id", ClientSecret: guidSecret, Clock: newFakeClock(), MaxAttempts: 2}
		err := newTestClient(t, cfg).Authorize(context.Background())
		if err == nil || strings.Contains(err.Error(), guidSecret) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("access token in an API error", func(t *testing.T) {
		t.Parallel()
		routes := tenantRoutes()
		// testAccessToken is 24 characters: too short for the shape test.
		routes["/api/Control"] = func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " lacks admin"})
		}
		routes["/api/Category"] = answerStatus(http.StatusForbidden, "text/plain", "denied for "+testAccessToken+" and "+testClientSecret)
		ts := newTenantServer(t, routes)
		snap, err := Collect(context.Background(), newTestClient(t, testConfig(ts, newFakeClock())), Plan{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.CollectionErrors) != 2 {
			t.Fatalf("collection errors: %+v", snap.CollectionErrors)
		}
		for _, ce := range snap.CollectionErrors {
			if strings.Contains(ce.Message, testAccessToken) || strings.Contains(ce.Message, testClientSecret) || !strings.Contains(ce.Message, redacted) {
				t.Errorf("collection error message %q", ce.Message)
			}
		}
	})
}

// echoTokenServer answers authinfo, and every token request with status
// and an OAuth error whose description is describe(request).
func echoTokenServer(t *testing.T, status int, describe func(*http.Request) string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/authinfo":
			writeJSON(w, http.StatusOK, map[string]any{"auth_url": srv.URL + "/auth"})
		case "/auth/token":
			writeJSON(w, status, map[string]any{"error": "invalid_client", "error_description": describe(r), "message": describe(r)})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Once the API has answered 401 the token is no good: nothing more is
// sent, whoever asks, so parallel readers cannot keep knocking.
func TestNothingIsSentAfterA401(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	routes["/api/Roles"] = answerStatus(http.StatusUnauthorized, "application/json", `{"message":"token revoked"}`)
	ts := newTenantServer(t, routes)
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	// Collect's list readers, one after the other so that "after" is well
	// defined.
	if _, err := list(context.Background(), client, rolesList, identity); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("roles: err = %v, want ErrUnauthorized", err)
	}
	sent := len(ts.Requests())
	if _, err := list(context.Background(), client, agentsList, identity); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("agents after a 401: err = %v, want ErrUnauthorized", err)
	}
	if after := ts.Requests()[sent:]; len(after) != 0 {
		t.Errorf("sent after the 401: %+v", after)
	}
}
