package halo

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// decodeSplit decodes a snapshot with its roles, nine tenths of a large
// tenant's file, on every core: the file's top level is cut around the
// roles' array, the rest decoded by encoding/json as before, and each role
// by fastRole, or by encoding/json where it is not the shape WriteSnapshot
// writes. ok is false for anything it is not sure of (no or several
// "roles", a key with an escape, a top level that is not an object, a
// value that does not decode): decodeSnapshot then decodes the whole file
// as before, and says what is wrong with it. When ok, the snapshot is
// exactly what encoding/json gives for the whole file.
//
// Cutting is safe because every part is validated: the rest, with the
// roles replaced by [], by encoding/json; each role by its decoder; the
// commas and brackets between them here.
func decodeSplit(data []byte) (*Snapshot, bool) {
	start, end, elems, ok := rolesSpan(data)
	if !ok {
		return nil, false
	}

	var s Snapshot
	restOK := make(chan bool, 1)
	go func() {
		rest := make([]byte, 0, len(data)-(end-start)+2)
		rest = append(append(append(rest, data[:start]...), "[]"...), data[end:]...)
		dec := json.NewDecoder(bytes.NewReader(rest))
		dec.UseNumber()
		err := dec.Decode(&s)
		restOK <- err == nil && dec.Decode(&struct{}{}) == io.EOF && s.SchemaVersion == SchemaVersion
	}()

	roles := make([]Role, len(elems))
	rolesOK := decodeRoles(data, elems, roles)
	if !<-restOK || !rolesOK {
		return nil, false
	}
	s.Roles = roles
	return &s, true
}

// decodeRoles decodes each element of the roles' array, data[elems[i]],
// into roles[i], in chunks taken by one worker per core.
func decodeRoles(data []byte, elems [][2]int, roles []Role) bool {
	const chunk = 256
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(elems)/chunk+1) {
		wg.Go(func() {
			intern := make(map[string]string, 512)
			for !failed.Load() {
				from := int(next.Add(chunk)) - chunk
				if from >= len(elems) {
					return
				}
				for i := from; i < min(from+chunk, len(elems)); i++ {
					e := data[elems[i][0]:elems[i][1]]
					if !decodeSnapshotRole(e, &roles[i], intern) {
						failed.Store(true)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// decodeSnapshotRole decodes one element of the roles' array as encoding/json
// would.
func decodeSnapshotRole(data []byte, r *Role, intern map[string]string) bool {
	if fastRole(data, r, intern) {
		return true
	}
	*r = Role{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(r) == nil && dec.Decode(&struct{}{}) == io.EOF
}

// fastRole parses a role object of exactly the keys WriteSnapshot writes
// (each at most once, any order), strings without escapes or control
// characters, and departments without extra fields; ok is false for
// anything else, r then partly filled.
//
// Claim codes and values, which repeat across every role, are interned,
// the rest copied: the snapshot keeps no part of the file's bytes.
func fastRole(data []byte, r *Role, intern map[string]string) bool {
	p := claimsParser{data: data, intern: intern}
	var seen [7]bool
	once := func(k int) bool {
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	return p.object(func(key string) bool {
		switch key {
		case "id":
			return once(0) && p.utf8Str(&r.ID)
		case "id_int":
			return once(1) && p.integer(&r.IDInt)
		case "name":
			return once(2) && p.utf8Str(&r.Name)
		case "is_integration":
			return once(3) && p.boolean(&r.IsIntegration)
		case "detailed":
			return once(4) && p.boolean(&r.Detailed)
		case "claims":
			ok := once(5)
			if ok && !p.null() {
				r.Claims, ok = p.claims()
			}
			return ok
		case "departments":
			ok := once(6)
			if ok && !p.null() {
				r.Departments, ok = p.departments()
			}
			return ok
		}
		return false
	}) && p.end()
}

// departments consumes a role's departments, rows of exactly the keys
// WriteSnapshot writes when they carry no extra fields.
func (p *claimsParser) departments() ([]RoleDepartment, bool) {
	out := []RoleDepartment{}
	ok := p.list(func() bool {
		var d RoleDepartment
		var seen [3]bool
		ok := p.object(func(key string) bool {
			switch key {
			case "department_id":
				ok := !seen[0] && p.integer(&d.DepartmentID)
				seen[0] = true
				return ok
			case "department_name":
				ok := !seen[1] && p.utf8Str(&d.DepartmentName)
				seen[1] = true
				return ok
			case "membershiplevel":
				ok := !seen[2] && p.integer(&d.MembershipLevel)
				seen[2] = true
				return ok
			}
			return false
		})
		out = append(out, d)
		return ok
	})
	return out, ok
}

// utf8Str consumes a string without escapes or control characters, of
// valid UTF-8: what encoding/json gives for it is its bytes.
func (p *claimsParser) utf8Str(dst *string) bool {
	if p.i >= len(p.data) || p.data[p.i] != '"' {
		return false
	}
	start := p.i + 1
	ascii := true
	for j := start; j < len(p.data); j++ {
		switch b := p.data[j]; {
		case b == '"':
			if !ascii && !utf8.Valid(p.data[start:j]) {
				return false
			}
			*dst = string(p.data[start:j])
			p.i = j + 1
			p.space()
			return true
		case b == '\\' || b < 0x20:
			return false
		case b >= 0x80:
			ascii = false
		}
	}
	return false
}

// integer consumes a JSON integer that fits an int.
func (p *claimsParser) integer(dst *int) bool {
	j := p.i
	if j < len(p.data) && p.data[j] == '-' {
		j++
	}
	digits := j
	for j < len(p.data) && p.data[j] >= '0' && p.data[j] <= '9' {
		j++
	}
	if j == digits || (p.data[digits] == '0' && j > digits+1) {
		return false // no digits, or a leading zero
	}
	if j < len(p.data) && strings.IndexByte(".eE", p.data[j]) >= 0 {
		return false // encoding/json refuses a fraction for an int
	}
	n, err := strconv.Atoi(string(p.data[p.i:j]))
	if err != nil {
		return false
	}
	*dst = n
	p.i = j
	p.space()
	return true
}

// null consumes null, which leaves a list nil.
func (p *claimsParser) null() bool {
	if !bytes.HasPrefix(p.data[p.i:], []byte("null")) {
		return false
	}
	p.i += len("null")
	p.space()
	return true
}

// boolean consumes true or false.
func (p *claimsParser) boolean(dst *bool) bool {
	for _, lit := range [...]struct {
		word  string
		value bool
	}{{"true", true}, {"false", false}} {
		if bytes.HasPrefix(p.data[p.i:], []byte(lit.word)) {
			p.i += len(lit.word)
			*dst = lit.value
			p.space()
			return true
		}
	}
	return false
}

// rolesSpan finds the value of the top-level key "roles", an array
// data[start:end], and its elements. ok is false when the top level is not
// an object of plain keys, or has no "roles", or more than one key that
// encoding/json would decode into Roles (it matches keys
// case-insensitively).
func rolesSpan(data []byte) (start, end int, elems [][2]int, ok bool) {
	p := claimsParser{data: data}
	if !p.byte('{') || p.byte('}') {
		return 0, 0, nil, false
	}
	for {
		ks, ke, ok := p.rawStr()
		if !ok || !p.byte(':') {
			return 0, 0, nil, false
		}
		key := data[ks:ke]
		switch {
		case string(key) == "roles" && elems == nil:
			start = p.i
			if elems, ok = p.elements(); !ok {
				return 0, 0, nil, false
			}
			end = p.i
		case bytes.EqualFold(key, []byte("roles")):
			return 0, 0, nil, false
		default:
			if p.i, ok = skipValue(data, p.i); !ok {
				return 0, 0, nil, false
			}
		}
		p.space()
		if p.byte(',') {
			continue
		}
		if !p.byte('}') || !p.end() || elems == nil {
			return 0, 0, nil, false
		}
		return start, end, elems, true
	}
}

// elements consumes an array, and says where each element is in data;
// only the brackets and commas between them are checked here.
func (p *claimsParser) elements() ([][2]int, bool) {
	elems := make([][2]int, 0, 1024)
	ok := p.list(func() bool {
		end, ok := skipValue(p.data, p.i)
		if ok {
			elems = append(elems, [2]int{p.i, end})
			p.i = end
		}
		return ok
	})
	return elems, ok
}

// skipValue returns the end of the JSON value starting at data[i]: it
// follows strings and nesting, and checks nothing else (whoever decodes
// the value does).
func skipValue(data []byte, i int) (int, bool) {
	depth := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			end, ok := skipString(data, i)
			if !ok {
				return 0, false
			}
			i = end
			if depth == 0 {
				return i, true
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return 0, false
			}
			if depth == 0 {
				return i + 1, true
			}
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return 0, false
			}
		default:
			if depth == 0 { // a number or a literal: up to a delimiter
				j := i
				for j < len(data) && !isDelimiter(data[j]) {
					j++
				}
				return j, true
			}
		}
		i++
	}
	return 0, false
}

// skipString returns the end of the string starting at data[i] (a quote).
func skipString(data []byte, i int) (int, bool) {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '"':
			return j + 1, true
		case '\\':
			j++ // the next byte is escaped
		}
	}
	return 0, false
}

func isDelimiter(b byte) bool {
	switch b {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
