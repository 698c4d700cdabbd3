package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// The three jobs halolint exists for, end to end through the fake HaloPSA
// server: the readiness check, the least-privilege review, the CI gate.

func TestReadinessCheckOnEmptyTenant(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureEmpty, halotest.Options{})
	res := runCLI(t, vars, "audit", "-p", "cove,timezest,gradient", "-o", "json")
	if res.code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", res.code, exitFindings, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	if diff := cmp.Diff([]string{"cove", "gradient", "timezest"}, report.Profiles); diff != "" {
		t.Errorf("profiles (-want +got):\n%s", diff)
	}
	for _, id := range []string{"cove.application.exists", "timezest.application.exists", "gradient.application.exists", "cove.category.cove-data-protection"} {
		for _, r := range wantStatus(t, report, id, audit.StatusFail) {
			if r.Remediation == "" || !strings.Contains(r.Remediation, "Configuration >") {
				t.Errorf("%s: no how-to in the remediation: %q", id, r.Remediation)
			}
			if r.Message == "" {
				t.Errorf("%s: no message", id)
			}
		}
	}
}

func TestLeastPrivilegeReviewFindsLeftoverTimeZestAdministrator(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureTimeZestAdmin, halotest.Options{})

	operate := runCLI(t, vars, "audit", "-p", "timezest", "-o", "json")
	if operate.code != exitFindings {
		t.Fatalf("operate: exit %d, want %d; stderr: %s", operate.code, exitFindings, operate.stderr)
	}
	for _, r := range wantStatus(t, decodeReport(t, operate.stdout), "timezest.role.administrator", audit.StatusFail) {
		if !strings.Contains(r.Message, "leftover administrator") {
			t.Errorf("message does not name the leftover administrator: %q", r.Message)
		}
	}

	setup := runCLI(t, vars, "audit", "-p", "timezest", "--phase", "setup", "-o", "json")
	wantStatus(t, decodeReport(t, setup.stdout), "timezest.role.administrator", audit.StatusPass)
	wantStatus(t, decodeReport(t, setup.stdout), "timezest.agent.administrator", audit.StatusPass)
}

func TestCoveSetUpExactlyAsDocumentedPasses(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureCoveExact, halotest.Options{})
	res := runCLI(t, vars, "audit", "-p", "cove", "-o", "json")
	if res.code != exitOK {
		t.Errorf("exit %d, want 0; stderr: %s", res.code, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	manual := map[string]bool{"cove.role.department-membership": true, "cove.application.identity": true}
	for _, r := range report.Results {
		want := audit.StatusPass
		if manual[r.ID] {
			want = audit.StatusManual
		}
		if r.Status != want {
			t.Errorf("%s: %s, want %s (%s)", r.ID, r.Status, want, r.Message)
		}
	}
	if report.Summary.Manual != 2 {
		t.Errorf("summary: %+v, want exactly the two manual checks", report.Summary)
	}
}

func TestGradientAgentAdministratorThroughItsOwnClaims(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureGradientSplit, halotest.Options{})
	res := runCLI(t, vars, "audit", "-p", "gradient", "-o", "json")
	if res.code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr: %s", res.code, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	// The two roles together meet the minimum...
	for _, id := range []string{
		"gradient.role.customers-access", "gradient.role.items-access", "gradient.role.invoices-access",
		"gradient.role.contracts-access", "gradient.role.tickets-access", "gradient.role.add-tickets",
		"gradient.role.edit-closed-tickets", "gradient.role.edit-unassigned-tickets",
		"gradient.role.all-ticket-types", "gradient.role.all-customers",
	} {
		wantStatus(t, report, id, audit.StatusPass)
	}
	// ...while the agent's own claims make it an administrator.
	for _, r := range wantStatus(t, report, "gradient.role.not-admin", audit.StatusFail) {
		if !strings.Contains(r.GrantedBy, "agent") {
			t.Errorf("granted_by %q does not name the agent's own claims", r.GrantedBy)
		}
	}
}

func TestControlForbiddenIsAnErrorAndExits3(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureTimeZestAdmin, halotest.Options{Forbidden: []string{"/api/control"}})
	res := runCLI(t, vars, "audit", "-p", "timezest", "--phase", "setup", "-o", "json", "--fail-on", "never")
	if res.code != exitNoAudit {
		t.Fatalf("exit %d, want 3; stderr: %s", res.code, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	wantStatus(t, report, "timezest.setting.accounts-id-optional", audit.StatusError)
	wantStatus(t, report, "timezest.role.tickets-access", audit.StatusPass)
	if len(report.CollectionErrors) != 1 || report.CollectionErrors[0].Status != 403 || !report.CollectionErrors[0].Needed {
		t.Errorf("collection errors: %+v", report.CollectionErrors)
	}
}

func TestControlForbiddenButNotNeededDoesNotExit3(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureCoveExact, halotest.Options{Forbidden: []string{"/api/control"}})
	res := runCLI(t, vars, "audit", "-p", "cove", "-o", "json")
	if res.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "/api/Control") {
		t.Errorf("the unneeded collection error is not on stderr: %q", res.stderr)
	}
}

func TestLiveAndSnapshotAuditsAgree(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	live := runCLI(t, vars, "audit", "-o", "json")
	if live.code == exitUsage || live.code == exitNoAudit {
		t.Fatalf("live audit: exit %d: %s", live.code, live.stderr)
	}
	file := filepath.Join(t.TempDir(), "tenant.json")
	snap := runCLI(t, vars, "snapshot", "--out", file)
	if snap.code != exitOK {
		t.Fatalf("snapshot: exit %d: %s", snap.code, snap.stderr)
	}
	offline := runCLI(t, nil, "audit", "--snapshot", file, "-o", "json")
	if offline.code != live.code {
		t.Errorf("exit codes differ: live %d, snapshot %d", live.code, offline.code)
	}
	a, b := decodeReport(t, live.stdout), decodeReport(t, offline.stdout)
	if diff := cmp.Diff(a.Results, b.Results); diff != "" {
		t.Errorf("results differ between live and snapshot (-live +snapshot):\n%s", diff)
	}
	written, err := halo.LoadSnapshotFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if b.Source.Kind != "snapshot" || b.Source.File != file || !b.Source.CollectedAt.Equal(written.Source.CollectedAt) {
		t.Errorf("snapshot source: %+v", b.Source)
	}
}

// The foundation issue's acceptance run through the CLI: a rate limit of
// 40 per 10 s and one injected 500; every object, no write, no secret.
func TestSnapshotCommandUnderRateLimit(t *testing.T) {
	t.Parallel()
	tenant := halotest.MustFixture(halotest.FixtureSample)
	// The server's rate window runs on the client's clock.
	clock := newTestClock()
	vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{
		RateLimit: 40, RateWindow: 10 * time.Second, Now: clock.Now, FailTimes: map[string]int{"/api/application": 1},
	})
	res := runCLIWith(t, cliSetup{clock: clock}, vars, "snapshot", "--out", "-", "--max-requests-per-window", "40", "--window", "10s")
	if res.code != exitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, secret := range append(tenant.Secrets(), srv.IssuedTokens()...) {
		if strings.Contains(res.stdout, secret) || strings.Contains(res.stderr, secret) {
			t.Errorf("secret %q in the output", secret)
		}
	}
	var tooMany int
	for _, r := range srv.Requests() {
		if r.Method != "GET" && !strings.HasSuffix(strings.ToLower(r.Path), "/token") {
			t.Errorf("write request: %s %s", r.Method, r.Path)
		}
		if r.Status == 429 {
			tooMany++
		}
	}
	if tooMany > 2 {
		t.Errorf("%d answers were 429", tooMany)
	}
	for _, name := range []string{`"Legacy RMM Sync"`, `"Cove-Role"`, `"TimeZest API"`} {
		if !strings.Contains(res.stdout, name) {
			t.Errorf("snapshot lacks %s", name)
		}
	}
}

func TestSecretFromFileAndStdin(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureEmpty, halotest.Options{})
	secret := vars["HALO_CLIENT_SECRET"]
	delete(vars, "HALO_CLIENT_SECRET")

	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if res := runCLI(t, vars, "snapshot", "--out", "-", "--client-secret-file", file); res.code != exitOK {
		t.Errorf("--client-secret-file FILE: exit %d: %s", res.code, res.stderr)
	}
	withStdin := mergeVars(vars, map[string]string{"<stdin>": secret + "\n"})
	if res := runCLI(t, withStdin, "snapshot", "--out", "-", "--client-secret-file", "-"); res.code != exitOK {
		t.Errorf("--client-secret-file -: exit %d: %s", res.code, res.stderr)
	}
}

func TestWrongCredentialsExit3WithoutTheSecret(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureEmpty, halotest.Options{})
	vars["HALO_CLIENT_SECRET"] = "SECRET-wrong-one"
	res := runCLI(t, vars, "audit")
	if res.code != exitNoAudit {
		t.Fatalf("exit %d, want 3: %s", res.code, res.stderr)
	}
	if strings.Contains(res.stderr, "SECRET-wrong-one") || strings.Contains(res.stdout, "SECRET-wrong-one") {
		t.Error("the secret was printed")
	}
	if !strings.Contains(res.stderr, halotest.AuditorClientID) || !strings.Contains(res.stderr, "/token") {
		t.Errorf("the message does not say which URL refused which client ID: %q", res.stderr)
	}
	if n := strings.Count(strings.TrimSpace(res.stderr), "\n"); n != 0 {
		t.Errorf("want one line on stderr, got %d:\n%s", n+1, res.stderr)
	}
}

// Halo answers an agent that may not read roles with an empty list, not
// 403: the audit says so beside the readiness findings it leads to. The
// notice is part of the report; the table shows it, and when the table is
// not on stdout it is on stderr too, one line. snapshot, which has no
// report, says it on stderr.
func TestEmptyRolesListIsPointedOut(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureCoveExact, halotest.Options{EmptyLists: []string{"roles"}})
	res := runCLI(t, vars, "audit", "-p", "cove", "-o", "json")
	if res.code != exitFindings {
		t.Errorf("exit %d, want 1 (the Cove role is not found): %s", res.code, res.stderr)
	}
	if n := strings.Count(res.stderr, "halolint: note: /api/Roles: the server answered an empty list of roles"); n != 1 {
		t.Errorf("want one note about the empty roles list on stderr, got %d: %q", n, res.stderr)
	}
	report := decodeReport(t, res.stdout)
	if len(report.Notices) != 1 || report.Notices[0].Kind != "empty-list" || report.Notices[0].Endpoint != "/api/Roles" ||
		!strings.Contains(report.Notices[0].Message, "empty list") {
		t.Errorf("report notices: %+v", report.Notices)
	}

	table := runCLI(t, vars, "audit", "-p", "cove")
	if !strings.Contains(table.stdout, "\nNotices:\n  /api/Roles: the server answered an empty list of roles") {
		t.Errorf("the table does not show the notice:\n%s", table.stdout)
	}
	if strings.Contains(table.stderr, "note:") {
		t.Errorf("the notice is on stderr beside the table: %q", table.stderr)
	}

	clean, _ := serveFixture(t, halotest.FixtureCoveExact, halotest.Options{})
	if res := runCLI(t, clean, "audit", "-p", "cove", "-o", "json"); !strings.Contains(res.stdout, `"notices": []`) {
		t.Errorf("a report without notices lacks \"notices\": []:\n%s", res.stdout)
	}

	snap := runCLI(t, vars, "snapshot", "--out", "-")
	if snap.code != exitOK || !strings.Contains(snap.stderr, "halolint: note: /api/Roles: the server answered an empty list of roles") {
		t.Errorf("snapshot: exit %d, no note on stderr: %q", snap.code, snap.stderr)
	}
}
