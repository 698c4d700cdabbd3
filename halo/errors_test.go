package halo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAPIErrorMatchesSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrNotFound, ErrForbidden, ErrUnauthorized, ErrRateLimited}
	tests := []struct {
		status int
		want   error
	}{
		{404, ErrNotFound}, {403, ErrForbidden}, {401, ErrUnauthorized}, {429, ErrRateLimited}, {500, nil}, {400, nil},
	}
	for _, tt := range tests {
		err := fmt.Errorf("wrapped: %w", &APIError{Endpoint: "/api/Control", Status: tt.status})
		for _, s := range sentinels {
			if got := errors.Is(err, s); got != (s == tt.want) {
				t.Errorf("status %d: errors.Is(%v) = %v", tt.status, s, got)
			}
		}
	}
	if !errors.Is(&AuthError{}, ErrUnauthorized) || !errors.Is(&WriteRefusedError{}, ErrWriteRefused) {
		t.Error("AuthError or WriteRefusedError does not match its sentinel")
	}
}

func TestNonJSONBodies(t *testing.T) {
	t.Parallel()
	longHTML := "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body>" + strings.Repeat("padding ", 200) + "</body></html>"
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantStatus int
		wantIn     []string
	}{
		{"HTML 404", answerStatus(404, "text/html", longHTML), 404, []string{"not JSON", "text/html", "<!DOCTYPE html>"}},
		{"HTML 200", answerStatus(200, "text/html", longHTML), 200, []string{"not JSON", "text/html", fmt.Sprintf("%d bytes", len(longHTML)), "at byte 1", "not shown"}},
		{"empty 200", answerStatus(200, "application/json", ""), 200, []string{"empty"}},
		{"plain 400", answerStatus(400, "text/plain", "Bad parameter page_size"), 400, []string{"Bad parameter page_size"}},
		{"JSON 400", answerStatus(400, "application/json", `{"ClassName":"X","Message":"The request is invalid."}`), 400, []string{"The request is invalid."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Control": tt.handler})
			_, err := newTestClient(t, testConfig(ts, newFakeClock())).Control(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.wantStatus {
				t.Fatalf("err = %v, want an APIError with status %d", err, tt.wantStatus)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(apiErr.Message, w) {
					t.Errorf("message %q lacks %q", apiErr.Message, w)
				}
			}
			if tt.wantStatus == 200 && strings.Contains(apiErr.Message, "<!DOCTYPE") {
				t.Errorf("a successful answer is quoted: %q", apiErr.Message)
			}
			if utf8.RuneCountInString(apiErr.Message) > 160 || strings.Contains(apiErr.Message, "padding padding padding padding padding padding padding padding padding padding padding") {
				t.Errorf("message quotes too much: %q", apiErr.Message)
			}
			if apiErr.Endpoint != "/api/Control" {
				t.Errorf("Endpoint = %q", apiErr.Endpoint)
			}
		})
	}
}

func TestOversizedBodyIsAnError(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	tests := []struct {
		name string
		body func(w http.ResponseWriter)
	}{
		{"10 MB of garbage", func(w http.ResponseWriter) {
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 160 {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}},
		{"valid JSON one byte over", func(w http.ResponseWriter) {
			fmt.Fprintf(w, `{"category_1_label": "%s"}`, strings.Repeat("y", limit))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Control": func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				tt.body(w)
			}})
			cfg := testConfig(ts, newFakeClock())
			cfg.MaxResponseBytes = limit
			_, err := newTestClient(t, cfg).Control(context.Background())
			if err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
				t.Fatalf("err = %v, want the size limit", err)
			}
		})
	}
}

func TestQuoteServerTextHidesCredentials(t *testing.T) {
	t.Parallel()
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	tests := []struct {
		in        string
		keep      []string
		drop      []string
		maxLength int
	}{
		{in: "invalid token " + jwt, keep: []string{"invalid token", "[redacted]"}, drop: []string{jwt, "eyJhbGciOiJIUzI1NiJ9"}},
		{in: "Authorization: Bearer abc123", keep: []string{"Bearer [redacted]"}, drop: []string{"abc123"}},
		{in: "role 2f4c1e8a-1234-4abc-9def-0123456789ab not found", keep: []string{"2f4c1e8a-1234-4abc-9def-0123456789ab"}},
		{in: "line one\nline two\t\x00end", keep: []string{"line one line two end"}},
		{in: strings.Repeat("word ", 100), maxLength: maxQuoted + 1},
	}
	for _, tt := range tests {
		got := quoteServerText(tt.in)
		for _, k := range tt.keep {
			if !strings.Contains(got, k) {
				t.Errorf("quoteServerText(%q) = %q, lacks %q", tt.in, got, k)
			}
		}
		for _, d := range tt.drop {
			if strings.Contains(got, d) {
				t.Errorf("quoteServerText(%q) = %q, keeps %q", tt.in, got, d)
			}
		}
		if tt.maxLength > 0 && utf8.RuneCountInString(got) > tt.maxLength {
			t.Errorf("quoteServerText: %d runes", utf8.RuneCountInString(got))
		}
	}
}

// The known secrets are replaced before a server's text is cut to length:
// a secret straddling the cut must not leave its first characters behind.
func TestServerMessageScrubsBeforeShortening(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-Value-42"
	var k knownSecrets
	k.add(secret)
	body := strings.Repeat("x ", 47) + secret + " was refused"
	got := serverMessage(&k, nil, []byte(body))
	if strings.Contains(got, secret[:4]) {
		t.Errorf("serverMessage = %q keeps part of the secret", got)
	}
	if !strings.Contains(got, "[redac") {
		t.Errorf("serverMessage = %q, want the placeholder where the secret was", got)
	}
	// And the form-encoded spelling the token request used.
	var enc knownSecrets
	enc.add("a+b/c=d e")
	if got := enc.scrub("sent client_secret=a%2Bb%2Fc%3Dd+e"); strings.Contains(got, "a%2Bb") {
		t.Errorf("scrub = %q keeps the form-encoded secret", got)
	}
}

func TestRedactNamedValues(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"login failed: smtp_password=hunter2; retry":   "login failed: smtp_password=[redacted]; retry",
		`{"mail_password": "pw1", "host": "mx"}`:       `{"mail_password": [redacted], "host": "mx"}`,
		"<Password>Tr0ub4dor</Password><r>x</r>":       "<Password>[redacted]</Password><r>x</r>",
		"invalid api_key: 'k3y' for user":              "invalid api_key: [redacted] for user",
		"https://h/x?client_secret=abc&name=ok":        "https://h/x?client_secret=[redacted]&name=ok",
		"the token expired; ask for a new one":         "the token expired; ask for a new one",
		"role 2f4c1e8a-1234-4abc-9def-0123456789ab ok": "role 2f4c1e8a-1234-4abc-9def-0123456789ab ok",
	} {
		if got := redactNamedValues(in); got != want {
			t.Errorf("redactNamedValues(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScrubFragmentsSparesPublicText(t *testing.T) {
	t.Parallel()
	var k knownSecrets
	k.add("SECRET-halolint-auditor-client-secret")
	k.addPublic("halolint-auditor")
	for in, want := range map[string]string{
		`refused client ID "halolint-auditor"`:           `refused client ID "halolint-auditor"`,
		"sent SECRET-halolint-auditor-cl, refused":       "sent [redacted], refused",
		"sent auditor-client-secret, refused":            "sent [redacted], refused",
		"sent &#83;ECRET-halolint-auditor-client-secret": "sent [redacted]",
		"a short SECRET- is left":                        "a short SECRET- is left",
	} {
		if got := k.scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
