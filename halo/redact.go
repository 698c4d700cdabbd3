package halo

import "strings"

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
