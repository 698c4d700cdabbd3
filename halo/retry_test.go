package halo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scripted answers the i-th request with steps[i], and the last step
// forever after.
func scripted(count *atomic.Int32, steps ...http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(count.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(code)
		_, _ = w.Write([]byte("Rate Limit Reached - 300 Requests per rolling 5 minute window"))
	}
}

// resetConnection closes the connection without an answer, as a proxy
// that drops it would.
func resetConnection(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	ok := answer(map[string]any{"force_accounts_id": true})
	clockNow := newFakeClock().Now()
	tests := []struct {
		name         string
		steps        []http.HandlerFunc
		maxAttempts  int
		wantAttempts int32
		wantSleeps   []time.Duration
		wantErr      error // nil means success
		// noKeepAlive makes every attempt use a new connection: on a
		// reused one, net/http itself resends a GET whose connection was
		// closed before any answer, which would hide our retry.
		noKeepAlive bool
	}{
		{
			name:         "429 without Retry-After backs off from 5 s",
			steps:        []http.HandlerFunc{status(429), status(429), ok},
			wantAttempts: 3, wantSleeps: []time.Duration{5 * time.Second, 10 * time.Second},
		},
		{
			name:         "429 with Retry-After in seconds",
			steps:        []http.HandlerFunc{status(429, "Retry-After", "7"), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{7 * time.Second},
		},
		{
			name:  "503 with Retry-After as an HTTP date",
			steps: []http.HandlerFunc{status(503, "Retry-After", clockNow.Add(30*time.Second).Format(http.TimeFormat)), ok},
			// HTTP dates have whole seconds; the fake clock does not.
			wantAttempts: 2, wantSleeps: []time.Duration{clockNow.Add(30 * time.Second).Truncate(time.Second).Sub(clockNow)},
		},
		{
			name:         "malformed Retry-After falls back to backoff",
			steps:        []http.HandlerFunc{status(429, "Retry-After", "soon"), ok},
			wantAttempts: 2, wantSleeps: []time.Duration{5 * time.Second},
		},
		{
			name:         "500 is retried, bounded",
			steps:        []http.HandlerFunc{status(500)},
			wantAttempts: 5, wantSleeps: []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second},
			wantErr: &APIError{Status: 500},
		},
		{
			name:         "429 forever is capped at 60 s and ends as rate limited",
			steps:        []http.HandlerFunc{status(429)},
			maxAttempts:  7,
			wantAttempts: 7,
			wantSleeps:   []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 60 * time.Second, 60 * time.Second},
			wantErr:      ErrRateLimited,
		},
		{
			name:         "connection reset is retried",
			steps:        []http.HandlerFunc{resetConnection, ok},
			wantAttempts: 2, wantSleeps: []time.Duration{1 * time.Second},
			noKeepAlive: true,
		},
		{
			name:         "403 is not retried",
			steps:        []http.HandlerFunc{status(403), ok},
			wantAttempts: 1, wantErr: ErrForbidden,
		},
		{
			name:         "404 is not retried",
			steps:        []http.HandlerFunc{status(404), ok},
			wantAttempts: 1, wantErr: ErrNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var count atomic.Int32
			ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Control": scripted(&count, tt.steps...)})
			clock := newFakeClock()
			cfg := testConfig(ts, clock)
			cfg.MaxAttempts = tt.maxAttempts
			if tt.noKeepAlive {
				transport := ts.Client().Transport.(*http.Transport).Clone()
				transport.DisableKeepAlives = true
				cfg.Transport = transport
			}
			client := newTestClient(t, cfg)
			if err := client.Authorize(context.Background()); err != nil {
				t.Fatal(err)
			}
			_, err := client.Control(context.Background())
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			case *APIError:
				var got *APIError
				if !errors.As(err, &got) || got.Status != want.Status {
					t.Fatalf("err = %v, want status %d", err, want.Status)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("err = %v, want %v", err, want)
				}
			}
			if count.Load() != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", count.Load(), tt.wantAttempts)
			}
			if diff := cmp.Diff(tt.wantSleeps, clock.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			// Every attempt, retries included, is counted.
			if client.RequestCount() != len(ts.Requests()) {
				t.Errorf("RequestCount %d, server saw %d", client.RequestCount(), len(ts.Requests()))
			}
		})
	}
}

func TestRetryStopsAtTheDeadline(t *testing.T) {
	t.Parallel()
	var count atomic.Int32
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Control": scripted(&count, status(429, "Retry-After", "120"))})
	clock := newFakeClock()
	client := newTestClient(t, testConfig(ts, clock))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	_, err := client.Control(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want both the 429 and the deadline", err)
	}
	if count.Load() != 1 || len(clock.Sleeps()) != 0 || time.Since(start) > 5*time.Second {
		t.Errorf("%d attempts, sleeps %v: should give up at once", count.Load(), clock.Sleeps())
	}
}

func TestJitterIsFull(t *testing.T) {
	t.Parallel()
	for range 1000 {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v", d)
		}
	}
	if fullJitter(0) != 0 {
		t.Error("fullJitter(0) != 0")
	}
	// With a jitter of zero, a 429 is retried at once: the jitter is used.
	var count atomic.Int32
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Control": scripted(&count, status(429), answer(map[string]any{}))})
	clock := newFakeClock()
	cfg := testConfig(ts, clock)
	cfg.Jitter = func(time.Duration) time.Duration { return 0 }
	if _, err := newTestClient(t, cfg).Control(context.Background()); err != nil {
		t.Fatal(err)
	}
	if count.Load() != 2 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d attempts, sleeps %v; want 2 attempts and no wait", count.Load(), clock.Sleeps())
	}
}

func TestBudgetNeverExceedsTheWindow(t *testing.T) {
	t.Parallel()
	const limit, window = 3, time.Minute
	clock := newFakeClock()
	start := clock.Now()
	b := newBudget(limit, window, clock)
	var mu sync.Mutex
	var admitted []time.Time
	b.onAdmit = func(at time.Time) {
		mu.Lock()
		admitted = append(admitted, at)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := b.wait(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(admitted) != 20 {
		t.Fatalf("%d admitted", len(admitted))
	}
	assertWindow(t, admitted, limit, window)
	// 20 requests at 3 per minute need at least 6 more windows.
	if elapsed := clock.Elapsed(start); elapsed < 6*window {
		t.Errorf("elapsed %v, want at least %v", elapsed, 6*window)
	}
}

func TestBudgetThroughTheClient(t *testing.T) {
	t.Parallel()
	ts := newTenantServer(t, tenantRoutes())
	clock := newFakeClock()
	start := clock.Now()
	cfg := testConfig(ts, clock)
	cfg.MaxRequestsPerWindow = 4
	cfg.Window = 10 * time.Second
	client := newTestClient(t, cfg)
	var mu sync.Mutex
	var admitted []time.Time
	client.budget.onAdmit = func(at time.Time) {
		mu.Lock()
		admitted = append(admitted, at)
		mu.Unlock()
	}
	snap, err := Collect(context.Background(), client, Plan{Full: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(admitted) != snap.RequestCount || snap.RequestCount != 21 {
		t.Fatalf("%d admitted, %d counted", len(admitted), snap.RequestCount)
	}
	assertWindow(t, admitted, 4, 10*time.Second)
	if elapsed := clock.Elapsed(start); elapsed < 50*time.Second {
		t.Errorf("21 requests at 4 per 10 s took %v of fake time, want at least 50 s", elapsed)
	}
}

func TestBudgetWaitRespectsTheContext(t *testing.T) {
	t.Parallel()
	b := newBudget(1, time.Hour, newFakeClock())
	if err := b.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := b.wait(ctx); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "rate budget") {
		t.Errorf("err = %v, want the deadline", err)
	}
}

// assertWindow checks that no interval of length window holds more than
// limit of times.
func assertWindow(t *testing.T, times []time.Time, limit int, window time.Duration) {
	t.Helper()
	for i, from := range times {
		n := 0
		for _, at := range times {
			if !at.Before(from) && at.Before(from.Add(window)) {
				n++
			}
		}
		if n > limit {
			t.Fatalf("%d requests in the window starting at admission %d (%v), limit %d", n, i, from, limit)
		}
	}
}

// After a 429 every request waits, not only the refused one: the limit is
// the instance's, shared with every other integration.
func TestBudgetHoldPausesEveryAdmission(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	b := newBudget(100, time.Minute, clock)
	start := clock.Now()
	b.hold(20 * time.Second)
	b.hold(5 * time.Second) // a shorter hold does not shorten the pause
	if err := b.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Elapsed(start); waited != 20*time.Second {
		t.Errorf("admitted after %v, want after the 20 s hold", waited)
	}
	if err := b.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Elapsed(start); waited != 20*time.Second {
		t.Errorf("the hold outlived itself: second admission after %v", waited)
	}
}

func TestRateLimitedAttemptHoldsTheBudget(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "Rate Limit Reached - 300 Requests per rolling 5 minute window", http.StatusTooManyRequests)
			return
		}
		writeJSON(w, http.StatusOK, []any{})
	}})
	clock := newFakeClock()
	client := newTestClient(t, testConfig(ts, clock))
	if _, err := listRoles(client); err != nil {
		t.Fatal(err)
	}
	client.budget.mu.Lock()
	held := client.budget.heldUntil
	client.budget.mu.Unlock()
	if held.IsZero() {
		t.Error("a 429 did not pause the budget for the other requests")
	}
}
