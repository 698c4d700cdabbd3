package halo

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// Client reads one HaloPSA instance. It can only send GET and HEAD to the
// resource server (and the token request to the authorisation server), it
// spends at most the configured rate budget, and it retries what is worth
// retrying. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base *url.URL

	requests atomic.Int64
	// limits bound the decoding of each answer, decoded counts the JSON
	// values of every answer decoded so far against maxDecodedValues.
	limits           decodeLimits
	maxDecodedValues int64
	decoded          atomic.Int64
	// refused is set once the API answers 401: the token is no good, the
	// run is over, and nothing more is sent (countingTransport).
	refused atomic.Bool
	budget  *budget
	// secrets are scrubbed from whatever a server says (redact.go).
	secrets knownSecrets
	// lower is the stack under the method checks and the bearer token:
	// budgeted → counting → base. Every outgoing request passes it.
	lower http.RoundTripper
	// plain reads unauthenticated endpoints (authinfo); api the others.
	plain *http.Client
	api   *http.Client

	authMu sync.Mutex
	// server is where the client secret goes, chosen once (authserver.go);
	// nil until the first Authorize has chosen it.
	server *TokenServer
	auth   *authorization // nil until Authorize succeeds
}

// NewClient validates cfg, fills its defaults and builds the transport
// stack. It sends nothing: the first request is Authorize's.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	base, err := parseInstanceURL(EnvURL, cfg.URL)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, base: base, limits: defaultDecodeLimits, maxDecodedValues: defaultMaxDecodedValues}
	c.secrets.add(string(cfg.ClientSecret))
	c.secrets.addPublic(cfg.ClientID)
	c.budget = newBudget(cfg.MaxRequestsPerWindow, cfg.Window, cfg.Clock)
	c.lower = &inFlightTransport{
		slots: make(chan struct{}, cfg.Concurrency),
		next: &budgetedTransport{budget: c.budget, next: &countingTransport{count: &c.requests, refused: &c.refused,
			next: &deadlineTransport{timeout: cfg.RequestTimeout, next: cfg.Transport}}},
	}
	ua := c.userAgent()
	c.plain = &http.Client{
		Transport:     &readOnlyTransport{userAgent: ua, next: c.lower},
		CheckRedirect: sameOriginRedirects,
	}
	c.api = &http.Client{
		Transport:     &readOnlyTransport{userAgent: ua, next: &bearerTransport{client: c, next: c.lower}},
		CheckRedirect: sameOriginRedirects,
	}
	return c, nil
}

// String and GoString keep a Client printed by mistake (%v, %+v, %#v)
// from showing the secret in its configuration: fmt cannot reach Secret's
// own formatting through unexported fields.
func (c *Client) String() string   { return "halo.Client(" + c.URL() + ")" }
func (c *Client) GoString() string { return c.String() }

// URL is the instance URL, normalised (no trailing slash).
func (c *Client) URL() string { return c.base.String() }

// RequestCount is the number of requests sent so far, authorisation and
// retries included.
func (c *Client) RequestCount() int { return int(c.requests.Load()) }

func (c *Client) userAgent() string { return "halolint/" + c.cfg.Version }

// endpointURL joins the instance URL and a path-and-query such as
// "/api/Roles?includedetails=true".
func (c *Client) endpointURL(endpoint string) string {
	return c.base.Scheme + "://" + c.base.Host + c.base.EscapedPath() + endpoint
}

// sameOriginRedirects follows a redirect only within the original scheme
// and host: the bearer layer would otherwise attach the token to a request
// for another host, or to one in clear text.
func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("refused redirect from %s to another origin %s", urlWithoutQuery(first), urlWithoutQuery(req.URL))
	}
	return nil
}
