package audit

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// testBuiltin stands in for policies.FS() in the engine's own tests.
func testBuiltin() Options {
	return Options{Builtin: os.DirFS("testdata/policies")}
}

// sharedEngine is compiled once for every test that only evaluates: the
// engine is immutable, and compiling once is what the CLI does too.
var sharedEngine = sync.OnceValues(func() (*Engine, error) {
	opts := testBuiltin()
	opts.PolicyDirs = []string{"testdata/custom"}
	return New(context.Background(), opts)
})

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := sharedEngine()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// writeFiles writes name → content under a new temporary directory.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// profileHeader is the package METADATA every test profile needs.
func profileHeader(pkg string) string {
	return "# METADATA\n# title: " + pkg + "\n# scope: package\n# custom:\n#   vendor: Test\n#   source: t.txt\npackage halolint.profiles." + pkg + "\n\n"
}

// checkMeta is a complete check METADATA block for id.
func checkMeta(id string) string {
	return "# METADATA\n# title: " + id + "\n# custom:\n#   id: " + id + "\n#   object: role\n#   severity: low\n#   remediation: Fix it.\n#   source: t.txt\n"
}
