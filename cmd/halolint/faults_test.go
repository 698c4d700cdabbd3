package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/halotest"
)

// Fault tests on the demo's sample tenant: one endpoint refused at a time.
// The checks that need what it holds report error, the others are still
// judged, and the run exits 3.
func TestForbiddenEndpointOneAtATime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		forbidden string
		// endpoint is how the collection error names it (a prefix).
		endpoint string
		// erred needs the endpoint; judged does not.
		erred, judged string
	}{
		{"/api/roles", "/api/Roles", "cove.role.tickets-access", "timezest.role.administrator"},
		{"/api/agent", "/api/Agent", "baseline.agent.api-agent-admin", "timezest.role.administrator"},
		{"/api/application", "/api/Application", "baseline.auditor.self", "baseline.application.broken-login-agent"},
		{"/api/category", "/api/Category", "cove.category.cove-data-protection", "cove.role.tickets-access"},
		{"/api/control", "/api/Control", "timezest.setting.accounts-id-optional", "timezest.role.administrator"},
		{"/api/roles/*", "/api/Roles/", "timezest.role.administrator", "cove.application.exists"},
		{"/api/agent/*", "/api/Agent/", "timezest.agent.administrator", "cove.role.tickets-access"},
		{"/api/application/*", "/api/Application/", "cove.application.scopes", "timezest.role.administrator"},
	} {
		t.Run(tc.forbidden, func(t *testing.T) {
			t.Parallel()
			vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{Forbidden: []string{tc.forbidden}})
			res := runCLI(t, vars, "audit", "-o", "json")
			if res.code != exitNoAudit {
				t.Errorf("exit %d, want 3; stderr: %s", res.code, res.stderr)
			}
			if err := checkErrLine(res.stderr, `^halolint: exit 3: \d+ results? with status error: the audit is incomplete$`); err != nil {
				t.Error(err)
			}
			report := decodeReport(t, res.stdout)
			// At least one result of the check needing the endpoint is an
			// error saying what was refused (the others of the same check
			// may be judged from what was read elsewhere).
			var erred bool
			for _, r := range resultsOf(report, tc.erred) {
				erred = erred || r.Status == audit.StatusError && strings.Contains(r.Message, "403")
			}
			if !erred {
				t.Errorf("%s: no result with status error naming the 403: %+v", tc.erred, resultsOf(report, tc.erred))
			}
			for _, r := range resultsOf(report, tc.judged) {
				if r.Status == audit.StatusError {
					t.Errorf("%s does not need %s but reports error: %s", tc.judged, tc.forbidden, r.Message)
				}
			}
			if len(resultsOf(report, tc.judged)) == 0 {
				t.Errorf("%s: no result", tc.judged)
			}
			judged := report.Summary.Pass + report.Summary.Fail + report.Summary.Warn + report.Summary.Manual
			if judged == 0 {
				t.Errorf("nothing was judged: %+v", report.Summary)
			}
			if len(report.CollectionErrors) == 0 {
				t.Fatal("no collection error")
			}
			for _, ce := range report.CollectionErrors {
				if !strings.HasPrefix(ce.Endpoint, tc.endpoint) || ce.Status != 403 || !ce.Needed {
					t.Errorf("collection error %+v, want a needed 403 on %s", ce, tc.endpoint)
				}
			}
		})
	}
}

// 500s that recover are as if they never happened: the same report, the
// same exit code, no collection error.
func TestServerErrorsThatRecover(t *testing.T) {
	t.Parallel()
	clean, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	want := runCLI(t, clean, "audit", "-o", "json")

	vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{FailTimes: map[string]int{
		"/auth/token": 1, "/api/roles": 1, "/api/agent/*": 1, "/api/application": 1, "/api/control": 2,
	}})
	got := runCLI(t, vars, "audit", "-o", "json")
	if got.code != want.code || got.code != exitFindings {
		t.Errorf("exit %d, want %d as without the 500s; stderr: %s", got.code, want.code, got.stderr)
	}
	a, b := decodeReport(t, want.stdout), decodeReport(t, got.stdout)
	if diff := cmp.Diff(a.Results, b.Results); diff != "" {
		t.Errorf("results differ (-clean +with 500s):\n%s", diff)
	}
	if len(b.CollectionErrors) != 0 {
		t.Errorf("collection errors: %+v", b.CollectionErrors)
	}
	var fivehundreds int
	for _, r := range srv.Requests() {
		if r.Status == 500 {
			fivehundreds++
		}
	}
	if fivehundreds != 6 {
		t.Errorf("%d answers were 500, want the 6 injected", fivehundreds)
	}
}

// The server's rate limit reached: a client budget above the server's limit
// gets 429s, waits, retries and still completes the audit. The server's
// rate window runs on the client's fake clock: nothing happens between the
// client's waits, so the first 8 requests fill the window and the 9th is
// refused on every run, and every wait after a 429 (5 s at least) empties
// the window of 0.5 s.
func TestRateLimitReachedStillCompletes(t *testing.T) {
	t.Parallel()
	clean, _ := serveFixture(t, halotest.FixtureTimeZestAdmin, halotest.Options{})
	want := runCLI(t, clean, "audit", "-o", "json")

	clock := newTestClock()
	vars, srv := serveFixture(t, halotest.FixtureTimeZestAdmin, halotest.Options{RateLimit: 8, RateWindow: 500 * time.Millisecond, Now: clock.Now})
	got := runCLIWith(t, cliSetup{clock: clock}, vars, "audit", "-o", "json", "--max-requests-per-window", "100", "--window", "1m")
	if got.code != want.code {
		t.Errorf("exit %d, want %d; stderr: %s", got.code, want.code, got.stderr)
	}
	a, b := decodeReport(t, want.stdout), decodeReport(t, got.stdout)
	if diff := cmp.Diff(a.Results, b.Results); diff != "" {
		t.Errorf("results differ (-clean +rate limited):\n%s", diff)
	}
	if len(b.CollectionErrors) != 0 {
		t.Errorf("collection errors: %+v", b.CollectionErrors)
	}
	var tooMany int
	for _, r := range srv.Requests() {
		if r.Status == 429 {
			tooMany++
		}
	}
	if tooMany == 0 {
		t.Error("the server's rate limit was never reached")
	}
}
