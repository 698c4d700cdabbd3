package halo

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// minTokenLifetime floors how long a token is used. A token server that
// says its tokens last 0 seconds, a negative time or a few seconds would
// otherwise make every API request ask for a new token first, spending
// the instance's shared budget twice over. Halo's tokens last an hour;
// a token that really expires sooner is answered 401, which stops the run
// with an error, never with a pass.
const minTokenLifetime = time.Minute

// lifetimeFloor remembers, for the collection's notices, that a token's
// lifetime was floored. It is guarded by authorization.mu.
type lifetimeFloor struct {
	note string
}

// floor gives tok at least minTokenLifetime when the server's expires_in
// says less (oauth2 reads 0 as "never expires" and a negative value as
// "already expired"). An answer without expires_in keeps oauth2's reading.
func (f *lifetimeFloor) floor(tok *oauth2.Token) {
	raw := tok.Extra("expires_in")
	if raw == nil {
		return
	}
	secs, ok := integer(raw)
	if ok && time.Duration(secs)*time.Second >= minTokenLifetime {
		return
	}
	tok.Expiry = time.Now().Add(minTokenLifetime)
	if f.note == "" {
		said := strings.TrimSpace(claimValue(raw))
		if len(said) > 20 {
			said = said[:20] + "…"
		}
		f.note = fmt.Sprintf("the token server says its tokens last expires_in %s seconds: halolint uses each token for %s rather than ask for a new one before every request (a token that expires sooner is refused with 401, which stops the run)",
			said, minTokenLifetime)
	}
}

// tokenLifetimeNote says the token's lifetime was floored, "" when it was
// not (or before Authorize).
func (c *Client) tokenLifetimeNote() string {
	c.authMu.Lock()
	a := c.auth
	c.authMu.Unlock()
	if a == nil {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lifetime.note
}
