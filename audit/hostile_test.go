package audit_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/policies"
)

// These tests read the demo's sample tenant from a hostile fake server
// (halotest.Options.Rewrite: the same tenant, served the way a buggy,
// edited-while-read or hostile instance would) and judge it with the real
// policies. The promise they hold: what fails on the tenant read cleanly
// still fails, or reports error; it never passes.

var realEngine = sync.OnceValues(func() (*audit.Engine, error) {
	return audit.New(context.Background(), audit.Options{Builtin: policies.FS()})
})

func hostileEngine(t testing.TB) *audit.Engine {
	t.Helper()
	e, err := realEngine()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// read collects tenant from a fake server with opts and judges it with
// every profile.
func read(t testing.TB, tenant *halotest.Tenant, opts halotest.Options) (*halo.Snapshot, *audit.Report) {
	t.Helper()
	srv := halotest.New(tenant, opts)
	defer srv.Close()
	e := hostileEngine(t)
	plan, err := e.Plan(audit.Config{})
	if err != nil {
		t.Fatal(err)
	}
	client, err := halo.NewClient(halo.Config{
		URL: srv.URL, ClientID: halotest.AuditorClientID, ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		Version: "test", MaxRequestsPerWindow: 100_000, MaxAttempts: 2,
		Jitter: func(time.Duration) time.Duration { return 0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := halo.Collect(context.Background(), client, plan, nil)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	rep, err := e.Evaluate(context.Background(), snap, audit.Selection{Profiles: []string{audit.SelectAll}})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	return snap, rep
}

var cleanSample = sync.OnceValues(func() (*audit.Report, error) {
	var rep *audit.Report
	var fatal string
	t := &testing.T{}
	func() {
		defer func() {
			if r := recover(); r != nil {
				fatal = fmt.Sprint(r)
			}
		}()
		_, rep = read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{})
	}()
	if fatal != "" || rep == nil {
		return nil, fmt.Errorf("the clean read failed: %s", fatal)
	}
	return rep, nil
})

func resultKey(r audit.Result) string {
	return r.ID + " " + string(r.Object.Type) + "/" + r.Object.ID + "/" + r.Object.Name
}

// passesWhatFailed lists the results that fail (or warn) on the clean read
// and pass on got: each is a finding a hostile server made disappear.
func passesWhatFailed(clean, got *audit.Report) []string {
	status := map[string]audit.Status{}
	for _, r := range got.Results {
		status[resultKey(r)] = r.Status
	}
	var out []string
	for _, r := range clean.Results {
		if r.Status != audit.StatusFail && r.Status != audit.StatusWarn {
			continue
		}
		if s, ok := status[resultKey(r)]; ok && (s == audit.StatusPass || s == audit.StatusManual) {
			out = append(out, fmt.Sprintf("%s: %s on the clean read, %s now", resultKey(r), r.Status, s))
		}
	}
	sort.Strings(out)
	return out
}

func countStatus(rep *audit.Report, s audit.Status) int {
	n := 0
	for _, r := range rep.Results {
		if r.Status == s {
			n++
		}
	}
	return n
}

// sampleIDs are the sample tenant's objects the hostile servers aim at.
const (
	timeZestRole    = "b3815d83-5040-57f0-9709-bd50d08cc33f"
	legacyRMMApp    = "f6b1a5e3-2987-5b13-9ba8-f13bbfc48bcf"
	timeZestApp     = "0fffc0ac-bdde-5342-9ecd-753e1bef86b9"
	timeZestAgent   = "21"
	timeZestAgentID = 21
)

// assertNothingHidden fails when a finding of the clean read passes on rep,
// or when rep has fewer fails than the clean read and no error.
func assertNothingHidden(t *testing.T, rep *audit.Report) {
	t.Helper()
	clean, err := cleanSample()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range passesWhatFailed(clean, rep) {
		t.Error(line)
	}
	if errs := countStatus(rep, audit.StatusError); errs == 0 && countStatus(rep, audit.StatusFail) < countStatus(clean, audit.StatusFail) {
		t.Errorf("%d fails and no error, the clean read has %d fails", countStatus(rep, audit.StatusFail), countStatus(clean, audit.StatusFail))
	}
}

// Defect 1: an object listed twice (a page boundary moving while objects
// are added, or a server that repeats one) was judged on the copy that
// received no details: the TimeZest leftover administrator passed.
func TestObjectListedTwiceIsNeverJudgedEmpty(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		rewrite halotest.Rewrite
	}{
		{"a role", halotest.DuplicateObject("/api/roles", timeZestRole)},
		{"a role, the copy stripped of its notes", halotest.DuplicateObject("/api/roles", timeZestRole, "notes")},
		{"a role, the copies disagreeing", halotest.Rewrites(halotest.DuplicateObject("/api/roles", timeZestRole),
			editListed("/api/roles", timeZestRole, 1, func(m map[string]any) { m["is_integration"] = true }))},
		{"an application", halotest.DuplicateObject("/api/application", legacyRMMApp)},
		{"an application logging in as an administrator", halotest.DuplicateObject("/api/application", timeZestApp, "loginas_agent_id")},
		{"an agent", halotest.DuplicateObject("/api/agent", timeZestAgent)},
		{"an agent, the copy without its roles", halotest.DuplicateObject("/api/agent", timeZestAgent, "roles")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			snap, rep := read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{Rewrite: tc.rewrite})
			assertNothingHidden(t, rep)
			seen := map[string]int{}
			for _, r := range snap.Roles {
				seen["role "+r.ID]++
			}
			for _, a := range snap.Applications {
				seen["application "+a.ID]++
			}
			for _, a := range snap.Agents {
				seen[fmt.Sprint("agent ", a.ID)]++
			}
			for k, n := range seen {
				if n > 1 {
					t.Errorf("%s is in the snapshot %d times", k, n)
				}
			}
		})
	}
}

// editListed edits the n-th (0-based) copy of the object with that id in
// the list on pattern.
func editListed(pattern, id string, n int, edit func(map[string]any)) halotest.Rewrite {
	return halotest.EditJSON(pattern, func(v any, _ *halotest.Answer) any {
		var items []any
		switch x := v.(type) {
		case []any:
			items = x
		case map[string]any:
			for _, e := range x {
				if arr, ok := e.([]any); ok {
					items = arr
				}
			}
		}
		seen := 0
		for _, it := range items {
			if m, ok := it.(map[string]any); ok && fmt.Sprint(m["id"]) == id {
				if seen == n {
					edit(m)
				}
				seen++
			}
		}
		return v
	})
}

// Defect 14: an agent whose id cannot be read became agent 0, and the
// applications without a login agent were judged as logging in as it.
func TestUnreadableIDIsADecodeError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		rewrite halotest.Rewrite
		want    string
	}{
		{"an agent's id", editListed("/api/agent", "2", 0, func(m map[string]any) { m["id"] = "two" }), "/api/Agent"},
		{"an agent's id, a fraction", editListed("/api/agent", "2", 0, func(m map[string]any) { m["id"] = 2.5 }), "/api/Agent"},
		{"a role's id", editListed("/api/roles", timeZestRole, 0, func(m map[string]any) { m["id"] = map[string]any{"guid": timeZestRole} }), "/api/Roles"},
		{"an application's login agent", halotest.EditObject("/api/application/"+timeZestApp, func(m map[string]any) { m["loginas_agent_id"] = "twenty-one" }), "/api/Application/" + timeZestApp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			snap, rep := read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{Rewrite: tc.rewrite})
			assertNothingHidden(t, rep)
			var found bool
			for _, ce := range snap.CollectionErrors {
				found = found || strings.HasPrefix(ce.Endpoint, tc.want) && strings.Contains(ce.Message, "id")
			}
			if !found {
				t.Errorf("no collection error on %s: %+v", tc.want, snap.CollectionErrors)
			}
			for _, a := range snap.Agents {
				if a.ID == 0 {
					t.Errorf("an agent 0 is in the snapshot: %+v", a)
				}
			}
		})
	}
}

const threatLockerAgent = 30

// Defect 2: permission fields of an unexpected shape read as "nothing
// granted", so the administrator and excess checks passed. Each is now a
// collection error for its object, whose checks report error.
func TestPermissionsOfAnotherShapeAreCollectionErrors(t *testing.T) {
	t.Parallel()
	role := "/api/roles/" + timeZestRole
	app := "/api/application/" + legacyRMMApp
	agent := fmt.Sprintf("/api/agent/%d", timeZestAgentID)
	for _, tc := range []struct {
		name, path, field string
		value             any
		endpoint          string
	}{
		{"claims as a string", role, "claims", "SA", "/api/Roles/" + timeZestRole},
		{"claims as a number", role, "claims", 1, "/api/Roles/" + timeZestRole},
		{"claims as true", role, "claims", true, "/api/Roles/" + timeZestRole},
		{"claims as a list of strings", role, "claims", []any{"SA", "Tx"}, "/api/Roles/" + timeZestRole},
		{"claims without type", role, "claims", []any{map[string]any{"value": "true"}}, "/api/Roles/" + timeZestRole},
		{"a claim whose value is an object", role, "claims", []any{map[string]any{"type": "SA", "value": map[string]any{"v": true}}}, "/api/Roles/" + timeZestRole},
		{"an agent's own claims as a string", agent, "claims", "SA", fmt.Sprintf("/api/Agent/%d", timeZestAgentID)},
		{"an agent's roles as a string", agent, "roles", "TimeZest", fmt.Sprintf("/api/Agent/%d", timeZestAgentID)},
		{"an agent's roles without id or name", agent, "roles", []any{map[string]any{"x": 1}}, fmt.Sprintf("/api/Agent/%d", timeZestAgentID)},
		{"scopes as a number", app, "scopes", 5, "/api/Application/" + legacyRMMApp},
		{"scopes as an object", app, "scopes", map[string]any{"name": "all"}, "/api/Application/" + legacyRMMApp},
		{"scopes of numbers", app, "scopes", []any{5}, "/api/Application/" + legacyRMMApp},
		{"scopes without names", app, "scopes", []any{map[string]any{"id": 1}}, "/api/Application/" + legacyRMMApp},
		{"scopes under another key", app, "scopes", nil, "/api/Application/" + legacyRMMApp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rewrite := halotest.SetField(tc.path, tc.field, tc.value)
			if tc.value == nil {
				rewrite = halotest.Rewrites(halotest.SetField(tc.path, "permissions", []any{"all"}), rewrite)
			}
			snap, rep := read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{Rewrite: rewrite})
			assertNothingHidden(t, rep)
			var found bool
			for _, ce := range snap.CollectionErrors {
				found = found || ce.Endpoint == tc.endpoint+"?includedetails=true"
			}
			if !found {
				t.Errorf("no collection error for %s: %+v", tc.endpoint, snap.CollectionErrors)
			}
		})
	}
}

// Defect 2: where the agent list says is_admin true and no claim read
// grants administrator rights, the more permissive wins, and the message
// says where it comes from.
func TestIsAdminOfTheAgentListCounts(t *testing.T) {
	t.Parallel()
	admin := func(m map[string]any) {
		if fmt.Sprint(m["id"]) == fmt.Sprint(threatLockerAgent) {
			m["is_admin"] = true
		}
	}
	_, rep := read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{Rewrite: halotest.Rewrites(
		halotest.EditObject("/api/agent", admin), halotest.EditObject("/api/agent/*", admin))})
	assertNothingHidden(t, rep)
	var found bool
	for _, r := range rep.Results {
		if r.ID == "baseline.agent.api-agent-admin" && r.Object.ID == fmt.Sprint(threatLockerAgent) {
			found = true
			if r.Status != audit.StatusWarn && r.Status != audit.StatusFail || !strings.Contains(r.Message, "is_admin") {
				t.Errorf("the API agent the list calls an administrator: %s %q", r.Status, r.Message)
			}
		}
	}
	if !found {
		t.Error("no result on the ThreatLocker API agent")
	}
}

// Defect 4: a claim code listed twice kept its last value: SA "true" then
// SA "false" passed an administrator, on a role and on an agent's own
// claims.
func TestClaimListedTwiceIsNeverTheLowerValue(t *testing.T) {
	t.Parallel()
	appendClaim := func(code, value string) func(map[string]any) {
		return func(m map[string]any) {
			claims, _ := m["claims"].([]any)
			m["claims"] = append(claims, map[string]any{"type": code, "value": value})
		}
	}
	_, rep := read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{
		Rewrite: halotest.EditObject("/api/roles/"+timeZestRole, appendClaim("SA", "false")),
	})
	assertNothingHidden(t, rep)

	_, rep = read(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{
		Rewrite: halotest.EditObject(fmt.Sprintf("/api/agent/%d", threatLockerAgent), func(m map[string]any) {
			appendClaim("SA", "true")(m)
			appendClaim("SA", "false")(m)
		}),
	})
	assertNothingHidden(t, rep)
	var warned bool
	for _, r := range rep.Results {
		warned = warned || r.ID == "baseline.agent.api-agent-admin" && r.Object.ID == fmt.Sprint(threatLockerAgent) && r.Status == audit.StatusWarn
	}
	if !warned {
		t.Error("the API agent whose own claims say SA true, then false, is not an administrator")
	}
}
