// Command genschema writes the JSON Schema of profile documents, generated
// from the vocabulary, to standard output (make docs).
package main

import (
	"fmt"
	"os"

	"github.com/halolint/halolint/internal/vocabulary"
)

func main() {
	v, err := vocabulary.Builtin()
	if err == nil {
		var b []byte
		if b, err = v.ProfileSchema(); err == nil {
			_, err = os.Stdout.Write(b)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}
