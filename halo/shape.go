package halo

import (
	"encoding/json"
	"regexp"
	"slices"
)

// Shape is the shape of a JSON answer: its JSON types, the fields of its
// objects and the shape of its arrays' elements, never a value. It is what
// a bug report about an answer halolint misread can carry: Halo's API is
// partly undocumented, and the shapes of a real tenant's answers are what
// the fixes need, while their values (names, settings, secrets) must stay
// with the tenant. Written as JSON it reads as a JSON Schema: "type" (one
// name, or a list when an answer mixes them), "properties", "items".
type Shape struct {
	// Types lists the JSON types met, sorted: "array", "boolean",
	// "null", "number", "object", "string".
	Types []string
	// Properties are the fields of the objects met, merged across the
	// elements of an array; nil when no object was met.
	Properties map[string]*Shape
	// Items is the shape of the elements of the arrays met, merged; nil
	// when no array was met or every one was empty.
	Items *Shape
	// Truncated marks a value nested deeper than maxShapeDepth, or an
	// object with more than maxShapeFields fields: the rest is not shown.
	Truncated bool
}

const (
	// maxShapeDepth bounds how deep ShapeOf looks: Halo's answers are a
	// few levels deep, a hostile one need not be.
	maxShapeDepth = 16
	// maxShapeFields bounds the fields of one object shown (/api/Control
	// has about 3,000).
	maxShapeFields = 10000
	// dataKey stands for a key that looks like data rather than like a
	// field name (an email address, an id, a sentence): keys of a map
	// keyed by values would otherwise carry values into the shape.
	dataKey = "(key)"
)

// fieldName is what a field name looks like; any other key is shown as
// dataKey.
var fieldName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$.:-]{0,63}$`)

// ShapeOf is the shape of a decoded JSON value.
func ShapeOf(v any) *Shape {
	s := &Shape{}
	s.add(v, 0)
	return s
}

func (s *Shape) add(v any, depth int) {
	kind := jsonKind(v)
	if !slices.Contains(s.Types, kind) {
		s.Types = append(s.Types, kind)
		slices.Sort(s.Types)
	}
	if depth >= maxShapeDepth && (kind == "object" || kind == "array") {
		s.Truncated = true
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if s.Properties == nil {
			s.Properties = map[string]*Shape{}
		}
		for k, field := range x {
			if !fieldName.MatchString(k) {
				k = dataKey
			}
			p, ok := s.Properties[k]
			if !ok {
				if len(s.Properties) >= maxShapeFields {
					s.Truncated = true
					continue
				}
				p = &Shape{}
				s.Properties[k] = p
			}
			p.add(field, depth+1)
		}
	case []any:
		for _, e := range x {
			if s.Items == nil {
				s.Items = &Shape{}
			}
			s.Items.add(e, depth+1)
		}
	}
}

// MarshalJSON writes the shape as JSON Schema would: "type" a name or a
// list of names, then "properties", "items", and "truncated" when set.
// Map keys are sorted, so the same answer gives the same bytes.
func (s *Shape) MarshalJSON() ([]byte, error) {
	var doc struct {
		Type       any               `json:"type"`
		Properties map[string]*Shape `json:"properties,omitempty"`
		Items      *Shape            `json:"items,omitempty"`
		Truncated  bool              `json:"truncated,omitempty"`
	}
	doc.Type = s.Types
	if len(s.Types) == 1 {
		doc.Type = s.Types[0]
	}
	doc.Properties, doc.Items, doc.Truncated = s.Properties, s.Items, s.Truncated
	return json.Marshal(doc)
}
