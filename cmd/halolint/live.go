package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/halolint/halolint/halo"
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
func (f *liveFlags) clientConfig(env *cmdEnv) (halo.Config, error) {
	getenv := env.getenv
	if f.clientSecretFile != "" {
		secret, err := readSecretFile(f.clientSecretFile, env.stdin)
		if err != nil {
			return halo.Config{}, usageErrorf("--client-secret-file: %v", err)
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

func readSecretFile(path string, stdin io.Reader) (string, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, 64<<10))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return "", err
	}
	secret := strings.TrimRight(string(data), "\r\n")
	if secret == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return secret, nil
}

// collect reads the tenant within --timeout. When --timeout cuts the read
// short it returns what was read together with the error: the caller
// reports the snapshot, then exits 3 with the error (cutShort).
func (f *liveFlags) collect(ctx context.Context, env *cmdEnv, plan halo.Plan) (*halo.Snapshot, error) {
	cfg, err := f.clientConfig(env)
	if err != nil {
		return nil, err
	}
	client, err := halo.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	progress, clearProgress := env.progressLine("reading " + cfg.URL)
	snap, err := halo.Collect(ctx, client, plan, progress)
	clearProgress()
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return snap, fmt.Errorf("read %s: gave up after --timeout %s: %w", cfg.URL, f.timeout, err)
		}
		return nil, fmt.Errorf("read %s: %w", cfg.URL, err)
	}
	return snap, nil
}

// cutShort is the outcome of a command that reported a snapshot --timeout
// cut short (collectErr): exit 3 with that error, unless reporting failed
// for another reason (err, not an exit code of its own).
func cutShort(collectErr, err error) error {
	var coded *exitError
	if collectErr == nil || err != nil && !errors.As(err, &coded) {
		return err
	}
	return &exitError{code: exitNoAudit, err: collectErr}
}
