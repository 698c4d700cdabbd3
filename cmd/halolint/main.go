// Command halolint audits the permissions a HaloPSA tenant gives its
// integrations, read-only, against each vendor's documented minimum.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	tuneGC(os.Getenv)
	os.Exit(runWithSignals(os.Args[1:], systemEnv()))
}

// tuneGC raises the garbage collector's target unless the user set one.
// The policies' input for a large tenant stays live through the whole
// evaluation and every collection re-scans it, so the default target spends
// a fifth of the run in the collector. The memory limit keeps the higher
// target from growing the heap past what a large audit needs.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
