package bench

import (
	"context"
	"sync"
	"time"
)

// FastClock is a halo.Clock (and a halotest.Options.Now) whose waits take
// no real time: a Sleep moves the clock forward instead. Everything else,
// the server's latency included, runs in real time, so Now is the real
// time plus every wait skipped so far. The client's rate budget and the
// fake server's rolling window share the clock, so a wait of the budget
// that would last minutes costs nothing, yet both sides see it pass, and
// the figures report it (Skipped) as part of the wall time.
//
// Concurrent sleepers (the client reads details with several requests in
// flight, each waiting on the same budget) must not add their waits up:
// a Sleep registers its deadline, lets the other goroutines register
// theirs for a moment of real time (Grace), then the clock jumps to the
// earliest deadline and wakes every sleeper it has reached.
type FastClock struct {
	// Grace is the real time a sleeper leaves for concurrent sleepers to
	// register before the clock jumps; default 3 ms.
	Grace time.Duration

	mu      sync.Mutex
	skipped time.Duration
	waiters map[*waiter]struct{}
}

type waiter struct {
	at   time.Time
	done chan struct{}
}

// NewFastClock returns a clock at the real time.
func NewFastClock() *FastClock {
	return &FastClock{Grace: 3 * time.Millisecond, waiters: map[*waiter]struct{}{}}
}

// Now is the real time plus the waits skipped.
func (c *FastClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now()
}

func (c *FastClock) now() time.Time { return time.Now().Add(c.skipped) }

// Skipped is the total time the clock has jumped.
func (c *FastClock) Skipped() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped
}

// Sleep returns once the clock has reached now+d, jumping it there if no
// earlier sleeper does, or when ctx ends.
func (c *FastClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	w := &waiter{at: c.now().Add(d), done: make(chan struct{})}
	c.waiters[w] = struct{}{}
	c.mu.Unlock()
	grace := c.Grace
	if grace <= 0 {
		grace = 3 * time.Millisecond
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	for {
		select {
		case <-w.done:
			return nil
		case <-ctx.Done():
			c.mu.Lock()
			delete(c.waiters, w)
			c.mu.Unlock()
			return ctx.Err()
		case <-timer.C:
			c.advance()
			timer.Reset(grace)
		}
	}
}

// advance jumps to the earliest deadline and wakes the sleepers reached.
func (c *FastClock) advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	var earliest time.Time
	for w := range c.waiters {
		if earliest.IsZero() || w.at.Before(earliest) {
			earliest = w.at
		}
	}
	if earliest.IsZero() {
		return
	}
	if jump := earliest.Sub(now); jump > 0 {
		c.skipped += jump
		now = earliest
	}
	for w := range c.waiters {
		if !w.at.After(now) {
			close(w.done)
			delete(c.waiters, w)
		}
	}
}
