package halo

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	valid := map[string]string{
		EnvURL:          "https://acme.halopsa.com/",
		EnvClientID:     "client",
		EnvClientSecret: "s3cret-value\n",
		EnvTenant:       "acme",
		EnvScope:        "admin read:tickets",
	}
	with := func(changes map[string]string) func(string) string {
		env := map[string]string{}
		for k, v := range valid {
			env[k] = v
		}
		for k, v := range changes {
			env[k] = v
		}
		return func(k string) string { return env[k] }
	}
	tests := []struct {
		name        string
		env         func(string) string
		wantSetting string // "" means valid
		wantProblem string
	}{
		{"valid", with(nil), "", ""},
		{"loopback http", with(map[string]string{EnvURL: "http://127.0.0.1:8080"}), "", ""},
		{"localhost http", with(map[string]string{EnvURL: "http://localhost:8080"}), "", ""},
		{"ipv6 loopback", with(map[string]string{EnvURL: "http://[::1]:8080"}), "", ""},
		{"nothing set", func(string) string { return "" }, "HALO_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET", "not set"},
		{"secret missing", with(map[string]string{EnvClientSecret: ""}), EnvClientSecret, "not set"},
		{"clear text", with(map[string]string{EnvURL: "http://acme.halopsa.com"}), EnvURL, "in clear"},
		{"not a URL", with(map[string]string{EnvURL: "acme.halopsa.com"}), EnvURL, "not an http(s) URL"},
		{"bad escape", with(map[string]string{EnvURL: "https://acme%zz.com"}), EnvURL, "not a valid URL"},
		{"credentials in URL", with(map[string]string{EnvURL: "https://user:pw@acme.halopsa.com"}), EnvURL, "must not contain credentials"},
		{"query", with(map[string]string{EnvURL: "https://acme.halopsa.com?x=1"}), EnvURL, "query"},
		{"no host", with(map[string]string{EnvURL: "https://"}), EnvURL, "no host"},
		// A secret pasted into the URL is not echoed in the message.
		{"secret in the query", with(map[string]string{EnvURL: "https://acme.halopsa.com/?client_secret=s3cret-value"}), EnvURL, `"https://acme.halopsa.com/" must not have a query`},
		{"secret in the fragment", with(map[string]string{EnvURL: "https://acme.halopsa.com#s3cret-value"}), EnvURL, "must not have a query or fragment"},
		{"secret as the user of a non-http URL", with(map[string]string{EnvURL: "ftp://s3cret-value@acme.halopsa.com"}), EnvURL, `"ftp://acme.halopsa.com" is not an http(s) URL`},
		{"secret as the user of a clear-text URL", with(map[string]string{EnvAuthURL: "http://s3cret-value@auth.example.com"}), EnvAuthURL, "credentials"},
		{"auth URL in clear", with(map[string]string{EnvAuthURL: "http://auth.example.com"}), EnvAuthURL, "in clear"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := ConfigFromEnv(tt.env)
			if tt.wantSetting == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var cfgErr *ConfigError
			if !errors.As(err, &cfgErr) {
				t.Fatalf("err = %v, want *ConfigError", err)
			}
			if cfgErr.Setting != tt.wantSetting || !strings.Contains(cfgErr.Problem, tt.wantProblem) {
				t.Errorf("got %q, want setting %q and problem containing %q", err, tt.wantSetting, tt.wantProblem)
			}
			if strings.ContainsAny(err.Error(), "\n") || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), ":pw@") {
				t.Errorf("message not one clean line: %q", err)
			}
			if cfg.URL != "" || cfg.ClientSecret != "" {
				t.Errorf("config returned with an error: %v", cfg)
			}
		})
	}
}

func TestConfigFromEnvValues(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		EnvURL: "https://acme.halopsa.com", EnvClientID: " client ", EnvClientSecret: " spaced secret \r\n",
		EnvTenant: "acme", EnvAuthURL: "https://acme.halopsa.com/auth", EnvScope: "all",
	}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClientID != "client" || string(cfg.ClientSecret) != " spaced secret " || cfg.Tenant != "acme" ||
		cfg.AuthURL != "https://acme.halopsa.com/auth" || cfg.Scope != "all" {
		t.Errorf("cfg = %#v (secret %q)", cfg, string(cfg.ClientSecret))
	}
	d := cfg.withDefaults()
	if d.MaxRequestsPerWindow != 150 || d.Window.Minutes() != 5 || d.Concurrency != 6 || d.MaxAttempts != 5 {
		t.Errorf("defaults = %v %v %v %v", d.MaxRequestsPerWindow, d.Window, d.Concurrency, d.MaxAttempts)
	}
	if (Config{}).withDefaults().Scope != "admin" {
		t.Error("default scope is not admin")
	}
}

func TestConfigNeverPrintsTheSecret(t *testing.T) {
	t.Parallel()
	const secret = "very-secret-value"
	cfg := Config{URL: "https://acme.halopsa.com", ClientID: "id", ClientSecret: secret}
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outputs := []string{
		fmt.Sprint(cfg), fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", cfg, cfg, cfg, cfg, cfg, cfg),
		fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret, cfg.ClientSecret),
		fmt.Sprintf("%v", &cfg), fmt.Sprintf("%+v", struct{ C Config }{cfg}), string(js),
		fmt.Errorf("wrapped: %v", cfg).Error(),
	}
	for _, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) {
			t.Errorf("secret printed: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprint(cfg), "[redacted]") {
		t.Errorf("String() = %s", cfg)
	}
}

func TestConfigRejectsNegativeNumbers(t *testing.T) {
	t.Parallel()
	cfg := Config{URL: "https://acme.halopsa.com", ClientID: "id", ClientSecret: "s", Concurrency: -1}
	var cfgErr *ConfigError
	if _, err := NewClient(cfg); !errors.As(err, &cfgErr) || cfgErr.Setting != "Concurrency" {
		t.Errorf("err = %v", err)
	}
}

func TestClientPrintsNoSecret(t *testing.T) {
	t.Parallel()
	c, err := NewClient(Config{URL: "https://acme.halopsa.com", ClientID: "id", ClientSecret: "s3cret-DO-NOT-PRINT"})
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, c); strings.Contains(out, "s3cret") {
			t.Errorf("%s of a Client shows the secret: %s", verb, out)
		}
	}
}
