package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Run is one run of a process.
type Run struct {
	Wall time.Duration
	// MaxRSS is the peak resident set size of the child, in bytes.
	MaxRSS   int64
	ExitCode int
}

// Runs summarises repeated runs.
type Runs struct {
	Runs        []Run
	Min, Median time.Duration
	MaxRSS      int64 // the largest peak RSS of all runs
}

func summarise(runs []Run) Runs {
	walls := make([]time.Duration, len(runs))
	var rss int64
	for i, r := range runs {
		walls[i] = r.Wall
		rss = max(rss, r.MaxRSS)
	}
	slices.Sort(walls)
	s := Runs{Runs: runs, MaxRSS: rss}
	if n := len(walls); n > 0 {
		s.Min = walls[0]
		if n%2 == 1 {
			s.Median = walls[n/2]
		} else {
			s.Median = (walls[n/2-1] + walls[n/2]) / 2
		}
	}
	return s
}

// Command is a process to time.
type Command struct {
	Path string
	Args []string
	Env  []string // added to the environment
	// StdoutFile receives the output of the run, replacing the previous
	// run's; "" discards it.
	StdoutFile string
	// OK lists the exit codes that are a success (default 0).
	OK []int
}

// ChildEnv marks a process started by Time as the measuring helper (see
// RunHelper).
const ChildEnv = "HALOBENCH_MEASURE_CHILD"

// Time runs c once and measures its wall time (fork to exit) and its peak
// RSS.
//
// The peak RSS of a child cannot be read from the parent's own
// ProcessState: Go starts children with vfork semantics (CLONE_VM), and
// Linux then carries the parent's high-water RSS into the child's
// ru_maxrss, so every child of a big process looks as big as its parent.
// Time therefore runs the halobench binary itself as a small helper
// (RunHelper), which starts c, waits for it and reports its figures; the
// helper's own RSS (a few MiB, HelperFloor) is then the floor of the
// figure instead of halobench's hundreds.
func Time(ctx context.Context, c Command) (Run, error) {
	self, err := os.Executable()
	if err != nil {
		return Run{}, err
	}
	cmd := exec.CommandContext(ctx, self, append([]string{c.StdoutFile, c.Path}, c.Args...)...)
	cmd.Env = append(append(os.Environ(), c.Env...), ChildEnv+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return Run{}, fmt.Errorf("%s %v: %w: %s", filepath.Base(c.Path), c.Args, err, clip(stderr.String()))
	}
	var rep helperReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return Run{}, fmt.Errorf("%s %v: helper report %q: %w", filepath.Base(c.Path), c.Args, stdout.String(), err)
	}
	r := Run{Wall: time.Duration(rep.WallNS), MaxRSS: rep.MaxRSSKB * 1024, ExitCode: rep.Exit}
	ok := c.OK
	if len(ok) == 0 {
		ok = []int{0}
	}
	if !slices.Contains(ok, r.ExitCode) {
		return r, fmt.Errorf("%s %v: exit %d: %s", filepath.Base(c.Path), c.Args, r.ExitCode, clip(stderr.String()))
	}
	return r, nil
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

type helperReport struct {
	WallNS   int64 `json:"wall_ns"`
	MaxRSSKB int64 `json:"maxrss_kb"`
	Exit     int   `json:"exit"`
}

// RunHelper is the helper side of Time: args are the output file ("" to
// discard) and the command. It prints a JSON report on stdout and passes
// the command's stderr through. halobench calls it first thing when
// ChildEnv is set, before doing anything that would grow its RSS.
func RunHelper(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "helper: want OUTFILE COMMAND [ARGS...]")
		return 2
	}
	cmd := exec.Command(args[1], args[2:]...)
	// The command is not a helper, even when it is halobench again (the
	// decode floor).
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, ChildEnv+"=") })
	cmd.Stdout = io.Discard
	if args[0] != "" {
		f, err := os.Create(args[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			return 2
		}
		defer f.Close()
		cmd.Stdout = f
	}
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	rep := helperReport{WallNS: int64(wall), Exit: cmd.ProcessState.ExitCode()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rep.MaxRSSKB = int64(ru.Maxrss) // kilobytes on Linux
	}
	data, _ := json.Marshal(rep)
	fmt.Println(string(data))
	return 0
}

// HelperFloor is the peak RSS reported for a command that uses almost
// none (/bin/true): the floor of every RSS figure.
func HelperFloor(ctx context.Context) (int64, error) {
	r, err := Time(ctx, Command{Path: "true"})
	return r.MaxRSS, err
}

// Repeat runs each command n times, interleaved (a, b, a, b, ...) so that
// a change in the machine's load hits both alike, after one unmeasured
// warm-up run of each (page cache, binary loading).
func Repeat(ctx context.Context, n int, cmds ...Command) ([]Runs, error) {
	all := make([][]Run, len(cmds))
	for i, c := range cmds {
		if _, err := Time(ctx, c); err != nil {
			return nil, err
		}
		all[i] = make([]Run, 0, n)
	}
	for range n {
		for i, c := range cmds {
			r, err := Time(ctx, c)
			if err != nil {
				return nil, err
			}
			all[i] = append(all[i], r)
		}
	}
	out := make([]Runs, len(cmds))
	for i, runs := range all {
		out[i] = summarise(runs)
	}
	return out, nil
}

// GoBuild runs `go build` with args in dir, printing nothing unless it
// fails.
func GoBuild(ctx context.Context, dir string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", append([]string{"build"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %v: %w\n%s", args, err, out)
	}
	return nil
}
