package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/internal/sampleserver"
)

// authinfoElsewhere serves the sample tenant, its /api/authinfo naming an
// authorisation server on another host (another loopback port) that
// counts what reaches it and grants anything.
func authinfoElsewhere(t *testing.T) (vars map[string]string, elsewhere string, reached *atomic.Int64) {
	t.Helper()
	reached = &atomic.Int64{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "TOKEN-elsewhere", "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(other.Close)
	sample, err := sampleserver.Sample()
	if err != nil {
		t.Fatal(err)
	}
	api := sampleserver.New(sample, sampleserver.Options{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.URL.Path, "/api/authinfo") {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"auth_url": other.URL + "/auth"})
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return credentials(ts.URL), other.URL, reached
}

// Where the client secret goes is never the unauthenticated authinfo's
// choice alone, and every run says where it went: on standard error and
// in the report's source.
func TestCredentialsGoOnlyWhereTrusted(t *testing.T) {
	t.Parallel()
	t.Run("the instance's own host, said on stderr and in the report", func(t *testing.T) {
		t.Parallel()
		vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
		res := runCLI(t, vars, "audit", "-p", "cove", "-o", "json")
		if res.code != exitFindings && res.code != exitOK {
			t.Fatalf("exit %d; stderr: %s", res.code, res.stderr)
		}
		host := mustHost(t, vars["HALO_URL"])
		if want := "halolint: credentials sent to " + host + " (the instance's own host, named by /api/authinfo)\n"; !strings.HasPrefix(res.stderr, want) {
			t.Errorf("stderr %q does not start with %q", res.stderr, want)
		}
		if got := decodeReport(t, res.stdout).Source.CredentialsSentTo; got != host {
			t.Errorf("source.credentials_sent_to %q, want %q", got, host)
		}
		// A snapshot records it, and the audit of the snapshot says it.
		file := filepath.Join(t.TempDir(), "tenant.json")
		if snap := runCLI(t, vars, "snapshot", "--out", file); snap.code != exitOK {
			t.Fatalf("snapshot: exit %d; stderr: %s", snap.code, snap.stderr)
		}
		offline := runCLI(t, nil, "audit", "--snapshot", file, "-p", "cove", "-o", "json")
		if got := decodeReport(t, offline.stdout).Source.CredentialsSentTo; got != host {
			t.Errorf("audit --snapshot: source.credentials_sent_to %q, want %q", got, host)
		}
	})
	t.Run("another host is refused, nothing sent to it", func(t *testing.T) {
		t.Parallel()
		vars, other, reached := authinfoElsewhere(t)
		res := runCLI(t, vars, "audit", "-o", "json")
		if res.code != exitNoAudit {
			t.Errorf("exit %d, want 3", res.code)
		}
		otherHost := regexp.QuoteMeta(mustHost(t, other))
		if err := checkErrLine(res.stderr, `^halolint: read http://127\.0\.0\.1:\d+: authorise: /api/authinfo names the authorisation server http://`+otherHost+
			`/auth, which is neither the instance's own host 127\.0\.0\.1:\d+ nor HaloPSA's hosted auth\.haloservicedesk\.com: the client secret was not sent; if `+otherHost+
			` is your authorisation server \(.*\), set HALO_AUTH_URL=http://`+otherHost+`/auth$`); err != nil {
			t.Error(err)
		}
		if n := reached.Load(); n != 0 {
			t.Errorf("the other host received %d requests", n)
		}
		if res.stdout != "" {
			t.Errorf("a report was written: %.200s", res.stdout)
		}
	})
	t.Run("HALO_AUTH_URL is the only place the secret goes", func(t *testing.T) {
		t.Parallel()
		vars, _, reached := authinfoElsewhere(t)
		vars["HALO_AUTH_URL"] = vars["HALO_URL"] + "/auth"
		res := runCLI(t, vars, "audit", "-p", "cove", "-o", "json")
		if res.code != exitFindings && res.code != exitOK {
			t.Fatalf("exit %d; stderr: %s", res.code, res.stderr)
		}
		if n := reached.Load(); n != 0 {
			t.Errorf("the host authinfo names received %d requests", n)
		}
		host := mustHost(t, vars["HALO_URL"])
		if want := "halolint: credentials sent to " + host + " (set by HALO_AUTH_URL)\n"; !strings.HasPrefix(res.stderr, want) {
			t.Errorf("stderr %q does not start with %q", res.stderr, want)
		}
		if got := decodeReport(t, res.stdout).Source.CredentialsSentTo; got != host {
			t.Errorf("source.credentials_sent_to %q, want %q", got, host)
		}
	})
}

func mustHost(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
