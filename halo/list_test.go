package halo

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pagedRoles serves total roles as envelopes of at most 100, honouring
// page_no, under the key "roles".
func pagedRoles(total int, withCount bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pageNo, _ := strconv.Atoi(r.URL.Query().Get("page_no"))
		size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
		var items []any
		for i := (pageNo - 1) * size; i < min(pageNo*size, total); i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("r-%03d", i), "name": fmt.Sprintf("Role %03d", i)})
		}
		env := map[string]any{"roles": items}
		if withCount {
			env["record_count"] = total
		}
		writeJSON(w, http.StatusOK, env)
	}
}

// cappedRoles is pagedRoles from a server that answers at most limit
// objects per page, whatever page_size asks.
func cappedRoles(total, limit int, withCount bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pageNo, _ := strconv.Atoi(r.URL.Query().Get("page_no"))
		var items []any
		for i := (pageNo - 1) * limit; i < min(pageNo*limit, total); i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("r-%03d", i), "name": fmt.Sprintf("Role %03d", i)})
		}
		env := map[string]any{"roles": items}
		if withCount {
			env["record_count"] = total
		}
		writeJSON(w, http.StatusOK, env)
	}
}

func rolesOf(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"id": fmt.Sprintf("r-%03d", i)}
	}
	return out
}

// understated is pagedRoles with a record_count of claimed, fewer than
// the total it pages.
func understated(total, claimed int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pageNo, _ := strconv.Atoi(r.URL.Query().Get("page_no"))
		var items []any
		for i := (pageNo - 1) * 100; i < min(pageNo*100, total); i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("r-%03d", i)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"roles": items, "record_count": claimed})
	}
}

// bareRoles serves total roles as bare arrays: paged by page_no when
// paging is true, else the whole list whatever the query says.
func bareRoles(total int, paging bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		from, to := 0, total
		if paging {
			pageNo, _ := strconv.Atoi(r.URL.Query().Get("page_no"))
			size, _ := strconv.Atoi(r.URL.Query().Get("page_size"))
			from, to = (pageNo-1)*size, min(pageNo*size, total)
		}
		items := []any{}
		for i := from; i < to; i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("r-%03d", i), "name": fmt.Sprintf("Role %03d", i)})
		}
		writeJSON(w, http.StatusOK, items)
	}
}

func TestListShapesAndPaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantRoles int
		wantPages []string // page_no of each request
	}{
		{
			name:      "bare array: the server ignored paging",
			handler:   answer([]any{map[string]any{"id": "a", "name": "A"}, map[string]any{"id": "b", "name": "B"}}),
			wantRoles: 2, wantPages: []string{"1"},
		},
		{
			name:      "bare array of exactly a page, paging ignored: page 2 repeats page 1",
			handler:   bareRoles(100, false),
			wantRoles: 100, wantPages: []string{"1", "2"},
		},
		{
			name:      "bare arrays paged by page_no",
			handler:   bareRoles(230, true),
			wantRoles: 230, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "bare arrays paged, exact multiple of the page size",
			handler:   bareRoles(200, true),
			wantRoles: 200, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "envelope, three pages",
			handler:   pagedRoles(250, true),
			wantRoles: 250, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "envelope, exact multiple of the page size: the empty page after it ends the list",
			handler:   pagedRoles(200, true),
			wantRoles: 200, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "envelope without record_count ends on a short page",
			handler:   pagedRoles(150, false),
			wantRoles: 150, wantPages: []string{"1", "2"},
		},
		{
			name:      "envelope without record_count ends on an empty page",
			handler:   pagedRoles(100, false),
			wantRoles: 100, wantPages: []string{"1", "2"},
		},
		{
			name:      "envelope from a server that caps pages at 20",
			handler:   cappedRoles(150, 20, true),
			wantRoles: 150, wantPages: []string{"1", "2", "3", "4", "5", "6", "7", "8"},
		},
		{
			name:      "envelope that ignores paging, exactly a page",
			handler:   answer(map[string]any{"record_count": 100, "roles": rolesOf(100)}),
			wantRoles: 100, wantPages: []string{"1", "2"},
		},
		{
			name:      "envelope that ignores paging, more than a page",
			handler:   answer(map[string]any{"record_count": 150, "roles": rolesOf(150)}),
			wantRoles: 150, wantPages: []string{"1"},
		},
		{
			name:      "envelope whose record_count understates the list",
			handler:   understated(250, 120),
			wantRoles: 250, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "envelope without record_count, pages capped at 20",
			handler:   cappedRoles(50, 20, false),
			wantRoles: 50, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "empty envelope",
			handler:   answer(map[string]any{"roles": []any{}, "record_count": 0}),
			wantRoles: 0, wantPages: []string{"1"},
		},
		{
			name: "several arrays: the one named like the resource",
			handler: answer(map[string]any{"record_count": 1, "columns": []any{"id"},
				"Roles": []any{map[string]any{"id": "a", "name": "A"}}}),
			wantRoles: 1, wantPages: []string{"1"},
		},
		{
			name: "odd key, non-object elements skipped, unknown fields kept",
			handler: answer(map[string]any{"record_count": "1", "data": []any{
				map[string]any{"id": "a", "name": "A", "new_field": 1}, 42, nil}}),
			wantRoles: 1, wantPages: []string{"1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": tt.handler})
			roles, err := listRoles(newTestClient(t, testConfig(ts, newFakeClock())))
			if err != nil {
				t.Fatalf("list roles: %v", err)
			}
			if len(roles) != tt.wantRoles {
				t.Errorf("%d roles, want %d", len(roles), tt.wantRoles)
			}
			var pages []string
			for _, r := range ts.Requests() {
				if r.Path == "/api/Roles" {
					q := parseQuery(t, r.Query)
					if q["pageinate"] != "true" || q["page_size"] != "100" {
						t.Errorf("paging parameters missing: %s", r.Query)
					}
					pages = append(pages, q["page_no"])
				}
			}
			if diff := cmp.Diff(tt.wantPages, pages); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": answerStatus(200, "application/json",
		`[{"id": "a", "name": "A", "new_field": 12345678901234567890, "nested": {"x": [1, "two"]}}]`)})
	snap, err := Collect(context.Background(), newTestClient(t, testConfig(ts, newFakeClock())), Plan{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	roles := snap.Roles
	if len(roles) != 1 {
		t.Fatalf("roles = %+v", roles)
	}
	if got := fmt.Sprint(roles[0].Extra["new_field"]); got != "12345678901234567890" {
		t.Errorf("large number = %s, want its digits kept", got)
	}
	if roles[0].Extra["nested"] == nil {
		t.Errorf("nested field lost: %+v", roles[0].Extra)
	}
}

func TestListGuardsAgainstServersThatNeverEnd(t *testing.T) {
	t.Parallel()
	// Each page holds new objects: a page that repeats the one before is
	// another error (TestListRefusesRepeatedPages).
	fullPage := func(count any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			pageNo, _ := strconv.Atoi(r.URL.Query().Get("page_no"))
			items := make([]any, 0, 100)
			for i := range 100 {
				items = append(items, map[string]any{"id": strconv.Itoa(pageNo*100 + i), "name": "same"})
			}
			env := map[string]any{"roles": items}
			if count != nil {
				env["record_count"] = count
			}
			writeJSON(w, http.StatusOK, env)
		}
	}
	onePerPage := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"record_count": 250, "roles": []any{map[string]any{"id": r.URL.Query().Get("page_no")}}})
	}
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantPages int
	}{
		{"full pages and a huge record_count", fullPage(1_000_000_000), maxListPages},
		{"full pages, no record_count", fullPage(nil), maxListPages},
		// A page of one: the server caps page_size at 1, so the 250 the
		// count announces need 250 pages, past the guard.
		{"one object per page, record_count never reached", onePerPage, maxListPages},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": tt.handler})
			cfg := testConfig(ts, newFakeClock())
			cfg.MaxRequestsPerWindow = 1000
			_, err := listRoles(newTestClient(t, cfg))
			if err == nil || !strings.Contains(err.Error(), "kept sending pages") {
				t.Fatalf("err = %v, want the paging guard", err)
			}
			if n := len(ts.apiRequests()); n != tt.wantPages {
				t.Errorf("%d pages read, want %d", n, tt.wantPages)
			}
		})
	}
}

// A page that starts with the object the page before started with: the
// server ignores page_no (an envelope cannot be the whole list then: its
// record_count says more), or the list changed while it was read.
func TestListRefusesRepeatedPages(t *testing.T) {
	t.Parallel()
	samePage := func(w http.ResponseWriter, r *http.Request) {
		items := make([]any, 0, 100)
		for i := range 100 {
			items = append(items, map[string]any{"id": strconv.Itoa(i)})
		}
		writeJSON(w, http.StatusOK, map[string]any{"record_count": 150, "roles": items})
	}
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": samePage})
	_, err := listRoles(newTestClient(t, testConfig(ts, newFakeClock())))
	if err == nil || !strings.Contains(err.Error(), "page 2 repeats page 1") {
		t.Fatalf("err = %v, want the repeated page refused", err)
	}
	if n := len(ts.apiRequests()); n != 2 {
		t.Errorf("%d pages read, want 2", n)
	}
}

func TestListRejectsUnusableShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want string
	}{
		{"ambiguous envelope", `{"a":[1],"b":[2],"record_count":2}`, "several lists"},
		{"object without a list", `{"id":"x","name":"one role"}`, "without a list"},
		{"string", `"hello"`, "a string, not a list"},
		{"null", `null`, "null"},
		{"trailing garbage", `[] []`, "not JSON"},
		{"html", `<html><body>Server Error</body></html>`, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": answerStatus(200, "application/json", tt.body)})
			_, err := listRoles(newTestClient(t, testConfig(ts, newFakeClock())))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestListDetailsPathsAreEscaped(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	ts := newTenantServer(t, nil)
	ts.routes = map[string]http.HandlerFunc{}
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.EscapedPath())
		if r.URL.Path == "/api/authinfo" || r.URL.Path == "/auth/token" {
			ts.serve(w, r)
			return
		}
		writeJSON(w, 200, map[string]any{"id": "x"})
	})
	client := newTestClient(t, testConfig(ts, newFakeClock()))
	// As fetchDetails reads a role's details.
	if _, err := client.getObject(context.Background(), roleEndpoint("../../Control")); err != nil {
		t.Fatal(err)
	}
	if p := got.Load().(string); p != "/api/Roles/..%2F..%2FControl" {
		t.Errorf("path = %s", p)
	}
}

// listRoles reads the roles list as Collect does.
func listRoles(c *Client) ([]map[string]any, error) {
	return list(context.Background(), c, rolesList, identity)
}

func parseQuery(t *testing.T, raw string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}
