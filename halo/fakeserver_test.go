package halo_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// These tests collect whole fixture tenants from the fake HaloPSA server
// (internal/halotest), which reproduces the API's quirks: bare arrays and
// envelopes, hidden API agents, details only on request, pagination, 429
// without Retry-After.

// sharedClock drives both the client's budget and backoff and the fake
// server's rate window, so minutes of waiting take no real time.
type sharedClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *sharedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *sharedClock) Sleep(ctx context.Context, d time.Duration) error {
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

// wantEveryObject checks that the snapshot holds every role, agent (API-only
// and disabled included) and application of the tenant.
func wantEveryObject(t *testing.T, snap *halo.Snapshot, tenant *halotest.Tenant) {
	t.Helper()
	if got, want := len(snap.Roles), len(tenant.Roles); got != want {
		t.Errorf("roles: got %d, want %d", got, want)
	}
	if got, want := len(snap.Agents), len(tenant.Agents); got != want {
		t.Errorf("agents (API-only and disabled included): got %d, want %d", got, want)
	}
	if got, want := len(snap.Applications), len(tenant.Applications); got != want {
		t.Errorf("applications: got %d, want %d", got, want)
	}
}

func collectFrom(t *testing.T, tenant *halotest.Tenant, opts halotest.Options, tune func(*halo.Config)) (*halo.Snapshot, *halotest.Server) {
	t.Helper()
	srv := halotest.New(tenant, opts)
	t.Cleanup(srv.Close)
	cfg := halo.Config{
		URL:          srv.URL,
		ClientID:     halotest.AuditorClientID,
		ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		Version:      "test",
		Jitter:       func(max time.Duration) time.Duration { return max / 2 },
	}
	if tune != nil {
		tune(&cfg)
	}
	client, err := halo.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	snap, err := halo.Collect(context.Background(), client, halo.Plan{Keywords: []string{"gradient", "mspcentric", "synthesize", "timezest", "cove"}}, nil)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return snap, srv
}

func TestCollectFixturesCompleteReadOnlyAndRedacted(t *testing.T) {
	t.Parallel()
	for _, name := range halotest.FixtureNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tenant := halotest.MustFixture(name)
			snap, srv := collectFrom(t, tenant, halotest.Options{}, nil)

			if len(snap.CollectionErrors) != 0 {
				t.Errorf("collection errors: %+v", snap.CollectionErrors)
			}
			wantEveryObject(t, snap, tenant)
			if snap.Control == nil {
				t.Error("control not collected")
			}
			if snap.Auditor.ApplicationID == "" {
				t.Error("the auditor's own application was not identified")
			}
			for _, app := range snap.Applications {
				if !app.IsSystem && !app.Detailed {
					t.Errorf("application %q: details not read", app.DisplayName)
				}
			}

			for _, r := range srv.Requests() {
				if isToken := r.Method == http.MethodPost && strings.HasSuffix(strings.ToLower(r.Path), "/token"); r.Method != http.MethodGet && !isToken {
					t.Errorf("write request reached the server: %s %s", r.Method, r.Path)
				}
			}
			if snap.RequestCount != len(srv.Requests()) {
				t.Errorf("snapshot says %d requests, the server received %d", snap.RequestCount, len(srv.Requests()))
			}

			var buf bytes.Buffer
			if err := halo.WriteSnapshot(&buf, snap); err != nil {
				t.Fatal(err)
			}
			written := buf.String()
			for _, secret := range append(tenant.Secrets(), srv.IssuedTokens()...) {
				if secret != "" && strings.Contains(written, secret) {
					t.Errorf("secret %q found in the snapshot", secret)
				}
			}
			for _, marker := range []string{"SECRET-", "TOKEN-"} {
				if strings.Contains(written, marker) {
					t.Errorf("secret marker %q found in the snapshot", marker)
				}
			}
		})
	}
}

// A rate limit of 40 requests per 10 s and one injected 500 still give
// every object, with at most a couple of 429s.
func TestCollectUnderRateLimitWithInjected500(t *testing.T) {
	t.Parallel()
	clock := &sharedClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	// Enough applications that the collection needs more than one window.
	tenant := halotest.Generate(halotest.GenerateSpec{Seed: 7, Roles: 30, Agents: 40, Applications: 60})
	opts := halotest.Options{
		RateLimit:  40,
		RateWindow: 10 * time.Second,
		Now:        clock.Now,
		FailTimes:  map[string]int{"/api/roles": 1},
	}
	snap, srv := collectFrom(t, tenant, opts, func(c *halo.Config) {
		c.Clock = clock
		// One request at a time: the shared fake clock jumps forward on
		// every Sleep, so concurrent sleepers would add their waits up
		// and the server would see requests later than the budget let
		// them go, which no real clock does.
		c.Concurrency = 1
		c.MaxRequestsPerWindow = 40
		c.Window = 10 * time.Second
	})

	if len(snap.CollectionErrors) != 0 {
		t.Fatalf("collection errors: %+v", snap.CollectionErrors)
	}
	wantEveryObject(t, snap, tenant)
	var tooMany, served500 int
	for _, r := range srv.Requests() {
		switch r.Status {
		case http.StatusTooManyRequests:
			tooMany++
		case http.StatusInternalServerError:
			served500++
		}
	}
	if served500 != 1 {
		t.Errorf("the injected 500 was served %d times, want 1", served500)
	}
	if tooMany > 2 {
		t.Errorf("%d answers were 429; the budget should keep it to a couple at most", tooMany)
	}
	if n := len(srv.Requests()); n <= 40 {
		t.Errorf("only %d requests: the test needs more than one window's worth", n)
	}
	if elapsed := clock.Now().Sub(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)); elapsed < 10*time.Second {
		t.Errorf("collection took %s of fake time; the budget should have waited for the next window", elapsed)
	}
}

// A tenant that needs more requests than the budget allows before the
// deadline fails once the lists tell how many, not half-way through.
func TestCollectRefusesAPlanTheBudgetCannotMeetInTime(t *testing.T) {
	t.Parallel()
	tenant := halotest.Generate(halotest.GenerateSpec{Seed: 3, Roles: 10, Agents: 10, Applications: 60})
	srv := halotest.New(tenant, halotest.Options{})
	t.Cleanup(srv.Close)
	client, err := halo.NewClient(halo.Config{
		URL: srv.URL, ClientID: halotest.AuditorClientID, ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		MaxRequestsPerWindow: 20, Window: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = halo.Collect(ctx, client, halo.Plan{}, nil)
	if err == nil || !strings.Contains(err.Error(), "raise --timeout") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a plan the budget cannot meet", err)
	}
	if n := len(srv.Requests()); n > 7 {
		t.Errorf("%d requests sent before giving up; only authinfo, token and the five lists were needed to know", n)
	}
}

// Lists longer than a page arrive whole, whether the endpoint pages
// (envelopes of 100) or ignores paging and answers one bare array, as
// /api/Agent and /api/Category most likely do.
func TestCollectLongListsPagedAndUnpaged(t *testing.T) {
	t.Parallel()
	tenant := halotest.Generate(halotest.GenerateSpec{Seed: 11, Roles: 230, Agents: 160, Applications: 4, Categories: 400})
	var category1 int
	for _, c := range tenant.Categories {
		if n, _ := halotest.AsInt(c["type_id"]); n == 1 {
			category1++
		}
	}
	pages := func(n int) int { return max(1, (n+99)/100) }
	paged := map[string]int{
		halotest.ListRoles:        pages(len(tenant.Roles)),
		halotest.ListAgents:       pages(len(tenant.Agents)),
		halotest.ListApplications: pages(len(tenant.Applications)),
		halotest.ListCategories:   pages(category1),
	}
	if paged[halotest.ListRoles] < 2 || paged[halotest.ListAgents] < 2 || paged[halotest.ListCategories] < 2 {
		t.Fatalf("the tenant is too small to need several pages: %v", paged)
	}
	for _, tc := range []struct {
		name      string
		opts      halotest.Options
		listPages int
	}{
		{"paged envelopes", halotest.Options{},
			paged[halotest.ListRoles] + paged[halotest.ListAgents] + paged[halotest.ListApplications] + paged[halotest.ListCategories]},
		{"agents and categories unpaged, bare", halotest.Options{IgnorePaging: []string{halotest.ListAgents, halotest.ListCategories}},
			paged[halotest.ListRoles] + 1 + paged[halotest.ListApplications] + 1},
		{"everything unpaged, bare", halotest.Options{
			IgnorePaging: []string{halotest.ListRoles, halotest.ListAgents, halotest.ListApplications, halotest.ListCategories},
			Envelope:     map[string]bool{halotest.ListRoles: false, halotest.ListApplications: false},
		}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			snap, srv := collectFrom(t, tenant, tc.opts, nil)
			if len(snap.CollectionErrors) != 0 {
				t.Fatalf("collection errors: %+v", snap.CollectionErrors)
			}
			wantEveryObject(t, snap, tenant)
			if got := len(snap.Categories); got != category1 {
				t.Errorf("categories: got %d, want %d", got, category1)
			}
			var pages int
			for _, r := range srv.Requests() {
				if strings.Contains(r.RawQuery, "pageinate=true") {
					pages++
				}
			}
			if pages != tc.listPages {
				t.Errorf("%d list requests, want %d", pages, tc.listPages)
			}
		})
	}
}
