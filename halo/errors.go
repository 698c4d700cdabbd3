package halo

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinels for errors.Is. *APIError and *AuthError match them by status.
var (
	ErrNotFound     = errors.New("not found")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrRateLimited  = errors.New("rate limited")
	ErrWriteRefused = errors.New("write refused: halolint is read-only")
)

// APIError is a response from the resource server that is not a usable
// answer: an error status, or a body that is not JSON.
type APIError struct {
	// Endpoint is the request's path and query, e.g. /api/Control.
	Endpoint string
	// Status is the HTTP status code.
	Status int
	// Message is what the server said, shortened and stripped of anything
	// that looks like a credential.
	Message string
}

func (e *APIError) Error() string {
	text := http.StatusText(e.Status)
	// No method in the text: the token endpoint's errors are APIErrors too.
	msg := fmt.Sprintf("%s: %d", e.Endpoint, e.Status)
	if text != "" {
		msg += " " + text
	}
	if e.Message != "" && e.Message != text {
		msg += ": " + e.Message
	}
	return msg
}

// Is maps the status to its sentinel.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	}
	return false
}

// AuthError is a credential the authorisation server refused. It names the
// token URL and the client ID, never the secret.
type AuthError struct {
	TokenURL string
	ClientID string
	// Status is the token endpoint's HTTP status, 0 if unknown.
	Status int
	// Code and Description are the OAuth error fields (invalid_client, ...).
	Code        string
	Description string
}

func (e *AuthError) Error() string {
	msg := fmt.Sprintf("authorisation refused: %s refused client ID %q", e.TokenURL, e.ClientID)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	switch {
	case e.Code != "" && e.Description != "":
		msg += fmt.Sprintf(": %s: %s", e.Code, e.Description)
	case e.Code != "":
		msg += ": " + e.Code
	case e.Description != "":
		msg += ": " + e.Description
	}
	return msg
}

func (e *AuthError) Is(target error) bool { return target == ErrUnauthorized }

// WriteRefusedError is a request the read-only transport refused before
// sending anything.
type WriteRefusedError struct {
	Method string
	// URL is the request URL without its query.
	URL string
}

func (e *WriteRefusedError) Error() string {
	return fmt.Sprintf("%s %s refused before sending: halolint only reads (GET, HEAD)", e.Method, e.URL)
}

func (e *WriteRefusedError) Is(target error) bool { return target == ErrWriteRefused }

// maxQuoted bounds how much of a server's text reaches an error message.
const maxQuoted = 100

// maxScanned bounds how much of a server's text is looked at for a quote:
// a message field may be megabytes long, and only its start is shown.
const maxScanned = 4 << 10

// quoteServerText makes a server's text safe to show on one line: control
// characters and runs of whitespace become one space, the value after a
// field name that looks secret ("smtp_password=...", "<Password>...")
// and anything shaped like a credential (a long run of token characters,
// a Bearer value) are replaced, and the result is cut to maxQuoted
// characters.
func quoteServerText(text string) string {
	if len(text) > maxScanned {
		text = text[:maxScanned]
	}
	text = redactNamedValues(text)
	text = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, text)
	words := strings.Fields(text)
	for i, w := range words {
		if looksLikeCredential(w) {
			words[i] = redacted
		}
		if i > 0 && strings.EqualFold(words[i-1], "bearer") {
			words[i] = redacted
		}
	}
	text = strings.Join(words, " ")
	if utf8.RuneCountInString(text) > maxQuoted {
		runes := []rune(text)
		text = string(runes[:maxQuoted]) + "…"
	}
	return text
}

// looksLikeCredential reports a word holding a run of 32 or more token
// characters (JWTs, opaque access tokens, secrets): no prose word is that
// long. GUIDs, which name objects, are exempt.
func looksLikeCredential(word string) bool {
	segments := strings.FieldsFunc(word, func(r rune) bool {
		return r >= utf8.RuneSelf || !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.+=~", r)
	})
	for _, s := range segments {
		if len(s) >= 32 && !isGUID(s) {
			return true
		}
	}
	return false
}

// isGUID reports the 8-4-4-4-12 hexadecimal shape of Halo's object ids.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

// A secret-looking field name (redact.go's secretWords) and the value
// after it, as error texts spell them: name=value, "name": "value",
// name: 'value', <name>value</name>.
var (
	secretName  = `[A-Za-z0-9_.\-]*(?i:secret|password|passwd|pwd|token|key)[A-Za-z0-9_.\-]*`
	namedValue  = regexp.MustCompile(`(` + secretName + `)(["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s"',;&<>}\]]+)`)
	taggedValue = regexp.MustCompile(`(<` + secretName + `(?:\s[^>]*)?>)([^<]*)`)
)

// redactNamedValues replaces the value after every secret-looking field
// name in text: a short password in an error message passes the shape
// test of looksLikeCredential, but not this one.
func redactNamedValues(text string) string {
	text = namedValue.ReplaceAllString(text, "${1}${2}"+redacted)
	return taggedValue.ReplaceAllString(text, "${1}"+redacted)
}
