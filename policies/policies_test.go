package policies_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

var (
	objectTypes = map[string]bool{"role": true, "agent": true, "application": true, "category": true, "setting": true, "tenant": true}
	severities  = map[string]bool{"critical": true, "high": true, "medium": true, "low": true, "info": true}
	statuses    = map[string]bool{"pass": true, "fail": true, "warn": true, "error": true, "manual": true}
)

type file struct {
	name string
	src  []byte
}

func readFiles(t *testing.T) []file {
	t.Helper()
	var out []file
	err := fs.WalkDir(policies.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		b, err := fs.ReadFile(policies.FS(), p)
		if err != nil {
			return err
		}
		out = append(out, file{name: p, src: b})
		return nil
	})
	if err != nil {
		t.Fatalf("read embedded policies: %v", err)
	}
	if len(out) == 0 {
		t.Fatal("no embedded .rego file")
	}
	return out
}

// TestFormatted keeps every file as opa fmt writes it.
func TestFormatted(t *testing.T) {
	t.Parallel()
	for _, f := range readFiles(t) {
		got, err := format.SourceWithOpts(f.name, f.src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: format: %v", f.name, err)
			continue
		}
		if !bytes.Equal(got, f.src) {
			t.Errorf("%s is not formatted (opa fmt)", f.name)
		}
	}
}

var update = flag.Bool("update", false, "rewrite testdata/check-ids.golden")

func builtinEngine(t *testing.T) *audit.Engine {
	t.Helper()
	e, err := audit.New(context.Background(), audit.Options{Builtin: policies.FS()})
	if err != nil {
		t.Fatalf("audit.New: %v", err)
	}
	return e
}

// TestCheckIDs pins every check ID of the built-in profiles: users put them
// in CI scripts and accepted findings, so one that changes or disappears
// must be a decision (make golden), never an accident.
func TestCheckIDs(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for _, p := range builtinEngine(t).Profiles() {
		for _, c := range p.Checks {
			fmt.Fprintln(&b, c.ID)
		}
	}
	golden := filepath.Join("testdata", "check-ids.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run make golden)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("check IDs changed (-%s +now); if intended, run make golden:\n%s", golden, diff)
	}
}

// TestCatalog: every check of every built-in profile carries what the
// reports show, and each profile names its vendor and source.
func TestCatalog(t *testing.T) {
	t.Parallel()
	for _, p := range builtinEngine(t).Profiles() {
		if p.Title == "" || p.Vendor == "" || p.Source == "" || p.Description == "" {
			t.Errorf("profile %s: title %q, vendor %q, source %q, description %q", p.Name, p.Title, p.Vendor, p.Source, p.Description)
		}
		if p.Name != "baseline" && !strings.HasPrefix(p.SourceURL, "https://") {
			t.Errorf("profile %s: source URL %q", p.Name, p.SourceURL)
		}
		for _, c := range p.Checks {
			if c.Title == "" || c.Remediation == "" || c.Source == "" || !objectTypes[string(c.Object)] || !severities[string(c.Severity)] {
				t.Errorf("check %s: %+v", c.ID, c)
			}
			if p.Name != "baseline" && !strings.HasPrefix(c.ID, p.Name+"."+string(c.Object)+".") && !strings.HasPrefix(c.ID, p.Name+".manual.") {
				t.Errorf("check %s: ID does not start with %s.%s.", c.ID, p.Name, c.Object)
			}
		}
	}
}

// TestEveryCheckYieldsAResult evaluates every profile on an empty tenant
// (the readiness check) and on a tenant whose collection failed: every
// check yields a result of its own, and nothing passes on data that was
// not collected.
func TestEveryCheckYieldsAResult(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	failed := &halo.Snapshot{SchemaVersion: halo.SchemaVersion}
	for _, r := range []halo.Resource{halo.ResourceRoles, halo.ResourceAgents, halo.ResourceApplications, halo.ResourceCategories, halo.ResourceControl} {
		failed.CollectionErrors = append(failed.CollectionErrors, halo.CollectionError{Resource: r, Endpoint: "/api/" + string(r), Status: 403, Message: "Forbidden"})
	}
	tenants := map[string]*halo.Snapshot{"empty": {SchemaVersion: halo.SchemaVersion, Control: &halo.Control{}}, "failed": failed}
	for name, snap := range tenants {
		rep, err := e.Evaluate(context.Background(), snap, audit.Selection{Profiles: []string{audit.SelectAll}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rep.Results) < len(rep.Catalog) {
			t.Errorf("%s: %d results for %d checks", name, len(rep.Results), len(rep.Catalog))
		}
		for _, r := range rep.Results {
			if r.Message == audit.MessageNoResult {
				t.Errorf("%s: check %s yields no result", name, r.ID)
			}
			if !statuses[string(r.Status)] || r.Message == "" {
				t.Errorf("%s: %s: status %q, message %q", name, r.ID, r.Status, r.Message)
			}
			if name == "failed" && r.ID != "baseline.auditor.self" && r.Status == audit.StatusPass {
				t.Errorf("failed: %s passes on data that was not collected", r.ID)
			}
		}
	}
}
