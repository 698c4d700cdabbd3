package audit

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/halolint/halolint/halo"
)

// MaxNameRunes is the longest name the report's prose quotes whole, and
// the table and Markdown show whole. A tenant may name an object with
// megabytes (the response body cap is the only bound): quoted whole in
// every message about it, one name made a report of hundreds of megabytes
// and a table that took minutes to lay out.
const MaxNameRunes = 64

// shortNameHead is how much of a long name ShortName keeps.
const shortNameHead = 48

// maxIDRunes bounds the ID ShortName adds: a tenant's IDs are GUIDs and
// numbers, but a hostile one is whatever it likes.
const maxIDRunes = 40

// ShortName is name when it has at most MaxNameRunes characters; else its
// first characters, an ellipsis, its length and the object's ID, so that
// two long names that start alike stay apart:
// "TimeZest xxxxxxxx… (1048585 characters, id 0fffc0ac-bdde-5342-9ecd-753e1bef86b9)".
func ShortName(name, id string) string {
	n := utf8.RuneCountInString(name)
	if n <= MaxNameRunes {
		return name
	}
	head := cutRunes(name, shortNameHead)
	if id == "" {
		return head + "… (" + strconv.Itoa(n) + " characters)"
	}
	return head + "… (" + strconv.Itoa(n) + " characters, id " + ShortID(id) + ")"
}

// ShortID is id cut to maxIDRunes characters, with an ellipsis.
func ShortID(id string) string {
	if utf8.RuneCountInString(id) <= maxIDRunes {
		return id
	}
	return cutRunes(id, maxIDRunes) + "…"
}

// cutRunes is the first n characters of s (s has more).
func cutRunes(s string, n int) string {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// longName is a name of the snapshot longer than MaxNameRunes, in the
// forms a message may quote it (as it is, and escaped as Rego's %q
// writes it), and what stands for it.
type longName struct {
	forms []string
	short string
}

// longNames lists the names of snap longer than MaxNameRunes: of roles,
// agents (and the names they and applications give their roles and login
// agents), applications and categories.
func longNames(snap *halo.Snapshot) []longName {
	seen := map[string]bool{}
	var out []longName
	add := func(name, id string) {
		if utf8.RuneCountInString(name) <= MaxNameRunes || seen[name] {
			return
		}
		seen[name] = true
		forms := []string{name}
		if q := strconv.Quote(name); q[1:len(q)-1] != name {
			forms = append(forms, q[1:len(q)-1])
		}
		out = append(out, longName{forms: forms, short: ShortName(name, id)})
	}

	for _, r := range snap.Roles {
		add(r.Name, r.ID)
	}
	for _, a := range snap.Agents {
		add(a.Name, strconv.Itoa(a.ID))
		for _, ref := range a.Roles {
			add(ref.Name, ref.ID)
		}
	}
	for _, a := range snap.Applications {
		add(a.DisplayName, a.ID)
		add(a.LoginAsAgentName, strconv.Itoa(a.LoginAsAgentID))
	}
	for _, c := range snap.Categories {
		add(c.Value, strconv.Itoa(c.ID))
		add(c.CategoryName, strconv.Itoa(c.ID))
	}
	// The longest first: a long name may hold a shorter one.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].forms[0]) > len(out[j].forms[0]) })
	return out
}

// shortenLongNames makes the prose of every result (message, remediation,
// granted_by, expected and actual) quote each long name of snap by its
// ShortName. The name stays exact where it identifies the object
// (object.name), so a report is about as large as its results, not as
// its results times every mention of a name.
func shortenLongNames(results []Result, snap *halo.Snapshot) {
	names := longNames(snap)
	if len(names) == 0 {
		return
	}
	shorten := func(s string) string {
		if len(s) <= MaxNameRunes {
			return s
		}
		for _, n := range names {
			for _, f := range n.forms {
				if strings.Contains(s, f) {
					s = strings.ReplaceAll(s, f, n.short)
				}
			}
		}
		return s
	}
	for i := range results {
		r := &results[i]
		r.Message = shorten(r.Message)
		r.Remediation = shorten(r.Remediation)
		r.GrantedBy = shorten(r.GrantedBy)
		r.Expected = shortenValue(r.Expected, shorten)
		r.Actual = shortenValue(r.Actual, shorten)
	}
}

// shortenValue applies shorten to an expected or actual value: nil, a
// string or a []string (what the engine makes of Rego's values).
func shortenValue(v any, shorten func(string) string) any {
	switch x := v.(type) {
	case string:
		return shorten(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = shorten(s)
		}
		return out
	}
	return v
}
