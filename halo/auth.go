package halo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// authorization is the outcome of Authorize: where tokens come from, and
// the current one.
type authorization struct {
	tokenURL string
	// server is where tokenURL is, and why (authserver.go).
	server TokenServer

	conf        *clientcredentials.Config
	tokenClient *http.Client
	// secrets is the client's: every token received joins it.
	secrets *knownSecrets

	mu       sync.Mutex
	token    *oauth2.Token
	lifetime lifetimeFloor
}

// Authorize finds the authorisation server and gets the first token, so
// that a refused credential stops the run before any data is read. It is
// called on demand by the first API request; calling it again is free.
// A refused credential is an *AuthError.
func (c *Client) Authorize(ctx context.Context) error {
	_, err := c.authorization(ctx)
	return c.secrets.scrubError(err)
}

// TokenURL is the token endpoint in use, "" before Authorize.
func (c *Client) TokenURL() string {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.auth == nil {
		return ""
	}
	return c.auth.tokenURL
}

// discoveryNote says why /api/authinfo was not used, "" when it was or
// before Authorize.
func (c *Client) discoveryNote() string {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.auth == nil {
		return ""
	}
	return c.auth.server.Note
}

func (c *Client) authorization(ctx context.Context) (*authorization, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.auth != nil {
		return c.auth, nil
	}
	server, err := c.chooseTokenServer(ctx)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("discover the authorisation server: %w", err)
	}
	tokenURL := server.URL + "/token"
	params := url.Values{}
	if c.cfg.Tenant != "" {
		// Halo documents the tenant as a query parameter of the token URL;
		// it is sent in the form as well for servers that read only the
		// body. Both carry the same value.
		tokenURL += "?" + url.Values{"tenant": {c.cfg.Tenant}}.Encode()
		params.Set("tenant", c.cfg.Tenant)
	}
	a := &authorization{
		tokenURL: tokenURL,
		server:   server,
		secrets:  &c.secrets,
		conf: &clientcredentials.Config{
			ClientID:       c.cfg.ClientID,
			ClientSecret:   string(c.cfg.ClientSecret),
			TokenURL:       tokenURL,
			Scopes:         strings.Fields(c.cfg.Scope),
			EndpointParams: params,
			// Halo reads the credentials from the form; an explicit style
			// also avoids the library's probe, a second token request.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		tokenClient: &http.Client{
			Transport:     &tokenOnlyTransport{tokenURL: tokenURL, userAgent: c.userAgent(), next: c.lower},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	err = c.retry(ctx, "token request", func() error {
		_, err := a.currentToken(ctx, c.cfg.ClientID)
		return err
	})
	if err != nil {
		var authErr *AuthError
		if errors.As(err, &authErr) {
			return nil, authErr
		}
		return nil, fmt.Errorf("get a token from %s: %w", tokenURL, err)
	}
	c.auth = a
	return a, nil
}

// currentToken returns a valid token, asking the token endpoint when the
// cached one is missing or about to expire. One caller asks at a time, so
// concurrent requests share one token request.
func (a *authorization) currentToken(ctx context.Context, clientID string) (*oauth2.Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token.Valid() {
		return a.token, nil
	}
	tok, err := a.conf.Token(context.WithValue(ctx, oauth2.HTTPClient, a.tokenClient))
	if err != nil {
		return nil, a.tokenError(err, clientID)
	}
	a.secrets.add(tok.AccessToken)
	a.secrets.add(tok.RefreshToken)
	a.lifetime.floor(tok)
	a.token = tok
	return tok, nil
}

// tokenError turns the library's error into an *AuthError when the server
// refused the credential, a retryable error when it was overloaded, and a
// plain one otherwise. It never wraps *oauth2.RetrieveError, whose message
// includes the raw response body.
func (a *authorization) tokenError(err error, clientID string) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		if isTransientNetworkError(err) {
			return &retryableError{err: err}
		}
		return err
	}
	status := 0
	var header http.Header
	if re.Response != nil {
		status = re.Response.StatusCode
		header = re.Response.Header
	}
	if status == http.StatusTooManyRequests || status >= 500 {
		apiErr := &APIError{Endpoint: urlWithoutQuery(mustParse(a.tokenURL)), Status: status, Message: serverMessage(a.secrets, header, re.Body)}
		return &retryableError{err: apiErr, rateLimited: status == http.StatusTooManyRequests, retryAfter: header.Get("Retry-After")}
	}
	desc := re.ErrorDescription
	if re.ErrorCode == "" && desc == "" {
		desc = serverMessage(a.secrets, header, re.Body)
	}
	return &AuthError{
		TokenURL:    a.tokenURL,
		ClientID:    clientID,
		Status:      status,
		Code:        quoteServerText(a.secrets.scrub(re.ErrorCode)),
		Description: quoteServerText(a.secrets.scrub(desc)),
	}
}

// bearerTransport attaches the token, authorising on first use. Unlike
// oauth2.Transport it fetches tokens with the request's context, so a
// token refresh honours the run's deadline.
type bearerTransport struct {
	client *Client
	next   http.RoundTripper
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// The token is for the instance only, whatever URL the request names
	// (a redirect that slipped through, a future caller's mistake).
	if base := t.client.base; req.URL == nil || req.URL.Scheme != base.Scheme || !strings.EqualFold(req.URL.Host, base.Host) {
		closeBody(req)
		return nil, fmt.Errorf("refused to send the bearer token to %s: it is not the instance %s", urlWithoutQuery(req.URL), base)
	}
	a, err := t.client.authorization(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	tok, err := a.currentToken(req.Context(), t.client.cfg.ClientID)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	authed := req.Clone(req.Context())
	tok.SetAuthHeader(authed)
	resp, err := t.next.RoundTrip(authed)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		// Set before the body is closed, so before this request's
		// in-flight slot is free: no request waiting for that slot, or
		// for any other, is sent with a token the server has refused.
		t.client.refused.Store(true)
	}
	return resp, err
}

func mustParse(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{}
	}
	return u
}
