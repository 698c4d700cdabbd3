package sampleserver

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// token is an access token the server issued.
type token struct {
	clientID string
	expires  time.Time
}

// Authorized reports whether r carries a bearer token this server issued
// that has not expired, and the client it was issued to.
func (s *Server) Authorized(r *http.Request) (clientID string, ok bool) {
	t, ok := s.bearer(r)
	return t.clientID, ok
}

// bearer returns the request's token, if valid.
func (s *Server) bearer(r *http.Request) (token, bool) {
	h := r.Header.Get("Authorization")
	scheme, value, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return token{}, false
	}
	s.mu.Lock()
	t, ok := s.tokens[strings.TrimSpace(value)]
	s.mu.Unlock()
	if !ok || !s.now().Before(t.expires) {
		return token{}, false
	}
	return t, true
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
		if s.opts.KnownScope != nil && !s.opts.KnownScope(sc) {
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
	// Every token carries the marker "TOKEN-", so that leak tests can
	// search for it (cmd/halolint's snapshot script also greps for the
	// whole prefix).
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	access := "halotest-TOKEN-" + hex.EncodeToString(b)
	s.mu.Lock()
	s.tokens[access] = token{clientID: clientID, expires: s.now().Add(s.opts.TokenLifetime)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access,
		"token_type":   "Bearer",
		"expires_in":   int(s.opts.TokenLifetime / time.Second),
		"scope":        strings.Join(granted, " "),
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
