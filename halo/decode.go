package halo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Halo's answers are decoded in two steps: JSON into generic values
// (json.Number for numbers, so that large ids keep their digits), then
// tolerant extraction of the typed fields. Nothing in either step can
// panic or fail on a field of an unexpected type: the field is left at its
// zero value and the rest of the object is kept.

// decodeJSON parses exactly one JSON value within the default limits.
func decodeJSON(body []byte) (any, error) {
	v, _, err := decodeJSONWithin(body, defaultDecodeLimits)
	return v, err
}

// decodeJSONWithin parses exactly one JSON value within limits, and says
// how many values it held.
func decodeJSONWithin(body []byte, limits decodeLimits) (any, int, error) {
	// .NET servers sometimes prefix a UTF-8 byte order mark.
	bom := 0
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		body, bom = body[3:], 3
	}
	v, n, err := parseJSON(body, limits)
	var je *jsonError
	if bom > 0 && errors.As(err, &je) {
		je.Offset += int64(bom)
	}
	return v, n, err
}

var errEmptyBody = errors.New("empty body")

// jsonError says why a body is not the JSON halolint reads, and where. It
// never quotes the body: a body that is not JSON may still be the tenant's
// data, cut short.
type jsonError struct {
	// Offset is where the problem is, in bytes from the start of the body.
	Offset  int64
	Problem string
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s at byte %d", e.Problem, e.Offset) }

// describeJSONError says why body is not JSON without quoting it.
func describeJSONError(body []byte, err error) string {
	var je *jsonError
	if errors.As(err, &je) {
		return je.Error()
	}
	if len(body) == 0 {
		return "empty body"
	}
	return "not JSON"
}

// str reads a string field; numbers and booleans give their text, so an
// id sent as 5 or "5" reads the same.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// integer reads a whole number sent as a number or as numeric text.
func integer(v any) (int, bool) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = strings.TrimSpace(x)
	case float64:
		return wholeNumber(x)
	default:
		return 0, false
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		if n < math.MinInt || n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, false
	}
	return wholeNumber(f)
}

func wholeNumber(f float64) (int, bool) {
	const limit = 1 << 53 // beyond this a float64 no longer holds every integer
	if f != math.Trunc(f) || f > limit || f < -limit {
		return 0, false
	}
	return int(f), true
}

// intField is integer with 0 for anything unreadable.
func intField(v any) int {
	n, _ := integer(v)
	return n
}

// boolean reads true, "true"/"True", 1 or "1" as true; anything else,
// missing included, as false.
func boolean(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes":
			return true
		}
		return false
	}
	n, ok := integer(v)
	return ok && n != 0
}

// claimValue keeps a claim's value as text, whatever its JSON type: the
// claim catalog, not the decoder, decides what it means.
func claimValue(v any) string {
	switch v.(type) {
	case nil:
		return ""
	case string, json.Number, bool, float64:
		return str(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// objects returns the elements of a JSON array that are objects.
func objects(v any) []map[string]any {
	arr, _ := v.([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// extraFields returns every field of m that halolint does not model,
// redacted; nil when none is left.
func extraFields(m map[string]any, modeled ...string) map[string]any {
	skip := make(map[string]bool, len(modeled))
	for _, k := range modeled {
		skip[k] = true
	}
	var out map[string]any
	for k, v := range m {
		if skip[k] || isSecretName(k) {
			continue
		}
		if out == nil {
			out = make(map[string]any)
		}
		out[k] = redactValue(v)
	}
	return out
}

// first returns the value of the first of keys present in m: Halo spells
// a few fields differently across versions (clientId, client_id).
func first(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}
