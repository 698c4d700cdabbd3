package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// The conditions of the request figures: the hosted rate limit
// and a latency typical of a hosted instance.
const (
	Latency    = 150 * time.Millisecond
	RateLimit  = 300
	RateWindow = 5 * time.Minute
)

// SmallSpec and LargeSpec are the tenants of the request figures.
var (
	SmallSpec = halotest.GenerateSpec{Seed: 1, Roles: 40, Applications: 15, Agents: 60}
	LargeSpec = halotest.GenerateSpec{Seed: 2, Roles: 1000, Applications: 150, Agents: 800}
)

// LargeSameIntegrations is the small tenant grown to the large tenant's
// roles and agents with nothing else added: the same applications and the
// same API-only agents, so the same integrations. The extra roles and
// agents come from a generated tenant (seed 3) and are ordinary: no
// extra agent is API-only or the login agent of an application, and no
// name matches a profile keyword.
func LargeSameIntegrations() *halotest.Tenant {
	t := halotest.Generate(SmallSpec)
	more := halotest.Generate(halotest.GenerateSpec{Seed: 3,
		Roles:  LargeSpec.Roles - SmallSpec.Roles,
		Agents: LargeSpec.Agents - SmallSpec.Agents,
	})
	fixed := map[string]bool{"Administrator": true, "MSPCentric": true, "TimeZest": true, "Cove-Role": true}
	kept := map[string]bool{}
	for _, r := range more.Roles {
		if name, _ := r["name"].(string); !fixed[name] {
			r["name"] = "Extra " + name
			t.Roles = append(t.Roles, r)
			kept[r["id"].(string)] = true
		}
	}
	next := 100000
	for _, a := range more.Agents {
		if id, _ := halotest.AsInt(a["id"]); id < 1000 {
			continue // the fixed agents: administrator, MSPCentric, TimeZest API
		}
		var refs []any
		var names []string
		for _, r := range a["roles"].([]any) {
			ref := r.(map[string]any)
			if kept[ref["id"].(string)] {
				ref["name"] = "Extra " + ref["name"].(string)
				refs = append(refs, ref)
				names = append(names, ref["name"].(string))
			}
		}
		a["id"] = next
		a["name"] = fmt.Sprintf("Extra agent %d", next)
		a["isapiagent"] = false
		a["email"] = fmt.Sprintf("extra.agent.%d@example-msp.test", next)
		a["roles"] = refs
		a["role_list"] = strings.Join(names, ", ")
		a["password"] = fmt.Sprintf("SECRET-agent-%d-password", next)
		a["new_access_token"] = fmt.Sprintf("TOKEN-agent-%d-new-access", next)
		t.Agents = append(t.Agents, a)
		next++
	}
	t.Name = "large-same-integrations"
	return t
}

// Collection is what one collection cost.
type Collection struct {
	Tenant  string
	Counts  string // roles/applications/agents of the tenant
	Minimum Minimum
	// Requests is every request the server received, retries included;
	// ByKind splits them.
	Requests int
	ByKind   map[string]int
	// TooMany is the 429 answers.
	TooMany int
	// Real is the real time Collect took; Waited the rate-budget and
	// backoff waits skipped by the FastClock. Wall = Real + Waited.
	Real, Waited time.Duration
	// Errors is the snapshot's collection errors.
	Errors int
}

// Wall is the wall time the collection takes against a real server.
func (c Collection) Wall() time.Duration { return c.Real + c.Waited }

// Sequential is requests × latency: the time one request at a time would
// take.
func (c Collection) Sequential() time.Duration { return time.Duration(c.Requests) * Latency }

// Details is the detail requests received (retries included).
func (c Collection) Details() int {
	return c.ByKind["application"] + c.ByKind["agent"] + c.ByKind["role"]
}

// Collect serves t with the figures' latency and rate limit and collects
// it with the client and plan `halolint audit` uses (the default budget of
// 150 requests per 5 minutes, 4 details in flight), on a FastClock so that
// a budget wait costs no real time.
func Collect(ctx context.Context, name string, t *halotest.Tenant, keywords []string) (Collection, error) {
	clock := NewFastClock()
	srv := halotest.New(t, halotest.Options{Latency: Latency, RateLimit: RateLimit, RateWindow: RateWindow, Now: clock.Now})
	defer srv.Close()
	client, err := halo.NewClient(halo.Config{
		URL:          srv.URL,
		ClientID:     halotest.AuditorClientID,
		ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		Version:      "bench",
		Clock:        clock,
		Transport:    http.DefaultTransport.(*http.Transport).Clone(),
	})
	if err != nil {
		return Collection{}, err
	}
	start := time.Now()
	snap, err := halo.Collect(ctx, client, halo.Plan{Keywords: keywords}, nil)
	real := time.Since(start)
	if err != nil {
		return Collection{}, fmt.Errorf("collect %s: %w", name, err)
	}
	c := Collection{
		Tenant:  name,
		Counts:  fmt.Sprintf("%d roles, %d applications, %d agents", len(t.Roles), len(t.Applications), len(t.Agents)),
		Minimum: ComputeMinimum(t, keywords),
		ByKind:  map[string]int{},
		Real:    real,
		Waited:  clock.Skipped(),
		Errors:  len(snap.CollectionErrors),
	}
	for _, r := range srv.Requests() {
		c.Requests++
		c.ByKind[RequestKind(r.Path, r.RawQuery)]++
		if r.Status == http.StatusTooManyRequests {
			c.TooMany++
		}
	}
	return c, nil
}

// RequestKind names what a request read: auth, list, application, agent
// or role (a detail), control.
func RequestKind(path, query string) string {
	p := strings.ToLower(strings.TrimRight(path, "/"))
	switch {
	case p == "/api/authinfo" || strings.HasSuffix(p, "/token"):
		return "auth"
	case strings.Contains(query, "pageinate=true"):
		return "list"
	case strings.HasPrefix(p, "/api/application/"):
		return "application"
	case strings.HasPrefix(p, "/api/agent/"):
		return "agent"
	case strings.HasPrefix(p, "/api/roles/"):
		return "role"
	case p == "/api/control":
		return "control"
	}
	return "other"
}
