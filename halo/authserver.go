package halo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// HostedAuthHost is the authorisation server of the instances Halo hosts,
// as two public clients name it. /api/authinfo may name it, or the
// instance's own host; halolint sends the client secret nowhere else
// unless HALO_AUTH_URL says so.
const HostedAuthHost = "auth.haloservicedesk.com"

// TokenServerSource says how the authorisation server was chosen.
type TokenServerSource string

const (
	// TokenServerPinned is HALO_AUTH_URL: the only place the secret goes
	// when it is set; /api/authinfo is not even asked.
	TokenServerPinned TokenServerSource = "HALO_AUTH_URL"
	// TokenServerDiscovered is the auth_url of /api/authinfo, on the
	// instance's own host or on HostedAuthHost.
	TokenServerDiscovered TokenServerSource = "/api/authinfo"
	// TokenServerDefault is {instance}/auth, used when /api/authinfo did
	// not name a usable server.
	TokenServerDefault TokenServerSource = "default"
)

// TokenServer is the authorisation server the client secret is sent to.
type TokenServer struct {
	// URL is the server's base; the token endpoint is URL + "/token".
	URL string
	// Host is URL's host: what the CLI and the report name as the one
	// that received the credentials.
	Host   string
	Source TokenServerSource
	// Hosted is true when Host is HostedAuthHost.
	Hosted bool
	// Note says why /api/authinfo was not used, "" when it was or was not
	// asked.
	Note string

	// answer is /api/authinfo's decoded answer and answerStatus its
	// status (0 when none came), for Diagnose.
	answer       any
	answerStatus int
}

// Describe is the host and why it was chosen, for a line such as
// "credentials sent to acme.halopsa.com (the instance's own host, named by
// /api/authinfo)".
func (s TokenServer) Describe() string {
	switch {
	case s.Source == TokenServerPinned:
		return s.Host + " (set by HALO_AUTH_URL)"
	case s.Source == TokenServerDefault:
		return s.Host + " (the instance's own host: /api/authinfo named no usable server, so the default " + s.URL + ")"
	case s.Hosted:
		return s.Host + " (HaloPSA's hosted authorisation server, named by /api/authinfo)"
	}
	return s.Host + " (the instance's own host, named by /api/authinfo)"
}

// UntrustedAuthServerError is an authorisation server, named by
// /api/authinfo, that is neither on the instance's own host nor HaloPSA's
// hosted one. Nothing was sent to it: an unauthenticated answer must not
// decide where the client secret goes.
type UntrustedAuthServerError struct {
	// AuthURL is the server as /api/authinfo names it, shortened.
	AuthURL string
	// Host is its host, shortened.
	Host string
	// Instance is the instance's host.
	Instance string
}

func (e *UntrustedAuthServerError) Error() string {
	return fmt.Sprintf("/api/authinfo names the authorisation server %s, which is neither the instance's own host %s nor HaloPSA's hosted %s: "+
		"the client secret was not sent; if %s is your authorisation server (Configuration > Integrations > HaloPSA API > API Details), set HALO_AUTH_URL=%s",
		e.AuthURL, e.Instance, HostedAuthHost, e.Host, e.AuthURL)
}

// TokenServer is the authorisation server chosen by the first Authorize,
// false before one has been chosen. It is set before the token request, so
// a refused credential still says where it went.
func (c *Client) TokenServer() (TokenServer, bool) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.server == nil {
		return TokenServer{}, false
	}
	return *c.server, true
}

// CredentialsSentTo is the host the client secret was sent to, "" when it
// was sent nowhere yet.
func (c *Client) CredentialsSentTo() string {
	if s, ok := c.TokenServer(); ok {
		return s.Host
	}
	return ""
}

// chooseTokenServer picks where the client secret goes: HALO_AUTH_URL when
// set, and nothing else; otherwise the auth_url of /api/authinfo when it is
// on the instance's own host or on HostedAuthHost, an error naming it when
// it is elsewhere, and {instance}/auth when /api/authinfo names nothing
// usable. Called with authMu held; the choice is kept for the run.
func (c *Client) chooseTokenServer(ctx context.Context) (TokenServer, error) {
	if c.server != nil {
		return *c.server, nil
	}
	s, err := c.findTokenServer(ctx)
	if err != nil {
		return TokenServer{}, err
	}
	c.server = &s
	return s, nil
}

func (c *Client) findTokenServer(ctx context.Context) (TokenServer, error) {
	const endpoint = "/api/authinfo"
	if c.cfg.AuthURL != "" {
		u, err := parseInstanceURL(EnvAuthURL, c.cfg.AuthURL)
		if err != nil {
			return TokenServer{}, err
		}
		return TokenServer{URL: u.String(), Host: u.Host, Source: TokenServerPinned, Hosted: isHostedAuthHost(u)}, nil
	}
	v, err := c.get(ctx, c.plain, endpoint)
	status := http.StatusOK
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		status = apiErr.Status
	} else if err != nil {
		status = 0
	}
	fallback := func(problem string) (TokenServer, error) {
		def := c.base.String() + "/auth"
		return TokenServer{URL: def, Host: c.base.Host, Source: TokenServerDefault,
			Note: fmt.Sprintf("GET %s: %s; used the default %s", endpoint, problem, def), answer: v, answerStatus: status}, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return TokenServer{}, fmt.Errorf("discover the authorisation server: %w", err)
		}
		return fallback(err.Error())
	}
	info, ok := v.(map[string]any)
	if !ok {
		return fallback("the answer is not a JSON object")
	}
	raw := strings.TrimSpace(str(info["auth_url"]))
	if raw == "" {
		return fallback("the answer has no auth_url")
	}
	u, err := parseInstanceURL("auth_url", raw)
	if err != nil {
		// A server must not be able to send the secret somewhere in
		// clear; the default is the instance's own host.
		return fallback("unusable auth_url: " + err.Error())
	}
	hosted := isHostedAuthHost(u)
	if !hosted && !sameHost(u, c.base) {
		return TokenServer{}, &UntrustedAuthServerError{
			AuthURL: shortened(u.String(), 200), Host: shortened(u.Host, 100), Instance: c.base.Host,
		}
	}
	return TokenServer{URL: u.String(), Host: u.Host, Source: TokenServerDiscovered, Hosted: hosted, answer: v, answerStatus: status}, nil
}

// isHostedAuthHost reports HaloPSA's hosted authorisation server, over
// https on its default port.
func isHostedAuthHost(u *url.URL) bool {
	return u.Scheme == "https" && strings.EqualFold(strings.TrimSuffix(u.Hostname(), "."), HostedAuthHost) &&
		(u.Port() == "" || u.Port() == "443")
}

// sameHost reports whether a and b name the same host and port (the
// scheme's default port when none is written), whatever the case.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(strings.TrimSuffix(a.Hostname(), "."), strings.TrimSuffix(b.Hostname(), ".")) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "http" {
		return "80"
	}
	return "443"
}

// shortened cuts text a server chose to at most n characters, so that a
// hostile answer cannot fill a message.
func shortened(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n]) + "…"
}
