package halo

import (
	"html"
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
// halolint print it. Nor may it print part of one (a prefix, one half) or
// a copy spelled in HTML entities: see scrub.
type knownSecrets struct {
	mu sync.RWMutex
	// spellings are the exact texts replaced: each secret, form-encoded
	// and HTML-escaped, longest first.
	spellings []string
	// whole are the secrets themselves, whose fragments are replaced too.
	whole []string
	// public is text that is never a fragment of a secret, however much
	// it shares with one: the client ID, which messages name on purpose.
	public []string
}

// add remembers v, its form-encoded spelling (how it travelled in the
// token request) and its HTML-escaped one (how an HTML error page quotes
// it).
func (k *knownSecrets) add(v string) {
	if v == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, s := range []string{v, url.QueryEscape(v), html.EscapeString(v)} {
		if !slices.Contains(k.spellings, s) {
			k.spellings = append(k.spellings, s)
		}
	}
	if !slices.Contains(k.whole, v) {
		k.whole = append(k.whole, v)
	}
	// Longest first, so that a value containing another is replaced whole.
	slices.SortFunc(k.spellings, func(a, b string) int { return len(b) - len(a) })
}

// addPublic remembers text that must stay readable (the client ID).
func (k *knownSecrets) addPublic(v string) {
	if v == "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if !slices.Contains(k.public, v) {
		k.public = append(k.public, v)
	}
}

// minFragment is the shortest piece of a secret that scrub replaces: a
// third of the secret, at least 8 characters (all of a shorter one). Less
// of a random secret is no help to anyone; more would let a server that
// echoes half of it get that half printed.
func minFragment(secret string) int {
	return min(len(secret), max(8, (len(secret)+2)/3))
}

// scrub replaces every known secret in text with the placeholder: each
// exact spelling, every piece of minFragment characters or more, and any
// of these written in HTML entities (&#83;&#69;...), in which case the
// text comes back decoded, so that what remains can be read.
func (k *knownSecrets) scrub(text string) string {
	if k == nil {
		return text
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if len(k.whole) == 0 {
		return text
	}
	if strings.Contains(text, "&") {
		if decoded := html.UnescapeString(text); decoded != text {
			if clean := k.scrubPlain(decoded); clean != decoded {
				return clean
			}
		}
	}
	return k.scrubPlain(text)
}

func (k *knownSecrets) scrubPlain(text string) string {
	for _, v := range k.spellings {
		text = strings.ReplaceAll(text, v, redacted)
	}
	for _, v := range k.whole {
		text = k.scrubFragments(text, v)
	}
	return text
}

// scrubFragments replaces each maximal run of text that is also a run of
// secret, minFragment long or more, unless the run lies inside public text.
func (k *knownSecrets) scrubFragments(text, secret string) string {
	n := minFragment(secret)
	if n == 0 || len(text) < n {
		return text
	}
	exempt := k.publicSpans(text)
	var b strings.Builder
	last := 0
	for i := 0; i+n <= len(text); {
		l := longestRunAt(text, i, secret)
		if l >= n && !within(exempt, i, i+l) {
			b.WriteString(text[last:i])
			b.WriteString(redacted)
			i += l
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// longestRunAt is the length of the longest prefix of text[i:] that occurs
// in secret.
func longestRunAt(text string, i int, secret string) int {
	best := 0
	for j := 0; j < len(secret); j++ {
		if secret[j] != text[i] {
			continue
		}
		l := 1
		for i+l < len(text) && j+l < len(secret) && text[i+l] == secret[j+l] {
			l++
		}
		best = max(best, l)
	}
	return best
}

// publicSpans are the [start, end) byte ranges of text holding public text.
func (k *knownSecrets) publicSpans(text string) [][2]int {
	var spans [][2]int
	for _, p := range k.public {
		for from := 0; ; {
			i := strings.Index(text[from:], p)
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{from + i, from + i + len(p)})
			from += i + 1
		}
	}
	return spans
}

func within(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start >= s[0] && end <= s[1] {
			return true
		}
	}
	return false
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
