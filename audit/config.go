package audit

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/halolint/halolint/internal/localfile"
)

// Config is the --config file: which objects belong to which profile when
// their names differ from the defaults (README, "The config file").
type Config struct {
	Profiles map[string]ProfileNames `json:"profiles" yaml:"profiles"`
	// Accept are the findings the MSP has reviewed and accepts, each for
	// a reason and until a date.
	Accept []Acceptance `json:"accept,omitempty" yaml:"accept,omitempty"`

	// origin remembers where each profile was named, so that
	// ValidateConfig can point at the line of an unknown one.
	origin configOrigin
}

type configOrigin struct {
	file  string
	lines map[string]int
}

// ProfileNames are the names of one profile's objects; "" means not given,
// so the profile's keywords find the object.
type ProfileNames struct {
	Application string `json:"application,omitempty" yaml:"application,omitempty"`
	Role        string `json:"role,omitempty" yaml:"role,omitempty"`
	Agent       string `json:"agent,omitempty" yaml:"agent,omitempty"`
	Category    string `json:"category,omitempty" yaml:"category,omitempty"`
}

// MaxConfigBytes bounds the config file: a few names and acceptances,
// read whole into memory.
const MaxConfigBytes = 1 << 20

// LoadConfig reads and parses the config file at path: a regular file of
// at most MaxConfigBytes (a device or a named pipe is refused, not read).
// A missing file is a *ConfigError wrapping fs.ErrNotExist, so a caller
// defaulting to ./halolint.yaml can tell it apart with errors.Is.
func LoadConfig(path string) (Config, error) {
	b, err := localfile.Read(path, MaxConfigBytes)
	if err != nil {
		return Config{}, &ConfigError{File: path, Message: "read config: " + errMessage(err), Err: err}
	}
	return ParseConfig(b, path)
}

// errMessage drops the path os errors repeat, since ConfigError shows it.
func errMessage(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ParseConfig parses a config document; name is the file name messages
// show. It is strict: an unknown key or a value of the wrong type is an
// error naming its line, since a misspelt "aplication" would otherwise be
// ignored and the audit would judge the wrong object.
//
// The document is walked as a yaml.Node rather than decoded with
// KnownFields, which gives messages in the config's own terms
// ("profiles.cove: unknown key ...") instead of Go type names.
func ParseConfig(data []byte, name string) (Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := splitYAMLError(err)
		return Config{}, &ConfigError{File: name, Line: line, Message: msg, Err: err}
	}
	cfg := Config{Profiles: map[string]ProfileNames{}, origin: configOrigin{file: name, lines: map[string]int{}}}
	if len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	p := configParser{file: name}
	root := doc.Content[0]
	if err := p.mapping(root, "the document", func(key, val *yaml.Node) error {
		switch key.Value {
		case "profiles":
			return p.profiles(val, &cfg)
		case "accept":
			return p.accept(val, &cfg)
		}
		return p.errorf(key, "unknown key %q (known: profiles, accept)", key.Value)
	}); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

type configParser struct {
	file string
}

func (p configParser) errorf(n *yaml.Node, format string, args ...any) error {
	return &ConfigError{File: p.file, Line: n.Line, Message: fmt.Sprintf(format, args...)}
}

// mapping calls fn for each key of a mapping node, refusing other kinds
// and duplicate keys (yaml.v3 keeps both in a Node).
func (p configParser) mapping(n *yaml.Node, what string, fn func(key, val *yaml.Node) error) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "profiles:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode {
			return p.errorf(key, "%s: keys must be names", what)
		}
		if seen[key.Value] {
			return p.errorf(key, "%s: key %q appears twice", what, key.Value)
		}
		seen[key.Value] = true
		if err := fn(key, val); err != nil {
			return err
		}
	}
	return nil
}

func (p configParser) profiles(n *yaml.Node, cfg *Config) error {
	return p.mapping(n, "profiles", func(key, val *yaml.Node) error {
		profile := key.Value
		var names ProfileNames
		fields := map[string]*string{
			"application": &names.Application,
			"role":        &names.Role,
			"agent":       &names.Agent,
			"category":    &names.Category,
		}
		where := "profiles." + profile
		err := p.mapping(val, where, func(k, v *yaml.Node) error {
			dst, ok := fields[k.Value]
			if !ok {
				return p.errorf(k, "%s: unknown key %q (known: application, role, agent, category)", where, k.Value)
			}
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return p.errorf(v, "%s.%s must be a name (a string), not %s", where, k.Value, kindName(v))
			}
			*dst = v.Value
			return nil
		})
		if err != nil {
			return err
		}
		cfg.Profiles[profile] = names
		cfg.origin.lines[profile] = key.Line
		return nil
	})
}

// kindName says what a node is in YAML's terms, for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "empty"
	case "!!int", "!!float":
		return "a number (" + n.Value + ")"
	case "!!bool":
		return "a boolean (" + n.Value + ")"
	case "!!str":
		return "a string"
	}
	return "a " + n.Tag + " value"
}

// splitYAMLError splits yaml.v3's "yaml: line 3: did not find ..." into
// the line and the rest, so that ConfigError shows file:3: did not find.
func splitYAMLError(err error) (int, string) {
	msg := err.Error()
	var line int
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr != nil {
		return 0, msg
	}
	if _, rest, ok := strings.Cut(msg, fmt.Sprintf("yaml: line %d: ", line)); ok {
		return line, rest
	}
	return line, msg
}

// ValidateConfig refuses a config naming a profile the engine does not
// have: a misspelt profile would silently audit with default names.
func (e *Engine) ValidateConfig(cfg Config) error {
	if err := e.validateAcceptances(cfg); err != nil {
		return err
	}
	var unknown []string
	for name := range cfg.Profiles {
		if _, ok := e.byName[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return &ConfigError{
		File:    cfg.origin.file,
		Line:    cfg.origin.lines[unknown[0]],
		Message: fmt.Sprintf("profiles: unknown profile %s (%s)", joinQuoted(unknown), e.knownProfiles(unknown[0], "")),
	}
}
