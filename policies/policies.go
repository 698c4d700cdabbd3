// Package policies holds halolint's built-in Rego policies: one package per
// integration profile, the shared library under lib/, the entry point
// halolint.main, and the Rego unit tests beside each of them. The files are
// embedded in the binary; docs/policy-authoring.md is their contract.
package policies

import (
	"embed"
	"io/fs"
)

//go:embed *.rego lib/*.rego vocabulary.yaml profiles
var files embed.FS

// FS returns the embedded policy files (tests included), rooted at this
// folder: main.rego, the profiles, and lib/.
func FS() fs.FS {
	return files
}
