package halo

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Defect 11: a request that stalls (no headers, or a body that stops
// half-way) is abandoned at its own deadline and retried like a 5xx,
// instead of using up the run's whole timeout.
func TestStalledRequestIsRetriedAtItsOwnDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		stall func(w http.ResponseWriter, r *http.Request)
	}{
		{"no answer", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		{"a body that stops", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"force_accounts_id": tr`))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			routes := tenantRoutes()
			good := routes["/api/Control"]
			routes["/api/Control"] = func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tc.stall(w, r)
					return
				}
				good(w, r)
			}
			ts := newTenantServer(t, routes)
			cfg := testConfig(ts, newFakeClock())
			cfg.RequestTimeout = 200 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			ctl, err := newTestClient(t, cfg).Control(ctx)
			if err != nil {
				t.Fatalf("Control: %v", err)
			}
			if ctl.ForceAccountsID == nil || !*ctl.ForceAccountsID || calls.Load() != 2 {
				t.Errorf("Control = %+v after %d calls, want the second answer", ctl, calls.Load())
			}
		})
	}
}

// A request that stalls every time gives up after MaxAttempts, with a
// message saying why, long before the run's deadline.
func TestRequestThatAlwaysStallsGivesUp(t *testing.T) {
	t.Parallel()
	routes := tenantRoutes()
	routes["/api/Control"] = func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	ts := newTenantServer(t, routes)
	cfg := testConfig(ts, newFakeClock())
	cfg.RequestTimeout = 100 * time.Millisecond
	cfg.MaxAttempts = 3
	start := time.Now()
	_, err := newTestClient(t, cfg).Control(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 100ms") || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %s", took)
	}
}
