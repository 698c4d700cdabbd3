package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/halolint/halolint/policies"
)

// TestPolicyAuthoringExamples loads the examples of docs/policy-authoring.md
// as a user would copy them: the document, its case file and the Rego
// profile compile, yield the check IDs the page lists, and the document's
// tests (generated and from the case file) pass.
func TestPolicyAuthoringExamples(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../docs/policy-authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := codeBlocks(string(page))
	dir := t.TempDir()
	var rego []string
	var ids []string
	for _, b := range blocks {
		switch {
		case b[1] == "yaml" && strings.Contains(b[2], "schema_version: 1"):
			write(t, filepath.Join(dir, "acme-sync.yaml"), b[2])
		case b[1] == "yaml" && strings.HasPrefix(b[2], "profile: acme-sync"):
			write(t, filepath.Join(dir, "acme-sync.cases.yaml"), b[2])
		case b[1] == "rego" && strings.Contains(b[2], "acme_bridge") || b[1] == "rego" && strings.Contains(b[2], "acme-bridge."):
			rego = append(rego, b[2])
		case b[1] == "" && strings.Contains(b[2], "acme-sync.agent.api-only"):
			ids = strings.Fields(b[2])
		}
	}
	if len(rego) != 2 || len(ids) != 12 {
		t.Fatalf("found %d Rego blocks and %d check IDs in the page", len(rego), len(ids))
	}
	write(t, filepath.Join(dir, "acme_bridge.rego"), rego[0]+"\n"+rego[1])

	ctx := context.Background()
	e, err := New(ctx, Options{Builtin: policies.FS(), PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatalf("the page's examples do not load: %v", err)
	}
	p, ok := e.Profile("acme-sync")
	if !ok {
		t.Fatal("no profile acme-sync")
	}
	var got []string
	for _, c := range p.Checks {
		got = append(got, c.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Errorf("acme-sync checks = %v, the page lists %v", got, ids)
	}
	if _, ok := e.Profile("acme-bridge"); !ok {
		t.Error("no profile acme-bridge from the Rego example")
	}
	results, err := documentTests(ctx, Options{Builtin: policies.FS(), PolicyDirs: []string{dir}}, map[string]bool{"acme-sync": true})
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, r := range results {
		if strings.HasPrefix(r.Package, "generated.acme-sync") {
			cases++
			if r.Outcome != TestPass {
				t.Errorf("%s %s: %s %s", r.Package, r.Name, r.Outcome, r.Output)
			}
		}
	}
	if cases < 15 {
		t.Errorf("%d generated cases for acme-sync", cases)
	}
}

// codeBlocks returns the page's fenced code blocks as [_, language, text].
func codeBlocks(page string) [][]string {
	var out [][]string
	var cur []string
	lang, in := "", false
	for _, line := range strings.Split(page, "\n") {
		switch {
		case !in && strings.HasPrefix(line, "```"):
			in, lang, cur = true, strings.TrimPrefix(line, "```"), nil
		case in && line == "```":
			in = false
			out = append(out, []string{"", lang, strings.Join(cur, "\n") + "\n"})
		case in:
			cur = append(cur, line)
		}
	}
	return out
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
