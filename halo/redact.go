package halo

import (
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Redaction happens while decoding, before a value reaches the snapshot
// structs, and again when a snapshot is loaded. The typed decoders leave
// out the known secrets (clientSecret, password, new_access_token, every
// Control field outside the allowlist); this name test is the second
// guard, for fields nobody has listed yet. It over-matches on purpose
// ("keyboard" goes too): a lost harmless field costs less than a leaked
// secret in a support ticket.

// secretWords are the parts of a field name that mark it as a credential.
var secretWords = []string{"secret", "password", "passwd", "pwd", "token", "key"}

// isSecretName reports whether a field name looks like it holds a secret.
func isSecretName(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// redactValue returns v without any field whose name looks secret, at any
// depth. Maps are copied, never modified in place.
func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return redactMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e)
		}
		return out
	}
	return v
}

// redactMap is redactValue for an object.
func redactMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !isSecretName(k) {
			out[k] = redactValue(v)
		}
	}
	return out
}

// redactExtra is redactMap for an Extra field: nil when nothing is left,
// so that an empty Extra disappears from the JSON and compares equal
// after a round trip.
func redactExtra(m map[string]any) map[string]any {
	out := redactMap(m)
	if len(out) == 0 {
		return nil
	}
	return out
}

// knownSecrets are the credentials this client holds: the client secret
// and every access token it was issued. Whatever a server says is scrubbed
// of them before it reaches an error, a collection error or a notice: the
// shape test of quoteServerText exempts GUIDs and misses short values, and
// a token server that echoes the secret it was sent must not make
// halolint print it.
type knownSecrets struct {
	mu     sync.RWMutex
	values []string
}

// add remembers v, and its form-encoded spelling, which is how it
// travelled in the token request.
func (k *knownSecrets) add(v string) {
	if v == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, s := range []string{v, url.QueryEscape(v)} {
		if !slices.Contains(k.values, s) {
			k.values = append(k.values, s)
		}
	}
	// Longest first, so that a value containing another is replaced whole.
	slices.SortFunc(k.values, func(a, b string) int { return len(b) - len(a) })
}

// scrub replaces every known secret in text with the placeholder.
func (k *knownSecrets) scrub(text string) string {
	if k == nil {
		return text
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, v := range k.values {
		text = strings.ReplaceAll(text, v, redacted)
	}
	return text
}

// scrubError returns err, or, when its text holds a known secret, an error
// with the scrubbed text that still unwraps to err for errors.Is and
// errors.As.
func (k *knownSecrets) scrubError(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := k.scrub(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
