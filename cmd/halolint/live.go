package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

// liveFlags are the flags of every command that reads a live tenant. The
// connection itself comes from the environment (README, "Connecting to a tenant"), never from flags
// that would show in ps or shell history.
type liveFlags struct {
	clientSecretFile string
	timeout          time.Duration
	maxRequests      int
	window           time.Duration
}

// Defaults of the live flags: half of the hosted limit of 300 requests per
// rolling 5 minutes, which every other integration on the instance shares.
const (
	defaultTimeout     = 5 * time.Minute
	defaultMaxRequests = 150
	defaultWindow      = 5 * time.Minute
)

func (f *liveFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.clientSecretFile, "client-secret-file", "", "read the client secret from `FILE` (- for standard input) instead of HALO_CLIENT_SECRET")
	fs.DurationVar(&f.timeout, "timeout", defaultTimeout, "bound on the whole read of the tenant")
	fs.IntVar(&f.maxRequests, "max-requests-per-window", defaultMaxRequests, "at most `N` requests per --window (HaloPSA allows 300 per 5 minutes, shared with every integration)")
	fs.DurationVar(&f.window, "window", defaultWindow, "the rolling window of --max-requests-per-window")
}

func (f *liveFlags) validate() error {
	if f.timeout <= 0 {
		return usageErrorf("--timeout must be positive")
	}
	if f.maxRequests < 1 {
		return usageErrorf("--max-requests-per-window must be at least 1")
	}
	if f.window <= 0 {
		return usageErrorf("--window must be positive")
	}
	return nil
}

// clientConfig reads the connection from the environment, the secret
// from --client-secret-file when given.
func (f *liveFlags) clientConfig(ctx context.Context, env *cmdEnv) (halo.Config, error) {
	getenv := env.getenv
	if f.clientSecretFile != "" {
		secret, err := readSecretFile(ctx, f.clientSecretFile, env.stdin)
		if err != nil {
			return halo.Config{}, err
		}
		getenv = func(name string) string {
			if name == halo.EnvClientSecret {
				return secret
			}
			return env.getenv(name)
		}
	}
	cfg, err := halo.ConfigFromEnv(getenv)
	if err != nil {
		return halo.Config{}, err
	}
	cfg.Version = env.build.Version
	cfg.MaxRequestsPerWindow = f.maxRequests
	cfg.Window = f.window
	cfg.Transport = env.transport
	cfg.Clock = env.clock
	cfg.Jitter = env.jitter
	return cfg, nil
}

// collect reads the tenant within --timeout.
func (f *liveFlags) collect(ctx context.Context, env *cmdEnv, plan halo.Plan) (*halo.Snapshot, error) {
	cfg, err := f.clientConfig(ctx, env)
	if err != nil {
		return nil, err
	}
	client, err := halo.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	// Authorised first, so that where the credentials went is said before
	// the tenant is read, whatever happens then.
	if err := client.Authorize(ctx); err != nil {
		return nil, f.readError(ctx, cfg.URL, fmt.Errorf("authorise: %w", err))
	}
	if server, ok := client.TokenServer(); ok {
		fmt.Fprintln(env.stderr, credentialsLine(server))
	}
	progress, clearProgress := env.progressLine("reading " + cfg.URL)
	snap, err := halo.Collect(ctx, client, plan, progress)
	clearProgress()
	if err != nil {
		return nil, f.readError(ctx, cfg.URL, err)
	}
	return snap, nil
}

// readError is a read of the tenant that failed, saying when --timeout
// was the reason.
func (f *liveFlags) readError(ctx context.Context, url string, err error) error {
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("read %s: gave up after --timeout %s: %w", url, f.timeout, err)
	}
	return fmt.Errorf("read %s: %w", url, err)
}

// credentialsLine says on standard error which host received the client
// secret, and why that one: every live run says it, since only the
// token server should ever see the secret.
func credentialsLine(server halo.TokenServer) string {
	return "halolint: credentials sent to " + reports.Printable(server.Describe())
}
