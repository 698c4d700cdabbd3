package main

import (
	"fmt"
	"sync"
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
// terminal, and one that erases that line if it is still shown, so that
// what follows (an error, say) starts a line of its own. Neither writes
// anything when standard error is not a terminal.
func (env *cmdEnv) progressLine(what string) (progress func(done, planned int), erase func()) {
	if !env.stderrTTY {
		return nil, func() {}
	}
	var mu sync.Mutex
	shown := false
	progress = func(done, planned int) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.stderr, "\r%s: %d of %d requests", what, done, planned)
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
