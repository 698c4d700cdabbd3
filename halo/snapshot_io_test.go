package halo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func collectTestSnapshot(t *testing.T) *Snapshot {
	t.Helper()
	ts := newTenantServer(t, tenantRoutes())
	snap, err := Collect(context.Background(), newTestClient(t, testConfig(ts, newFakeClock())), Plan{Keywords: profileKeywords}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	snap := collectTestSnapshot(t)
	snap.CollectionErrors = []CollectionError{{Resource: ResourceControl, Endpoint: "/api/Control", Status: 403, Message: "GET /api/Control: 403 Forbidden"}}

	var first bytes.Buffer
	if err := WriteSnapshot(&first, snap); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(path, first.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadSnapshotFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, loaded); diff != "" {
		t.Errorf("round trip (-written +loaded):\n%s", diff)
	}
	var second bytes.Buffer
	if err := WriteSnapshot(&second, loaded); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("writing the loaded snapshot gives different bytes")
	}
	for _, key := range []string{`"schema_version":1`, `"collected_at":"2026-11-22T10:00:00Z"`, `"request_count":18`, `"is_auditor":true`} {
		if !strings.Contains(first.String(), key) {
			t.Errorf("snapshot lacks %s", key)
		}
	}
}

func TestCollectIsDeterministic(t *testing.T) {
	t.Parallel()
	var outputs [2]bytes.Buffer
	for i := range outputs {
		if err := WriteSnapshot(&outputs[i], collectTestSnapshot(t)); err != nil {
			t.Fatal(err)
		}
	}
	// Different servers, different ports: compare without the URL.
	strip := func(s string) string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"url"`) {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	if diff := cmp.Diff(strip(outputs[0].String()), strip(outputs[1].String())); diff != "" {
		t.Errorf("two collections differ:\n%s", diff)
	}
}

func TestLoadSnapshotRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
	}{
		{"another version", `{"schema_version": 2, "roles": []}`, "schema version 2; this halolint reads version 1"},
		{"no version", `{"roles": []}`, "no schema_version"},
		{"version not a number", `{"schema_version": "one"}`, `schema_version "one" is not a number`},
		{"truncated", `{"schema_version": 1, "roles": [`, "not valid JSON"},
		{"not JSON", "roles:\n  - admin\n", "not valid JSON"},
		{"empty", ``, "not valid JSON"},
		{"array", `[{"schema_version": 1}]`, "expected a JSON object, found a array"},
		{"wrong field type", `{"schema_version": 1, "roles": "all of them"}`, "field roles holds a string"},
		{"wrong nested type", `{"schema_version": 1, "agents": [{"id": "seven"}]}`, "field agents.id holds a string"},
		{"bad time", `{"schema_version": 1, "source": {"collected_at": "yesterday"}}`, "damaged"},
		{"trailing data", `{"schema_version": 1} {}`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadSnapshot(strings.NewReader(tt.doc))
			var snapErr *SnapshotError
			if !errors.As(err, &snapErr) {
				t.Fatalf("err = %v, want *SnapshotError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line containing %q", err, tt.want)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(path, []byte(`{"schema_version": 0}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSnapshotFile(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadSnapshotFile error does not name the file: %v", err)
	}
}

func TestLoadSnapshotRedactsHandEdits(t *testing.T) {
	t.Parallel()
	doc := `{
	  "schema_version": 1,
	  "source": {"url": "https://admin:hunter2-DO-NOT-LEAK@acme.halopsa.com", "collected_at": "2026-11-22T10:00:00Z"},
	  "roles": [{"id": "r", "name": "R", "departments": [{"department_id": 1, "extra": {"SessionToken": "t-DO-NOT-LEAK"}}],
	             "extra": {"password": "p-DO-NOT-LEAK", "settings": {"api_key": "k-DO-NOT-LEAK", "colour": "blue"}, "list": [{"Secret": "s-DO-NOT-LEAK"}]}}],
	  "agents": [{"id": 1, "name": "A", "extra": {"new_access_token": "a-DO-NOT-LEAK"}}],
	  "applications": [{"id": "x", "extra": {"clientSecret": "c-DO-NOT-LEAK"}}],
	  "categories": [{"id": 1, "extra": {"PrivateKey": "pk-DO-NOT-LEAK"}}],
	  "control": {"force_accounts_id": true, "xero_client_secret": "x-DO-NOT-LEAK", "smtp_pass": "sp-DO-NOT-LEAK"}
	}`
	snap, err := LoadSnapshot(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteSnapshot(&out, snap); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "DO-NOT-LEAK") {
		t.Errorf("a secret survived loading:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `"colour":"blue"`) {
		t.Errorf("a harmless field was dropped:\n%s", out.String())
	}
	if snap.Source.URL != "https://acme.halopsa.com" {
		t.Errorf("URL = %q", snap.Source.URL)
	}
}
