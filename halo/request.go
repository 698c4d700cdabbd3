package halo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// get is the one request path: build the URL, send through hc's stack,
// retry what is transient, read a bounded body, decode JSON into generic
// values, and turn everything else into a typed error.
func (c *Client) get(ctx context.Context, hc *http.Client, endpoint string) (any, error) {
	var result any
	err := c.retry(ctx, "GET "+endpoint, func() error {
		v, err := c.getOnce(ctx, hc, endpoint)
		result = v
		return err
	})
	if err != nil {
		return nil, err
	}
	return result, nil
}

func (c *Client) getOnce(ctx context.Context, hc *http.Client, endpoint string) (any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpointURL(endpoint), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", endpoint, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	defer resp.Body.Close()

	body, err := readBounded(resp.Body, c.cfg.MaxResponseBytes)
	if errors.Is(err, errBodyTooLarge) {
		return nil, &APIError{Endpoint: endpoint, Status: resp.StatusCode,
			Message: fmt.Sprintf("response body is larger than %d bytes: refused rather than truncated", c.cfg.MaxResponseBytes)}
	}
	if err != nil {
		return nil, transportError(ctx, fmt.Errorf("GET %s: read the response: %w", endpoint, err))
	}

	status := resp.StatusCode
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return nil, &retryableError{
			err:         &APIError{Endpoint: endpoint, Status: status, Message: serverMessage(&c.secrets, resp.Header, body)},
			rateLimited: status == http.StatusTooManyRequests,
			retryAfter:  resp.Header.Get("Retry-After"),
		}
	case status < 200 || status > 299:
		return nil, &APIError{Endpoint: endpoint, Status: status, Message: serverMessage(&c.secrets, resp.Header, body)}
	}
	v, err := c.decode(body)
	var limit *limitError
	switch {
	case errors.As(err, &limit):
		return nil, &APIError{Endpoint: endpoint, Status: status, Message: refusedAnswer(resp.Header, body, err)}
	case err != nil:
		return nil, &APIError{Endpoint: endpoint, Status: status, Message: notJSONAnswer(resp.Header, body, err)}
	}
	return v, nil
}

// defaultMaxDecodedValues bounds the JSON values of all the answers of one
// client together: each answer is bounded by decodeLimits, but thousands
// of details each at that bound would still exhaust memory. A tenant of
// 300 roles, 400 agents and 80 applications holds about 250,000.
const defaultMaxDecodedValues = 2_000_000

// valuesSpent reports whether the answers so far have used the budget of
// values: nothing more is worth asking for.
func (c *Client) valuesSpent() bool { return c.decoded.Load() >= c.maxDecodedValues }

// errValuesSpent is why a detail was not asked for once the budget of
// values was spent.
func (c *Client) errValuesSpent() error {
	return fmt.Errorf("not read: the answers so far hold %d JSON values, the most halolint reads from one tenant", c.maxDecodedValues)
}

// decode parses a successful answer within the client's limits, and
// within what is left of its budget for all answers.
func (c *Client) decode(body []byte) (any, error) {
	limits := c.limits
	left := c.maxDecodedValues - c.decoded.Load()
	total := left < int64(limits.MaxValues)
	if total {
		limits.MaxValues = int(max(left, 0))
	}
	v, n, err := decodeJSONWithin(body, limits)
	c.decoded.Add(int64(n))
	var limit *limitError
	if total && errors.As(err, &limit) && limit.What == "JSON values" {
		return nil, &limitError{What: "JSON values in all the answers of this collection together", Limit: int(c.maxDecodedValues), Offset: limit.Offset}
	}
	return v, err
}

// transportError marks failures worth another attempt. Cancellation, a
// refused write or a refused credential are final.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err
	}
	var retry *retryableError
	if errors.As(err, &retry) {
		// A token endpoint that was overloaded: keep its classification
		// but report the original failure.
		return &retryableError{err: err, rateLimited: retry.rateLimited, retryAfter: retry.retryAfter}
	}
	if isTransientNetworkError(err) {
		return &retryableError{err: err}
	}
	return err
}

var errBodyTooLarge = errors.New("response body too large")

// readBounded reads at most limit bytes; a longer body is an error, never
// a truncated success, and never more than limit+1 bytes in memory.
func readBounded(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// messageFields are where error bodies, JSON or OAuth, put their text.
var messageFields = []string{"message", "Message", "error_description", "errorDescription", "detail", "title", "error", "Error"}

// serverMessage extracts a short, safe text from an error response: the
// message field of a JSON body, or the start of any other body, scrubbed
// of the known secrets before it is shortened (secrets may be nil).
func serverMessage(secrets *knownSecrets, header http.Header, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	v, err := decodeJSON(body)
	if err != nil {
		return notJSONMessage(secrets, header, body, err)
	}
	if obj, ok := v.(map[string]any); ok {
		for _, k := range messageFields {
			if s := str(obj[k]); s != "" {
				return quoteServerText(secrets.scrub(window(s)))
			}
		}
		return ""
	}
	if s, ok := v.(string); ok {
		return quoteServerText(secrets.scrub(window(s)))
	}
	return ""
}

// window is the start of a server's text that a quote can show, with
// room for a secret that straddles the cut to be recognised whole.
func window(s string) string {
	if len(s) > maxScanned {
		return s[:maxScanned]
	}
	return s
}

// notJSONMessage says that an error answer's body was not JSON and quotes
// its start, so that an HTML error page or a proxy's text is recognisable
// in the report.
func notJSONMessage(secrets *knownSecrets, header http.Header, body []byte, err error) string {
	kind := mediaType(header)
	if kind != "" {
		kind = " (" + kind + ")"
	}
	if len(body) == 0 {
		return "response body is empty, not JSON" + kind
	}
	quoted := quoteServerText(secrets.scrub(window(string(body))))
	if quoted == "" {
		return fmt.Sprintf("response body is not JSON%s: %s", kind, describeJSONError(body, err))
	}
	return fmt.Sprintf("response body is not JSON%s: %q", kind, quoted)
}

// notJSONAnswer describes a successful answer whose body is not JSON. Such
// a body may be the data itself, cut short or garbled (/api/Control holds
// every integration's passwords): it says what the body was (its type and
// length) and where it stopped being JSON, never what it contained.
func notJSONAnswer(header http.Header, body []byte, err error) string {
	what := fmt.Sprintf("%d bytes", len(body))
	if kind := mediaType(header); kind != "" {
		what = kind + ", " + what
	}
	if len(body) == 0 {
		return "response body is empty, not JSON (" + what + ")"
	}
	return fmt.Sprintf("response body is not JSON (%s): %s; its content is not shown, as it may hold the tenant's data", what, describeJSONError(body, err))
}

func mediaType(header http.Header) string {
	if header == nil {
		return ""
	}
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// refusedAnswer says why a successful answer was not decoded: what it
// would cost is beyond decodeLimits.
func refusedAnswer(header http.Header, body []byte, err error) string {
	what := fmt.Sprintf("%d bytes", len(body))
	if kind := mediaType(header); kind != "" {
		what = kind + ", " + what
	}
	return fmt.Sprintf("response refused (%s): %v, beyond anything HaloPSA sends; refused rather than read", what, err)
}
