package halo

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// budget is a sliding-window rate limiter: at most limit requests in any
// interval of length window. Halo counts requests per rolling window, so a
// token bucket (which allows bursts after idle time) could overshoot it.
type budget struct {
	limit  int
	window time.Duration
	clock  Clock

	mu sync.Mutex
	// sent holds the admission times still inside the window, oldest first.
	sent []time.Time
	// heldUntil pauses every admission after a 429: the instance's limit
	// is shared with other integrations, so when Halo says it is reached
	// every request of ours must wait, not only the one refused.
	heldUntil time.Time
	// onAdmit lets tests observe admission times; nil otherwise.
	onAdmit func(time.Time)
}

// newBudget keeps each admission in its window a little longer than the
// window itself: a request reaches Halo some time after it was admitted,
// Halo's clock is not ours, and whether Halo's window includes its
// boundary is not documented. Without the margin, requests admitted a full
// window apart can land inside one window on the server and be refused.
func newBudget(limit int, window time.Duration, clock Clock) *budget {
	margin := window / 50
	if margin < 100*time.Millisecond {
		margin = 100 * time.Millisecond
	}
	return &budget{limit: limit, window: window + margin, clock: clock}
}

// wait blocks until one more request fits in the window, then records it.
func (b *budget) wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.clock.Now()
		if now.Before(b.heldUntil) {
			delay := b.heldUntil.Sub(now)
			b.mu.Unlock()
			if err := sleepWithinDeadline(ctx, b.clock, delay, "rate limit reached"); err != nil {
				return err
			}
			continue
		}
		b.forget(now)
		if len(b.sent) < b.limit {
			b.sent = append(b.sent, now)
			if b.onAdmit != nil {
				b.onAdmit(now)
			}
			b.mu.Unlock()
			return nil
		}
		// The oldest request leaves the window at sent[0]+window.
		delay := b.sent[0].Add(b.window).Sub(now)
		b.mu.Unlock()
		if err := sleepWithinDeadline(ctx, b.clock, delay, "rate budget"); err != nil {
			return err
		}
	}
}

// hold pauses every admission for d from now (after a 429).
func (b *budget) hold(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until := b.clock.Now().Add(d); until.After(b.heldUntil) {
		b.heldUntil = until
	}
}

// minWait is the least time before n more requests can all have been
// admitted, given the admissions already in the window: what fits now goes
// at once, and every further limit's worth waits one more window.
func (b *budget) minWait(n int) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	b.forget(now)
	extra := n - (b.limit - len(b.sent))
	if extra <= 0 {
		return 0
	}
	first := b.window
	if len(b.sent) > 0 {
		first = b.sent[0].Add(b.window).Sub(now)
	}
	windows := (extra + b.limit - 1) / b.limit
	return first + time.Duration(windows-1)*b.window
}

// forget drops admissions that have left the window ending at now.
func (b *budget) forget(now time.Time) {
	cut := 0
	for cut < len(b.sent) && !b.sent[cut].Add(b.window).After(now) {
		cut++
	}
	if cut > 0 {
		b.sent = append(b.sent[:0], b.sent[cut:]...)
	}
}

// sleepWithinDeadline waits d, but fails at once when the context's
// deadline would pass first: sleeping until the deadline only to fail
// then would waste the user's time.
func sleepWithinDeadline(ctx context.Context, clock Clock, d time.Duration, why string) error {
	if d <= 0 {
		return ctx.Err()
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("%s: waiting %s would pass the deadline (raise --timeout or lower the request rate): %w",
			why, d.Round(time.Millisecond), context.DeadlineExceeded)
	}
	return clock.Sleep(ctx, d)
}
