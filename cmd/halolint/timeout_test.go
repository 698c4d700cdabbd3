package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/internal/halotest"
)

// runUnbounded runs the CLI in-process like runCLIWith, under a context
// without a deadline, as main does: a budget wait of minutes (on the fake
// clock) must not meet the test's own deadline.
func runUnbounded(t *testing.T, setup cliSetup, vars map[string]string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cmdEnv{
		stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv:    func(name string) string { return vars[name] },
		stderrTTY: setup.stderrTTY,
		build:     buildInfo{Version: "v0.0.0-test"},
		clock:     newTestClock(),
		jitter:    maxJitter,
	}
	code := run(context.Background(), args, env)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// A tenant whose reads take longer than 5 minutes at the rate budget (the
// sample's thirty-odd requests at 4 per minute): without --timeout the plan's
// own duration is the bound, and the audit completes; a --timeout too
// short for the plan is still refused before the details are read, saying
// what would do.
func TestTimeoutFollowsThePlanUnlessSet(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	slow := []string{"audit", "-o", "json", "--max-requests-per-window", "4", "--window", "1m"}

	res := runUnbounded(t, cliSetup{}, vars, slow...)
	if res.code != exitFindings {
		t.Fatalf("without --timeout: exit %d, want 1 (the sample's findings); stderr: %s", res.code, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	if report.Summary.Error != 0 || len(report.CollectionErrors) != 0 {
		t.Errorf("the audit is incomplete: %+v, %+v", report.Summary, report.CollectionErrors)
	}

	refused := runUnbounded(t, cliSetup{}, vars, append(slow, "--timeout", "5m")...)
	if refused.code != exitNoAudit {
		t.Errorf("--timeout 5m: exit %d, want 3", refused.code)
	}
	if err := checkErrLine(refused.stderr, `^halolint: read http://127\.0\.0\.1:\d+: this tenant needs \d+ more requests; at 4 per 1m0s they take at least \S+, longer than the \S+ left before the timeout: raise --timeout \(to about \S+\)`); err != nil {
		t.Error(err)
	}
}

// On a terminal the progress line says how many requests are done of
// those planned and about how long the rest take.
func TestProgressShowsTimeLeft(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	res := runUnbounded(t, cliSetup{stderrTTY: true}, vars, "audit", "-o", "json", "--max-requests-per-window", "4", "--window", "1m")
	if res.code != exitFindings {
		t.Fatalf("exit %d; stderr: %q", res.code, res.stderr)
	}
	lines := regexp.MustCompile(`reading http://127\.0\.0\.1:\d+: (\d+) of (\d+) requests, about ([0-9hms]+) left\x1b\[K`).FindAllStringSubmatch(res.stderr, -1)
	if len(lines) == 0 {
		t.Fatalf("no progress line with the time left: %q", res.stderr)
	}
	// At 4 requests a minute, with tens to go, minutes are left.
	if d, err := time.ParseDuration(lines[0][3]); err != nil || d < time.Minute {
		t.Errorf("first estimate %q, want minutes (%v)", lines[0][3], err)
	}
	if !strings.Contains(res.stderr, "\r\x1b[Khalolint: exit 1: ") {
		t.Errorf("the progress line is not erased before the exit reason: %q", res.stderr[max(0, len(res.stderr)-120):])
	}
}
