package audit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
)

// TestDecodeResult: one result read from the evaluator's value, joined
// with its check; or refused with an error naming the check and the key.
func TestDecodeResult(t *testing.T) {
	t.Parallel()
	e := engine(t)
	chk := e.checks["base.role.named"]
	if chk == nil {
		t.Fatal("no check base.role.named in the test policies")
	}
	in := map[string]bool{"base": true}
	const base = `"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "id": "r1", "name": "R"}, "message": "ok"`
	want := func(edit func(r *Result)) Result {
		r := Result{
			ID: chk.ID, Profile: chk.Profile, Title: chk.Title, Status: StatusPass, Severity: chk.Severity,
			Object: Object{Type: ObjectRole, ID: "r1", Name: "R"}, Message: "ok",
			Remediation: chk.Remediation, Source: chk.Source,
		}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	for _, tt := range []struct {
		src  string
		want Result
	}{
		{`{` + base + `}`, want(nil)},
		{`{` + base + `, "expected": "a", "actual": ["b", "a"], "granted_by": "role X", "remediation": "do it"}`, want(func(r *Result) {
			r.Expected, r.Actual, r.GrantedBy, r.Remediation = "a", []string{"b", "a"}, "role X", "do it"
		})},
		// A set is sorted; null is absent; an empty remediation keeps the
		// check's.
		{`{` + base + `, "expected": {"b", "a"}, "actual": null, "granted_by": null, "remediation": ""}`, want(func(r *Result) {
			r.Expected = []string{"a", "b"}
		})},
		{`{` + base + `, "actual": []}`, want(func(r *Result) { r.Actual = []string{} })},
		{`{"check": "base.role.named", "profile": "base", "status": "warn", "object": {"type": "tenant", "id": null}, "message": "m"}`, want(func(r *Result) {
			r.Status, r.Object, r.Message = StatusWarn, Object{Type: ObjectTenant}, "m"
		})},
	} {
		got, err := e.decodeResult(ast.MustParseTerm(tt.src).Value, in)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.src, diff)
		}
	}

	for _, tt := range []struct{ src, err string }{
		{`"a string"`, `a result must be an object, not the string "a string"`},
		{`[1]`, `a result must be an object, not a list`},
		{`{` + base + `, "extra": 1}`, `result of base.role.named: unknown key "extra"`},
		{`{` + base + `, "zz": 1, "aa": 2}`, `result of base.role.named: unknown key "aa"`},
		{`{1: "x", "check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
			`result of base.role.named: unknown key 1`},
		{`{"profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`, `result: missing or empty key "check"`},
		{`{"check": 1, "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`, `result: missing or empty key "check"`},
		{`{"check": "nope", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
			`result of nope: unknown check ID (no rule METADATA declares it)`},
		{`{"check": "base.role.named", "profile": "other", "status": "pass", "object": {"type": "role"}, "message": "m"}`,
			`result of base.role.named: reported under profile "other", but the check belongs to "base"`},
		{`{"check": "base.role.named", "profile": "base", "status": "maybe", "object": {"type": "role"}, "message": "m"}`,
			`result of base.role.named: status "maybe" is not one of pass, fail, warn, error, manual`},
		{`{"check": "base.role.named", "profile": "base", "status": 1, "object": {"type": "role"}, "message": "m"}`,
			`result of base.role.named: status "1" is not one of pass, fail, warn, error, manual`},
		{`{"check": "base.role.named", "profile": "base", "object": {"type": "role"}, "message": "m"}`,
			`result of base.role.named: status %!q(<nil>) is not one of pass, fail, warn, error, manual`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "message": "m"}`,
			`result of base.role.named: key "object" must be an object {type, id, name}, not null (or undefined)`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": "role", "message": "m"}`,
			`result of base.role.named: key "object" must be an object {type, id, name}, not the string "role"`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "id": 7}, "message": "m"}`,
			`result of base.role.named: object: key "id" must be a string, not the number 7 (format numeric ids with format_int)`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "name": true}, "message": "m"}`,
			`result of base.role.named: object: key "name" must be a string, not the boolean true`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "thing"}, "message": "m"}`,
			`result of base.role.named: object.type "thing" is not one of role, agent, application, category, setting, tenant`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"id": "1"}, "message": "m"}`,
			`result of base.role.named: object.type %!q(<nil>) is not one of role, agent, application, category, setting, tenant`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role", "x": ""}, "message": "m"}`,
			`result of base.role.named: object: unknown key "x"`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role"}, "message": "  "}`,
			`result of base.role.named: missing or empty key "message"`},
		{`{"check": "base.role.named", "profile": "base", "status": "pass", "object": {"type": "role"}}`,
			`result of base.role.named: missing or empty key "message"`},
		{`{` + base + `, "expected": 3}`, `result of base.role.named: key "expected" must be a string or a list of strings, not the number 3`},
		{`{` + base + `, "actual": ["a", 1]}`, `result of base.role.named: key "actual" must be a string or a list of strings; element 1 is the number 1`},
		{`{` + base + `, "actual": {"a": "b"}}`, `result of base.role.named: key "actual" must be a string or a list of strings, not an object`},
		{`{` + base + `, "granted_by": true}`, `result of base.role.named: key "granted_by" must be a string, not the boolean true`},
		{`{` + base + `, "remediation": ["x"]}`, `result of base.role.named: key "remediation" must be a string, not a list`},
	} {
		_, err := e.decodeResult(ast.MustParseTerm(tt.src).Value, in)
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s:\n got %v\nwant %s", tt.src, err, tt.err)
		}
	}

	_, err := e.decodeResult(ast.MustParseTerm(`{`+base+`}`).Value, map[string]bool{"other": true})
	if err == nil || !strings.HasSuffix(err.Error(), `profile "base" is not selected`) {
		t.Errorf("a result of an unselected profile: %v", err)
	}
}
