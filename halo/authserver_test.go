package halo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// elsewhere is an authorisation server on another host than the instance
// (another loopback port): it records what reaches it and grants a token
// to anyone, as a server that collects secrets would.
type elsewhere struct {
	*httptest.Server
	mu       sync.Mutex
	received []string
}

func newElsewhere(t *testing.T) *elsewhere {
	t.Helper()
	e := &elsewhere{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.received = append(e.received, r.Method+" "+r.URL.Path+" "+string(body))
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"access_token": testAccessToken, "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *elsewhere) Received() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.received...)
}

// An unauthenticated /api/authinfo must not decide where the client secret
// goes. HALO_AUTH_URL, when set, is the only place it goes (authinfo is not
// even asked); without it, a server on another host than the instance's
// (and than HaloPSA's hosted one) is refused, naming the host and what to
// do, and nothing is sent to it.
func TestAuthinfoCannotRedirectTheSecret(t *testing.T) {
	t.Parallel()
	t.Run("HALO_AUTH_URL pins the token server", func(t *testing.T) {
		t.Parallel()
		evil := newElsewhere(t)
		ts := newTenantServer(t, tenantRoutes())
		ts.authinfo = answer(map[string]any{"auth_url": evil.URL + "/auth"})
		cfg := testConfig(ts, newFakeClock())
		cfg.AuthURL = ts.URL + "/auth"
		client := newTestClient(t, cfg)
		snap, err := Collect(context.Background(), client, Plan{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := evil.Received(); len(got) != 0 {
			t.Errorf("the server authinfo names received %q", got)
		}
		for _, r := range ts.Requests() {
			if r.Path == "/api/authinfo" {
				t.Error("/api/authinfo was asked although HALO_AUTH_URL is set")
			}
		}
		host := mustParse(ts.URL).Host
		if client.CredentialsSentTo() != host || snap.Source.CredentialsSentTo != host {
			t.Errorf("credentials sent to %q (snapshot %q), want %q", client.CredentialsSentTo(), snap.Source.CredentialsSentTo, host)
		}
		if s, _ := client.TokenServer(); s.Source != TokenServerPinned || !strings.Contains(s.Describe(), "HALO_AUTH_URL") {
			t.Errorf("token server %+v: %s", s, s.Describe())
		}
	})
	t.Run("another host is refused", func(t *testing.T) {
		t.Parallel()
		evil := newElsewhere(t)
		ts := newTenantServer(t, tenantRoutes())
		ts.authinfo = answer(map[string]any{"auth_url": evil.URL + "/auth"})
		client := newTestClient(t, testConfig(ts, newFakeClock()))
		_, err := Collect(context.Background(), client, Plan{}, nil)
		var untrusted *UntrustedAuthServerError
		if !errors.As(err, &untrusted) {
			t.Fatalf("err = %v, want an *UntrustedAuthServerError", err)
		}
		evilHost := mustParse(evil.URL).Host
		for _, want := range []string{evilHost, "HALO_AUTH_URL=" + evil.URL + "/auth", "not sent", HostedAuthHost} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if got := evil.Received(); len(got) != 0 {
			t.Errorf("the other host received %q", got)
		}
		if client.CredentialsSentTo() != "" {
			t.Errorf("credentials sent to %q", client.CredentialsSentTo())
		}
		if n := len(ts.apiRequests()); n != 0 {
			t.Errorf("%d data requests", n)
		}
	})
	t.Run("the instance's own host is accepted", func(t *testing.T) {
		t.Parallel()
		ts := newTenantServer(t, tenantRoutes())
		// Another spelling of the same host: case and an explicit path.
		ts.authinfo = answer(map[string]any{"auth_url": strings.ToUpper(ts.URL) + "/auth/"})
		client := newTestClient(t, testConfig(ts, newFakeClock()))
		err := client.Authorize(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		s, _ := client.TokenServer()
		if s.Source != TokenServerDiscovered || !strings.EqualFold(s.Host, mustParse(ts.URL).Host) || !strings.Contains(s.Describe(), "the instance's own host") {
			t.Errorf("token server %+v: %s", s, s.Describe())
		}
	})
	t.Run("HaloPSA's hosted authorisation server is accepted", func(t *testing.T) {
		t.Parallel()
		ts := newTenantServer(t, tenantRoutes())
		ts.authinfo = answer(map[string]any{"auth_url": "https://" + HostedAuthHost})
		var mu sync.Mutex
		var hosted []string
		cfg := testConfig(ts, newFakeClock())
		local := cfg.Transport
		// No packet leaves the machine: the hosted server is answered here.
		cfg.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Host != HostedAuthHost {
				return local.RoundTrip(r)
			}
			_ = r.ParseForm()
			mu.Lock()
			hosted = append(hosted, r.URL.Path+" "+r.PostForm.Get("client_id"))
			mu.Unlock()
			rec := httptest.NewRecorder()
			writeJSON(rec, http.StatusOK, map[string]any{"access_token": testAccessToken, "token_type": "Bearer", "expires_in": 3600})
			return rec.Result(), nil
		})
		client := newTestClient(t, cfg)
		snap, err := Collect(context.Background(), client, Plan{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(hosted) != 1 || hosted[0] != "/token "+testClientID {
			t.Errorf("the hosted server received %q", hosted)
		}
		if snap.Source.CredentialsSentTo != HostedAuthHost {
			t.Errorf("credentials sent to %q", snap.Source.CredentialsSentTo)
		}
		if s, _ := client.TokenServer(); !s.Hosted || !strings.Contains(s.Describe(), "hosted") {
			t.Errorf("token server %+v: %s", s, s.Describe())
		}
	})
}

func TestWhichAuthorisationHostsAreTrusted(t *testing.T) {
	t.Parallel()
	instance, _ := url.Parse("https://acme.halopsa.com")
	for _, tt := range []struct {
		authURL       string
		same, trusted bool
	}{
		{"https://acme.halopsa.com/auth", true, true},
		{"https://ACME.halopsa.com./auth", true, true},
		{"https://acme.halopsa.com:443/auth", true, true},
		{"https://acme.halopsa.com:8443/auth", false, false},
		{"https://auth.haloservicedesk.com", false, true},
		{"https://AUTH.haloservicedesk.com:443/", false, true},
		{"https://auth.haloservicedesk.com:8443", false, false},
		{"https://auth.haloservicedesk.com.evil.example/", false, false},
		{"https://evil.example/auth.haloservicedesk.com", false, false},
		{"https://acme.halopsa.com.evil.example/auth", false, false},
		{"https://other.halopsa.com/auth", false, false},
	} {
		u, err := url.Parse(tt.authURL)
		if err != nil {
			t.Fatal(err)
		}
		same := sameHost(u, instance)
		trusted := same || isHostedAuthHost(u)
		if same != tt.same || trusted != tt.trusted {
			t.Errorf("%s: same host %v, trusted %v; want %v, %v", tt.authURL, same, trusted, tt.same, tt.trusted)
		}
	}
}
