package halo

import (
	"bytes"
	"encoding/json"
)

// Claims is a role's or an agent's claims list. It decodes itself: a large
// tenant's snapshot is mostly claims (seventy per role), and decoding each
// {"type", "value"} pair through reflection took most of a snapshot's load
// time. The fast path reads exactly the shape WriteSnapshot writes; any
// other (escapes, non-ASCII text, other keys or key order, whitespace
// aside) is decoded by encoding/json as before, so the result is always
// what encoding/json would give.
type Claims []Claim

// UnmarshalJSON implements json.Unmarshaler.
func (c *Claims) UnmarshalJSON(data []byte) error {
	if out, ok := fastClaims(data); ok {
		*c = out
		return nil
	}
	var out []Claim
	if err := json.Unmarshal(data, &out); err != nil {
		return err
	}
	*c = out
	return nil
}

// fastClaims parses [{"type":"T","value":"V"},...] where every string is
// printable ASCII without escapes; ok is false for anything else.
//
// The strings are cut from one copy of data: one allocation per list
// instead of two per claim.
func fastClaims(data []byte) (out Claims, ok bool) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '[' { // null among others: encoding/json's to decode
		return nil, false
	}
	p := claimsParser{data: data, text: string(data)}
	out, ok = p.claims()
	return out, ok && p.end()
}

// claims consumes a claims list of the shape fastClaims reads.
func (p *claimsParser) claims() (Claims, bool) {
	out := Claims{} // a role without details: no room kept
	ok := p.list(func() bool {
		var c Claim
		if !p.byte('{') || !p.key("type") || !p.str(&c.Type) || !p.byte(',') || !p.key("value") || !p.str(&c.Value) || !p.byte('}') {
			return false
		}
		if cap(out) == 0 {
			out = make(Claims, 0, 80)
		}
		out = append(out, c)
		return true
	})
	return out, ok
}

// list consumes [item, item, ...], item consuming each.
func (p *claimsParser) list(item func() bool) bool {
	if !p.byte('[') {
		return false
	}
	if p.byte(']') {
		return true
	}
	for {
		if !item() {
			return false
		}
		if !p.byte(',') {
			return p.byte(']')
		}
	}
}

// object consumes {"key": value, ...}, field consuming each value.
func (p *claimsParser) object(field func(key string) bool) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		var key string
		if !p.str(&key) || !p.byte(':') || !field(key) {
			return false
		}
		if !p.byte(',') {
			return p.byte('}')
		}
	}
}

type claimsParser struct {
	data []byte
	// text is data as a string, for the strings to share; without it,
	// strings are interned in intern.
	text   string
	intern map[string]string
	i      int
}

// cut returns data[start:end] as a string: the interned copy, or a slice
// of text, or a copy.
func (p *claimsParser) cut(start, end int) string {
	switch {
	case p.intern != nil:
		if s, ok := p.intern[string(p.data[start:end])]; ok {
			return s
		}
		s := string(p.data[start:end])
		p.intern[s] = s
		return s
	case p.text != "":
		return p.text[start:end]
	}
	return string(p.data[start:end])
}

func (p *claimsParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes b, and the white space after it.
func (p *claimsParser) byte(b byte) bool {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == b {
		p.i++
		p.space()
		return true
	}
	return false
}

// key consumes "name":.
func (p *claimsParser) key(name string) bool {
	var got string
	return p.str(&got) && got == name && p.byte(':')
}

// str consumes a string of printable ASCII without escapes.
func (p *claimsParser) str(dst *string) bool {
	start, end, ok := p.rawStr()
	if ok {
		*dst = p.cut(start, end)
	}
	return ok
}

// rawStr consumes a string of printable ASCII without escapes, and says
// where its text is in data.
func (p *claimsParser) rawStr() (start, end int, ok bool) {
	if p.i >= len(p.data) || p.data[p.i] != '"' {
		return 0, 0, false
	}
	start = p.i + 1
	for j := start; j < len(p.data); j++ {
		switch b := p.data[j]; {
		case b == '"':
			p.i = j + 1
			p.space()
			return start, j, true
		case b == '\\' || b < 0x20 || b >= 0x7f:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// end is true when nothing but white space is left.
func (p *claimsParser) end() bool {
	p.space()
	return p.i == len(p.data)
}
