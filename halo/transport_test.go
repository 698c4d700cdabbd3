package halo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestWritesNeverReachTheServer(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	ctx := context.Background()

	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect, "PROPFIND"} {
		t.Run(method, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, method, ts.URL+"/api/Roles", strings.NewReader(`{"name":"x"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.api.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			var refused *WriteRefusedError
			if !errors.Is(err, ErrWriteRefused) || !errors.As(err, &refused) || refused.Method != method {
				t.Fatalf("err = %v, want *WriteRefusedError", err)
			}
		})
	}
	// Also the token URL: the API stack must not post to it either.
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/auth/token", strings.NewReader("grant_type=client_credentials"))
	if _, err := client.api.Do(req); !errors.Is(err, ErrWriteRefused) {
		t.Fatalf("POST to the token URL through the API client: err = %v", err)
	}
	if got := ts.Requests(); len(got) != 0 {
		t.Errorf("server saw %d requests, want none: %+v", len(got), got)
	}
	if client.RequestCount() != 0 {
		t.Errorf("RequestCount = %d, want 0", client.RequestCount())
	}

	// After a full collection, still nothing but GET and the token POST.
	if _, err := Collect(ctx, client, Plan{Full: true}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range ts.Requests() {
		if isToken := r.Method == http.MethodPost && r.Path == "/auth/token"; r.Method != http.MethodGet && !isToken {
			t.Errorf("server saw %s %s", r.Method, r.Path)
		}
	}
}

func TestReadOnlyTransportAllowsGetAndHead(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		if r.Header.Get("User-Agent") != "halolint/v1.2.3" {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	rt := &readOnlyTransport{userAgent: "halolint/v1.2.3", next: next}
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		req, _ := http.NewRequest(m, "https://acme.halopsa.com/api/Roles", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		resp.Body.Close()
		if req.Header.Get("User-Agent") != "" {
			t.Error("the caller's request was modified")
		}
	}
	if sent.Load() != 2 {
		t.Errorf("sent %d, want 2", sent.Load())
	}
}

func TestTokenTransportAllowsOnlyThePostToTheTokenURL(t *testing.T) {
	t.Parallel()
	var sent atomic.Int32
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	const tokenURL = "https://acme.halopsa.com/auth/token?tenant=acme"
	rt := &tokenOnlyTransport{tokenURL: tokenURL, userAgent: "halolint/test", next: next}
	tests := []struct {
		method, url string
		allowed     bool
	}{
		{http.MethodPost, tokenURL, true},
		{http.MethodGet, tokenURL, false},
		{http.MethodPost, "https://acme.halopsa.com/auth/token", false},
		{http.MethodPost, "https://acme.halopsa.com/api/Roles", false},
		{http.MethodPost, "https://evil.example.com/auth/token?tenant=acme", false},
		{http.MethodPut, tokenURL, false},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, tt.url, strings.NewReader("x"))
		resp, err := rt.RoundTrip(req)
		if tt.allowed {
			if err != nil {
				t.Errorf("%s %s: %v", tt.method, tt.url, err)
			} else {
				resp.Body.Close()
			}
			continue
		}
		if !errors.Is(err, ErrWriteRefused) {
			t.Errorf("%s %s: err = %v, want ErrWriteRefused", tt.method, tt.url, err)
		}
	}
	if sent.Load() != 1 {
		t.Errorf("sent %d, want 1", sent.Load())
	}
}

func TestUserAgentAndBearer(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	cfg := testConfig(ts, newFakeClock())
	cfg.Version = "v0.1.0"
	client := newTestClient(t, cfg)
	if _, err := Collect(context.Background(), client, Plan{Keywords: profileKeywords}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range ts.Requests() {
		if ua := r.Header.Get("User-Agent"); ua != "halolint/v0.1.0" {
			t.Errorf("%s %s: User-Agent %q", r.Method, r.Path, ua)
		}
		// The bearer token on every data request, never on discovery or
		// the token request itself.
		wantAuth := r.Path != "/api/authinfo" && r.Path != "/auth/token"
		if got := r.Header.Get("Authorization") != ""; got != wantAuth {
			t.Errorf("%s: Authorization header present = %v, want %v", r.Path, got, wantAuth)
		}
	}
}

func TestRedirectToAnotherOriginIsRefused(t *testing.T) {
	t.Parallel()
	other := newTenantServer(t, nil)
	routes := tenantRoutes()
	routes["/api/Control"] = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
	}
	ts := newTenantServer(t, routes)
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	if _, err := client.Control(context.Background()); err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("err = %v, want a refused redirect", err)
	}
	if n := len(other.Requests()); n != 0 {
		t.Errorf("the other origin received %d requests", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The API stack (every data request's) takes any URL: the bearer token
// still goes to the instance only, never to another host or in clear text
// to the same one.
func TestBearerTokenGoesToTheInstanceOnly(t *testing.T) {
	t.Parallel()
	other := newTenantServer(t, tenantRoutes())
	ts := newTenantServer(t, tenantRoutes())
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	ctx := context.Background()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, other.URL+"/api/Roles", nil)
	resp, err := client.api.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "refused to send the bearer token") {
		t.Fatalf("err = %v, want a refusal", err)
	}
	for _, r := range other.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("the other host received the token: %s %s", r.Method, r.Path)
		}
	}
	// The instance itself is served as before.
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/Roles", nil)
	resp, err = client.api.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
}
