package halo

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// The layers below are stacked by NewClient:
//
//	API:       readOnly → bearer → inFlight → budgeted → counting → deadline → base
//	authinfo:  readOnly → inFlight → budgeted → counting → deadline → base
//	token:     tokenOnly → inFlight → budgeted → counting → deadline → base
//
// The method check sits on top so that a refused request is never counted,
// never spends budget, and never gets a bearer token attached. The
// deadline of one request (deadline.go) sits at the bottom, so that the
// waits for the budget and for a slot do not count against it.

// readOnlyTransport refuses every method but GET and HEAD before anything
// is sent, and sets the User-Agent.
type readOnlyTransport struct {
	userAgent string
	next      http.RoundTripper
}

func (t *readOnlyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead && req.Method != "" {
		closeBody(req)
		return nil, &WriteRefusedError{Method: req.Method, URL: urlWithoutQuery(req.URL)}
	}
	return t.next.RoundTrip(withUserAgent(req, t.userAgent))
}

// tokenOnlyTransport lets through exactly one kind of request: a POST to
// the token URL. It is the only way a non-GET request can leave halolint,
// and it cannot be pointed at the resource server.
type tokenOnlyTransport struct {
	tokenURL  string
	userAgent string
	next      http.RoundTripper
}

func (t *tokenOnlyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || req.URL.String() != t.tokenURL {
		closeBody(req)
		return nil, &WriteRefusedError{Method: methodOrGet(req.Method), URL: urlWithoutQuery(req.URL)}
	}
	return t.next.RoundTrip(withUserAgent(req, t.userAgent))
}

// budgetedTransport waits for the rate budget before each request.
type budgetedTransport struct {
	budget *budget
	next   http.RoundTripper
}

func (t *budgetedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.budget.wait(req.Context()); err != nil {
		closeBody(req)
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// inFlightTransport bounds the requests in flight at once (Concurrency),
// whoever sends them: Collect may start every list and detail read at
// once and still never has more than Concurrency open at the server. A
// slot is held until the response body is closed, not only until the
// headers arrive, and is free while a retry backs off.
type inFlightTransport struct {
	slots chan struct{}
	next  http.RoundTripper
}

func (t *inFlightTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.slots <- struct{}{}:
	case <-req.Context().Done():
		closeBody(req)
		return nil, context.Cause(req.Context())
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		<-t.slots
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { <-t.slots }}
	return resp, nil
}

// releasingBody frees its in-flight slot once, on the first Close.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// countingTransport counts every request handed to the network, retries
// and token requests included: Snapshot.RequestCount comes from here.
// One send it cannot see: net/http itself resends a GET, once, when a
// kept-alive connection turns out closed before any answer.
type countingTransport struct {
	count *atomic.Int64
	// refused stops every request once the server has refused the token:
	// checked here, the last step before the network, so that requests
	// already waiting for the budget or a slot are not sent either.
	refused *atomic.Bool
	next    http.RoundTripper
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.refused != nil && t.refused.Load() {
		closeBody(req)
		return nil, fmt.Errorf("not sent, the server has refused the token: %w", ErrUnauthorized)
	}
	t.count.Add(1)
	return t.next.RoundTrip(req)
}

// withUserAgent returns a copy of req with the User-Agent set: a
// RoundTripper must not modify the request it is given.
func withUserAgent(req *http.Request, userAgent string) *http.Request {
	clone := req.Clone(req.Context())
	clone.Header.Set("User-Agent", userAgent)
	return clone
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func methodOrGet(method string) string {
	if method == "" {
		return http.MethodGet
	}
	return method
}

func urlWithoutQuery(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.RawQuery = ""
	c.Fragment = ""
	c.User = nil
	return c.String()
}
