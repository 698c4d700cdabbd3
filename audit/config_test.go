package audit

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		yaml    string
		want    Config
		wantErr string // the whole message, file:line: ...
	}{
		{
			name: "the README's example",
			yaml: "profiles:\n  cove:\n    application: \"Cove HaloPSA integration\"\n    role: \"Cove role\"\n  timezest:\n    application: \"TimeZest\"\n    agent: \"TimeZest API\"\n",
			want: Config{Profiles: map[string]ProfileNames{
				"cove":     {Application: "Cove HaloPSA integration", Role: "Cove role"},
				"timezest": {Application: "TimeZest", Agent: "TimeZest API"},
			}},
		},
		{name: "empty file", yaml: "", want: Config{Profiles: map[string]ProfileNames{}}},
		{name: "comments only", yaml: "# nothing yet\n", want: Config{Profiles: map[string]ProfileNames{}}},
		{name: "empty profiles", yaml: "profiles:\n", want: Config{Profiles: map[string]ProfileNames{}}},
		{name: "profile with nothing under it", yaml: "profiles:\n  cove:\n", want: Config{Profiles: map[string]ProfileNames{"cove": {}}}},
		{name: "category", yaml: "profiles:\n  cove:\n    category: Backups\n", want: Config{Profiles: map[string]ProfileNames{"cove": {Category: "Backups"}}}},
		{
			name:    "unknown top-level key",
			yaml:    "profiles: {}\nprofile:\n  cove: {}\n",
			wantErr: `halolint.yaml:2: unknown key "profile" (known: profiles, accept)`,
		},
		{
			name:    "unknown profile key",
			yaml:    "profiles:\n  cove:\n    application: Cove\n    aplication: Cove\n",
			wantErr: `halolint.yaml:4: profiles.cove: unknown key "aplication" (known: application, role, agent, category)`,
		},
		{
			name:    "number instead of a name",
			yaml:    "profiles:\n  cove:\n    role: 42\n",
			wantErr: `halolint.yaml:3: profiles.cove.role must be a name (a string), not a number (42)`,
		},
		{
			name:    "list instead of a name",
			yaml:    "profiles:\n  cove:\n    role:\n      - a\n",
			wantErr: `halolint.yaml:4: profiles.cove.role must be a name (a string), not a list`,
		},
		{
			name:    "boolean instead of a name",
			yaml:    "profiles:\n  cove:\n    agent: true\n",
			wantErr: `halolint.yaml:3: profiles.cove.agent must be a name (a string), not a boolean (true)`,
		},
		{
			name:    "profiles is a list",
			yaml:    "profiles:\n  - cove\n",
			wantErr: `halolint.yaml:2: profiles must be a mapping, not a list`,
		},
		{
			name:    "document is a scalar",
			yaml:    "cove\n",
			wantErr: `halolint.yaml:1: the document must be a mapping, not a string`,
		},
		{
			name:    "duplicate profile",
			yaml:    "profiles:\n  cove:\n    role: a\n  cove:\n    role: b\n",
			wantErr: `halolint.yaml:4: profiles: key "cove" appears twice`,
		},
		{
			name:    "syntax error",
			yaml:    "profiles:\n  cove:\n    role: \"unterminated\n",
			wantErr: `halolint.yaml:3: found unexpected end of stream`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseConfig([]byte(tt.yaml), "halolint.yaml")
			if tt.wantErr != "" {
				var ce *ConfigError
				if !errors.As(err, &ce) {
					t.Fatalf("ParseConfig: err = %v (%T), want *ConfigError", err, err)
				}
				if err.Error() != tt.wantErr {
					t.Errorf("ParseConfig: err =\n  %s\nwant\n  %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(Config{})); diff != "" {
				t.Errorf("ParseConfig (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "halolint.yaml")
	if err := os.WriteFile(path, []byte("profiles:\n  dual-name:\n    role: R\n  base: {}\n  cvoe:\n    role: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	// The unknown profile is reported at its line in the file.
	err = engine(t).ValidateConfig(cfg)
	var ce *ConfigError
	if !errors.As(err, &ce) || err.Error() != path+`:5: profiles: unknown profile "cvoe" (halolint profiles lists the 3 known ones)` {
		t.Errorf("ValidateConfig: err = %v", err)
	}
	delete(cfg.Profiles, "cvoe")
	if err := engine(t).ValidateConfig(cfg); err != nil {
		t.Errorf("ValidateConfig: %v", err)
	}

	_, err = LoadConfig(filepath.Join(dir, "missing.yaml"))
	if !errors.As(err, &ce) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadConfig(missing): err = %v, want a *ConfigError wrapping fs.ErrNotExist", err)
	}
}
