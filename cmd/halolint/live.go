package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/reports"
)

// liveFlags are the flags of every command that reads a live tenant. The
// connection itself comes from the environment (README, "Connecting to a tenant"), never from flags
// that would show in ps or shell history.
type liveFlags struct {
	clientSecretFile string
	timeout          timeoutFlag
	maxRequests      int
	window           time.Duration
}

// Defaults of the live flags: half of the hosted limit of 300 requests per
// rolling 5 minutes, which every other integration on the instance shares.
// Without --timeout a read may take defaultTimeout, or what its plan
// needs at the rate budget plus a tenth and planMargin, if that is longer
// (halo.PlannedTimeout).
const (
	defaultTimeout     = 5 * time.Minute
	planMargin         = time.Minute
	defaultMaxRequests = 150
	defaultWindow      = 5 * time.Minute
)

// timeoutFlag is --timeout: a duration, and whether the user gave one.
// Unset, the plan decides (collect).
type timeoutFlag struct {
	d   time.Duration
	set bool
}

func (t *timeoutFlag) String() string {
	if !t.set {
		return ""
	}
	return t.d.String()
}

func (t *timeoutFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	t.d, t.set = d, true
	return nil
}

func (t *timeoutFlag) Type() string { return "duration" }

// timeoutUsage is --timeout's help.
const timeoutUsage = "bound on the whole read of the tenant (default: 5m, or the time the plan needs at the request rate plus a margin, whichever is longer; a --timeout too short for the plan is refused before the details are read)"

func (f *liveFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.clientSecretFile, "client-secret-file", "", "read the client secret from `FILE` (- for standard input) instead of HALO_CLIENT_SECRET")
	fs.Var(&f.timeout, "timeout", timeoutUsage)
	fs.IntVar(&f.maxRequests, "max-requests-per-window", defaultMaxRequests, "at most `N` requests per --window (HaloPSA allows 300 per 5 minutes, shared with every integration)")
	fs.DurationVar(&f.window, "window", defaultWindow, "the rolling window of --max-requests-per-window")
}

func (f *liveFlags) validate() error {
	if f.timeout.set && f.timeout.d <= 0 {
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

// collect reads the tenant within --timeout. When --timeout cuts the read
// short it returns what was read together with the error: the caller
// reports the snapshot, then exits 3 with the error (cutShort).
//
// plan is called once the lists are read, when the details are chosen:
// the built-in policies finish compiling meanwhile (see planOf).
func (f *liveFlags) collect(ctx context.Context, env *cmdEnv, plan func(context.Context) (halo.Plan, error)) (*halo.Snapshot, error) {
	cfg, err := f.clientConfig(ctx, env)
	if err != nil {
		return nil, err
	}
	client, err := halo.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	var cancel context.CancelFunc
	if f.timeout.set {
		ctx, cancel = context.WithTimeout(ctx, f.timeout.d)
	} else {
		ctx, cancel = halo.WithPlannedTimeout(ctx, halo.PlannedTimeout{Initial: defaultTimeout, Margin: planMargin})
	}
	defer cancel()
	// Authorised first, so that where the credentials went is said before
	// the tenant is read, whatever happens then.
	if err := client.Authorize(ctx); err != nil {
		return nil, f.readError(ctx, cfg.URL, fmt.Errorf("authorise: %w", err))
	}
	if server, ok := client.TokenServer(); ok {
		fmt.Fprintln(env.stderr, credentialsLine(server))
	}
	progress, clearProgress := env.progressLine("reading "+cfg.URL, timeLeft(client, env.clock))
	snap, err := halo.CollectPlanned(ctx, client, plan, progress)
	clearProgress()
	if err != nil {
		if ctx.Err() != nil && snap != nil {
			return snap, f.readError(ctx, cfg.URL, err)
		}
		return nil, f.readError(ctx, cfg.URL, err)
	}
	return snap, nil
}

// planOf checks cfg against the engine's catalog now, before any request,
// and returns the plan for the collection to ask for once the lists are
// read: the engine's Plan waits for the compile New may have left running,
// which has then had the first requests' round trips to finish.
func planOf(engine *audit.Engine, cfg audit.Config, full bool) (func(context.Context) (halo.Plan, error), error) {
	if err := engine.ValidateConfig(cfg); err != nil {
		return nil, err
	}
	return func(context.Context) (halo.Plan, error) {
		plan, err := engine.Plan(cfg)
		plan.Full = full
		return plan, err
	}, nil
}

// readError is a read of the tenant that failed, saying when --timeout
// was the reason.
func (f *liveFlags) readError(ctx context.Context, url string, err error) error {
	var planned *halo.TimeoutError
	switch {
	case errors.As(context.Cause(ctx), &planned):
		return fmt.Errorf("read %s: gave up: %v (--timeout sets another bound): %w", url, planned, err)
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("read %s: gave up after --timeout %s: %w", url, f.timeout.d, err)
	}
	return fmt.Errorf("read %s: %w", url, err)
}

// timeLeft estimates, for the progress line, how long the requests still
// planned take: the least the rate budget allows, or, when the server is
// slower than that, what the requests so far took each. nil clock: the
// system's.
func timeLeft(client *halo.Client, clock halo.Clock) func(done, planned int) time.Duration {
	if clock == nil {
		clock = halo.SystemClock()
	}
	start := clock.Now()
	return func(done, planned int) time.Duration {
		remaining := planned - done
		if remaining <= 0 || done <= 0 {
			return 0
		}
		left := client.TimeFor(remaining)
		if observed := clock.Now().Sub(start) / time.Duration(done) * time.Duration(remaining); observed > left {
			left = observed
		}
		return left
	}
}

// credentialsLine says on standard error which host received the client
// secret, and why that one: every live run says it, since only the
// token server should ever see the secret.
func credentialsLine(server halo.TokenServer) string {
	return "halolint: credentials sent to " + reports.Printable(server.Describe())
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
