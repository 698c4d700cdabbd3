package halo

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The answers are parsed by hand rather than by encoding/json because
// what a server sends must not decide what reading it costs: 31 MiB of
// "{}" (31 KB gzipped, under the body cap) decoded generically takes
// gigabytes. This parser counts as it goes and stops at decodeLimits,
// before the memory is spent. It also refuses an object that names a field
// twice, which encoding/json resolves silently in favour of the last: a
// role's details with "claims" given twice would otherwise be judged on
// whichever the server put last.

// decodeLimits bound what decoding one answer may cost. Halo's largest
// answers (a page of 100 agents, /api/Control's 3,000 settings, an
// unpaged list of a few thousand agents) hold tens of thousands of values
// in a handful of levels; the limits are far above that and far below
// what exhausts memory.
type decodeLimits struct {
	// MaxDepth bounds the nesting of arrays and objects.
	MaxDepth int
	// MaxValues bounds the JSON values (every object, array, string,
	// number, literal) of one answer.
	MaxValues int
	// MaxObjects bounds the objects of one answer: an object costs far
	// more memory than a number.
	MaxObjects int
}

var defaultDecodeLimits = decodeLimits{MaxDepth: 32, MaxValues: 500_000, MaxObjects: 50_000}

// limitError is an answer refused for what decoding it would cost.
type limitError struct {
	// What was exceeded, e.g. "JSON values".
	What  string
	Limit int
	// Offset is where the parser stopped, in bytes.
	Offset int64
}

func (e *limitError) Error() string {
	if e.What == "levels of nesting" {
		return fmt.Sprintf("it nests arrays and objects deeper than %d levels (at byte %d)", e.Limit, e.Offset)
	}
	return fmt.Sprintf("it holds more than %d %s (counted up to byte %d)", e.Limit, e.What, e.Offset)
}

type jsonParser struct {
	data    []byte
	pos     int
	depth   int
	values  int
	objects int
	limits  decodeLimits
}

// parseJSON parses exactly one JSON value within limits, into the generic
// values encoding/json gives with UseNumber: map[string]any, []any,
// string, json.Number, bool and nil. A string with invalid UTF-8 gets
// U+FFFD for each bad byte, as encoding/json does.
func parseJSON(data []byte, limits decodeLimits) (any, int, error) {
	p := &jsonParser{data: data, limits: limits}
	p.space()
	if p.pos == len(data) {
		return nil, 0, errEmptyBody
	}
	v, err := p.value()
	if err != nil {
		return nil, p.values, err
	}
	p.space()
	if p.pos != len(data) {
		return nil, p.values, p.fail("unexpected data after the JSON value")
	}
	return v, p.values, nil
}

// fail is a syntax error at the current byte (1-based, as a person counts
// bytes), or at the end when the data ran out.
func (p *jsonParser) fail(problem string) error {
	if p.pos >= len(p.data) {
		return &jsonError{Offset: int64(len(p.data)), Problem: "the body ends before its JSON value is complete"}
	}
	return &jsonError{Offset: int64(p.pos) + 1, Problem: problem}
}

func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (any, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail("")
	}
	p.values++
	if p.values > p.limits.MaxValues {
		return nil, &limitError{What: "JSON values", Limit: p.limits.MaxValues, Offset: int64(p.pos)}
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	return nil, p.fail("invalid JSON")
}

func (p *jsonParser) literal(word string) error {
	if len(p.data)-p.pos < len(word) {
		if string(p.data[p.pos:]) == word[:len(p.data)-p.pos] {
			p.pos = len(p.data)
		}
		return p.fail("invalid JSON")
	}
	if string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("invalid JSON")
	}
	p.pos += len(word)
	return nil
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > p.limits.MaxDepth {
		return &limitError{What: "levels of nesting", Limit: p.limits.MaxDepth, Offset: int64(p.pos)}
	}
	return nil
}

func (p *jsonParser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.objects++
	if p.objects > p.limits.MaxObjects {
		return nil, &limitError{What: "JSON objects", Limit: p.limits.MaxObjects, Offset: int64(p.pos)}
	}
	p.pos++ // {
	m := map[string]any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return m, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("invalid JSON (an object's field name must be a string)")
		}
		keyAt := p.pos
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		key := k.(string)
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail("invalid JSON")
		}
		p.pos++
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			// Which of the two the server meant is unknown: refused, not
			// guessed. The name is not quoted: it is the server's text.
			return nil, &jsonError{Offset: int64(keyAt) + 1, Problem: "an object gives the same field twice"}
		}
		m[key] = v
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.depth--
			return m, nil
		default:
			return nil, p.fail("invalid JSON")
		}
	}
}

func (p *jsonParser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	arr := []any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return arr, nil
	}
	for {
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, p.fail("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			return arr, nil
		default:
			return nil, p.fail("invalid JSON")
		}
	}
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.fail("invalid JSON")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.fail("invalid JSON")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail("invalid JSON")
		}
	}
	return json.Number(p.data[start:p.pos]), nil
}

// str reads a string at p.pos (its opening quote).
func (p *jsonParser) str() (any, error) {
	p.pos++ // "
	start := p.pos
	plain := true
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			raw := p.data[start:p.pos]
			p.pos++
			if plain && utf8.Valid(raw) {
				return string(raw), nil
			}
			return unescape(raw), nil
		case c == '\\':
			plain = false
			p.pos++
			if p.pos >= len(p.data) {
				return nil, p.fail("")
			}
			switch p.data[p.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos++
			case 'u':
				if len(p.data)-p.pos < 5 {
					p.pos = len(p.data)
					return nil, p.fail("")
				}
				if _, err := strconv.ParseUint(string(p.data[p.pos+1:p.pos+5]), 16, 16); err != nil {
					return nil, p.fail("invalid JSON (a bad \\u escape)")
				}
				p.pos += 5
			default:
				return nil, p.fail("invalid JSON (a bad escape)")
			}
		case c < 0x20:
			return nil, p.fail("invalid JSON (a control character in a string)")
		default:
			p.pos++
		}
	}
	return nil, p.fail("")
}

// unescape decodes the inside of a JSON string already checked by str.
func unescape(raw []byte) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, raw[i:i+size]...)
			}
			i += size
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i+1 : i+5])
			i += 4 // the last digit
			if utf16.IsSurrogate(r) {
				// A pair is two escapes; a lone half is U+FFFD.
				pair := utf8.RuneError
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					pair = utf16.DecodeRune(r, hex4(raw[i+3:i+7]))
				}
				if pair != utf8.RuneError {
					i += 6
				}
				r = pair
			}
			out = utf8.AppendRune(out, r)
		default: // " \ /
			out = append(out, raw[i])
		}
		i++
	}
	return string(out)
}

func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 16)
	return rune(n)
}
