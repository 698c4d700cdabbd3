package audit

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Acceptance is one entry of the config file's accept list: a finding the
// MSP has reviewed and accepts, for a reason and until a date. It applies
// to fail and warn results only, never to error (a partial audit is never
// accepted), pass or manual.
type Acceptance struct {
	// Check is the check ID.
	Check string `json:"check" yaml:"check"`
	// Object narrows it to one object, TYPE/NAME ("application/Rewst");
	// ObjectID pins it to the object's ID, which survives a rename. Both
	// empty: every object of the check.
	Object   string `json:"object,omitempty" yaml:"object,omitempty"`
	ObjectID string `json:"object_id,omitempty" yaml:"object_id,omitempty"`
	Reason   string `json:"reason" yaml:"reason"`
	// Expires is the first day the acceptance no longer applies.
	Expires Date   `json:"expires" yaml:"expires"`
	By      string `json:"by,omitempty" yaml:"by,omitempty"`

	line int // in the config file, for messages
}

// Date is a calendar day, YYYY-MM-DD.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

func (d Date) String() string { return d.Format(dateLayout) }

// MarshalJSON writes "YYYY-MM-DD" (the embedded time.Time would write a
// timestamp).
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("%s is not a date (YYYY-MM-DD)", b)
	}
	return d.UnmarshalText(b[1 : len(b)-1])
}

// MarshalText writes YYYY-MM-DD (YAML).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// Day is the calendar day of t, in UTC.
func Day(t time.Time) Date {
	y, m, dd := t.UTC().Date()
	return Date{time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)}
}

// objectKey splits TYPE/NAME.
func splitObject(s string) (ObjectType, string, bool) {
	t, name, ok := strings.Cut(s, "/")
	name = strings.TrimSpace(name)
	return ObjectType(strings.TrimSpace(t)), name, ok && name != "" && ObjectType(strings.TrimSpace(t)).Valid()
}

// Where is "halolint.yaml:12", for notices.
func (a Acceptance) where(file string) string {
	if a.line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", file, a.line)
}

func (a Acceptance) describe() string {
	s := a.Check
	switch {
	case a.ObjectID != "" && a.Object != "":
		s += " on " + a.Object + " (id " + a.ObjectID + ")"
	case a.ObjectID != "":
		s += " on the object with id " + a.ObjectID
	case a.Object != "":
		s += " on " + a.Object
	}
	return s
}

// accept parses the accept list; every entry needs check, reason and
// expires, and an object, if given, as TYPE/NAME.
func (p configParser) accept(n *yaml.Node, cfg *Config) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "accept must be a list, not %s", kindName(n))
	}
	for i, item := range n.Content {
		where := fmt.Sprintf("accept[%d]", i)
		a := Acceptance{line: item.Line}
		var expires string
		err := p.mapping(item, where, func(k, v *yaml.Node) error {
			fields := map[string]*string{"check": &a.Check, "object": &a.Object, "object_id": &a.ObjectID, "reason": &a.Reason, "expires": &expires, "by": &a.By}
			dst, ok := fields[k.Value]
			if !ok {
				return p.errorf(k, "%s: unknown key %q (known: check, object, object_id, reason, expires, by)", where, k.Value)
			}
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || v.Tag == "!!map" {
				return p.errorf(v, "%s.%s must be a value, not %s", where, k.Value, kindName(v))
			}
			*dst = strings.TrimSpace(v.Value)
			return nil
		})
		if err != nil {
			return err
		}
		if item.Kind != yaml.MappingNode {
			return p.errorf(item, "%s must be a mapping with check, reason and expires", where)
		}
		for _, req := range []struct{ key, val string }{{"check", a.Check}, {"reason", a.Reason}, {"expires", expires}} {
			if req.val == "" {
				return p.errorf(item, "%s: %s is required (an acceptance says what, why and until when)", where, req.key)
			}
		}
		if a.Expires, err = ParseDate(expires); err != nil {
			return p.errorf(item, "%s.expires: %v", where, err)
		}
		if a.Object != "" {
			if _, _, ok := splitObject(a.Object); !ok {
				return p.errorf(item, "%s.object: %q is not TYPE/NAME (TYPE one of role, agent, application, category, setting, tenant)", where, a.Object)
			}
		}
		cfg.Accept = append(cfg.Accept, a)
	}
	return nil
}

// validateAcceptances refuses an acceptance of a check the engine does not
// have.
func (e *Engine) validateAcceptances(cfg Config) error {
	for _, a := range cfg.Accept {
		if e.checks[a.Check] == nil {
			ids := make([]string, 0, len(e.checks))
			for id := range e.checks {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			return &ConfigError{File: cfg.origin.file, Line: a.line, Message: fmt.Sprintf("accept: unknown check %q%s", a.Check, didYouMean(a.Check, ids))}
		}
	}
	return nil
}
