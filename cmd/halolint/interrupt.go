package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// interruptGrace is how long a run may take to stop after Ctrl-C or
// SIGTERM before the process ends anyway: every wait of halolint's own
// ends with the run's context, but a write to a pipe nobody reads, say,
// does not.
const interruptGrace = 5 * time.Second

// runWithSignals is run with Ctrl-C (SIGINT) and SIGTERM ending the run:
// the first cancels its context, so that whatever it waits for (the
// network, the rate budget, a retry, standard input) stops at once and
// run says so; a second one, or interruptGrace later, ends the process.
func runWithSignals(args []string, env *cmdEnv) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-finished:
			return
		case <-ctx.Done():
		}
		// A second signal now has its default effect: the end.
		stop()
		select {
		case <-finished:
		case <-time.After(interruptGrace):
			fmt.Fprintf(env.stderr, "halolint: interrupted (%v): stopped without waiting any longer\n", context.Cause(ctx))
			os.Exit(exitNoAudit)
		}
	}()
	return run(ctx, args, env)
}

// interruptedLine is the line that ends a run whose context was cancelled
// (by Ctrl-C or SIGTERM: nothing else cancels it), unless the run had
// already said all it had to (a report with findings).
func interruptedLine(ctx context.Context, err error) (string, bool) {
	if !errors.Is(ctx.Err(), context.Canceled) {
		return "", false
	}
	var done *exitError
	if errors.As(err, &done) && done.err == nil {
		return "", false
	}
	return fmt.Sprintf("halolint: interrupted (%v): the run stopped before it completed", context.Cause(ctx)), true
}
