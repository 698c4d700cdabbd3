package halotest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/halolint/halolint/internal/sampleserver"
)

// NotFoundHTML is the body of every 404: an HTML page, as HaloPSA answers an
// unknown path or id.
const NotFoundHTML = sampleserver.NotFoundHTML

// Resource names of the four lists, as used by Options.Envelope,
// Options.IgnorePaging and Options.EmptyLists.
const (
	ListRoles        = sampleserver.ListRoles
	ListAgents       = sampleserver.ListAgents
	ListApplications = sampleserver.ListApplications
	ListCategories   = sampleserver.ListCategories
)

// Options shape how the server behaves beyond the tenant's data. The zero
// value is a well-behaved server: sampleserver's, refusing token requests
// for scopes outside ScopeNames. Envelope, IgnorePaging, EmptyLists,
// PageCap, ControlAsArray, TokenLifetime and Now are passed on to
// sampleserver; the others are the faults this package adds.
//
// Path patterns (FailTimes, Forbidden, HangPaths, Canned) are lower-case
// paths without query, such as "/api/roles" or "/api/roles/6d0e...",
// matched exactly after lower-casing the request path and trimming a
// trailing slash; a pattern ending in "/*" matches every path below it
// ("/api/agent/*").
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
	// Rewrite changes every answer before it is sent (see hostile.go):
	// the same tenant served the way a buggy or hostile instance would.
	Rewrite Rewrite
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

// Server is a fake HaloPSA instance: sampleserver's, behind the faults of
// its Options, recording every request.
type Server struct {
	// URL is the base URL ("http://127.0.0.1:port", or https with NewTLS).
	URL string

	ts   *httptest.Server
	api  *sampleserver.Server
	opts Options
	now  func() time.Time
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	requests []*Request
	issued   []string
	window   []time.Time
	failLeft map[string]int
}

// New starts a server for t on 127.0.0.1. The server works on a copy of t.
// The caller closes it.
func New(t *Tenant, opts Options) *Server {
	s := newServer(t, opts)
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	return s
}

// NewTLS is New over HTTPS with httptest's self-signed certificate, which
// no client trusts unless told to: it also serves TLS-failure tests.
func NewTLS(t *Tenant, opts Options) *Server {
	s := newServer(t, opts)
	s.ts = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL
	return s
}

func newServer(t *Tenant, opts Options) *Server {
	if opts.RateWindow <= 0 {
		opts.RateWindow = 5 * time.Minute
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		api: sampleserver.New(t.served(), sampleserver.Options{
			Envelope:       opts.Envelope,
			IgnorePaging:   opts.IgnorePaging,
			EmptyLists:     opts.EmptyLists,
			PageCap:        opts.PageCap,
			ControlAsArray: opts.ControlAsArray,
			TokenLifetime:  opts.TokenLifetime,
			Now:            opts.Now,
			KnownScope:     knownScope,
		}),
		opts:     opts,
		now:      now,
		done:     make(chan struct{}),
		failLeft: map[string]int{},
	}
	for p, n := range opts.FailTimes {
		s.failLeft[strings.ToLower(p)] = n
	}
	return s
}

// Close stops the server: hanging and delayed requests end at once.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	s.ts.Close()
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

func (s *Server) serve(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	path := cleanPath(r.URL.Path)

	clientID, authorized := s.api.Authorized(r)
	rec := &Request{
		Time:       s.now(),
		Method:     r.Method,
		Path:       r.URL.Path,
		RawQuery:   r.URL.RawQuery,
		Authorized: authorized,
		ClientID:   clientID,
		UserAgent:  r.UserAgent(),
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		rec.Status = w.status
		s.mu.Unlock()
	}()

	// Faults that come before anything else, authentication included.
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
		writeCanned(w, rateLimitAnswer)
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
		writeCanned(w, failureAnswer)
		return
	}
	if path == "/api/authinfo" && s.opts.DisableAuthInfo {
		writeCanned(w, notFoundAnswer)
		return
	}
	// Faults only an authenticated read of the API meets; a write (405)
	// and a missing or bad token (401) are sampleserver's to answer.
	readsData := (path == "/api" || strings.HasPrefix(path, "/api/")) && path != "/api/authinfo"
	if readsData && authorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		if matchAny(s.opts.Forbidden, path) {
			writeCanned(w, forbiddenAnswer)
			return
		}
		if c, ok := s.canned(path); ok {
			writeCanned(w, c)
			return
		}
	}

	if path != "/auth/token" && s.opts.Rewrite == nil {
		s.api.ServeHTTP(w, r)
		return
	}
	// The token endpoint's answer is held back until its token is
	// recorded: no client holds a token IssuedTokens does not list.
	rr := httptest.NewRecorder()
	s.api.ServeHTTP(rr, r)
	var answer struct {
		AccessToken string `json:"access_token"`
	}
	if path == "/auth/token" && rr.Code == http.StatusOK && json.Unmarshal(rr.Body.Bytes(), &answer) == nil && answer.AccessToken != "" {
		s.mu.Lock()
		s.issued = append(s.issued, answer.AccessToken)
		s.mu.Unlock()
	}
	a := &Answer{Path: path, Query: r.URL.Query(), Status: rr.Code, Header: rr.Header().Clone(), Body: rr.Body.Bytes()}
	if s.opts.Rewrite != nil {
		s.opts.Rewrite(a)
	}
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}
