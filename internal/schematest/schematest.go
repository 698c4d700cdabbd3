// Package schematest compiles the JSON Schemas kept in the repository for
// tests: the published report and snapshot schemas, and the official SARIF
// 2.1.0 schema in reports/testdata. Nothing is fetched from the network:
// the compiler knows only the metaschemas it embeds and the given file.
package schematest

import (
	"bytes"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Compile compiles the schema file at path under the URL its document
// declares ($id, or id for draft-04 like SARIF's), formats asserted.
func Compile(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	doc := ReadJSON(t, path)
	m, _ := doc.(map[string]any)
	id, _ := m["$id"].(string)
	if id == "" {
		id, _ = m["id"].(string)
	}
	if id == "" {
		t.Fatalf("%s declares no $id", path)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile %s: %v", path, err)
	}
	return s
}

// ReadJSON reads a JSON file into the values a schema validates.
func ReadJSON(t testing.TB, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ParseJSON(t, b)
}

// ParseJSON parses JSON into the values a schema validates.
func ParseJSON(t testing.TB, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
