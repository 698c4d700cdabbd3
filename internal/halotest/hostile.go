package halotest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// A hostile server serves the same tenant, but the way a buggy instance,
// one edited while it is read, or one that wants to fool the audit would:
// objects listed twice, pages repeated, permissions in another shape,
// record counts that lie, answers cut short. Options.Rewrite is the hook;
// the functions below build the rewrites the tests use.

// Answer is one answer of the server as a Rewrite sees it, before it is
// sent. A Rewrite may change Status, Header and Body.
type Answer struct {
	// Path is the request path as path patterns match it (lower-cased,
	// without trailing slash); Query its parsed query.
	Path   string
	Query  url.Values
	Status int
	Header http.Header
	Body   []byte
}

// Rewrite changes an answer before it is sent. It runs for every answer
// but the injected faults (rate limit, 500s, 403s, canned answers, hangs),
// the token endpoint's and authinfo's included.
type Rewrite func(*Answer)

// Rewrites applies each rewrite in order.
func Rewrites(rs ...Rewrite) Rewrite {
	return func(a *Answer) {
		for _, r := range rs {
			if r != nil {
				r(a)
			}
		}
	}
}

// Page is the page_no an answer was asked for, 0 when it was not paged.
func (a *Answer) Page() int {
	n, _ := strconv.Atoi(a.Query.Get("page_no"))
	return n
}

// EditJSON decodes the body of every successful answer on a path matching
// pattern (numbers kept as json.Number), passes it to edit and answers
// what edit returns, encoded again. A body that is not JSON is left alone.
func EditJSON(pattern string, edit func(v any, a *Answer) any) Rewrite {
	return func(a *Answer) {
		if a.Status != http.StatusOK || !matchPath(pattern, a.Path) {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(a.Body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return
		}
		out, err := json.Marshal(edit(v, a))
		if err != nil {
			return
		}
		a.Body = out
	}
}

// listItems returns the objects of a list answer in either shape, and a
// function that puts a changed list back.
func listItems(v any) (items []any, put func([]any) any) {
	switch x := v.(type) {
	case []any:
		return x, func(n []any) any { return n }
	case map[string]any:
		for k, e := range x {
			if arr, ok := e.([]any); ok {
				return arr, func(n []any) any { x[k] = n; return x }
			}
		}
	}
	return nil, func([]any) any { return v }
}

func idOf(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	switch id := m["id"].(type) {
	case string:
		return id
	case json.Number:
		return id.String()
	case float64:
		return strconv.FormatFloat(id, 'f', -1, 64)
	}
	return ""
}

// DuplicateObject lists the object with that id twice in the list on
// pattern: the copy comes right after it, without the fields named in
// strip (none: an exact copy). A page boundary that moves while objects
// are added, or a server that repeats one, does this.
func DuplicateObject(pattern, id string, strip ...string) Rewrite {
	return EditJSON(pattern, func(v any, _ *Answer) any {
		items, put := listItems(v)
		var out []any
		for _, it := range items {
			out = append(out, it)
			if idOf(it) == id {
				cp := map[string]any{}
				for k, e := range it.(map[string]any) {
					cp[k] = e
				}
				for _, k := range strip {
					delete(cp, k)
				}
				out = append(out, cp)
			}
		}
		return put(out)
	})
}

// RepeatPage answers page `page` of the list on pattern with the body of
// page `of` (an earlier page, which the client asked for first).
func RepeatPage(pattern string, page, of int) Rewrite {
	var mu sync.Mutex
	var saved []byte
	return func(a *Answer) {
		if a.Status != http.StatusOK || !matchPath(pattern, a.Path) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch a.Page() {
		case of:
			saved = append([]byte(nil), a.Body...)
		case page:
			if saved != nil {
				a.Body = append([]byte(nil), saved...)
			}
		}
	}
}

// DropObject leaves the object with that id out of the list on pattern,
// record_count unchanged: a server whose list falls short of its count.
func DropObject(pattern, id string) Rewrite {
	return EditJSON(pattern, func(v any, _ *Answer) any {
		items, put := listItems(v)
		var out []any
		for _, it := range items {
			if idOf(it) != id {
				out = append(out, it)
			}
		}
		if out == nil {
			out = []any{}
		}
		return put(out)
	})
}

// SetField sets a field of the object answered on pattern (a detail
// answer) to value; a nil value removes it. Permissions in another shape
// (claims as a string, scopes as a number) are made with it.
func SetField(pattern, field string, value any) Rewrite {
	return EditJSON(pattern, func(v any, _ *Answer) any {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		if value == nil {
			delete(m, field)
		} else {
			m[field] = value
		}
		return m
	})
}

// EditObject changes the object answered on pattern, or each object of
// the list answered on pattern, with edit.
func EditObject(pattern string, edit func(m map[string]any)) Rewrite {
	return EditJSON(pattern, func(v any, _ *Answer) any {
		if m, ok := v.(map[string]any); ok {
			if items, _ := listItems(m); items == nil || m["id"] != nil {
				edit(m)
				return m
			}
		}
		items, put := listItems(v)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				edit(m)
			}
		}
		return put(items)
	})
}

// TokenExpiresIn makes the token endpoint's answer say expires_in is
// seconds, whatever the token's real lifetime (Options.TokenLifetime).
func TokenExpiresIn(seconds int) Rewrite {
	return EditJSON("/auth/token", func(v any, _ *Answer) any {
		if m, ok := v.(map[string]any); ok {
			m["expires_in"] = seconds
		}
		return v
	})
}
