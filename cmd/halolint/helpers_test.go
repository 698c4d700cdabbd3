package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// cliResult is what one in-process run of the CLI produced.
type cliResult struct {
	code   int
	stdout string
	stderr string
}

// runCLI runs the CLI in-process with the given environment variables and
// no terminal, the way cli/cli tests its commands. The pseudo-variables
// "<stdin>" and "<width>" set standard input and the terminal width.
func runCLI(t *testing.T, vars map[string]string, args ...string) cliResult {
	t.Helper()
	return runCLIWith(t, cliSetup{}, vars, args...)
}

// cliSetup is what an in-process run takes beside its variables.
type cliSetup struct {
	// transport replaces the client's base transport (the DNS case).
	transport http.RoundTripper
	// clock is the client's clock; nil is a fresh testClock. A test whose
	// fake server keeps time too (a rate window) passes the clock it gave
	// the server.
	clock halo.Clock
	// stderrTTY makes standard error a terminal (the progress line).
	stderrTTY bool
}

// runCLIWith is runCLI with a setup. Every run gets a fake clock and the
// largest jitter: a retry or a budget wait takes no real time and is the
// same on every run, so that no test depends on the machine's speed or on
// luck. Only --timeout stays on the real clock.
func runCLIWith(t *testing.T, setup cliSetup, vars map[string]string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cmdEnv{
		stdin:     strings.NewReader(vars["<stdin>"]),
		stdout:    &stdout,
		stderr:    &stderr,
		getenv:    func(name string) string { return vars[name] },
		stderrTTY: setup.stderrTTY,
		build:     buildInfo{Version: "v0.0.0-test", Commit: "test", GoVersion: "go", OPAVersion: "test"},
		transport: setup.transport,
		clock:     setup.clock,
		jitter:    maxJitter,
	}
	if env.clock == nil {
		env.clock = newTestClock()
	}
	if w, err := strconv.Atoi(vars["<width>"]); err == nil {
		env.termWidth = w
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code := run(ctx, args, env)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// testClock is a clock whose Sleep advances time at once. A fake server
// given its Now sees the time the client's waits make, not the machine's.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

// maxJitter is the tests' retry jitter: always the longest wait, so that a
// run waits the same every time.
func maxJitter(max time.Duration) time.Duration { return max }

// serveFixture serves a fixture tenant and returns the environment that
// points the CLI at it.
func serveFixture(t *testing.T, name string, opts halotest.Options) (map[string]string, *halotest.Server) {
	t.Helper()
	srv := halotest.New(halotest.MustFixture(name), opts)
	t.Cleanup(srv.Close)
	return map[string]string{
		"HALO_URL":           srv.URL,
		"HALO_CLIENT_ID":     halotest.AuditorClientID,
		"HALO_CLIENT_SECRET": halotest.AuditorClientSecret,
	}, srv
}

// decodeReport parses a JSON report written to stdout.
func decodeReport(t *testing.T, out string) audit.Report {
	t.Helper()
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, out)
	}
	return r
}

// resultsOf returns the results of one check.
func resultsOf(r audit.Report, id string) []audit.Result {
	var out []audit.Result
	for _, res := range r.Results {
		if res.ID == id {
			out = append(out, res)
		}
	}
	return out
}

// wantStatus asserts that every result of a check has the given status and
// that there is at least one.
func wantStatus(t *testing.T, r audit.Report, id string, want audit.Status) []audit.Result {
	t.Helper()
	got := resultsOf(r, id)
	if len(got) == 0 {
		t.Errorf("%s: no result", id)
	}
	for _, res := range got {
		if res.Status != want {
			t.Errorf("%s on %s/%s: status %s, want %s (%s)", id, res.Object.Type, res.Object.Name, res.Status, want, res.Message)
		}
	}
	return got
}

func mergeVars(base map[string]string, extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}
