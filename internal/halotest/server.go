package halotest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimitBody is what HaloPSA answers, as text, when the rate limit is
// reached (quoted in public issues). No Retry-After header comes with it.
const RateLimitBody = "Rate Limit Reached - 300 Requests per rolling 5 minute window"

// NotFoundHTML is the body of every 404: an HTML page, as HaloPSA answers an
// unknown path or id.
const NotFoundHTML = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>404 - Page Not Found</title></head>
<body>
<h1>Page Not Found</h1>
<p>Sorry, the page you are looking for could not be found.</p>
</body>
</html>
`

// Resource names of the four lists, as used by Options.Envelope and
// Options.EmptyLists.
const (
	ListRoles        = "roles"
	ListAgents       = "agents"
	ListApplications = "applications"
	ListCategories   = "categories"
)

// Options shape how the server behaves beyond the tenant's data. The zero
// value is a well-behaved server. Path patterns (FailTimes, Forbidden,
// HangPaths, Canned) are lower-case paths without query, such as
// "/api/roles" or "/api/roles/6d0e...", matched exactly after lower-casing
// the request path and trimming a trailing slash; a pattern ending in "/*"
// matches every path below it ("/api/agent/*").
type Options struct {
	// Envelope says, per list resource ("roles", "agents", "applications",
	// "categories"), whether an unpaginated list is answered as an envelope
	// {"<resource>": [...], "record_count": n} (true) or a bare array
	// (false). A resource not in the map takes the default: roles and
	// applications as envelopes, agents and categories as bare arrays.
	// Paginated answers are always envelopes.
	Envelope map[string]bool
	// IgnorePaging names list resources whose endpoint ignores pageinate,
	// page_size and page_no and answers the whole list in its unpaginated
	// shape (see Envelope), as an endpoint without paging does: the bare
	// arrays of /api/Agent and /api/Category reach a paging client only
	// this way.
	IgnorePaging []string
	// RateLimit is the number of requests accepted within RateWindow (a
	// rolling window); the next one is answered 429 with RateLimitBody and
	// no Retry-After. 0 means no limit. Every request counts, the token
	// endpoint and authinfo included; a request answered 429 does not,
	// unless RateCountRejected is set.
	RateLimit         int
	RateWindow        time.Duration // default 5 minutes
	RateCountRejected bool
	// Now is the clock of the rate window and of token expiry (default
	// time.Now).
	Now func() time.Time
	// FailTimes answers 500 this many times to requests matching a path
	// pattern, before behaving normally. Injected faults come before
	// authentication, so the token endpoint can fail too.
	FailTimes map[string]int
	// Forbidden path patterns answer 403 to an authenticated request.
	Forbidden []string
	// EmptyLists answers these list resources with an empty list, as
	// HaloPSA does to an agent that may not see them (200, not 403).
	EmptyLists []string
	// Canned answers an authenticated request matching a path pattern
	// with a fixed response: HTML, truncated JSON, the wrong shape, a huge
	// body.
	Canned map[string]Canned
	// Latency is added to every response.
	Latency time.Duration
	// PageCap is the largest page_size honoured (default 100).
	PageCap int
	// DisableAuthInfo makes /api/authinfo answer 404, to test the fallback.
	DisableAuthInfo bool
	// HangPaths never answer until the request's context ends (or the
	// server closes).
	HangPaths []string
	// TokenLifetime is the life of issued tokens (default one hour); it is
	// what expires_in says.
	TokenLifetime time.Duration
	// ControlAsArray answers /api/Control as a one-element array.
	ControlAsArray bool
}

// Canned is a fixed response.
type Canned struct {
	Status      int    // default 200
	ContentType string // default application/json
	Body        []byte
}

// Request is one request the server received.
type Request struct {
	Time     time.Time
	Method   string
	Path     string // as sent, not lower-cased
	RawQuery string
	// Status is the status answered, 0 when no answer was sent (a hang).
	Status int
	// Authorized is true when the request carried a valid bearer token.
	Authorized bool
	// ClientID is the client the bearer token was issued to, if any.
	ClientID  string
	UserAgent string
}

// Server is a fake HaloPSA instance.
type Server struct {
	// URL is the base URL ("http://127.0.0.1:port") when started with
	// New; empty for a server made with NewHandler.
	URL string

	ts   *httptest.Server
	opts Options
	now  func() time.Time
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	tenant   *Tenant
	requests []*Request
	tokens   map[string]token
	issued   []string
	window   []time.Time
	failLeft map[string]int
}

type token struct {
	clientID string
	scope    string
	expires  time.Time
}

// New starts a server for t on 127.0.0.1. The server works on a copy of t.
// The caller closes it.
func New(t *Tenant, opts Options) *Server {
	s := NewHandler(t, opts)
	s.ts = httptest.NewServer(s.Handler())
	s.URL = s.ts.URL
	return s
}

// NewTLS is New over HTTPS with httptest's self-signed certificate; only
// Client() trusts it, so it also serves TLS-failure tests.
func NewTLS(t *Tenant, opts Options) *Server {
	s := NewHandler(t, opts)
	s.ts = httptest.NewTLSServer(s.Handler())
	s.URL = s.ts.URL
	return s
}

// NewHandler makes a server without starting it, for callers that serve
// Handler on their own listener (`halolint demo`). The URLs it announces
// (authinfo's auth_url) follow the Host of each request.
func NewHandler(t *Tenant, opts Options) *Server {
	if opts.PageCap <= 0 {
		opts.PageCap = 100
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = 5 * time.Minute
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		opts:     opts,
		now:      now,
		done:     make(chan struct{}),
		tenant:   t.Clone(),
		tokens:   map[string]token{},
		failLeft: map[string]int{},
	}
	for p, n := range opts.FailTimes {
		s.failLeft[strings.ToLower(p)] = n
	}
	return s
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Close stops the server: hanging and delayed requests end at once.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	if s.ts != nil {
		s.ts.Close()
	}
}

// Requests returns every request received, in order of arrival.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// IssuedTokens returns every access token issued so far, for leak tests.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func cleanPath(p string) string {
	p = strings.ToLower(p)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p
}

func matchPath(pattern, path string) bool {
	pattern = strings.ToLower(pattern)
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(path, prefix+"/")
	}
	return cleanPath(pattern) == path
}

func matchAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if matchPath(p, path) {
			return true
		}
	}
	return false
}

func (s *Server) serve(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	path := cleanPath(r.URL.Path)

	s.mu.Lock()
	tok, authorized := s.bearer(r)
	rec := &Request{
		Time:       s.now(),
		Method:     r.Method,
		Path:       r.URL.Path,
		RawQuery:   r.URL.RawQuery,
		Authorized: authorized,
		ClientID:   tok.clientID,
		UserAgent:  r.UserAgent(),
	}
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		rec.Status = w.status
		s.mu.Unlock()
	}()

	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			return
		}
	}

	if s.rateLimited() {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, RateLimitBody)
		return
	}
	if matchAny(s.opts.HangPaths, path) {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if s.injectFailure(path) {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "An error has occurred."})
		return
	}

	switch {
	case path == "/auth/token":
		s.serveToken(w, r)
	case path == "/api/authinfo":
		if s.opts.DisableAuthInfo {
			notFound(w)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, r)
			return
		}
		s.mu.Lock()
		tenantID := s.tenant.TenantID
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"auth_url":  baseURL(r) + "/auth",
			"tenant_id": tenantID,
		})
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, r)
			return
		}
		if !authorized {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
			return
		}
		if matchAny(s.opts.Forbidden, path) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, "You do not have permission to access this resource.")
			return
		}
		if c, ok := s.canned(path); ok {
			writeCanned(w, c)
			return
		}
		// Build the answer under the lock, send it without.
		rr := httptest.NewRecorder()
		s.mu.Lock()
		s.serveAPI(rr, r, path, tok)
		s.mu.Unlock()
		for k, v := range rr.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rr.Code)
		_, _ = w.Write(rr.Body.Bytes())
	default:
		notFound(w)
	}
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// bearer reports the token of the request, if valid. Called with s.mu held.
func (s *Server) bearer(r *http.Request) (token, bool) {
	h := r.Header.Get("Authorization")
	scheme, value, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return token{}, false
	}
	t, ok := s.tokens[strings.TrimSpace(value)]
	if !ok || !s.now().Before(t.expires) {
		return token{}, false
	}
	return t, true
}

// rateLimited counts the request against the rolling window and reports
// whether it is over the limit.
func (s *Server) rateLimited() bool {
	if s.opts.RateLimit <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	cut := now.Add(-s.opts.RateWindow)
	i := 0
	for i < len(s.window) && !s.window[i].After(cut) {
		i++
	}
	s.window = s.window[i:]
	over := len(s.window) >= s.opts.RateLimit
	if !over || s.opts.RateCountRejected {
		s.window = append(s.window, now)
	}
	return over
}

// injectFailure spends one injected 500 of the pattern that matches path,
// an exact pattern before a wildcard one.
func (s *Server) injectFailure(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.failLeft[path]; n > 0 {
		s.failLeft[path] = n - 1
		return true
	}
	for p, n := range s.failLeft {
		if n > 0 && matchPath(p, path) {
			s.failLeft[p] = n - 1
			return true
		}
	}
	return false
}

// canned finds the canned answer for path, an exact pattern before a
// wildcard one.
func (s *Server) canned(path string) (Canned, bool) {
	for p, c := range s.opts.Canned {
		if cleanPath(p) == path {
			return c, true
		}
	}
	for p, c := range s.opts.Canned {
		if matchPath(p, path) {
			return c, true
		}
	}
	return Canned{}, false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func writeCanned(w http.ResponseWriter, c Canned) {
	ct := c.ContentType
	if ct == "" {
		ct = "application/json; charset=utf-8"
	}
	st := c.Status
	if st == 0 {
		st = http.StatusOK
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(st)
	_, _ = w.Write(c.Body)
}

func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, NotFoundHTML)
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET")
	writeJSON(w, http.StatusMethodNotAllowed, map[string]any{
		"message": fmt.Sprintf("The requested resource does not support http method '%s'.", r.Method),
	})
}

// oauthError answers in the OAuth 2 error format.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]any{"error": code, "error_description": description})
}

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, r)
		return
	}
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the token request must be form-encoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the request body could not be read")
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported", gt))
		return
	}

	// Client authentication: HTTP Basic (RFC 6749 §2.3.1, the values
	// form-encoded first) or client_id and client_secret in the body.
	clientID, secret, basic := r.BasicAuth()
	if basic {
		if v, err := url.QueryUnescape(clientID); err == nil {
			clientID = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
	} else {
		clientID, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if clientID == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_id is required")
		return
	}
	tenant := r.URL.Query().Get("tenant")
	if tenant == "" {
		tenant = r.PostForm.Get("tenant")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var cred *Credential
	for i := range s.tenant.Credentials {
		if s.tenant.Credentials[i].ClientID == clientID {
			cred = &s.tenant.Credentials[i]
		}
	}
	status := http.StatusUnauthorized
	if !basic {
		status = http.StatusBadRequest
	}
	if cred == nil || cred.ClientSecret != secret {
		oauthError(w, status, "invalid_client", "the client ID or client secret is not valid")
		return
	}
	if cred.Tenant != "" && !strings.EqualFold(cred.Tenant, tenant) {
		msg := "this client requires a tenant: add ?tenant=<name> to the token URL"
		if tenant != "" {
			msg = fmt.Sprintf("tenant %q is not valid for this client", tenant)
		}
		oauthError(w, http.StatusBadRequest, "invalid_client", msg)
		return
	}
	app := s.tenant.Application(clientID)
	if app != nil {
		if inactive, _ := AsBool(app["inactive"]); inactive {
			oauthError(w, status, "invalid_client", "the application is not active")
			return
		}
	}
	allowed := cred.Scopes
	if len(allowed) == 0 && app != nil {
		allowed = scopeNames(app)
	}
	requested := strings.Fields(r.PostForm.Get("scope"))
	for _, sc := range requested {
		if !knownScope(sc) {
			oauthError(w, http.StatusBadRequest, "invalid_scope", fmt.Sprintf("unknown scope %q", sc))
			return
		}
		if len(allowed) > 0 && !contains(allowed, sc) {
			oauthError(w, http.StatusBadRequest, "invalid_scope", fmt.Sprintf("scope %q is not granted to this application", sc))
			return
		}
	}
	granted := requested
	if len(granted) == 0 {
		granted = allowed
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	access := "halotest-TOKEN-" + hex.EncodeToString(b)
	scope := strings.Join(granted, " ")
	s.tokens[access] = token{clientID: clientID, scope: scope, expires: s.now().Add(s.opts.TokenLifetime)}
	s.issued = append(s.issued, access)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   int(s.opts.TokenLifetime / time.Second),
		"scope":        scope,
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scopeNames reads an application's scopes: [{"name": ...}] or strings.
func scopeNames(app map[string]any) []string {
	var out []string
	list, _ := app["scopes"].([]any)
	for _, x := range list {
		switch x := x.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if n, ok := x["name"].(string); ok {
				out = append(out, n)
			}
		}
	}
	return out
}

// queryTrue reports whether a query parameter (any case of name) is "true".
func queryTrue(q url.Values, name string) bool {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 && strings.EqualFold(v[0], "true") {
			return true
		}
	}
	return false
}

func queryGet(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// serveAPI answers an authenticated GET below /api. Called with s.mu held.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string, tok token) {
	parts := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	q := r.URL.Query()
	details := queryTrue(q, "includedetails")
	t := s.tenant

	if len(parts) == 1 {
		switch parts[0] {
		case "roles":
			s.writeList(w, q, ListRoles, summaries(t.Roles, ListRoles, false))
		case "agent":
			var list []map[string]any
			for _, a := range t.Agents {
				if api, _ := AsBool(a["isapiagent"]); api && !queryTrue(q, "includeapiagents") {
					continue
				}
				if dis, _ := AsBool(a["isdisabled"]); dis && !queryTrue(q, "includedisabled") {
					continue
				}
				list = append(list, summary(a, ListAgents, !queryTrue(q, "includeroles")))
			}
			s.writeList(w, q, ListAgents, list)
		case "application":
			s.writeList(w, q, ListApplications, summaries(t.Applications, ListApplications, false))
		case "category":
			var list []map[string]any
			want := queryGet(q, "type_id")
			for _, c := range t.Categories {
				if want != "" {
					n, _ := AsInt(c["type_id"])
					if strconv.Itoa(n) != want {
						continue
					}
				}
				list = append(list, c)
			}
			s.writeList(w, q, ListCategories, list)
		case "control":
			c := t.ControlObject()
			if s.opts.ControlAsArray {
				writeJSON(w, http.StatusOK, []any{c})
				return
			}
			writeJSON(w, http.StatusOK, c)
		default:
			notFound(w)
		}
		return
	}
	if len(parts) != 2 || parts[1] == "" {
		notFound(w)
		return
	}
	id := parts[1]
	var obj map[string]any
	var resource string
	switch parts[0] {
	case "roles":
		resource = ListRoles
		for _, x := range t.Roles {
			if s, _ := x["id"].(string); strings.EqualFold(s, id) {
				obj = x
			}
		}
	case "agent":
		resource = ListAgents
		n, err := strconv.Atoi(id)
		if id == "me" {
			if app := t.Application(tok.clientID); app != nil {
				n, _ = AsInt(app["loginas_agent_id"])
				err = nil
			}
		}
		if err == nil && n != 0 {
			obj = t.Agent(n)
		}
	case "application":
		resource = ListApplications
		for _, x := range t.Applications {
			if s, _ := x["id"].(string); strings.EqualFold(s, id) {
				obj = x
			}
		}
	case "category":
		resource = ListCategories
		if n, err := strconv.Atoi(id); err == nil {
			for _, x := range t.Categories {
				if m, _ := AsInt(x["id"]); m == n {
					obj = x
				}
			}
		}
	}
	if obj == nil {
		notFound(w)
		return
	}
	if details || resource == ListCategories {
		writeJSON(w, http.StatusOK, obj)
		return
	}
	writeJSON(w, http.StatusOK, summary(obj, resource, false))
}

func summaries(list []map[string]any, resource string, dropRoles bool) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		out = append(out, summary(x, resource, dropRoles))
	}
	return out
}

// summary is obj without its detail-only fields (a shallow copy).
func summary(obj map[string]any, resource string, dropRoles bool) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = v
	}
	for _, k := range DetailOnlyFields[resource] {
		delete(out, k)
	}
	if resource == ListRoles {
		for k := range out {
			if strings.HasPrefix(k, "ac_") {
				delete(out, k)
			}
		}
	}
	if dropRoles {
		delete(out, "roles")
	}
	return out
}

func (s *Server) envelope(resource string) bool {
	if v, ok := s.opts.Envelope[resource]; ok {
		return v
	}
	return resource == ListRoles || resource == ListApplications
}

// writeList answers a list in the resource's shape, paginated when asked.
// Called with s.mu held.
func (s *Server) writeList(w http.ResponseWriter, q url.Values, resource string, list []map[string]any) {
	if contains(s.opts.EmptyLists, resource) {
		list = nil
	}
	if list == nil {
		list = []map[string]any{}
	}
	if queryTrue(q, "pageinate") && !contains(s.opts.IgnorePaging, resource) {
		size, err := strconv.Atoi(queryGet(q, "page_size"))
		if err != nil || size <= 0 {
			size = 50
		}
		size = min(size, s.opts.PageCap)
		page, err := strconv.Atoi(queryGet(q, "page_no"))
		if err != nil || page < 1 {
			page = 1
		}
		total := len(list)
		lo := min((page-1)*size, total)
		hi := min(lo+size, total)
		writeJSON(w, http.StatusOK, map[string]any{
			"page_no":      page,
			"page_size":    size,
			"record_count": total,
			resource:       list[lo:hi],
		})
		return
	}
	if s.envelope(resource) {
		writeJSON(w, http.StatusOK, map[string]any{"record_count": len(list), resource: list})
		return
	}
	writeJSON(w, http.StatusOK, list)
}
