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
		r, err := e.decodeResult(item.Value, inSelection)
		if err != nil {
			violations = append(violations, err.Error())
			continue
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

// decodeResult reads one element of main.results, checks it against the
// result contract (policy-authoring.md) and joins it with its check's
// METADATA. It reads the evaluator's value itself: converting every result
// to Go maps first (OPA's default) costs more than reading it. What breaks
// the contract is an error naming the result's check and the key.
func (e *Engine) decodeResult(v ast.Value, inSelection map[string]bool) (Result, error) {
	obj, ok := v.(ast.Object)
	if !ok {
		return Result{}, fmt.Errorf("a result must be an object, not %s", astKind(v))
	}
	id, _ := astString(obj.Get(keyCheck))
	if k := firstKey(obj, isResultKey); k != nil {
		return Result{}, resultError(id, "unknown key %s", keyText(k))
	}
	if id == "" {
		return Result{}, resultError(id, `missing or empty key "check"`)
	}
	chk := e.checks[id]
	if chk == nil {
		return Result{}, resultError(id, "unknown check ID (no rule METADATA declares it)")
	}
	profile, _ := astString(obj.Get(keyProfile))
	if profile != chk.Profile {
		return Result{}, resultError(id, "reported under profile %q, but the check belongs to %q", profile, chk.Profile)
	}
	if !inSelection[profile] {
		return Result{}, resultError(id, "profile %q is not selected", profile)
	}
	statusTerm := obj.Get(keyStatus)
	status, _ := astString(statusTerm)
	if !Status(status).Valid() {
		return Result{}, resultError(id, "status %q is not one of pass, fail, warn, error, manual", termJSON(statusTerm))
	}
	object, err := decodeObject(obj.Get(keyObject))
	if err != nil {
		return Result{}, resultError(id, "%v", err)
	}
	message, _ := astString(obj.Get(keyMessage))
	if strings.TrimSpace(message) == "" {
		return Result{}, resultError(id, `missing or empty key "message"`)
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
	if r.Expected, err = optionalWords(obj, keyExpected); err != nil {
		return Result{}, resultError(id, "%v", err)
	}
	if r.Actual, err = optionalWords(obj, keyActual); err != nil {
		return Result{}, resultError(id, "%v", err)
	}
	if r.GrantedBy, err = optionalString(obj, keyGrantedBy); err != nil {
		return Result{}, resultError(id, "%v", err)
	}
	remediation, err := optionalString(obj, keyRemediation)
	if err != nil {
		return Result{}, resultError(id, "%v", err)
	}
	if remediation != "" {
		r.Remediation = remediation
	}
	return r, nil
}

// resultError is a contract violation of the result of check id ("" when
// the result names none).
func resultError(id, format string, args ...any) error {
	who := "result"
	if id != "" {
		who = "result of " + id
	}
	return fmt.Errorf(who+": "+format, args...)
}

// firstKey returns the first key of obj, in sorted order, that is not a
// string accepted by known; nil when there is none.
func firstKey(obj ast.Object, known func(string) bool) *ast.Term {
	var bad *ast.Term
	obj.Foreach(func(k, _ *ast.Term) {
		if bad != nil {
			return
		}
		if s, ok := k.Value.(ast.String); !ok || !known(string(s)) {
			bad = k
		}
	})
	return bad
}

// keyText quotes a string key as %q does; any other key as Rego writes it.
func keyText(k *ast.Term) string {
	if s, ok := k.Value.(ast.String); ok {
		return fmt.Sprintf("%q", string(s))
	}
	return k.String()
}

func astString(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// isNull reports an absent key or a null value.
func isNull(t *ast.Term) bool {
	if t == nil {
		return true
	}
	_, null := t.Value.(ast.Null)
	return null
}

// optionalString reads an optional string: absent and null are "".
func optionalString(obj ast.Object, key *ast.Term) (string, error) {
	t := obj.Get(key)
	if isNull(t) {
		return "", nil
	}
	s, ok := astString(t)
	if !ok {
		return "", fmt.Errorf("key %s must be a string, not %s", keyText(key), termKind(t))
	}
	return s, nil
}

// isObjectKey reports the keys a result's object may carry.
func isObjectKey(key string) bool { return key == "type" || key == "id" || key == "name" }

func decodeObject(t *ast.Term) (Object, error) {
	var obj ast.Object
	if t != nil {
		obj, _ = t.Value.(ast.Object)
	}
	if obj == nil {
		return Object{}, fmt.Errorf("key \"object\" must be an object {type, id, name}, not %s", termKind(t))
	}
	if k := firstKey(obj, isObjectKey); k != nil {
		return Object{}, fmt.Errorf("object: unknown key %s", keyText(k))
	}
	typeTerm := obj.Get(keyType)
	typ, _ := astString(typeTerm)
	if !ObjectType(typ).Valid() {
		return Object{}, fmt.Errorf("object.type %q is not one of role, agent, application, category, setting, tenant", termJSON(typeTerm))
	}
	id, err := optionalString(obj, keyID)
	if err != nil {
		return Object{}, fmt.Errorf("object: %w (format numeric ids with format_int)", err)
	}
	name, err := optionalString(obj, keyName)
	if err != nil {
		return Object{}, fmt.Errorf("object: %w", err)
	}
	return Object{Type: ObjectType(typ), ID: id, Name: name}, nil
}

// optionalWords reads expected or actual: absent and null are nil, a
// string stays a string, an array or a set of strings becomes a []string
// (a set sorted, as its JSON form is), so that renderers need only two
// cases.
func optionalWords(obj ast.Object, key *ast.Term) (any, error) {
	t := obj.Get(key)
	if isNull(t) {
		return nil, nil
	}
	var elems []*ast.Term
	switch x := t.Value.(type) {
	case ast.String:
		return string(x), nil
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
		return nil, fmt.Errorf("key %s must be a string or a list of strings, not %s", keyText(key), termKind(t))
	}
	out := make([]string, len(elems))
	for i, el := range elems {
		s, ok := el.Value.(ast.String)
		if !ok {
			return nil, fmt.Errorf("key %s must be a string or a list of strings; element %d is %s", keyText(key), i, termKind(el))
		}
		out[i] = string(s)
	}
	return out, nil
}

// termJSON is a term's JSON form, nil when absent. A bad status or object
// type is quoted from it, as it always was: a value that is not a string
// prints as fmt's %!q(...).
func termJSON(t *ast.Term) any {
	if t == nil {
		return nil
	}
	return jsonOf(t.Value)
}

// termKind names the kind of an ast term for messages, in the words of
// jsonKind; nil is an absent key.
func termKind(t *ast.Term) string {
	if t == nil {
		return jsonKind(nil)
	}
	return astKind(t.Value)
}

// astKind names the kind of an ast value as jsonKind names its JSON form.
func astKind(v ast.Value) string {
	switch x := v.(type) {
	case ast.Null:
		return jsonKind(nil)
	case ast.String:
		return jsonKind(string(x))
	case ast.Number:
		return jsonKind(json.Number(x))
	case ast.Boolean:
		return jsonKind(bool(x))
	case *ast.Array, ast.Set:
		return jsonKind([]any{})
	case ast.Object:
		return jsonKind(map[string]any{})
	}
	return v.String()
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
		if r.Accepted != nil {
			s.Accepted++
		}
	}
	return s
}
