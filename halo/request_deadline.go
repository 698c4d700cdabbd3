package halo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultRequestTimeout bounds one request, from the moment it leaves for
// the network to the end of its body: Halo answers in well under a
// second, its largest answer (/api/Control) in a few. A request that has
// not finished by then is abandoned and retried like a 5xx, so that one
// stalled connection does not use up the whole run's --timeout.
const DefaultRequestTimeout = 30 * time.Second

// requestTimeoutError is a request abandoned at its own deadline. It is a
// timeout (net.Error), so isTransientNetworkError retries it; it does not
// wrap context.DeadlineExceeded, which means the run's deadline.
type requestTimeoutError struct {
	timeout time.Duration
}

func (e *requestTimeoutError) Error() string {
	return fmt.Sprintf("no complete answer within %s (the deadline of one request)", e.timeout)
}
func (e *requestTimeoutError) Timeout() bool   { return true }
func (e *requestTimeoutError) Temporary() bool { return true }

var errRequestDeadline = errors.New("request deadline")

// deadlineTransport gives each request its own deadline, covering the
// response body as well as the headers.
type deadlineTransport struct {
	timeout time.Duration
	next    http.RoundTripper
}

func (t *deadlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.timeout <= 0 {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.timeout, func() { cancel(errRequestDeadline) })
	stop := func() {
		timer.Stop()
		cancel(nil)
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		expired := errors.Is(context.Cause(ctx), errRequestDeadline)
		stop()
		if expired {
			return nil, &requestTimeoutError{timeout: t.timeout}
		}
		return nil, err
	}
	resp.Body = &deadlineBody{ReadCloser: resp.Body, ctx: ctx, stop: stop, timeout: t.timeout}
	return resp, nil
}

// deadlineBody reports a read cut by the request's deadline as a
// requestTimeoutError, and ends the deadline on Close.
type deadlineBody struct {
	io.ReadCloser
	ctx     context.Context
	stop    func()
	timeout time.Duration
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && errors.Is(context.Cause(b.ctx), errRequestDeadline) {
		return n, &requestTimeoutError{timeout: b.timeout}
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	err := b.ReadCloser.Close()
	b.stop()
	return err
}
