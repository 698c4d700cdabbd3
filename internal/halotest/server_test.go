package halotest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

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

// The options passed on reach sampleserver, whose tests cover what each
// does.
func TestOptionsReachTheAPI(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tn := sample(t)
	s := start(t, tn, Options{
		Envelope:       map[string]bool{ListCategories: true},
		IgnorePaging:   []string{ListRoles},
		EmptyLists:     []string{ListApplications},
		PageCap:        2,
		ControlAsArray: true,
		TokenLifetime:  time.Minute,
		Now:            clock,
	})
	a := tokenRequest(t, s, "", auditorForm("admin"))
	if m := a.json(t).(map[string]any); m["expires_in"] != float64(60) {
		t.Errorf("TokenLifetime: %s", a.body)
	}
	tok := login(t, s)
	if _, env, _ := list(t, get(t, s, "/api/Category?type_id=1", tok)); !env {
		t.Error("Envelope: categories are bare")
	}
	if items, _, _ := list(t, get(t, s, "/api/Roles?pageinate=true&page_size=1&page_no=1", tok)); len(items) != len(tn.Roles) {
		t.Errorf("IgnorePaging: %d roles of %d", len(items), len(tn.Roles))
	}
	if items, _, n := list(t, get(t, s, "/api/Application", tok)); len(items) != 0 || n != 0 {
		t.Errorf("EmptyLists: %d applications", len(items))
	}
	if items, _, _ := list(t, get(t, s, "/api/Agent?pageinate=true&page_size=100", tok)); len(items) != 2 {
		t.Errorf("PageCap 2: %d agents", len(items))
	}
	if _, ok := get(t, s, "/api/Control", tok).json(t).([]any); !ok {
		t.Error("ControlAsArray: not an array")
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if a := get(t, s, "/api/Roles", tok); a.status != 401 {
		t.Errorf("Now: a token past its lifetime answered %d", a.status)
	}
}

// The token endpoint knows the scope catalog (ScopeNames), even for a
// client that may have any scope.
func TestTokenKnowsTheScopeCatalog(t *testing.T) {
	tn := sample(t)
	tn.Credentials = append(tn.Credentials, Credential{ClientID: "any-scope", ClientSecret: "SECRET-any-scope"})
	s := start(t, tn, Options{})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"any-scope"}, "client_secret": {"SECRET-any-scope"}, "scope": {"read:tickets"}}
	if a := tokenRequest(t, s, "", form); a.status != 200 {
		t.Errorf("known scope: %d %s", a.status, a.body)
	}
	form.Set("scope", "read:everything")
	if a := tokenRequest(t, s, "", form); a.status != 400 || !strings.Contains(string(a.body), "invalid_scope") {
		t.Errorf("unknown scope: %d %s", a.status, a.body)
	}
}

func TestDisableAuthInfo(t *testing.T) {
	s := start(t, sample(t), Options{DisableAuthInfo: true})
	a := get(t, s, "/api/authinfo", "")
	if a.status != 404 || !strings.Contains(string(a.body), "<html") {
		t.Errorf("disabled authinfo: %d %.100s", a.status, a.body)
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
