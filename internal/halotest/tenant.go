// Package halotest is the tests' fake HaloPSA server, driven by fixtures.
// It serves a Tenant through internal/sampleserver, which answers as
// HaloPSA's API does (docs/halo-api.md), and adds what tests need beyond a
// well-behaved instance: a rolling rate limit answered with 429 and no
// Retry-After, injected 500s, 403s, canned hostile answers (HTML,
// truncated JSON, the wrong shape, huge bodies), hanging paths, latency, a
// missing /api/authinfo, HTTPS with a certificate nobody trusts, and a
// record of every request and every token issued.
//
// Every secret in a fixture contains one of the markers in SecretMarkers, so
// a test can prove that none reaches an output: see Tenant.Secrets.
package halotest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/halolint/halolint/internal/sampleserver"
)

// SecretMarkers are the substrings every secret value of a fixture contains
// (client secrets, passwords, tokens, keys). ParseTenant refuses a fixture
// with a secret-looking field whose value lacks one, so that leak tests
// built on Tenant.Secrets cannot miss a secret.
var SecretMarkers = []string{"SECRET-", "TOKEN-"}

// Credential is a client ID and secret that the token endpoint accepts.
type Credential = sampleserver.Credential

// Tenant is a fixture: the objects as HaloPSA's API returns them in detail
// (raw JSON objects), plus the credentials the token endpoint accepts (see
// sampleserver.Tenant, the same type with the server's own methods).
type Tenant sampleserver.Tenant

// served is t as the server sees it.
func (t *Tenant) served() *sampleserver.Tenant { return (*sampleserver.Tenant)(t) }

// ParseTenant decodes and checks a fixture. Numbers are kept as json.Number
// so that the server answers them exactly as written.
func ParseTenant(data []byte) (*Tenant, error) {
	st, err := sampleserver.DecodeTenant(data)
	if err != nil {
		return nil, fmt.Errorf("halotest: fixture: %w", err)
	}
	t := (*Tenant)(st)
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks what the server relies on (sampleserver's
// Tenant.Problems: ids, names, client IDs, complete credentials), that
// every credential's scopes are known (ScopeNames), and that every
// secret-looking value is marked (SecretMarkers).
func (t *Tenant) Validate() error {
	errs := t.served().Problems()
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	for i, c := range t.Credentials {
		if !hasMarker(c.ClientSecret) {
			bad("credentials[%d]: client_secret must contain a secret marker (%s)", i, strings.Join(SecretMarkers, " or "))
		}
		for _, s := range c.Scopes {
			if !knownScope(s) {
				bad("credentials[%d]: unknown scope %q", i, s)
			}
		}
	}
	walkSecrets("roles", t.Roles, bad)
	walkSecrets("agents", t.Agents, bad)
	walkSecrets("applications", t.Applications, bad)
	walkSecrets("categories", t.Categories, bad)
	walkSecrets("control", []map[string]any{t.Control}, bad)
	if len(errs) > 0 {
		return fmt.Errorf("halotest: invalid fixture %q: %s", t.Name, strings.Join(errs, "; "))
	}
	return nil
}

// SecretLikeKey reports whether a field name looks like it holds a secret,
// the same rule halolint's redaction applies as a second guard.
func SecretLikeKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"secret", "password", "token", "key"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func hasMarker(s string) bool {
	for _, m := range SecretMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// walkSecrets reports secret-looking string fields with an unmarked value.
func walkSecrets(what string, objs []map[string]any, bad func(string, ...any)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && s != "" && SecretLikeKey(k) && !hasMarker(s) {
					bad("%s.%s: a secret-looking value must contain a secret marker", path, k)
				}
				walk(path+"."+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	for i, o := range objs {
		walk(fmt.Sprintf("%s[%d]", what, i), o)
	}
}

// Marshal encodes t as an indented fixture.
func (t *Tenant) Marshal() ([]byte, error) {
	return json.MarshalIndent(t, "", "  ")
}

// ControlObject is the object /api/Control answers: the built-in settings
// (with their secrets) overlaid with t.Control.
func (t *Tenant) ControlObject() map[string]any { return t.served().ControlObject() }

// Secrets returns every secret the server can reveal for t, sorted: the
// credentials' client secrets and every string in the served objects that
// contains a secret marker. Tokens the server issues are not included: see
// Server.IssuedTokens (they contain "TOKEN-" too).
func (t *Tenant) Secrets() []string {
	set := map[string]bool{}
	for _, c := range t.Credentials {
		set[c.ClientSecret] = true
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if hasMarker(v) {
				set[v] = true
			}
		}
	}
	walk(t.Roles)
	walk(t.Agents)
	walk(t.Applications)
	walk(t.Categories)
	walk(t.ControlObject())
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Application returns the application whose clientId is clientID, or nil.
func (t *Tenant) Application(clientID string) map[string]any {
	return t.served().Application(clientID)
}

// Role returns the role whose id or name is key (case-insensitive), or nil.
func (t *Tenant) Role(key string) map[string]any {
	for _, r := range t.Roles {
		id, _ := r["id"].(string)
		name, _ := r["name"].(string)
		if strings.EqualFold(id, key) || strings.EqualFold(name, key) {
			return r
		}
	}
	return nil
}

// Agent returns the agent with that id, or nil.
func (t *Tenant) Agent(id int) map[string]any { return t.served().Agent(id) }

// AsInt reads an integer from a decoded JSON value: json.Number, float64
// without fraction, any Go integer, or a string of digits.
func AsInt(v any) (int, bool) { return sampleserver.AsInt(v) }

// AsBool reads a boolean from a decoded JSON value: a bool, or the strings
// "true"/"false" (any case) and "1"/"0".
func AsBool(v any) (bool, bool) { return sampleserver.AsBool(v) }
