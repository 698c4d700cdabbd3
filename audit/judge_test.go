package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/policies"
)

// acmeEngine is the built-in policies beside the acme-sync document, and
// that document, whose tenant the tests change.
func acmeEngine(t *testing.T) (*Engine, *document) {
	t.Helper()
	e, d, _ := engineWith(t, acmeDoc)
	return e, d
}

// engineWith is the built-in policies beside one document (text), the
// document, and the engine's documents.
func engineWith(t *testing.T, text string) (*Engine, *document, *documentSet) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Builtin: policies.FS(), PolicyDirs: []string{dir}}
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := loadPolicies(opts, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range pol.docs.docs {
		if !d.builtin {
			return e, d, pol.docs
		}
	}
	t.Fatal("the document did not load")
	return nil, nil, nil
}

func tenantSnapshot(t *testing.T, d *document, change func(*docTenant)) *halo.Snapshot {
	t.Helper()
	tn := d.documentedTenant(PhaseOperate)
	change(tn)
	snap, err := tn.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func mustConfig(t *testing.T, text string) Config {
	t.Helper()
	cfg, err := ParseConfig([]byte(text), "halolint.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func day(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func resultOf(r *Report, id string) Result {
	for _, res := range r.Results {
		if res.ID == id {
			return res
		}
	}
	return Result{}
}

func noticeKinds(r *Report) []string {
	var out []string
	for _, n := range r.Notices {
		out = append(out, n.Kind)
	}
	return out
}

// TestAcceptanceDates: an acceptance applies before its expiry date, is
// announced within the 14 days before it, and on the day itself no longer
// applies: the finding counts again, with a notice.
func TestAcceptanceDates(t *testing.T) {
	t.Parallel()
	e, d := acmeEngine(t)
	snap := tenantSnapshot(t, d, func(tn *docTenant) { tn.dropClaim("Ux") })
	cfg := mustConfig(t, "accept:\n  - check: acme-sync.role.customers-access\n    reason: the sync reads tickets only until March\n    expires: 2027-03-31\n    by: jdoe\n")
	for _, tt := range []struct {
		today    string
		accepted bool
		notice   string
		code     int
	}{
		{"2027-03-16", true, "", ExitClean},
		{"2027-03-17", true, NoticeAcceptanceExpiring, ExitClean},
		{"2027-03-30", true, NoticeAcceptanceExpiring, ExitClean},
		{"2027-03-31", false, NoticeAcceptanceExpired, ExitFindings},
		{"2027-04-01", false, NoticeAcceptanceExpired, ExitFindings},
	} {
		rep, err := e.Evaluate(context.Background(), snap, Selection{Profiles: []string{"acme-sync"}, Config: cfg, Today: day(t, tt.today)})
		if err != nil {
			t.Fatal(err)
		}
		r := resultOf(rep, "acme-sync.role.customers-access")
		if r.Status != StatusFail || (r.Accepted != nil) != tt.accepted {
			t.Errorf("%s: status %s, accepted %+v", tt.today, r.Status, r.Accepted)
		}
		if tt.accepted && (r.Accepted.Reason != "the sync reads tickets only until March" || r.Accepted.By != "jdoe" || r.Accepted.Expires.String() != "2027-03-31") {
			t.Errorf("%s: accepted %+v", tt.today, r.Accepted)
		}
		kinds := noticeKinds(rep)
		if (tt.notice == "") != (len(kinds) == 0) || (tt.notice != "" && !slices.Contains(kinds, tt.notice)) {
			t.Errorf("%s: notices %v, want %q", tt.today, kinds, tt.notice)
		}
		if got := Gate(rep, FailOnFail); got.Code != tt.code || rep.Summary.Accepted != map[bool]int{true: 1}[tt.accepted] {
			t.Errorf("%s: gate %+v, summary %+v", tt.today, got, rep.Summary)
		}
	}
}

// TestAcceptanceNeverHidesAnError, and one that matches no finding is
// stale.
func TestAcceptanceNeverHidesAnError(t *testing.T) {
	t.Parallel()
	e, d := acmeEngine(t)
	snap := tenantSnapshot(t, d, func(*docTenant) {})
	snap.CollectionErrors = []halo.CollectionError{{Resource: halo.ResourceRole, ObjectID: caseRoleID, Endpoint: "/api/Roles/" + caseRoleID, Status: 403, Message: "Forbidden"}}
	cfg := mustConfig(t, "accept:\n  - check: acme-sync.role.customers-access\n    reason: hide it\n    expires: 2099-01-01\n")
	rep, err := e.Evaluate(context.Background(), snap, Selection{Profiles: []string{"acme-sync"}, Config: cfg, Today: day(t, "2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(rep, "acme-sync.role.customers-access"); r.Status != StatusError || r.Accepted != nil {
		t.Errorf("result %s accepted %+v", r.Status, r.Accepted)
	}
	if !slices.Contains(noticeKinds(rep), NoticeAcceptanceStale) || Gate(rep, FailOnFail).Code != ExitIncomplete {
		t.Errorf("notices %v, gate %+v", noticeKinds(rep), Gate(rep, FailOnFail))
	}
}

// TestAcceptanceMatchesOneObject: by ID when the entry gives one (a
// rename changes nothing), by type and name otherwise, and a name that
// two objects share matches neither.
func TestAcceptanceMatchesOneObject(t *testing.T) {
	t.Parallel()
	results := []Result{
		{ID: "c", Status: StatusWarn, Object: Object{Type: ObjectApplication, ID: "a1", Name: "Renamed Sync"}},
		{ID: "c", Status: StatusWarn, Object: Object{Type: ObjectApplication, ID: "a2", Name: "Dup"}},
		{ID: "c", Status: StatusWarn, Object: Object{Type: ObjectApplication, ID: "a3", Name: "dup"}},
		{ID: "c", Status: StatusWarn, Object: Object{Type: ObjectRole, ID: "r1", Name: "Old Sync"}},
	}
	today := day(t, "2026-12-01")
	accept := []Acceptance{
		{Check: "c", Object: "application/Old Sync", ObjectID: "a1", Reason: "pinned by id", Expires: day(t, "2099-01-01"), line: 2},
		{Check: "c", Object: "application/Dup", Reason: "two of that name", Expires: day(t, "2099-01-01"), line: 7},
	}
	notices := applyAcceptances(results, accept, today, "halolint.yaml")
	if results[0].Accepted == nil || results[0].Accepted.Reason != "pinned by id" {
		t.Errorf("the renamed application: %+v", results[0].Accepted)
	}
	if results[1].Accepted != nil || results[2].Accepted != nil || results[3].Accepted != nil {
		t.Errorf("accepted the wrong objects: %+v", results)
	}
	if len(notices) != 1 || notices[0].Kind != NoticeAcceptanceAmbiguous || notices[0].Endpoint != "halolint.yaml:7" {
		t.Errorf("notices %+v", notices)
	}
}

// TestCompareWithPreviousRun: two runs around a change. The second marks
// the new finding new and the old ones unchanged (a renamed object is the
// same object), lists the fixed one, and exits 1 only because of the new
// one; the same run against itself exits 0 although findings exist.
func TestCompareWithPreviousRun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, d := acmeEngine(t)
	sel := Selection{Profiles: []string{"acme-sync"}, Today: day(t, "2026-12-01"), Tool: Tool{Name: "halolint", Version: "test"}}
	first := tenantSnapshot(t, d, func(tn *docTenant) {
		tn.dropClaim("Ux")                                   // fixed before the second run
		tn.app.Scopes = append(tn.app.Scopes, "read:assets") // stays: unchanged
	})
	before, err := e.Evaluate(ctx, first, sel)
	if err != nil {
		t.Fatal(err)
	}
	previous := roundTrip(t, before)

	second := tenantSnapshot(t, d, func(tn *docTenant) {
		tn.app.Scopes = append(tn.app.Scopes, "read:assets")
		tn.app.DisplayName = "Acme Sync (renamed)" // same ID
		tn.dropClaim("l6")                         // new
	})
	sel.Previous = previous
	after, err := e.Evaluate(ctx, second, sel)
	if err != nil {
		t.Fatal(err)
	}
	if r := resultOf(after, "acme-sync.role.add-tickets"); r.Change != ChangeNew {
		t.Errorf("new finding: %+v", r)
	}
	if r := resultOf(after, "acme-sync.application.excess-scopes"); r.Status != StatusWarn || r.Change != ChangeUnchanged {
		t.Errorf("unchanged finding on the renamed application: %+v", r)
	}
	if len(after.Fixed) != 1 || after.Fixed[0].ID != "acme-sync.role.customers-access" {
		t.Errorf("fixed %+v", after.Fixed)
	}
	if g := Gate(after, FailOnWarn); g.Code != ExitFindings || g.Findings != 1 || g.Unchanged != 1 {
		t.Errorf("gate %+v", g)
	}
	if after.Previous == nil || slices.Contains(noticeKinds(after), NoticePreviousInstance) {
		t.Errorf("previous %+v, notices %v", after.Previous, noticeKinds(after))
	}

	sel.Previous = roundTrip(t, after)
	again, err := e.Evaluate(ctx, second, sel)
	if err != nil {
		t.Fatal(err)
	}
	if g := Gate(again, FailOnWarn); g.Code != ExitClean || again.Summary.Fail+again.Summary.Warn == 0 || len(again.Fixed) != 0 {
		t.Errorf("against itself: gate %+v, summary %+v, fixed %v", g, again.Summary, again.Fixed)
	}

	// Another instance's report: compared all the same, with a notice.
	other := roundTrip(t, after)
	other.Source.URL = "https://other.halopsa.example"
	sel.Previous = other
	rep, err := e.Evaluate(ctx, second, sel)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(noticeKinds(rep), NoticePreviousInstance) || len(rep.Fixed) != 0 {
		t.Errorf("another instance: notices %v, fixed %v", noticeKinds(rep), rep.Fixed)
	}
}

// roundTrip writes a report as JSON and reads it back, as --previous does.
func roundTrip(t *testing.T, r *Report) *Report {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseReport(b, "previous.json")
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestParseReportRefusesWhatIsNotAReport: exit 2 material, each named.
func TestParseReportRefusesWhatIsNotAReport(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"not JSON":        "accept: []",
		"another tool":    `{"schema_version": 1, "tool": {"name": "trivy"}, "results": []}`,
		"another version": `{"schema_version": 2, "tool": {"name": "halolint"}, "results": []}`,
		"no results":      `{"schema_version": 1, "tool": {"name": "halolint"}}`,
		"damaged result":  `{"schema_version": 1, "tool": {"name": "halolint"}, "results": [{"id": "x", "status": "great", "object": {"type": "role"}}]}`,
	} {
		_, err := ParseReport([]byte(text), "old.json")
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.HasPrefix(ue.Message, "--previous old.json: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestStarterAcceptList: every fail and warn once, pinned to its object's
// ID, with the placeholder; the list it writes is a valid config whose
// placeholders are announced.
func TestStarterAcceptList(t *testing.T) {
	t.Parallel()
	e, d := acmeEngine(t)
	snap := tenantSnapshot(t, d, func(tn *docTenant) {
		tn.dropClaim("Ux")
		tn.app.Scopes = append(tn.app.Scopes, "read:assets")
	})
	rep, err := e.Evaluate(context.Background(), snap, Selection{Profiles: []string{"acme-sync"}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := StarterAcceptList(rep, "today.json", day(t, "2027-01-31"), "jdoe")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("object_id: "+caseAppID)) || bytes.Count(out, []byte("- check: ")) != 2 {
		t.Errorf("starter list:\n%s", out)
	}
	cfg, err := ParseConfig(out, "starter.yaml")
	if err != nil {
		t.Fatalf("the starter list is not a valid config: %v\n%s", err, out)
	}
	again, err := e.Evaluate(context.Background(), snap, Selection{Profiles: []string{"acme-sync"}, Config: cfg, Today: day(t, "2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	if again.Summary.Accepted != 2 || Gate(again, FailOnWarn).Code != ExitClean || !slices.Contains(noticeKinds(again), NoticeAcceptancePlaceholder) {
		t.Errorf("with the starter list: summary %+v, notices %v", again.Summary, noticeKinds(again))
	}

}
