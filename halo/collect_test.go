package halo

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var profileKeywords = []string{"gradient", "mspcentric", "synthesize", "timezest", "cove"}

func TestCollectReadsOnlyTheDetailsTheChecksNeed(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	clock := newFakeClock()
	client := newTestClient(t, testConfig(ts, clock))

	var calls, lastDone, lastPlanned int
	snap, err := Collect(context.Background(), client, Plan{Keywords: profileKeywords}, func(done, planned int) {
		calls++
		if done > planned {
			t.Errorf("progress: done %d > planned %d", done, planned)
		}
		lastDone, lastPlanned = done, planned
	})
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}

	want := []string{
		"GET /api/Agent/1?includedetails=true",
		"GET /api/Agent/2?includedetails=true",
		"GET /api/Agent/3?includedetails=true",
		"GET /api/Agent/7?includedetails=true",
		"GET /api/Agent?includeapiagents=true&includedisabled=true&includeroles=true&page_no=1&page_size=100&pageinate=true",
		"GET /api/Application/a-auditor?includedetails=true",
		"GET /api/Application/a-cove?includedetails=true",
		"GET /api/Application/a-tz?includedetails=true",
		"GET /api/Application?page_no=1&page_size=100&pageinate=true",
		"GET /api/Category?page_no=1&page_size=100&pageinate=true&type_id=1",
		"GET /api/Control",
		"GET /api/Roles/r-admin?includedetails=true",
		"GET /api/Roles/r-cove?includedetails=true",
		"GET /api/Roles/r-gradient?includedetails=true",
		"GET /api/Roles/r-tz?includedetails=true",
		"GET /api/Roles?page_no=1&page_size=100&pageinate=true",
	}
	got := ts.apiRequests()
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	// 1 authinfo + 1 token + 5 lists + 3 applications + 4 agents + 4 roles.
	if snap.RequestCount != 18 || len(ts.Requests()) != 18 {
		t.Errorf("RequestCount = %d, server saw %d, want 18", snap.RequestCount, len(ts.Requests()))
	}
	if calls == 0 || lastDone != 18 || lastPlanned != 18 {
		t.Errorf("progress: %d calls, last (%d, %d), want last (18, 18)", calls, lastDone, lastPlanned)
	}

	if len(snap.CollectionErrors) != 0 || len(snap.Notices) != 0 {
		t.Errorf("unexpected errors %+v or notices %+v", snap.CollectionErrors, snap.Notices)
	}
	if snap.Source.URL != ts.URL || !snap.Source.CollectedAt.Equal(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("Source = %+v", snap.Source)
	}
	if snap.Auditor != (Auditor{ClientID: testClientID, ApplicationID: "a-auditor"}) {
		t.Errorf("Auditor = %+v", snap.Auditor)
	}

	names := func(n int, name func(int) string) []string {
		var out []string
		for i := range n {
			out = append(out, name(i))
		}
		return out
	}
	if diff := cmp.Diff([]string{"Administrators", "Cove-Role", "Gradient API role", "Sales", "TimeZest role"},
		names(len(snap.Roles), func(i int) string { return snap.Roles[i].Name })); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Alice Admin", "Bob Sales", "Cove API", "Dan Disabled", "Synthesize Bot", "TimeZest API"},
		names(len(snap.Agents), func(i int) string { return snap.Agents[i].Name })); diff != "" {
		t.Errorf("agents (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Cove-HaloPSA", "Halo Mobile", "halolint", "TimeZest"},
		names(len(snap.Applications), func(i int) string { return snap.Applications[i].DisplayName })); diff != "" {
		t.Errorf("applications (-want +got):\n%s", diff)
	}
	if snap.Categories[0].ID != 4 || snap.Categories[0].TypeID != 1 || snap.Categories[1].ID != 9 {
		t.Errorf("categories = %+v", snap.Categories)
	}

	for _, r := range snap.Roles {
		if wantDetailed := r.Name != "Sales"; r.Detailed != wantDetailed {
			t.Errorf("role %s: Detailed = %v, want %v", r.Name, r.Detailed, wantDetailed)
		}
		if r.Name == "Cove-Role" {
			if diff := cmp.Diff(Claims{{"Tx", "2"}, {"Ux", "2"}}, r.Claims); diff != "" {
				t.Errorf("Cove-Role claims (-want +got):\n%s", diff)
			}
			if len(r.Departments) != 1 || r.Departments[0].MembershipLevel != 3 || r.Departments[0].Extra["includeteamsintree"] != true {
				t.Errorf("Cove-Role departments = %+v", r.Departments)
			}
		}
	}
	for _, a := range snap.Agents {
		wantDetailed := a.ID == 1 || a.ID == 2 || a.ID == 3 || a.ID == 7
		if a.Detailed != wantDetailed {
			t.Errorf("agent %s: Detailed = %v, want %v", a.Name, a.Detailed, wantDetailed)
		}
		if a.Name == "Dan Disabled" && !a.IsDisabled {
			t.Errorf("Dan: isdisabled 1 not read as true")
		}
		if a.Name == "TimeZest API" && (!a.IsAPIAgent || len(a.Roles) != 1 || a.Roles[0].ID != "r-tz") {
			t.Errorf("TimeZest API agent = %+v", a)
		}
	}
	for _, a := range snap.Applications {
		switch a.ID {
		case "a-cove":
			if !a.Detailed || a.LoginAsAgentID != 2 || !slices.Equal(a.Scopes, []string{"edit:tickets", "read:customers"}) {
				t.Errorf("Cove application = %+v", a)
			}
			if a.Extra["integration"].(map[string]any)["region"] != "eu" {
				t.Errorf("Cove application lost the unmodelled nested field: %+v", a.Extra)
			}
		case "a-system":
			if a.Detailed || !a.IsSystem {
				t.Errorf("system application = %+v", a)
			}
		case "a-auditor":
			if !a.IsAuditor {
				t.Errorf("auditor application not marked: %+v", a)
			}
		}
		if a.ID != "a-auditor" && a.IsAuditor {
			t.Errorf("%s marked as the auditor", a.ID)
		}
	}
	force, label := true, "Category"
	if diff := cmp.Diff(&Control{ForceAccountsID: &force, Category1Label: &label}, snap.Control); diff != "" {
		t.Errorf("Control (-want +got):\n%s", diff)
	}

	var out bytes.Buffer
	if err := WriteSnapshot(&out, snap); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, out.String())
	if strings.Contains(out.String(), "kept out too") {
		t.Error("a Control field outside the allowlist reached the snapshot")
	}
}

func assertNoSecrets(t *testing.T, text string) {
	t.Helper()
	for _, s := range testSecrets {
		if strings.Contains(text, s) {
			t.Errorf("secret %q found in output", s)
		}
	}
	for _, field := range []string{"clientSecret", "password", "new_access_token", "api_key", "webhook_secret"} {
		if strings.Contains(text, `"`+field+`"`) {
			t.Errorf("field %q found in output", field)
		}
	}
}

func TestCollectFullReadsEveryRoleAndAgent(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	snap, err := Collect(context.Background(), client, Plan{Full: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range ts.apiRequests() {
		seen[r]++
		if seen[r] > 1 {
			t.Errorf("read twice: %s", r)
		}
	}
	for _, r := range snap.Roles {
		if !r.Detailed {
			t.Errorf("role %s not detailed", r.Name)
		}
	}
	for _, a := range snap.Agents {
		if !a.Detailed {
			t.Errorf("agent %s not detailed", a.Name)
		}
	}
	if !snap.Full {
		t.Error("Full not recorded")
	}
	// 2 auth + 5 lists + 3 applications + 6 agents + 5 roles.
	if snap.RequestCount != 21 {
		t.Errorf("RequestCount = %d, want 21", snap.RequestCount)
	}
}

func TestCollectGoesOnAfterFailures(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	routes["/api/Control"] = answerStatus(http.StatusForbidden, "application/json", `{"message":"You do not have permission"}`)
	routes["/api/Roles/r-cove"] = answerStatus(http.StatusInternalServerError, "text/plain", "boom")
	delete(routes, "/api/Agent/7") // the server's HTML 404 page
	ts := newTenantServer(t, routes)
	client := newTestClient(t, testConfig(ts, newFakeClock()))

	snap, err := Collect(context.Background(), client, Plan{Keywords: profileKeywords}, nil)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if snap.Control != nil {
		t.Errorf("Control = %+v, want nil", snap.Control)
	}
	type short struct {
		Resource Resource
		ObjectID string
		Endpoint string
		Status   int
	}
	var got []short
	for _, e := range snap.CollectionErrors {
		got = append(got, short{e.Resource, e.ObjectID, e.Endpoint, e.Status})
	}
	want := []short{
		{ResourceAgent, "7", "/api/Agent/7?includedetails=true", 404},
		{ResourceControl, "", "/api/Control", 403},
		{ResourceRole, "r-cove", "/api/Roles/r-cove?includedetails=true", 500},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("collection errors (-want +got):\n%s", diff)
	}
	for _, e := range snap.CollectionErrors {
		switch e.Resource {
		case ResourceControl:
			if !strings.Contains(e.Message, "You do not have permission") {
				t.Errorf("control message = %q", e.Message)
			}
		case ResourceAgent:
			if !strings.Contains(e.Message, "not JSON") || !strings.Contains(e.Message, "<!DOCTYPE html>") {
				t.Errorf("agent message = %q", e.Message)
			}
		case ResourceRole:
			if !strings.Contains(e.Message, "gave up after 5 attempts") {
				t.Errorf("role message = %q", e.Message)
			}
		}
	}
	if len(snap.Roles) != 4 || len(snap.Applications) != 4 || len(snap.Categories) != 2 {
		t.Errorf("the rest was not collected: %d roles, %d applications, %d categories",
			len(snap.Roles), len(snap.Applications), len(snap.Categories))
	}
}

func TestCollectEmptyListsAreNoticed(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	routes["/api/Roles"] = answer([]any{})
	routes["/api/Application"] = answer(map[string]any{"applications": nil, "record_count": 0})
	ts := newTenantServer(t, routes)
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	snap, err := Collect(context.Background(), client, Plan{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var resources []Resource
	for _, n := range snap.Notices {
		resources = append(resources, n.Resource)
		if !strings.Contains(n.Message, "empty list") {
			t.Errorf("notice %q does not say why it matters", n.Message)
		}
	}
	if diff := cmp.Diff([]Resource{ResourceApplications, ResourceRoles}, resources); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

func TestCollectStopsOnAuthorisationFailure(t *testing.T) {
	t.Parallel()
	t.Run("refused credential", func(t *testing.T) {
		t.Parallel()
		ts := newTenantServer(t, tenantRoutes())
		cfg := testConfig(ts, newFakeClock())
		cfg.ClientSecret = "wrong-secret"
		_, err := Collect(context.Background(), newTestClient(t, cfg), Plan{}, nil)
		var authErr *AuthError
		if !errors.As(err, &authErr) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want *AuthError", err)
		}
		if len(ts.apiRequests()) != 0 {
			t.Errorf("data requested after a refused token: %v", ts.apiRequests())
		}
	})
	t.Run("401 from the API", func(t *testing.T) {
		t.Parallel()
		routes := tenantRoutes()
		routes["/api/Agent/2"] = answerStatus(http.StatusUnauthorized, "application/json", `{"message":"token revoked"}`)
		ts := newTenantServer(t, routes)
		// One request in flight, so that "after the 401" is well defined:
		// with more, requests sent while the 401 was on its way back are
		// legitimately recorded after it. The detail reads still run as
		// three parallel readers waiting for that one slot, so a reader
		// must not slip in once the 401's slot is free.
		cfg := testConfig(ts, newFakeClock())
		cfg.Concurrency = 1
		_, err := Collect(context.Background(), newTestClient(t, cfg), Plan{Keywords: profileKeywords}, nil)
		var apiErr *APIError
		if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Status != 401 {
			t.Fatalf("err = %v, want a 401 APIError", err)
		}
		reqs := ts.apiRequests()
		after := -1
		for i, r := range reqs {
			if strings.HasPrefix(r, "GET /api/Agent/2") {
				after = len(reqs) - i - 1
			}
		}
		if after != 0 {
			t.Errorf("%d requests after the 401: %v", after, reqs)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		ts := newTenantServer(t, tenantRoutes())
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Collect(ctx, newTestClient(t, testConfig(ts, newFakeClock())), Plan{}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

func TestCollectDetailsRespectConcurrency(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	var inFlight, peak int
	mu := make(chan struct{}, 1)
	// Requests wait until two are in flight (or a second has passed), so
	// that the bound is reached rather than raced past.
	release := make(chan struct{})
	var once sync.Once
	for path, h := range routes {
		if strings.Count(path, "/") != 3 {
			continue
		}
		routes[path] = func(w http.ResponseWriter, r *http.Request) {
			mu <- struct{}{}
			inFlight++
			peak = max(peak, inFlight)
			if inFlight == 2 {
				once.Do(func() { close(release) })
			}
			<-mu
			select {
			case <-release:
			case <-time.After(time.Second):
			}
			h(w, r)
			mu <- struct{}{}
			inFlight--
			<-mu
		}
	}
	ts := newTenantServer(t, routes)
	cfg := testConfig(ts, newFakeClock())
	cfg.Concurrency = 2
	if _, err := Collect(context.Background(), newTestClient(t, cfg), Plan{Full: true}, nil); err != nil {
		t.Fatal(err)
	}
	mu <- struct{}{}
	defer func() { <-mu }()
	if peak != 2 {
		t.Errorf("peak concurrent detail requests = %d, want 2", peak)
	}
}

func TestCollectRequestCountMatchesServer(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	fails := 1
	inner := routes["/api/Category"]
	routes["/api/Category"] = func(w http.ResponseWriter, r *http.Request) {
		if fails > 0 {
			fails--
			answerStatus(http.StatusInternalServerError, "text/plain", "transient")(w, r)
			return
		}
		inner(w, r)
	}
	ts := newTenantServer(t, routes)
	snap, err := Collect(context.Background(), newTestClient(t, testConfig(ts, newFakeClock())), Plan{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if snap.RequestCount != len(ts.Requests()) {
		t.Errorf("RequestCount = %d, server saw %d", snap.RequestCount, len(ts.Requests()))
	}
	if len(snap.CollectionErrors) != 0 || len(snap.Categories) != 2 {
		t.Errorf("one 500 was not retried: %+v", snap.CollectionErrors)
	}
}

// Details without the permissions themselves (a server that ignored
// includedetails=true) must not read as "nothing granted".
func TestDetailsWithoutPermissionsAreCollectionErrors(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	routes["/api/Roles/r-cove"] = answer(map[string]any{"id": "r-cove", "name": "Cove-Role"})
	ts := newTenantServer(t, routes)
	snap, err := Collect(context.Background(), newTestClient(t, testConfig(ts, newFakeClock())), Plan{Keywords: profileKeywords}, nil)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	var found bool
	for _, ce := range snap.CollectionErrors {
		if ce.Resource == ResourceRole && ce.ObjectID == "r-cove" && strings.Contains(ce.Message, `no "claims"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no collection error for the role details without claims: %+v", snap.CollectionErrors)
	}
	for _, r := range snap.Roles {
		if r.ID == "r-cove" && r.Detailed {
			t.Error("the role is marked detailed although its claims never came")
		}
	}
}

// The plan is asked for once, when the lists are read and before any
// detail: what makes it (the policies' compile) works meanwhile. The
// snapshot is the one Collect gives with that plan; an error from the plan
// stops the collection before any detail request.
func TestCollectPlannedAsksForThePlanOnceTheListsAreRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Authorisation and the lists; Category 1 and Control, which feed no
	// detail, may still be in flight when the plan is asked for.
	const authAndLists, beforeDetails = 2 + 5, 2 + 3
	ts := newTenantServer(t, tenantRoutes())
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	calls, sentBefore := 0, 0
	snap, err := CollectPlanned(ctx, client, func(context.Context) (Plan, error) {
		calls++
		sentBefore = client.RequestCount()
		return Plan{Keywords: profileKeywords}, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || sentBefore < beforeDetails || sentBefore > authAndLists || client.RequestCount() <= authAndLists {
		t.Errorf("plan asked %d times, after %d requests of %d; want once, after authorisation and the lists (%d to %d)", calls, sentBefore, client.RequestCount(), beforeDetails, authAndLists)
	}
	want := collectTestSnapshot(t)
	want.Source = snap.Source // another server, on another port
	if diff := cmp.Diff(want, snap); diff != "" {
		t.Errorf("CollectPlanned and Collect differ (-Collect +CollectPlanned):\n%s", diff)
	}

	refused := errors.New("the policies did not compile")
	ts = newTenantServer(t, tenantRoutes())
	client = newTestClient(t, testConfig(ts, newFakeClock()))
	snap, err = CollectPlanned(ctx, client, func(context.Context) (Plan, error) { return Plan{}, refused }, nil)
	if !errors.Is(err, refused) || snap != nil || client.RequestCount() != authAndLists {
		t.Errorf("a refused plan: snapshot %v, err %v after %d requests; want none, the plan's error, after %d", snap != nil, err, client.RequestCount(), authAndLists)
	}
}
