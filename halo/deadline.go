package halo

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PlannedTimeout bounds a collection whose user set no timeout of their
// own: a fixed bound would refuse a large tenant whose reads simply take
// longer at the rate budget. It ends the collection Initial after it
// starts, unless, once the lists are read and the requests still to send
// are known, the plan needs longer: then the bound becomes the plan's
// own duration at the rate budget, plus a tenth, plus Margin. It never
// moves earlier.
type PlannedTimeout struct {
	Initial time.Duration
	Margin  time.Duration
}

// TimeoutError is the cause of a context that a PlannedTimeout ended. It
// is a context.DeadlineExceeded for errors.Is.
type TimeoutError struct {
	// After is how long the collection was given.
	After time.Duration
	// Planned is true when the bound came from the plan, false when it
	// was still Initial.
	Planned bool
}

func (e *TimeoutError) Error() string {
	if e.Planned {
		return fmt.Sprintf("the %s the plan needed (with its margin) ran out", e.After.Round(time.Second))
	}
	return fmt.Sprintf("%s passed before the plan was known", e.After.Round(time.Second))
}

func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// plannedDeadline is the state of one PlannedTimeout. Its context shows
// no deadline (Deadline returns false): the checks that refuse a plan
// longer than the deadline, or a wait that would pass it, are for a
// deadline the user chose, not for this one, which the plan moves.
type plannedDeadline struct {
	timeout PlannedTimeout
	cancel  context.CancelCauseFunc

	mu      sync.Mutex
	start   time.Time
	end     time.Time
	planned bool
	timer   *time.Timer
}

type plannedDeadlineKey struct{}

// WithPlannedTimeout returns a context that a PlannedTimeout ends, and
// the function that releases it. Deadlines run on the real clock.
func WithPlannedTimeout(parent context.Context, t PlannedTimeout) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	d := &plannedDeadline{timeout: t, cancel: cancel, start: time.Now()}
	d.end = d.start.Add(t.Initial)
	d.timer = time.AfterFunc(t.Initial, d.expire)
	ctx = context.WithValue(ctx, plannedDeadlineKey{}, d)
	return ctx, func() {
		d.timer.Stop()
		cancel(context.Canceled)
	}
}

func (d *plannedDeadline) expire() {
	d.mu.Lock()
	err := &TimeoutError{After: d.end.Sub(d.start), Planned: d.planned}
	d.mu.Unlock()
	d.cancel(err)
}

// plan moves the end to wait (the plan's duration at the rate budget)
// plus its margins from now, when that is later than the current end.
func (d *plannedDeadline) plan(wait time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	end := time.Now().Add(wait + wait/10 + d.timeout.Margin)
	if !end.After(d.end) {
		return
	}
	if !d.timer.Stop() {
		return // already ended
	}
	d.end, d.planned = end, true
	d.timer.Reset(time.Until(end))
}

// planTimeout gives the collection of ctx, when it runs under a
// PlannedTimeout, the time the requests still planned need, and reports
// whether it did: then there is no deadline of the user's to refuse the
// plan against.
func (c *collector) planTimeout(ctx context.Context) bool {
	d, ok := ctx.Value(plannedDeadlineKey{}).(*plannedDeadline)
	if !ok {
		return false
	}
	c.mu.Lock()
	remaining := c.planned - c.done()
	c.mu.Unlock()
	d.plan(c.client.budget.minWait(remaining))
	return true
}

// TimeFor is the least time n more requests take at the rate budget,
// given the requests already in its window: what fits goes at once, every
// further budget's worth waits a window.
func (c *Client) TimeFor(n int) time.Duration { return c.budget.minWait(n) }
