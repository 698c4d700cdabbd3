package halo

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPlannedTimeout(t *testing.T) {
	t.Parallel()
	ctx, cancel := WithPlannedTimeout(context.Background(), PlannedTimeout{Initial: time.Hour, Margin: time.Minute})
	defer cancel()
	if _, ok := ctx.Deadline(); ok {
		t.Error("the context shows a deadline: plans would be refused against it")
	}
	d := ctx.Value(plannedDeadlineKey{}).(*plannedDeadline)
	plannedEnd := func() time.Time {
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.end
	}
	first := plannedEnd()
	d.plan(10 * time.Minute) // shorter than the initial hour: no change
	if end := plannedEnd(); !end.Equal(first) {
		t.Errorf("a shorter plan moved the end from %v to %v", first, end)
	}
	before := time.Now()
	d.plan(2 * time.Hour)
	end := plannedEnd()
	if want := before.Add(2*time.Hour + 12*time.Minute + time.Minute); end.Before(want) {
		t.Errorf("end %v, want at least the plan, a tenth and the margin: %v", end, want)
	}
	if ctx.Err() != nil {
		t.Errorf("ended early: %v", context.Cause(ctx))
	}

	short, stop := WithPlannedTimeout(context.Background(), PlannedTimeout{Initial: time.Millisecond})
	defer stop()
	select {
	case <-short.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the initial bound never ended the context")
	}
	var te *TimeoutError
	if cause := context.Cause(short); !errors.As(cause, &te) || te.Planned || !errors.Is(cause, context.DeadlineExceeded) {
		t.Errorf("cause %v, want a *TimeoutError before the plan, a context.DeadlineExceeded", cause)
	}
}
