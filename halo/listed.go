package halo

import (
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"
)

// The lists are vetted before any detail is read: every object must carry
// an id halolint can read (an agent without one would become agent 0, and
// the applications without a login agent would be judged as logging in as
// it), and an object listed twice (a page boundary that moved while
// objects were added, a server that repeats one) becomes one object, so
// that its details reach the copy that is judged.

// listKind says how the objects of one list are identified.
type listKind struct {
	resource Resource // the list, e.g. ResourceRoles
	endpoint string
	what     string // "role"
	// id reads an object's id as its key, and says why it cannot.
	id func(v any) (string, error)
}

var (
	rolesKind        = listKind{resource: ResourceRoles, endpoint: rolesList.path, what: "role", id: guidKey}
	agentsKind       = listKind{resource: ResourceAgents, endpoint: agentsList.path, what: "agent", id: agentKey}
	applicationsKind = listKind{resource: ResourceApplications, endpoint: applicationsList.path, what: "application", id: guidKey}
)

// guidKey reads a role's or application's id: a non-empty string (Halo's
// are GUIDs), or a number.
func guidKey(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return "", fmt.Errorf("its id is empty")
		}
		return x, nil
	case nil:
		return "", fmt.Errorf("it has no id")
	}
	if n, ok := integer(v); ok {
		return fmt.Sprint(n), nil
	}
	return "", fmt.Errorf("its id is a %s, not a string", jsonKind(v))
}

// agentKey reads an agent's id: a positive whole number, or its digits.
// 0 is not an id: it is how an application says it has no login agent.
func agentKey(v any) (string, error) {
	if v == nil {
		return "", fmt.Errorf("it has no id")
	}
	n, ok := integer(v)
	if !ok || n < 1 {
		return "", fmt.Errorf("its id (a %s) is not a positive whole number", jsonKind(v))
	}
	return fmt.Sprint(n), nil
}

// vetList drops the objects of a list whose id cannot be read and merges
// the copies of an object listed more than once. Copies that agree (one
// holding every field of the other with the same value) are merged, with a
// notice; copies that disagree leave the list unreliable: a collection
// error for the list, whose checks report error, and the first copy kept.
func (c *collector) vetList(kind listKind, objs []map[string]any) []map[string]any {
	if objs == nil {
		return nil
	}
	out := make([]map[string]any, 0, len(objs))
	at := map[string]int{} // key → index in out
	copies := map[string]int{}
	conflicts := map[string]bool{}
	var unreadable, conflicting []string
	for i, m := range objs {
		key, err := kind.id(m["id"])
		if err != nil {
			unreadable = append(unreadable, fmt.Sprintf("the %s listed %s%s: %v", kind.what, ordinal(i+1), nameOf(m), err))
			continue
		}
		j, seen := at[key]
		if !seen {
			at[key] = len(out)
			out = append(out, m)
			continue
		}
		copies[key]++
		merged, ok := mergeCopies(out[j], m)
		if !ok {
			if !conflicts[key] {
				conflicting = append(conflicting, fmt.Sprintf("%s %s%s", kind.what, key, nameOf(m)))
			}
			conflicts[key] = true
			continue
		}
		out[j] = merged
	}
	if len(unreadable) > 0 {
		c.listProblem(kind, fmt.Sprintf("%s; such an object cannot be judged, so the list is incomplete", strings.Join(limitList(unreadable), "; ")))
	}
	if len(conflicting) > 0 {
		sort.Strings(conflicting)
		c.listProblem(kind, fmt.Sprintf("the list gives %s more than once, with different values: which copy is right is unknown, so the list is unreliable (it most likely changed while it was read; run the audit again)",
			strings.Join(limitList(conflicting), ", ")))
	}
	var merged []string
	for key, n := range copies {
		if !conflicts[key] {
			merged = append(merged, fmt.Sprintf("%s %s (%d times)", kind.what, key, n+1))
		}
	}
	if len(merged) > 0 {
		sort.Strings(merged)
		c.notice(NoticeListedTwice, kind.resource, kind.endpoint, fmt.Sprintf("the list gives %s more than once (a page boundary that moved while objects were added, or a server that repeats one): the copies agree and were read as one",
			strings.Join(limitList(merged), ", ")))
	}
	return out
}

// mergeCopies merges two copies of one object when they agree: every
// field both carry has the same value. The merged object has the fields
// of both.
func mergeCopies(a, b map[string]any) (map[string]any, bool) {
	for k, v := range b {
		if w, ok := a[k]; ok && !reflect.DeepEqual(v, w) {
			return nil, false
		}
	}
	merged := maps.Clone(a)
	maps.Copy(merged, b)
	return merged, true
}

func (c *collector) listProblem(kind listKind, message string) {
	c.mu.Lock()
	c.errs = append(c.errs, CollectionError{Resource: kind.resource, Endpoint: kind.endpoint, Status: 200, Message: c.client.secrets.scrub(message)})
	c.mu.Unlock()
}

// nameOf is ` ("name")` for an object with a readable name, "".
func nameOf(m map[string]any) string {
	name := str(first(m, "name", "displayName", "display_name"))
	if name == "" {
		return ""
	}
	if len(name) > 60 {
		name = name[:60] + "…"
	}
	return fmt.Sprintf(" (%q)", name)
}

// limitList keeps a message short: the first five, and how many more.
func limitList(items []string) []string {
	if len(items) <= 5 {
		return items
	}
	return append(items[:5:5], fmt.Sprintf("and %d more", len(items)-5))
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
