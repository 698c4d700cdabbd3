package halo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxRetryAfter bounds how long a server's Retry-After can make us wait
// for one attempt; the run's deadline usually bounds it sooner.
const maxRetryAfter = 10 * time.Minute

// retryableError is a failed attempt worth repeating: a 429, a 5xx, a
// connection reset.
type retryableError struct {
	err         error
	rateLimited bool
	// retryAfter is the raw Retry-After header, "" when absent (Halo
	// usually omits it).
	retryAfter string
}

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// retry runs attempt until it succeeds, fails for good, or has used
// MaxAttempts. Between attempts it waits the server's Retry-After, or an
// exponential backoff with full jitter.
func (c *Client) retry(ctx context.Context, what string, attempt func() error) error {
	for n := 1; ; n++ {
		err := attempt()
		var r *retryableError
		if err == nil || !errors.As(err, &r) {
			return err
		}
		if n >= c.cfg.MaxAttempts {
			return fmt.Errorf("%w (gave up after %d attempts)", r.err, n)
		}
		wait := c.backoff(r, n)
		if r.rateLimited {
			// The other requests in flight would only be refused too.
			c.budget.hold(wait)
		}
		if err := sleepWithinDeadline(ctx, c.cfg.Clock, wait, what); err != nil {
			return fmt.Errorf("%w; not retried: %w", r.err, err)
		}
	}
}

// backoff is the wait after the n-th failed attempt.
func (c *Client) backoff(r *retryableError, n int) time.Duration {
	if d, ok := parseRetryAfter(r.retryAfter, c.cfg.Clock.Now()); ok {
		return min(d, maxRetryAfter)
	}
	base, ceiling := c.cfg.BackoffBase, c.cfg.BackoffCap
	if r.rateLimited {
		base, ceiling = c.cfg.RateLimitBackoffBase, c.cfg.RateLimitBackoffCap
	}
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	return c.cfg.Jitter(min(d, ceiling))
}

// parseRetryAfter reads delay-seconds or an HTTP date (RFC 9110 §10.2.3).
func parseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// isTransientNetworkError reports failures that a new connection may not
// repeat: resets, a connection closed mid-answer, timeouts of one dial or
// read. A refused connection or an unknown host is final: retrying would
// only delay the message that the URL is wrong.
func isTransientNetworkError(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}
