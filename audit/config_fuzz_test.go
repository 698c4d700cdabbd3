package audit

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseConfig feeds arbitrary bytes to the config loader. `go test`
// runs the seeds; `make fuzz` explores further. Whatever the input, the
// loader returns a Config or a *ConfigError with a one-line message that
// names the file, and never panics.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"",
		"profiles:\n",
		"profiles:\n  cove:\n    application: \"Cove HaloPSA integration\"\n    role: \"Cove role\"\n",
		"profiles:\n  timezest:\n    application: TimeZest\n    agent: TimeZest API\n    category: x\n",
		"profiles:\n  cove:\n    aplication: x\n",
		"profiles:\n  timezest:\n    application: 42\n",
		"profiles:\n  cove:\n    role: [a, b]\n",
		"profiles:\n  cove: {}\n  cove: {}\n",
		"profiles: [cove]\n",
		"profile:\n  cove: {}\n",
		"- a\n- b\n",
		"profiles:\n  cove:\n    application: &a x\n    role: *a\n",
		"profiles:\n  ? [a, b]\n  : {}\n",
		"profiles:\n  cove:\n    application: \"unterminated\n",
		"a: &a [*a]\n",
		"%YAML 1.2\n---\nprofiles: {}\n...\n",
		"profiles: !!binary aGVsbG8=\n",
		"\xef\xbb\xbfprofiles:\n  cove: {}\n",
		"\tprofiles:\n",
		"profiles:\n  cove:\n    application: null\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data, "halolint.yaml")
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not a *ConfigError: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "halolint.yaml") {
				t.Fatalf("message does not name the file: %q", msg)
			}
			if ce.Line < 0 {
				t.Fatalf("negative line: %d", ce.Line)
			}
			return
		}
		if cfg.Profiles == nil {
			t.Fatal("a parsed config has a nil Profiles map")
		}
		for name := range cfg.Profiles {
			if _, ok := cfg.origin.lines[name]; !ok {
				t.Fatalf("profile %q has no line for its messages", name)
			}
		}
	})
}
