package main

import "fmt"

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
// terminal, and does nothing when standard error is not one.
func (env *cmdEnv) progressLine(what string) func(done, planned int) {
	if !env.stderrTTY {
		return nil
	}
	return func(done, planned int) {
		fmt.Fprintf(env.stderr, "\r%s: %d of %d requests", what, done, planned)
		if done >= planned {
			fmt.Fprint(env.stderr, "\r\033[K")
		}
	}
}
