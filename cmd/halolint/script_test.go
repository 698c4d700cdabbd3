package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/halolint/halolint/internal/halotest"
)

// The end-to-end scripts in testdata/script run the real binary (this test
// binary re-executed as "halolint", through run and systemEnv exactly as
// main does) against the fake HaloPSA server, on loopback only.
//
// Commands beside testscript's own:
//
//	serve FIXTURE [-forbidden PATH]... [-fail PATH=N]... [-canned PATH=KIND]...
//	      [-hang PATH]... [-ratelimit N/DURATION] [-latency DURATION] [-tls] [-noauthinfo]
//	    starts a halotest server for the script and points HALO_URL,
//	    HALO_CLIENT_ID and HALO_CLIENT_SECRET at it. KIND is html,
//	    truncated, wrongshape, huge (10 MB, not JSON),
//	    toolarge (40 MB of JSON) or 429.
//	exits CODE [-within DURATION] COMMAND [ARGS...]
//	    runs COMMAND (like exec) and asserts its exit code, and optionally
//	    that it returned within DURATION; stdout and stderr are kept for the
//	    next commands.
//	errline REGEXP
//	    asserts that stderr is exactly one line, matching REGEXP, with no
//	    stack trace.
//	jsonpath FILE EXPR WANT
//	    asserts that every value EXPR selects in the JSON document FILE
//	    (stdout for standard output) is WANT, and that there is one. EXPR
//	    is dot-separated keys, [N] indices and [key=value] filters, e.g.
//	    results[id=cove.application.exists].status, or several filters in a
//	    row (results[id=x][status=warn]); a segment "@len" gives
//	    the length of an array or object.

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"halolint": func() {
			os.Exit(runWithSignals(os.Args[1:], systemEnv()))
		},
	})
}

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: false,
		Setup: func(env *testscript.Env) error {
			// Nothing of the developer's environment leaks into a script.
			for _, name := range []string{"HALO_URL", "HALO_CLIENT_ID", "HALO_CLIENT_SECRET", "HALO_TENANT", "HALO_AUTH_URL", "HALO_SCOPE", "NO_COLOR"} {
				env.Setenv(name, "")
			}
			// Under -race every process sleeps 1 s at exit to catch late
			// races (atexit_sleep_ms); with some 200 runs of halolint,
			// that sleep alone would take minutes.
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "race" {
				return raceEnabled, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"serve":    cmdServe,
			"exits":    cmdExits,
			"errline":  cmdErrline,
			"jsonpath": cmdJSONPath,
		},
	})
}

// cannedKinds are the broken answers serve -canned can give.
func cannedKind(kind string) (halotest.Canned, bool) {
	switch kind {
	case "html":
		return halotest.Canned{ContentType: "text/html; charset=utf-8", Body: []byte(halotest.NotFoundHTML)}, true
	case "truncated":
		return halotest.Canned{Body: []byte(`{"record_count": 3, "roles": [{"id": "2f4c", "name": "Cove-R`)}, true
	case "wrongshape":
		return halotest.Canned{Body: []byte(`{"record_count": 1, "roles": "none", "items": 7}`)}, true
	case "huge":
		// 10 MB that is not JSON.
		return halotest.Canned{ContentType: "text/plain", Body: bytes.Repeat([]byte("0123456789abcdef"), 10<<20/16)}, true
	case "toolarge":
		// 40 MB of valid JSON: above the client's 32 MB bound.
		return halotest.Canned{Body: hugeJSON(40 << 20)}, true
	case "429":
		return halotest.Canned{Status: 429, ContentType: "text/plain; charset=utf-8", Body: []byte(halotest.RateLimitBody)}, true
	}
	return halotest.Canned{}, false
}

// hugeJSON is a valid JSON array of about n bytes.
func hugeJSON(n int) []byte {
	item := []byte(`{"id":"00000000-0000-0000-0000-000000000000","name":"padding padding padding"},`)
	var b bytes.Buffer
	b.Grow(n + len(item))
	b.WriteByte('[')
	for b.Len() < n {
		b.Write(item)
	}
	b.Truncate(b.Len() - 1)
	b.WriteByte(']')
	return b.Bytes()
}

func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! serve")
	}
	var (
		fixture string
		opts    halotest.Options
		useTLS  bool
	)
	next := func(i *int, flag string) string {
		*i++
		if *i >= len(args) {
			ts.Fatalf("serve: %s needs a value", flag)
		}
		return args[*i]
	}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "-forbidden":
			opts.Forbidden = append(opts.Forbidden, next(&i, a))
		case "-hang":
			opts.HangPaths = append(opts.HangPaths, next(&i, a))
		case "-fail":
			path, n, ok := strings.Cut(next(&i, a), "=")
			times, err := strconv.Atoi(n)
			if !ok || err != nil {
				ts.Fatalf("serve: -fail PATH=N")
			}
			if opts.FailTimes == nil {
				opts.FailTimes = map[string]int{}
			}
			opts.FailTimes[path] = times
		case "-canned":
			path, kind, _ := strings.Cut(next(&i, a), "=")
			c, ok := cannedKind(kind)
			if !ok {
				ts.Fatalf("serve: unknown -canned kind %q", kind)
			}
			if opts.Canned == nil {
				opts.Canned = map[string]halotest.Canned{}
			}
			opts.Canned[path] = c
		case "-ratelimit":
			n, d, _ := strings.Cut(next(&i, a), "/")
			limit, err1 := strconv.Atoi(n)
			window, err2 := time.ParseDuration(d)
			if err1 != nil || err2 != nil {
				ts.Fatalf("serve: -ratelimit N/DURATION")
			}
			opts.RateLimit, opts.RateWindow = limit, window
		case "-latency":
			d, err := time.ParseDuration(next(&i, a))
			ts.Check(err)
			opts.Latency = d
		case "-tls":
			useTLS = true
		case "-noauthinfo":
			opts.DisableAuthInfo = true
		default:
			if strings.HasPrefix(a, "-") || fixture != "" {
				ts.Fatalf("serve: unexpected argument %q", a)
			}
			fixture = a
		}
	}
	if fixture == "" {
		ts.Fatalf("usage: serve FIXTURE [options]")
	}
	tenant, err := halotest.Fixture(fixture)
	ts.Check(err)
	var srv *halotest.Server
	if useTLS {
		srv = halotest.NewTLS(tenant, opts)
	} else {
		srv = halotest.New(tenant, opts)
	}
	ts.Defer(srv.Close)
	ts.Setenv("HALO_URL", srv.URL)
	ts.Setenv("HALO_CLIENT_ID", halotest.AuditorClientID)
	ts.Setenv("HALO_CLIENT_SECRET", halotest.AuditorClientSecret)
}

func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE [-within DURATION] COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	args = args[1:]
	var within time.Duration
	if args[0] == "-within" && len(args) > 2 {
		within, err = time.ParseDuration(args[1])
		ts.Check(err)
		args = args[2:]
	}
	start := time.Now()
	err = ts.Exec(args[0], args[1:]...)
	took := time.Since(start)
	got := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("%s: %v", args[0], err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[0], got, want)
	}
	if within > 0 && took > within {
		ts.Fatalf("%s took %s, want at most %s", args[0], took.Round(time.Millisecond), within)
	}
}

// stackTrace matches what a panic or a runtime error prints.
var stackTrace = regexp.MustCompile(`goroutine \d+|panic:|\.go:\d+ \+0x|runtime error`)

func cmdErrline(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: errline REGEXP")
	}
	stderr := ts.ReadFile("stderr")
	if err := checkErrLine(stderr, args[0]); err != nil {
		ts.Fatalf("%v", err)
	}
}

// checkErrLine asserts that stderr is one line matching pattern and no
// stack trace.
func checkErrLine(stderr, pattern string) error {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	if stackTrace.MatchString(stderr) {
		return fmt.Errorf("stack trace on stderr:\n%s", stderr)
	}
	stderr = withoutCredentialsLine(stderr)
	if !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
		return fmt.Errorf("want exactly one line on stderr, got:\n%q", stderr)
	}
	if !re.MatchString(strings.TrimSuffix(stderr, "\n")) {
		return fmt.Errorf("stderr %q does not match %q", stderr, pattern)
	}
	return nil
}

// withoutCredentialsLine drops the line every live run starts standard
// error with, saying where the credentials went: the one line a test
// looks at is the next.
func withoutCredentialsLine(stderr string) string {
	if rest, ok := strings.CutPrefix(stderr, "halolint: credentials sent to "); ok {
		if _, after, found := strings.Cut(rest, "\n"); found {
			return after
		}
	}
	return stderr
}

func cmdJSONPath(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jsonpath FILE EXPR WANT")
	}
	var doc any
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(args[0])))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		ts.Fatalf("%s is not JSON: %v", args[0], err)
	}
	values, err := selectJSON(doc, args[1])
	if err != nil {
		ts.Fatalf("jsonpath %s: %v", args[1], err)
	}
	if len(values) == 0 {
		if !neg {
			ts.Fatalf("jsonpath %s: nothing selected", args[1])
		}
		return
	}
	for _, v := range values {
		got := jsonText(v)
		if (got == args[2]) == neg {
			ts.Fatalf("jsonpath %s: got %s, want %s%s", args[1], got, map[bool]string{true: "not ", false: ""}[neg], args[2])
		}
	}
}

// jsonText shows a value the way a script writes it: strings bare,
// anything else as compact JSON.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// splitPath splits an expression on the dots outside brackets.
func splitPath(expr string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range expr {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				parts = append(parts, expr[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, expr[start:])
}

var segment = regexp.MustCompile(`^([^\[\]]*)((?:\[[^\]]*\])*)$`)

func selectJSON(doc any, expr string) ([]any, error) {
	cur := []any{doc}
	for _, part := range splitPath(expr) {
		if part == "@len" {
			var next []any
			for _, v := range cur {
				switch x := v.(type) {
				case []any:
					next = append(next, len(x))
				case map[string]any:
					next = append(next, len(x))
				}
			}
			cur = next
			continue
		}
		m := segment.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("bad segment %q", part)
		}
		if m[1] != "" {
			var next []any
			for _, v := range cur {
				if obj, ok := v.(map[string]any); ok {
					if x, ok := obj[m[1]]; ok {
						next = append(next, x)
					}
				}
			}
			cur = next
		}
		for _, sel := range regexp.MustCompile(`\[([^\]]*)\]`).FindAllStringSubmatch(m[2], -1) {
			var next []any
			for _, v := range cur {
				key, want, isFilter := strings.Cut(sel[1], "=")
				if obj, ok := v.(map[string]any); ok && isFilter {
					// A second filter narrows the elements the first kept.
					if jsonText(obj[key]) == want {
						next = append(next, v)
					}
					continue
				}
				list, ok := v.([]any)
				if !ok {
					continue
				}
				if isFilter {
					for _, x := range list {
						if obj, ok := x.(map[string]any); ok && jsonText(obj[key]) == want {
							next = append(next, x)
						}
					}
					continue
				}
				i, err := strconv.Atoi(sel[1])
				if err != nil {
					return nil, fmt.Errorf("bad index %q", sel[1])
				}
				if i >= 0 && i < len(list) {
					next = append(next, list[i])
				}
			}
			cur = next
		}
	}
	return cur, nil
}
