package main

import (
	"fmt"
	"sync"
	"time"
)

// colorMode is the --color flag.
type colorMode string

const (
	colorAuto   colorMode = "auto"
	colorAlways colorMode = "always"
	colorNever  colorMode = "never"
)

func parseColorMode(s string) (colorMode, error) {
	switch m := colorMode(s); m {
	case colorAuto, colorAlways, colorNever:
		return m, nil
	}
	return "", usageErrorf("--color: %q is not one of auto, always, never", s)
}

// useColor decides colour once for a stream: --color always wins, then
// NO_COLOR (https://no-color.org: set and non-empty), then whether the
// stream is a terminal.
func useColor(mode colorMode, getenv func(string) string, isTerminal bool) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	if getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal
}

// progressLine returns a function that rewrites one status line on a
// terminal ("reading URL: 40 of 71 requests, about 2m10s left"), and one
// that erases that line if it is still shown, so that what follows (an
// error, say) starts a line of its own. Neither writes anything when
// standard error is not a terminal. left, when not nil, estimates the
// time the requests still planned take.
func (env *cmdEnv) progressLine(what string, left func(done, planned int) time.Duration) (progress func(done, planned int), erase func()) {
	if !env.stderrTTY {
		return nil, func() {}
	}
	var mu sync.Mutex
	shown := false
	progress = func(done, planned int) {
		mu.Lock()
		defer mu.Unlock()
		line := fmt.Sprintf("%s: %d of %d requests", what, done, planned)
		if left != nil {
			if d := left(done, planned); d > 0 {
				line += ", about " + roundLeft(d).String() + " left"
			}
		}
		// \033[K erases what a longer line before left.
		fmt.Fprintf(env.stderr, "\r%s\033[K", line)
		shown = true
		if done >= planned {
			fmt.Fprint(env.stderr, "\r\033[K")
			shown = false
		}
	}
	erase = func() {
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(env.stderr, "\r\033[K")
			shown = false
		}
	}
	return progress, erase
}

// roundLeft rounds an estimate as a person reads it: to the second under
// a minute, to ten seconds above.
func roundLeft(d time.Duration) time.Duration {
	if d < time.Minute {
		return max(d.Round(time.Second), time.Second)
	}
	return d.Round(10 * time.Second)
}
