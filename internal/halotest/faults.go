package halotest

import (
	"net/http"
	"strings"
)

// RateLimitBody is what HaloPSA answers, as text, when the rate limit is
// reached (docs/halo-api.md, "Rate limit"). No Retry-After header comes
// with it.
const RateLimitBody = "Rate Limit Reached - 300 Requests per rolling 5 minute window"

// The answers of the faults, as HaloPSA gives them.
var (
	rateLimitAnswer = Canned{Status: http.StatusTooManyRequests, ContentType: "text/plain; charset=utf-8", Body: []byte(RateLimitBody)}
	failureAnswer   = Canned{Status: http.StatusInternalServerError, Body: []byte(`{"message":"An error has occurred."}`)}
	forbiddenAnswer = Canned{Status: http.StatusForbidden, ContentType: "text/plain; charset=utf-8", Body: []byte("You do not have permission to access this resource.")}
	notFoundAnswer  = Canned{Status: http.StatusNotFound, ContentType: "text/html; charset=utf-8", Body: []byte(NotFoundHTML)}
)

// cleanPath is a request path as path patterns match it: lower-cased,
// without trailing slashes.
func cleanPath(p string) string {
	p = strings.ToLower(p)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return p
}

func matchPath(pattern, path string) bool {
	pattern = strings.ToLower(pattern)
	if prefix, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(path, prefix+"/")
	}
	return cleanPath(pattern) == path
}

func matchAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if matchPath(p, path) {
			return true
		}
	}
	return false
}

// rateLimited counts the request against the rolling window and reports
// whether it is over the limit.
func (s *Server) rateLimited() bool {
	if s.opts.RateLimit <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	cut := now.Add(-s.opts.RateWindow)
	i := 0
	for i < len(s.window) && !s.window[i].After(cut) {
		i++
	}
	s.window = s.window[i:]
	over := len(s.window) >= s.opts.RateLimit
	if !over || s.opts.RateCountRejected {
		s.window = append(s.window, now)
	}
	return over
}

// injectFailure spends one injected 500 of the pattern that matches path,
// an exact pattern before a wildcard one.
func (s *Server) injectFailure(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := s.failLeft[path]; n > 0 {
		s.failLeft[path] = n - 1
		return true
	}
	for p, n := range s.failLeft {
		if n > 0 && matchPath(p, path) {
			s.failLeft[p] = n - 1
			return true
		}
	}
	return false
}

// canned finds the canned answer for path, an exact pattern before a
// wildcard one.
func (s *Server) canned(path string) (Canned, bool) {
	for p, c := range s.opts.Canned {
		if cleanPath(p) == path {
			return c, true
		}
	}
	for p, c := range s.opts.Canned {
		if matchPath(p, path) {
			return c, true
		}
	}
	return Canned{}, false
}

func writeCanned(w http.ResponseWriter, c Canned) {
	ct := c.ContentType
	if ct == "" {
		ct = "application/json; charset=utf-8"
	}
	st := c.Status
	if st == 0 {
		st = http.StatusOK
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(st)
	_, _ = w.Write(c.Body)
}
