package bench

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/policies"
)

func TestComputeMinimum(t *testing.T) {
	role := func(id, name string) map[string]any { return map[string]any{"id": id, "name": name} }
	ref := func(id string) any { return map[string]any{"id": id} }
	tn := &halotest.Tenant{
		Roles: []map[string]any{role("r1", "Admin"), role("r2", "TimeZest"), role("r3", "Desk"), role("r4", "Unused")},
		Agents: []map[string]any{
			{"id": 1, "name": "Alex", "roles": []any{ref("r1")}},                          // login agent
			{"id": 2, "name": "API thing", "isapiagent": true, "roles": []any{ref("r3")}}, // API-only
			{"id": 3, "name": "Cove backup", "roles": []any{ref("r3"), ref("r1")}},        // named
			{"id": 4, "name": "Sam", "roles": []any{ref("r4")}},                           // not needed
		},
		Applications: []map[string]any{
			{"id": "a1", "_issystem": true, "loginas_agent_id": 4},
			{"id": "a2", "loginas_agent_id": 1},
			{"id": "a3", "loginas_agent_id": 99}, // a login agent the list lacks
			{"id": "a4"},
		},
		Categories: []map[string]any{{"id": 1, "type_id": 1}, {"id": 2, "type_id": 2}},
	}
	m := ComputeMinimum(tn, []string{"timezest", "COVE"})
	want := Minimum{Auth: 2, RolePages: 1, AgentPages: 1, AppPages: 1, CategoryPages: 1, Control: 1,
		Applications: 3, Agents: 4, Roles: 3, LoginAgents: 2, APIAgents: 1, NamedAgents: 1, NamedRoles: 1}
	if m != want {
		t.Errorf("ComputeMinimum = %+v, want %+v", m, want)
	}
	if m.Total() != 2+5+10 {
		t.Errorf("Total = %d, want 17", m.Total())
	}
}

func TestPages(t *testing.T) {
	for n, want := range map[int]int{0: 1, 1: 1, 99: 1, 100: 2, 101: 2, 1004: 11} {
		if got := pages(n); got != want {
			t.Errorf("pages(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestCollectMatchesMinimum runs the real collection of the small tenant
// (no latency) and checks the independent count against the server's:
// the request figures rest on both agreeing when the client is right.
func TestCollectMatchesMinimum(t *testing.T) {
	tn := halotest.Generate(SmallSpec)
	srv := halotest.New(tn, halotest.Options{})
	defer srv.Close()
	client, err := halo.NewClient(halo.Config{URL: srv.URL, ClientID: halotest.AuditorClientID,
		ClientSecret: halo.Secret(halotest.AuditorClientSecret), Transport: http.DefaultTransport.(*http.Transport).Clone()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := halo.Collect(context.Background(), client, halo.Plan{Keywords: keywords(t)}, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	m := ComputeMinimum(tn, keywords(t))
	if len(reqs) != m.Total() {
		t.Errorf("the client sent %d requests, the minimum is %s", len(reqs), m.Formula())
	}
	kinds := map[string]int{}
	for _, r := range reqs {
		kinds[RequestKind(r.Path, r.RawQuery)]++
	}
	if kinds["other"] != 0 || kinds["application"] != m.Applications || kinds["agent"] != m.Agents || kinds["role"] != m.Roles {
		t.Errorf("requests by kind %v, minimum %+v", kinds, m)
	}
}

func TestLargeSameIntegrations(t *testing.T) {
	small, large := halotest.Generate(SmallSpec), LargeSameIntegrations()
	if err := large.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(large.Roles) != len(small.Roles)+LargeSpec.Roles-SmallSpec.Roles || len(large.Agents) != len(small.Agents)+LargeSpec.Agents-SmallSpec.Agents {
		t.Errorf("large: %d roles, %d agents", len(large.Roles), len(large.Agents))
	}
	ms, ml := ComputeMinimum(small, keywords(t)), ComputeMinimum(large, keywords(t))
	if ms.Details() != ml.Details() {
		t.Errorf("details: small %d, large %d; want equal", ms.Details(), ml.Details())
	}
}

// TestFastClock checks that concurrent sleepers on the same deadline
// move the clock once, not once each.
func TestFastClock(t *testing.T) {
	c := NewFastClock()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := c.Sleep(context.Background(), time.Minute); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if s := c.Skipped(); s < time.Minute-time.Second || s > time.Minute+time.Second {
		t.Errorf("skipped %s after four concurrent sleeps of a minute, want about one minute", s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Error("Sleep with a cancelled context returned nil")
	}
}

func TestTables(t *testing.T) {
	figs := []Figure{{Name: "a|b", Measured: "1", Goal: "2", Status: Verdict(false)}, {Name: "c", Measured: "-", Goal: "x", Status: "n/a", Note: "why"}}
	var txt, md strings.Builder
	WriteTable(&txt, figs)
	WriteMarkdown(&md, figs)
	if !strings.Contains(txt.String(), "MISSED") || !strings.Contains(md.String(), `a\|b`) || !strings.Contains(md.String(), "n/a (why)") {
		t.Errorf("tables:\n%s\n%s", txt.String(), md.String())
	}
}

// keywords are the built-in profiles' keywords, from the engine's plan.
func keywords(t *testing.T) []string {
	t.Helper()
	e, err := audit.New(context.Background(), audit.Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := e.Plan(audit.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return plan.Keywords
}
