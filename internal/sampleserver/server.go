// Package sampleserver serves a HaloPSA tenant over HTTP the way HaloPSA's
// REST API answers: discovery through /api/authinfo, the OAuth token
// endpoint with its credential and tenant checks, bearer tokens, lists as
// bare arrays or envelopes with a capped page size, API-only and disabled
// agents hidden unless asked for, details only with includedetails=true,
// secrets in application, agent and settings objects, and HTML 404 pages.
// docs/halo-api.md describes the API it imitates and what of it is known.
//
// `halolint demo` serves the bundled sample tenant (Sample) with it on a
// loopback port. The test fake, internal/halotest, builds on it and adds
// fault injection; nothing here fails on purpose.
package sampleserver

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
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

// Options choose among the answers HaloPSA may give where its behaviour is
// not documented or depends on the caller. The zero value answers in the
// shapes halolint most expects.
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
	// EmptyLists answers these list resources with an empty list, as
	// HaloPSA does to an agent that may not see them (200, not 403).
	EmptyLists []string
	// PageCap is the largest page_size honoured (default 100).
	PageCap int
	// ControlAsArray answers /api/Control as a one-element array.
	ControlAsArray bool
	// TokenLifetime is the life of issued tokens (default one hour); it is
	// what expires_in says.
	TokenLifetime time.Duration
	// Now is the clock of token expiry (default time.Now).
	Now func() time.Time
	// KnownScope says which scope names exist: a token request naming any
	// other is answered invalid_scope, as HaloPSA does. When nil every name
	// is accepted, and only the scopes granted to the application limit
	// what a token may have.
	KnownScope func(name string) bool
}

// Server is a HaloPSA instance serving one tenant. Its http.Handler is the
// server itself; Start also serves it on a loopback port.
type Server struct {
	// URL is the base URL ("http://127.0.0.1:port") when started with
	// Start, empty otherwise.
	URL string

	opts   Options
	now    func() time.Time
	tenant *Tenant // a copy, never changed
	hs     *http.Server

	mu     sync.Mutex
	tokens map[string]token
}

// New makes a server for t without starting it. The server works on a
// copy of t. The URLs it announces (authinfo's auth_url) follow the Host
// of each request, so it can be served on any listener.
func New(t *Tenant, opts Options) *Server {
	if opts.PageCap <= 0 {
		opts.PageCap = 100
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Server{
		opts:   opts,
		now:    now,
		tenant: t.clone(),
		tokens: map[string]token{},
	}
}

// Start serves a New server for t on a loopback port, over plain HTTP,
// until Close.
func Start(t *Tenant, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			return nil, fmt.Errorf("sampleserver: listen on a loopback port: %w", err)
		}
	}
	s := New(t, opts)
	s.URL = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// Close stops a server started with Start, at once; it does nothing to
// one made with New.
func (s *Server) Close() {
	if s.hs != nil {
		_ = s.hs.Close()
	}
}

// ServeHTTP answers one request as HaloPSA would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := cleanPath(r.URL.Path)
	switch {
	case path == "/auth/token":
		s.serveToken(w, r)
	case path == "/api/authinfo":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, r)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"auth_url":  baseURL(r) + "/auth",
			"tenant_id": s.tenant.TenantID,
		})
	case path == "/api" || strings.HasPrefix(path, "/api/"):
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, r)
			return
		}
		tok, ok := s.bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Authorization has been denied for this request."})
			return
		}
		s.serveAPI(w, r, path, tok)
	default:
		notFound(w)
	}
}

// cleanPath lower-cases a path and trims its trailing slashes: HaloPSA's
// paths are case-insensitive.
func cleanPath(p string) string {
	p = strings.ToLower(p)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p
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
