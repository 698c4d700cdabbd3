package halo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestShapeOf(t *testing.T) {
	t.Parallel()
	v, err := decodeJSON([]byte(`{"record_count": 2, "roles": [
		{"id": "6d0e", "name": "Cove-Role", "claims": [{"type": "Tx", "value": "2"}], "notes": null},
		{"id": 7, "name": "Sales", "notes": "kept?", "jdoe@example.com": true, "Service Desk": 1}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(ShapeOf(v))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"object","properties":{"record_count":{"type":"number"},"roles":{"type":"array","items":{"type":"object","properties":{` +
		`"(key)":{"type":["boolean","number"]},"claims":{"type":"array","items":{"type":"object","properties":{"type":{"type":"string"},"value":{"type":"string"}}}},` +
		`"id":{"type":["number","string"]},"name":{"type":"string"},"notes":{"type":["null","string"]}}}}}}`
	if string(got) != want {
		t.Errorf("shape\n got %s\nwant %s", got, want)
	}
	for _, value := range []string{"6d0e", "Cove-Role", "Tx", "kept?", "jdoe", "Service Desk"} {
		if strings.Contains(string(got), value) {
			t.Errorf("the shape holds the value %q", value)
		}
	}
}

// A hostile answer cannot make the shape deep or wide without bound.
func TestShapeOfIsBounded(t *testing.T) {
	t.Parallel()
	// Deeper than the shape may go (the decoder itself refuses far deeper
	// answers), built by hand.
	var v any = []any{}
	for range 10 * maxShapeDepth {
		v = []any{v}
	}
	got, _ := json.Marshal(ShapeOf(v))
	if depth := strings.Count(string(got), `"items"`); depth > maxShapeDepth || !strings.Contains(string(got), `"truncated":true`) {
		t.Errorf("%d levels, want at most %d and truncated: %.200s", depth, maxShapeDepth, got)
	}
}
