package halotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

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
