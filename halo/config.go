package halo

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Environment variables the connection is read from (README, "Connecting
// to a tenant"). Credentials come from the environment only, never from
// flags that show in ps.
const (
	EnvURL          = "HALO_URL"
	EnvClientID     = "HALO_CLIENT_ID"
	EnvClientSecret = "HALO_CLIENT_SECRET"
	EnvTenant       = "HALO_TENANT"
	EnvAuthURL      = "HALO_AUTH_URL"
	EnvScope        = "HALO_SCOPE"
)

// Defaults. The rate budget is half of the hosted limit (300 per rolling
// 5 minutes) because every other integration on the instance shares it.
const (
	DefaultScope                = "admin"
	DefaultMaxRequestsPerWindow = 150
	DefaultWindow               = 5 * time.Minute
	// DefaultConcurrency is 6, not the 4 first planned: with Halo's
	// latency a small tenant's ~70 requests take over 3 s at 4 in flight
	// and about 2 s at 6. Politeness is the rate budget's job; six open
	// requests are no burden on the server.
	DefaultConcurrency          = 6
	DefaultMaxAttempts          = 5
	DefaultBackoffBase          = 1 * time.Second
	DefaultBackoffCap           = 30 * time.Second
	DefaultRateLimitBackoffBase = 5 * time.Second
	DefaultRateLimitBackoffCap  = 60 * time.Second
	// DefaultMaxResponseBytes bounds one response body: /api/Control is
	// the largest answer (about 3,000 fields), far below this.
	DefaultMaxResponseBytes = 32 << 20
)

// Secret holds a credential. Every way of printing it (fmt verbs, JSON)
// gives "[redacted]", so a Config can be logged or wrapped in an error
// without leaking; string(s) is the only way to the value.
type Secret string

const redacted = "[redacted]"

func (Secret) String() string   { return redacted }
func (Secret) GoString() string { return `"` + redacted + `"` }

// Format makes %v, %+v, %#v, %s, %q and %x all print the placeholder.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON keeps the secret out of any JSON dump of a Config.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Config is everything the client needs to reach one HaloPSA instance.
// Zero numeric fields take their defaults; see NewClient.
type Config struct {
	// URL is the instance, e.g. https://acme.halopsa.com.
	URL          string
	ClientID     string
	ClientSecret Secret
	// Tenant is sent with the token request on instances hosted by Halo.
	Tenant string
	// AuthURL, when set, is the authorisation server and the only place
	// the client secret is sent; /api/authinfo is then not asked. Without
	// it the server /api/authinfo names is used only on the instance's own
	// host or on HostedAuthHost (authserver.go).
	AuthURL string
	// Scope is the space-separated scopes to request; default "admin".
	Scope string
	// Version goes into the User-Agent, halolint/<version>.
	Version string

	MaxRequestsPerWindow int
	Window               time.Duration
	// Concurrency bounds the requests in flight at once.
	Concurrency int
	// MaxAttempts bounds the attempts of one request, the first included.
	MaxAttempts int
	// BackoffBase and BackoffCap shape the retries after a 5xx or a network
	// failure; RateLimitBackoffBase and RateLimitBackoffCap those after a
	// 429 without Retry-After.
	BackoffBase          time.Duration
	BackoffCap           time.Duration
	RateLimitBackoffBase time.Duration
	RateLimitBackoffCap  time.Duration
	MaxResponseBytes     int64
	// RequestTimeout bounds one request, body included; default
	// DefaultRequestTimeout. A request past it is retried like a 5xx.
	RequestTimeout time.Duration

	// Clock defaults to the system clock; tests pass a fake one.
	Clock Clock `json:"-"`
	// Jitter returns a duration in [0, max]; default uniform random (full
	// jitter). Tests pass a deterministic one.
	Jitter func(max time.Duration) time.Duration `json:"-"`
	// Transport is the base transport under the read-only layers; default
	// a clone of http.DefaultTransport.
	Transport http.RoundTripper `json:"-"`
}

// ConfigError is a configuration the client refuses to use. Its message is
// one line naming the setting; it never contains the secret.
type ConfigError struct {
	// Setting names what is wrong: an environment variable or a Config
	// field.
	Setting string
	Problem string
}

func (e *ConfigError) Error() string { return e.Setting + ": " + e.Problem }

// ConfigFromEnv reads the connection from environment variables through
// getenv (os.Getenv in the CLI) and validates it. To take the secret from
// a file instead, pass a getenv that answers HALO_CLIENT_SECRET with the
// file's content.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	cfg := Config{
		URL:      get(EnvURL),
		ClientID: get(EnvClientID),
		// A secret may legitimately start or end with spaces; only the
		// trailing newline of a file or heredoc is noise.
		ClientSecret: Secret(strings.TrimRight(getenv(EnvClientSecret), "\r\n")),
		Tenant:       get(EnvTenant),
		AuthURL:      get(EnvAuthURL),
		Scope:        get(EnvScope),
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// Validate reports the first problem that makes the configuration unusable
// as a *ConfigError.
func (c Config) Validate() error {
	var missing []string
	if strings.TrimSpace(c.URL) == "" {
		missing = append(missing, EnvURL)
	}
	if strings.TrimSpace(c.ClientID) == "" {
		missing = append(missing, EnvClientID)
	}
	if c.ClientSecret == "" {
		missing = append(missing, EnvClientSecret)
	}
	if len(missing) > 0 {
		return &ConfigError{Setting: strings.Join(missing, ", "), Problem: "not set"}
	}
	if _, err := parseInstanceURL(EnvURL, c.URL); err != nil {
		return err
	}
	if c.AuthURL != "" {
		if _, err := parseInstanceURL(EnvAuthURL, c.AuthURL); err != nil {
			return err
		}
	}
	if strings.ContainsAny(c.ClientID, "\r\n") {
		return &ConfigError{Setting: EnvClientID, Problem: "contains a line break"}
	}
	for _, n := range []struct {
		name  string
		value int64
	}{
		{"MaxRequestsPerWindow", int64(c.MaxRequestsPerWindow)},
		{"Window", int64(c.Window)},
		{"Concurrency", int64(c.Concurrency)},
		{"MaxAttempts", int64(c.MaxAttempts)},
		{"BackoffBase", int64(c.BackoffBase)},
		{"BackoffCap", int64(c.BackoffCap)},
		{"RateLimitBackoffBase", int64(c.RateLimitBackoffBase)},
		{"RateLimitBackoffCap", int64(c.RateLimitBackoffCap)},
		{"MaxResponseBytes", c.MaxResponseBytes},
		{"RequestTimeout", int64(c.RequestTimeout)},
	} {
		if n.value < 0 {
			return &ConfigError{Setting: n.name, Problem: "must not be negative"}
		}
	}
	return nil
}

// String describes the configuration without its secret.
func (c Config) String() string {
	return fmt.Sprintf("halo.Config{URL: %q, ClientID: %q, ClientSecret: %s, Tenant: %q, AuthURL: %q, Scope: %q}",
		c.URL, c.ClientID, redacted, c.Tenant, c.AuthURL, c.Scope)
}

// GoString keeps %#v from printing fields one by one.
func (c Config) GoString() string { return c.String() }

// withDefaults fills every zero field.
func (c Config) withDefaults() Config {
	if c.Scope == "" {
		c.Scope = DefaultScope
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	if c.MaxRequestsPerWindow == 0 {
		c.MaxRequestsPerWindow = DefaultMaxRequestsPerWindow
	}
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.BackoffBase == 0 {
		c.BackoffBase = DefaultBackoffBase
	}
	if c.BackoffCap == 0 {
		c.BackoffCap = DefaultBackoffCap
	}
	if c.RateLimitBackoffBase == 0 {
		c.RateLimitBackoffBase = DefaultRateLimitBackoffBase
	}
	if c.RateLimitBackoffCap == 0 {
		c.RateLimitBackoffCap = DefaultRateLimitBackoffCap
	}
	if c.MaxResponseBytes == 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.Clock == nil {
		c.Clock = SystemClock()
	}
	if c.Jitter == nil {
		c.Jitter = fullJitter
	}
	if c.Transport == nil {
		c.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	return c
}

// parseInstanceURL accepts an absolute http(s) URL without credentials,
// query or fragment, and refuses clear-text http to anything but loopback:
// the client secret and the bearer token must not travel in clear.
func parseInstanceURL(setting, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, &ConfigError{Setting: setting, Problem: "not a valid URL"}
	}
	// A mistyped URL is shown without its user information, query and
	// fragment: a secret pasted into any of them must not be echoed.
	shown := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, &ConfigError{Setting: setting, Problem: fmt.Sprintf("%q is not an http(s) URL (e.g. https://acme.halopsa.com)", shown)}
	case u.Host == "" || u.Hostname() == "":
		return nil, &ConfigError{Setting: setting, Problem: fmt.Sprintf("%q has no host", shown)}
	case u.User != nil:
		return nil, &ConfigError{Setting: setting, Problem: "must not contain credentials; use HALO_CLIENT_ID and HALO_CLIENT_SECRET"}
	case u.RawQuery != "" || u.Fragment != "":
		return nil, &ConfigError{Setting: setting, Problem: fmt.Sprintf("%q must not have a query or fragment", shown)}
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return nil, &ConfigError{Setting: setting, Problem: fmt.Sprintf("%q uses http: credentials must not travel in clear; use https (http is allowed only for loopback hosts)", shown)}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
