package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/internal/sampleserver"
)

// Every bad input that involves the network or a broken server:
// the documented exit code, one clear line on stderr and no stack trace,
// in bounded time. The bad inputs that need no server (flags, config,
// policies, snapshots) are in testdata/script.

// badCase is one bad input.
type badCase struct {
	name string
	// serve, when set, starts the server the run is pointed at.
	serve func(t *testing.T) map[string]string
	vars  map[string]string
	// transport replaces the client's base transport (the DNS case).
	transport http.RoundTripper
	args      []string
	code      int
	// stderr is matched against the single line on standard error.
	stderr string
	// collectionError, when set, is matched against the message of the
	// report's first collection error (-o json).
	collectionError string
	within          time.Duration
}

func fixtureWith(name string, opts halotest.Options) func(t *testing.T) map[string]string {
	return func(t *testing.T) map[string]string {
		vars, _ := serveFixture(t, name, opts)
		return vars
	}
}

func cannedOn(path, kind string) func(t *testing.T) map[string]string {
	return func(t *testing.T) map[string]string {
		c, ok := cannedKind(kind)
		if !ok {
			t.Fatalf("unknown canned kind %q", kind)
		}
		vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{Canned: map[string]halotest.Canned{path: c}})
		return vars
	}
}

func credentials(url string) map[string]string {
	return map[string]string{
		"HALO_URL":           url,
		"HALO_CLIENT_ID":     halotest.AuditorClientID,
		"HALO_CLIENT_SECRET": halotest.AuditorClientSecret,
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	const incomplete = `^halolint: exit 3: \d+ results? with status error: the audit is incomplete$`
	cases := []badCase{
		// The connection settings: usage errors before any request.
		{name: "HALO_URL missing", vars: map[string]string{"HALO_CLIENT_ID": "x", "HALO_CLIENT_SECRET": "y"},
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_URL: not set$`},
		{name: "everything missing", args: []string{"snapshot", "--out", "-"}, code: exitUsage,
			stderr: `^halolint: HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET: not set$`},
		{name: "HALO_URL malformed", vars: credentials("https://acme halopsa com/%zz"),
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_URL: not a valid URL$`},
		{name: "HALO_URL not http", vars: credentials("ftp://acme.halopsa.com"),
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_URL: "ftp://acme.halopsa.com" is not an http\(s\) URL`},
		{name: "HALO_URL without host", vars: credentials("https://"),
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_URL: "https:" has no host$`},
		{name: "HALO_URL plain http to a non-loopback host", vars: credentials("http://acme.halopsa.com"),
			args: []string{"audit"}, code: exitUsage,
			stderr: `^halolint: HALO_URL: "http://acme.halopsa.com" uses http: credentials must not travel in clear; use https`},
		{name: "HALO_URL with credentials", vars: credentials("https://me:SECRET-in-url@acme.halopsa.com"),
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_URL: must not contain credentials`},
		{name: "HALO_AUTH_URL plain http", vars: mergeVars(credentials("https://acme.halopsa.com"), map[string]string{"HALO_AUTH_URL": "http://auth.example.com"}),
			args: []string{"audit"}, code: exitUsage, stderr: `^halolint: HALO_AUTH_URL: "http://auth.example.com" uses http`},

		// The network: exit 3, at once.
		{name: "DNS failure", vars: credentials("https://tenant.halolint.invalid"), transport: nxdomainTransport(t),
			args: []string{"audit"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read https://tenant.halolint.invalid: authorise: .*lookup tenant.halolint.invalid.*: no such host$`},
		{name: "connection refused", vars: credentials(closedLoopbackURL(t)),
			args: []string{"audit"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read http://127\.0\.0\.1:\d+: authorise: .*connect: connection refused$`},
		{name: "TLS certificate not trusted", serve: func(t *testing.T) map[string]string {
			srv := halotest.NewTLS(halotest.MustFixture(halotest.FixtureEmpty), halotest.Options{})
			t.Cleanup(srv.Close)
			return credentials(srv.URL)
		}, args: []string{"audit"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read https://127\.0\.0\.1:\d+: authorise: .*tls: failed to verify certificate: x509: certificate signed by unknown authority$`},
		{name: "server hangs", serve: fixtureWith(halotest.FixtureEmpty, halotest.Options{HangPaths: []string{"/api/roles"}}),
			args: []string{"audit", "--timeout", "2s"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read http://127\.0\.0\.1:\d+: collection stopped: .*gave up after --timeout 2s|^halolint: read http://127\.0\.0\.1:\d+: gave up after --timeout 2s`},
		{name: "token endpoint hangs", serve: fixtureWith(halotest.FixtureEmpty, halotest.Options{HangPaths: []string{"/auth/token"}}),
			args: []string{"snapshot", "--out", "-", "--timeout", "2s"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read http://127\.0\.0\.1:\d+: gave up after --timeout 2s: authorise: `},
		{name: "wrong credentials", serve: func(t *testing.T) map[string]string {
			vars, _ := serveFixture(t, halotest.FixtureEmpty, halotest.Options{})
			vars["HALO_CLIENT_SECRET"] = "SECRET-wrong-one"
			return vars
		}, args: []string{"audit"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `^halolint: read http://127\.0\.0\.1:\d+: authorise: authorisation refused: http://127\.0\.0\.1:\d+/auth/token refused client ID "halolint-auditor" \(HTTP \d+\): invalid_client`},
		{name: "unknown client ID", serve: func(t *testing.T) map[string]string {
			vars, _ := serveFixture(t, halotest.FixtureEmpty, halotest.Options{})
			vars["HALO_CLIENT_ID"] = "someone-else"
			return vars
		}, args: []string{"snapshot", "--out", "-"}, code: exitNoAudit, within: 20 * time.Second,
			stderr: `refused client ID "someone-else"`},

		// A server answering nonsense to a list: the collection records
		// an error, the checks needing the list report error, exit 3.
		{name: "HTML instead of JSON", serve: cannedOn("/api/roles", "html"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `response body is not JSON \(text/html, \d+ bytes\): invalid JSON at byte 1; its content is not shown`},
		{name: "truncated JSON", serve: cannedOn("/api/agent", "truncated"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `response body is not JSON \(application/json, \d+ bytes\): the body ends before its JSON value is complete at byte \d+`},
		{name: "JSON of the wrong shape", serve: cannedOn("/api/roles", "wrongshape"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `the answer is an object without a list`},
		{name: "wrong shape for a detail", serve: cannedOn("/api/application/*", "wrongshape"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `^/api/Application/.*: 200 OK: the answer is not the details of application `},
		{name: "10 MB body that is not JSON", serve: cannedOn("/api/application", "huge"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `response body is not JSON`},
		{name: "body above the client's bound", serve: cannedOn("/api/roles", "toolarge"), args: []string{"audit", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `response body is larger than \d+ bytes: refused rather than truncated`},
		// 429 forever: the client retries a 429 without Retry-After after
		// 5, 10, 20 and 40 s (the largest jitter, on the fake clock, so in
		// no time), then gives up after 5 attempts. -p all: every list is
		// needed, so that no unneeded collection error adds its own line
		// to stderr.
		{name: "429 forever", serve: cannedOn("/api/*", "429"), args: []string{"audit", "-p", "all", "-o", "json"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `429 Too Many Requests: response body is not JSON \(text/plain\): "Rate Limit Reached.*\(gave up after 5 attempts\)$`},
		// A Retry-After beyond --timeout: a wait that would pass the
		// deadline is not even started, whether the request waits on its
		// own 429 or on the pause another request's 429 set.
		{name: "429 with a Retry-After past --timeout", serve: rateLimitedWithRetryAfter("600"),
			args: []string{"audit", "-p", "all", "-o", "json", "--timeout", "1m"},
			code: exitNoAudit, within: 20 * time.Second, stderr: incomplete,
			collectionError: `waiting 10m0s would pass the deadline \(raise --timeout or lower the request rate\)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := tc.vars
			if tc.serve != nil {
				vars = tc.serve(t)
			}
			start := time.Now()
			res := runCLIWith(t, cliSetup{transport: tc.transport}, vars, tc.args...)
			took := time.Since(start)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", res.code, tc.code, res.stderr)
			}
			if err := checkErrLine(res.stderr, tc.stderr); err != nil {
				t.Error(err)
			}
			if tc.within > 0 && took > tc.within {
				t.Errorf("took %s, want at most %s", took.Round(time.Millisecond), tc.within)
			}
			if strings.Contains(res.stdout+res.stderr, "SECRET-") {
				t.Error("a secret was printed")
			}
			if tc.collectionError != "" {
				report := decodeReport(t, res.stdout)
				if len(report.CollectionErrors) == 0 {
					t.Fatalf("no collection error in the report")
				}
				ce := report.CollectionErrors[0]
				if !regexp.MustCompile(tc.collectionError).MatchString(ce.Message) || !ce.Needed {
					t.Errorf("collection error %+v does not match %q", ce, tc.collectionError)
				}
				if report.Summary.Error == 0 {
					t.Errorf("no result has status error: %+v", report.Summary)
				}
			}
		})
	}
}

// rateLimitedWithRetryAfter serves the sample tenant, answering every API
// request but authinfo 429 with a Retry-After of so many seconds.
func rateLimitedWithRetryAfter(seconds string) func(t *testing.T) map[string]string {
	return func(t *testing.T) map[string]string {
		sample, err := sampleserver.Sample()
		if err != nil {
			t.Fatal(err)
		}
		srv := sampleserver.New(sample, sampleserver.Options{})
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p := strings.ToLower(r.URL.Path); strings.HasPrefix(p, "/api/") && p != "/api/authinfo" {
				w.Header().Set("Retry-After", seconds)
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = io.WriteString(w, halotest.RateLimitBody)
				return
			}
			srv.ServeHTTP(w, r)
		}))
		t.Cleanup(ts.Close)
		return credentials(ts.URL)
	}
}

// closedLoopbackURL is a loopback URL where nothing listens.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	return url
}

// nxdomainTransport resolves every name through a DNS server on loopback
// that answers NXDOMAIN, so that the DNS failure is real (the client's own
// resolver path, a *net.DNSError) while no packet leaves the machine: a
// .invalid name would otherwise still be sent to the system's resolver.
func nxdomainTransport(t *testing.T) http.RoundTripper {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			// The question, header flags set to a response with
			// RCODE 3 (NXDOMAIN), no answer, no additional record.
			end := 12
			for end < n && buf[end] != 0 {
				end += int(buf[end]) + 1
			}
			end += 5 // the root label, QTYPE and QCLASS
			if end > n {
				continue
			}
			resp := append([]byte(nil), buf[:end]...)
			resp[2] = 0x80 | (buf[2] & 0x79) // QR, opcode and RD as asked
			resp[3] = 0x80 | 3               // RA, NXDOMAIN
			copy(resp[6:12], []byte{0, 0, 0, 0, 0, 0})
			_, _ = pc.WriteTo(resp, addr)
		}
	}()
	resolver := &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", pc.LocalAddr().String())
		},
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Resolver: resolver, Timeout: 5 * time.Second}).DialContext
	return tr
}

// On a terminal, the progress line is erased before the error that ends
// the run: the error is one line of its own, not glued to "12 of 25
// requests".
func TestErrorAfterProgressStartsItsOwnLine(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{HangPaths: []string{"/api/roles/*"}})
	res := runCLIWith(t, cliSetup{stderrTTY: true}, vars, "audit", "--timeout", "1s")
	if res.code != exitNoAudit {
		t.Fatalf("exit %d, want 3; stderr: %q", res.code, res.stderr)
	}
	out := res.stderr
	if !strings.Contains(out, " requests") {
		t.Fatalf("no progress shown: %q", out)
	}
	// What a terminal shows: each \r returns to the start of the line,
	// \033[K erases it.
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		screen := ""
		for _, part := range strings.Split(line, "\r") {
			if rest, ok := strings.CutPrefix(part, "\033[K"); ok {
				screen = rest
			} else if len(part) >= len(screen) {
				screen = part
			} else {
				screen = part + screen[len(part):]
			}
		}
		lines = append(lines, screen)
	}
	var errLines []string
	for _, l := range lines {
		if strings.Contains(l, "halolint:") && !strings.HasPrefix(l, "halolint: credentials sent to ") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.HasPrefix(errLines[0], "halolint: read ") || strings.Contains(errLines[0], "requests") {
		t.Errorf("the error does not stand on a line of its own: %q (stderr %q)", errLines, out)
	}
}
