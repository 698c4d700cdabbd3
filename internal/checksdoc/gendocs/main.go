// Command gendocs writes docs/checks.md, the check catalog of the
// embedded policies, to standard output (`make docs`).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/internal/checksdoc"
	"github.com/halolint/halolint/policies"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	e, err := audit.New(ctx, audit.Options{Builtin: policies.FS()})
	if err != nil {
		return fmt.Errorf("compile the policies: %w", err)
	}
	_, err = os.Stdout.Write(checksdoc.Render(e.Profiles()))
	return err
}
