//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/halolint/halolint/internal/halotest"
)

// Every file the user names is read bounded and only when it is a regular
// file: a device (/dev/zero) would fill the memory, a named pipe would
// block the run forever, a sparse file of gigabytes would take minutes.
// Each is refused at once: exit 2, one line naming the flag and what is
// wrong.
func TestLocalInputsAreBoundedAndRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	policyDirWith := func(name, target string) string {
		d := filepath.Join(dir, "policies-"+name)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(d, name)); err != nil {
			t.Fatal(err)
		}
		return d
	}
	// A snapshot must parse as far as its size: the refusal comes first.
	bigSnapshot := sparse("big.json", 300<<20)
	bigConfig := sparse("big.yaml", 2<<20)
	bigSecret := sparse("big.secret", 1<<20)
	bigPolicy := sparse("big.rego", 5<<20)
	vars := map[string]string{"HALO_URL": "https://acme.halopsa.com", "HALO_CLIENT_ID": "x"}

	for _, tc := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"--snapshot /dev/zero", []string{"audit", "--snapshot", "/dev/zero"}, `^halolint: snapshot /dev/zero: a character device, not a regular file$`},
		{"--snapshot a named pipe", []string{"audit", "--snapshot", fifo}, `^halolint: snapshot .*/pipe: a named pipe, not a regular file$`},
		{"--snapshot a folder", []string{"audit", "--snapshot", dir}, `^halolint: snapshot .*: a folder, not a regular file$`},
		{"--snapshot too large", []string{"audit", "--snapshot", bigSnapshot}, `^halolint: snapshot .*/big\.json: larger than 268435456 bytes$`},
		{"--config /dev/zero", []string{"audit", "--config", "/dev/zero"}, `^halolint: /dev/zero: read config: a character device, not a regular file$`},
		{"--config a named pipe", []string{"audit", "--config", fifo}, `^halolint: .*/pipe: read config: a named pipe, not a regular file$`},
		{"--config too large", []string{"audit", "--config", bigConfig}, `^halolint: .*/big\.yaml: read config: larger than 1 MiB$`},
		{"--policy holding /dev/zero", []string{"audit", "--policy", policyDirWith("zero.rego", "/dev/zero")}, `^halolint: .*/zero\.rego: cannot read: a character device, not a regular file$`},
		{"--policy holding a named pipe", []string{"audit", "--policy", policyDirWith("pipe.yaml", fifo)}, `^halolint: .*/pipe\.yaml: cannot read: a named pipe, not a regular file$`},
		{"--policy holding a file too large", []string{"audit", "--policy", policyDirWith("big.rego", bigPolicy)}, `^halolint: .*/big\.rego: cannot read: larger than 4 MiB$`},
		{"--client-secret-file /dev/zero", []string{"audit", "--client-secret-file", "/dev/zero"}, `^halolint: --client-secret-file: /dev/zero: a character device, not a regular file \(use - for standard input\)$`},
		{"--client-secret-file a named pipe", []string{"audit", "--client-secret-file", fifo}, `^halolint: --client-secret-file: .*/pipe: a named pipe, not a regular file \(use - for standard input\)$`},
		{"--client-secret-file too large", []string{"snapshot", "--out", "-", "--client-secret-file", bigSecret}, `^halolint: --client-secret-file: .*/big\.secret: larger than 64 KiB: not a client secret$`},
		{"--client-secret-file - too large", []string{"audit", "--client-secret-file", "-"}, `^halolint: --client-secret-file: -: larger than 64 KiB: not a client secret$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := vars
			if strings.HasSuffix(tc.name, "- too large") {
				v = mergeVars(vars, map[string]string{"<stdin>": strings.Repeat("s", 65<<10)})
			}
			start := time.Now()
			res := runCLI(t, v, tc.args...)
			if res.code != exitUsage {
				t.Errorf("exit %d, want 2; stderr: %s", res.code, res.stderr)
			}
			if err := checkErrLine(res.stderr, tc.stderr); err != nil {
				t.Error(err)
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("took %s", took)
			}
		})
	}
}

// blockingStdin is standard input that nobody writes to: a read blocks
// until the test ends. read is closed at the first read.
type blockingStdin struct {
	once  sync.Once
	read  chan struct{}
	never chan struct{}
}

func (b *blockingStdin) Read([]byte) (int, error) {
	b.once.Do(func() { close(b.read) })
	<-b.never
	return 0, io.EOF
}

// Ctrl-C while the secret is read from a standard input nobody writes to
// ends the run at once, with a line saying so and exit 3.
func TestInterruptWhileReadingStandardInput(t *testing.T) {
	t.Parallel()
	vars, _ := serveFixture(t, halotest.FixtureSample, halotest.Options{})
	stdin := &blockingStdin{read: make(chan struct{}), never: make(chan struct{})}
	t.Cleanup(func() { close(stdin.never) })
	var stdout, stderr bytes.Buffer
	env := &cmdEnv{
		stdin: stdin, stdout: &stdout, stderr: &stderr,
		getenv: func(name string) string { return vars[name] },
		build:  buildInfo{Version: "test"}, clock: newTestClock(), jitter: maxJitter,
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-stdin.read
		cancel(errors.New("interrupt signal received"))
	}()
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"audit", "--client-secret-file", "-"}, env) }()
	select {
	case c := <-code:
		if c != exitNoAudit {
			t.Errorf("exit %d, want 3", c)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not stop after the interrupt")
	}
	if err := checkErrLine(stderr.String(), `^halolint: interrupted \(interrupt signal received\): the run stopped before it completed$`); err != nil {
		t.Error(err)
	}
}

// A real SIGINT or SIGTERM to the process, while it waits for a server
// that never answers, ends the run: the line saying so, exit 3.
func TestSignalsEndTheProcess(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	bin := filepath.Join(t.TempDir(), "halolint")
	if err := os.Symlink(exe, bin); err != nil {
		t.Skip(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			vars, srv := serveFixture(t, halotest.FixtureSample, halotest.Options{HangPaths: []string{"/api/roles"}})
			cmd := exec.Command(bin, "audit", "-o", "json")
			cmd.Env = []string{"HOME=" + t.TempDir(), "GORACE=atexit_sleep_ms=0"}
			for k, v := range vars {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the run waits on the hanging list: by then its
			// signal handler is long installed.
			deadline := time.Now().Add(60 * time.Second)
			for !hanging(srv) {
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatalf("the run never reached /api/Roles; stderr: %s", stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the process did not end after the signal")
			}
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitNoAudit {
				t.Errorf("process ended with %v, want exit 3", err)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "halolint: interrupted (") || !strings.HasSuffix(last, "signal received): the run stopped before it completed") {
				t.Errorf("last line on stderr %q", last)
			}
		})
	}
}

// hanging reports whether the server holds a request to the roles list
// without answering it.
func hanging(srv *halotest.Server) bool {
	for _, r := range srv.Requests() {
		if strings.EqualFold(r.Path, "/api/Roles") && r.Status == 0 {
			return true
		}
	}
	return false
}
