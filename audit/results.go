package audit

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// isResultKey reports whether a result object may carry key
// (policy-authoring.md); "profile" is added by halolint.main. Unknown keys
// are refused because a misspelt optional key ("remedation") would
// otherwise vanish without a trace.
func isResultKey(key string) bool {
	switch key {
	case "check", "status", "object", "message", "profile",
		"expected", "actual", "granted_by", "remediation":
		return true
	}
	return false
}

// decodeResults validates every element of main.results (a set, which
// iterates sorted, or an array) and joins it with its check. Every
// violation is gathered so that a policy author sees how many there are;
// the error shows the first.
func (e *Engine) decodeResults(raw ast.Value, selected []string) ([]Result, error) {
	inSelection := make(map[string]bool, len(selected))
	for _, n := range selected {
		inSelection[n] = true
	}
	var items []*ast.Term
	switch v := raw.(type) {
	case ast.Set:
		items = v.Slice()
	case *ast.Array:
		items = make([]*ast.Term, v.Len())
		for i := range items {
			items[i] = v.Elem(i)
		}
	}
	out := make([]Result, 0, len(items))
	var violations []string
	for _, item := range items {
		r, ok := e.decodeValue(item.Value, inSelection)
		if !ok {
			var err error
			if r, err = e.decodeResult(jsonOf(item.Value), inSelection); err != nil {
				violations = append(violations, err.Error())
				continue
			}
		}
		out = append(out, r)
	}
	if len(violations) > 0 {
		msg := "policy result breaks the contract (docs/policy-authoring.md): " + violations[0]
		if n := len(violations) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
		return nil, &EngineError{Message: msg}
	}
	return out, nil
}

// Keys of a result object, made once.
var (
	keyCheck       = ast.StringTerm("check")
	keyStatus      = ast.StringTerm("status")
	keyObject      = ast.StringTerm("object")
	keyMessage     = ast.StringTerm("message")
	keyProfile     = ast.StringTerm("profile")
	keyExpected    = ast.StringTerm("expected")
	keyActual      = ast.StringTerm("actual")
	keyGrantedBy   = ast.StringTerm("granted_by")
	keyRemediation = ast.StringTerm("remediation")
	keyType        = ast.StringTerm("type")
	keyID          = ast.StringTerm("id")
	keyName        = ast.StringTerm("name")
)

// decodeValue is decodeResult on the ast value itself, for a result that
// honours the contract. It reports false for anything else, and
// decodeResult (on the JSON form) then gives the exact error: the two
// accept the same results and build the same Result.
func (e *Engine) decodeValue(v ast.Value, inSelection map[string]bool) (Result, bool) {
	obj, ok := v.(ast.Object)
	if !ok {
		return Result{}, false
	}
	keysOK := true
	obj.Foreach(func(k, _ *ast.Term) {
		s, ok := k.Value.(ast.String)
		keysOK = keysOK && ok && isResultKey(string(s))
	})
	if !keysOK {
		return Result{}, false
	}
	id, ok := astString(obj.Get(keyCheck))
	chk := e.checks[id]
	if !ok || chk == nil {
		return Result{}, false
	}
	profile, ok := astString(obj.Get(keyProfile))
	if !ok || profile != chk.Profile || !inSelection[profile] {
		return Result{}, false
	}
	status, ok := astString(obj.Get(keyStatus))
	if !ok || !Status(status).Valid() {
		return Result{}, false
	}
	object, ok := objectValue(obj.Get(keyObject))
	if !ok {
		return Result{}, false
	}
	message, ok := astString(obj.Get(keyMessage))
	if !ok || strings.TrimSpace(message) == "" {
		return Result{}, false
	}
	r := Result{
		ID:          chk.ID,
		Profile:     chk.Profile,
		Title:       chk.Title,
		Status:      Status(status),
		Severity:    chk.Severity,
		Object:      object,
		Message:     message,
		Remediation: chk.Remediation,
		Source:      chk.Source,
		SourceURL:   chk.SourceURL,
	}
	var okE, okA, okG, okR bool
	r.Expected, okE = wordsValue(obj.Get(keyExpected))
	r.Actual, okA = wordsValue(obj.Get(keyActual))
	r.GrantedBy, okG = optionalValue(obj.Get(keyGrantedBy))
	remediation, okR := optionalValue(obj.Get(keyRemediation))
	if !okE || !okA || !okG || !okR {
		return Result{}, false
	}
	if remediation != "" {
		r.Remediation = remediation
	}
	return r, true
}

func astString(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// optionalValue reads an optional string: absent and null are "".
func optionalValue(t *ast.Term) (string, bool) {
	if t == nil {
		return "", true
	}
	if _, null := t.Value.(ast.Null); null {
		return "", true
	}
	return astString(t)
}

func objectValue(t *ast.Term) (Object, bool) {
	if t == nil {
		return Object{}, false
	}
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return Object{}, false
	}
	keysOK := true
	obj.Foreach(func(k, _ *ast.Term) {
		s, ok := k.Value.(ast.String)
		keysOK = keysOK && ok && (s == "type" || s == "id" || s == "name")
	})
	typ, ok := astString(obj.Get(keyType))
	if !keysOK || !ok || !ObjectType(typ).Valid() {
		return Object{}, false
	}
	id, okID := optionalValue(obj.Get(keyID))
	name, okName := optionalValue(obj.Get(keyName))
	return Object{Type: ObjectType(typ), ID: id, Name: name}, okID && okName
}

// wordsValue is optionalWords on an ast value: nil, a string, or the
// strings of an array or set (a set sorted, as its JSON form is).
func wordsValue(t *ast.Term) (any, bool) {
	if t == nil {
		return nil, true
	}
	var elems []*ast.Term
	switch x := t.Value.(type) {
	case ast.Null:
		return nil, true
	case ast.String:
		return string(x), true
	case *ast.Array:
		elems = make([]*ast.Term, x.Len())
		for i := range elems {
			elems[i] = x.Elem(i)
		}
	case ast.Set:
		sorted := x.Sorted()
		elems = make([]*ast.Term, sorted.Len())
		for i := range elems {
			elems[i] = sorted.Elem(i)
		}
	default:
		return nil, false
	}
	out := make([]string, len(elems))
	for i, el := range elems {
		s, ok := el.Value.(ast.String)
		if !ok {
			return nil, false
		}
		out[i] = string(s)
	}
	return out, true
}

func (e *Engine) decodeResult(item any, inSelection map[string]bool) (Result, error) {
	obj, ok := item.(map[string]any)
	if !ok {
		return Result{}, fmt.Errorf("a result must be an object, not %s", jsonKind(item))
	}
	id, _ := obj["check"].(string)
	fail := func(format string, args ...any) (Result, error) {
		who := "result"
		if id != "" {
			who = "result of " + id
		}
		return Result{}, fmt.Errorf(who+": "+format, args...)
	}
	for k := range obj {
		if !isResultKey(k) {
			return fail("unknown key %q", k)
		}
	}
	if id == "" {
		return fail("missing or empty key \"check\"")
	}
	chk := e.checks[id]
	if chk == nil {
		return fail("unknown check ID (no rule METADATA declares it)")
	}
	profile, _ := obj["profile"].(string)
	if profile != chk.Profile {
		return fail("reported under profile %q, but the check belongs to %q", profile, chk.Profile)
	}
	if !inSelection[profile] {
		return fail("profile %q is not selected", profile)
	}
	statusStr, _ := obj["status"].(string)
	status := Status(statusStr)
	if !status.Valid() {
		return fail("status %q is not one of pass, fail, warn, error, manual", obj["status"])
	}
	object, err := decodeObject(obj["object"])
	if err != nil {
		return fail("%v", err)
	}
	message, _ := obj["message"].(string)
	if strings.TrimSpace(message) == "" {
		return fail("missing or empty key \"message\"")
	}

	r := Result{
		ID:          chk.ID,
		Profile:     chk.Profile,
		Title:       chk.Title,
		Status:      status,
		Severity:    chk.Severity,
		Object:      object,
		Message:     message,
		Remediation: chk.Remediation,
		Source:      chk.Source,
		SourceURL:   chk.SourceURL,
	}
	if r.Expected, err = optionalWords(obj, "expected"); err != nil {
		return fail("%v", err)
	}
	if r.Actual, err = optionalWords(obj, "actual"); err != nil {
		return fail("%v", err)
	}
	if r.GrantedBy, err = optionalString(obj, "granted_by"); err != nil {
		return fail("%v", err)
	}
	remediation, err := optionalString(obj, "remediation")
	if err != nil {
		return fail("%v", err)
	}
	if remediation != "" {
		r.Remediation = remediation
	}
	return r, nil
}

func decodeObject(v any) (Object, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Object{}, fmt.Errorf("key \"object\" must be an object {type, id, name}, not %s", jsonKind(v))
	}
	for k := range obj {
		if k != "type" && k != "id" && k != "name" {
			return Object{}, fmt.Errorf("object: unknown key %q", k)
		}
	}
	typ, _ := obj["type"].(string)
	if !ObjectType(typ).Valid() {
		return Object{}, fmt.Errorf("object.type %q is not one of role, agent, application, category, setting, tenant", obj["type"])
	}
	id, err := optionalString(obj, "id")
	if err != nil {
		return Object{}, fmt.Errorf("object: %w (format numeric ids with format_int)", err)
	}
	name, err := optionalString(obj, "name")
	if err != nil {
		return Object{}, fmt.Errorf("object: %w", err)
	}
	return Object{Type: ObjectType(typ), ID: id, Name: name}, nil
}

func optionalString(obj map[string]any, key string) (string, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("key %q must be a string, not %s", key, jsonKind(v))
	}
	return s, nil
}

// optionalWords reads expected or actual: a string or a list of strings
// (a Rego set arrives sorted, as a list). The value is kept as string or
// []string so that renderers need only two cases.
func optionalWords(obj map[string]any, key string) (any, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case []any:
		out := make([]string, len(x))
		for i, el := range x {
			s, ok := el.(string)
			if !ok {
				return nil, fmt.Errorf("key %q must be a string or a list of strings; element %d is %s", key, i, jsonKind(el))
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("key %q must be a string or a list of strings, not %s", key, jsonKind(v))
}

// stringList reads a Rego set or array of strings, sorted, without
// duplicates.
func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("must be a set of strings, not %s", jsonKind(v))
	}
	out := make([]string, 0, len(list))
	for _, el := range list {
		s, ok := el.(string)
		if !ok {
			return nil, fmt.Errorf("must hold strings only, not %s", jsonKind(el))
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

// jsonKind names a decoded JSON value's kind for messages.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null (or undefined)"
	case string:
		return fmt.Sprintf("the string %q", x)
	case json.Number:
		return "the number " + x.String()
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// missingResults gives an error result to every selected check that
// produced none: a silent check must never read as a pass.
func (e *Engine) missingResults(results []Result, selected []string) []Result {
	seen := make(map[string]bool, len(results))
	for _, r := range results {
		seen[r.ID] = true
	}
	var out []Result
	for _, name := range selected {
		for _, c := range e.byName[name].Checks {
			if seen[c.ID] {
				continue
			}
			out = append(out, Result{
				ID:          c.ID,
				Profile:     c.Profile,
				Title:       c.Title,
				Status:      StatusError,
				Severity:    c.Severity,
				Object:      Object{Type: ObjectTenant},
				Message:     MessageNoResult,
				Remediation: c.Remediation,
				Source:      c.Source,
				SourceURL:   c.SourceURL,
			})
		}
	}
	return out
}

// MessageNoResult is the message of the error result the engine adds for
// a selected check that produced no result.
const MessageNoResult = "check produced no result"

// CompareResults is the report order: profile, check ID, object
// name, then object type and id, status and message, so that equal keys
// still sort one way. Renderers that re-sort use it too.
func CompareResults(a, b Result) int {
	return cmp.Or(
		strings.Compare(a.Profile, b.Profile),
		strings.Compare(a.ID, b.ID),
		strings.Compare(a.Object.Name, b.Object.Name),
		strings.Compare(string(a.Object.Type), string(b.Object.Type)),
		strings.Compare(a.Object.ID, b.Object.ID),
		strings.Compare(string(a.Status), string(b.Status)),
		strings.Compare(a.Message, b.Message),
	)
}

func sortResults(rs []Result) {
	slices.SortStableFunc(rs, CompareResults)
}

func summarize(rs []Result) Summary {
	var s Summary
	for _, r := range rs {
		switch r.Status {
		case StatusPass:
			s.Pass++
		case StatusFail:
			s.Fail++
		case StatusWarn:
			s.Warn++
		case StatusError:
			s.Error++
		case StatusManual:
			s.Manual++
		}
	}
	return s
}
