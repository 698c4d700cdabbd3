package audit

import (
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestDecodeValueMatchesJSON: reading a result from its ast value gives
// the Result that the JSON path gives, and refuses (leaving the exact
// error to the JSON path) whatever that path refuses.
func TestDecodeValueMatchesJSON(t *testing.T) {
	t.Parallel()
	e := engine(t)
	in := map[string]bool{"base": true}
	const base = `"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "id": "r1", "name": "R"}, "message": "ok"`
	for _, src := range []string{
		`{` + base + `}`,
		`{` + base + `, "expected": "a", "actual": ["b", "a"], "granted_by": "role X", "remediation": "do it"}`,
		`{` + base + `, "expected": {"b", "a"}, "actual": null, "granted_by": null, "remediation": ""}`,
		`{"check": "base.role.named", "profile": "base", "status": "warn", "object": {"type": "tenant", "id": null}, "message": "m"}`,
		// Refused.
		`"a string"`,
		`{` + base + `, "extra": 1}`,
		`{` + base + `, "expected": 3}`,
		`{` + base + `, "actual": ["a", 1]}`,
		`{` + base + `, "granted_by": true}`,
		`{"check": "base.role.named", "profile": "base", "status": "maybe", "object": {"type": "role"}, "message": "m"}`,
		`{"check": "base.role.named", "profile": "other", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
		`{"check": "nope", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
		`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "id": 7}, "message": "m"}`,
		`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "thing"}, "message": "m"}`,
		`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "x": ""}, "message": "m"}`,
		`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "  "}`,
		`{"check": 1, "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
		`{1: "x", "check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
	} {
		v := ast.MustParseTerm(src).Value
		fromJSON, err := e.decodeResult(jsonOf(v), in)
		got, ok := e.decodeValue(v, in)
		switch {
		case err != nil && ok:
			t.Errorf("%s: decodeValue accepts what decodeResult refuses (%v)", src, err)
		case err == nil && !ok:
			t.Errorf("%s: decodeValue refuses a valid result", src)
		case ok && !reflect.DeepEqual(got, fromJSON):
			t.Errorf("%s:\nvalue: %#v\njson:  %#v", src, got, fromJSON)
		}
	}
}
