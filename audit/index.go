package audit

import (
	"strconv"
	"strings"

	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The input's "index" holds the look-ups every profile makes of the
// tenant, built once in Go: objects by ID, by name, and the objects whose
// names contain each profile keyword. Computed in Rego they were most of
// an evaluation's time (a scan of every role per profile keyword), and
// grew with the catalog. The Rego library keeps the same look-ups as its
// reference for an input without an index (a policy test's hand-written
// tenant); TestIndexAgreesWithTheRegoLibrary holds the two to one answer.
//
// Every value is a position in the input's lists (roles, agents,
// applications), so the index adds no copy of an object:
//
//	roles_by_id[id], agents_by_id["<id>"]: the first object of that ID
//	roles_by_name[name], agents_by_name[name], applications_by_name[name]:
//	    every object of that name, trimmed and lower-cased, in list order
//	keywords.roles[kw], keywords.agents[kw], keywords.applications[kw]:
//	    every object whose name so normalised contains kw, in list order
//	    (an empty list for a keyword no name contains)
//
// Keywords are the catalog's, lower-cased as the library lowers them; a
// search for another word falls back to the library's scan.

// normName is the library's text.norm of a name: trimmed, lower-cased.
func normName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// indexKeywords are the keywords of every profile as the library searches
// for them: lower-cased, blank ones left out, sorted and unique.
func indexKeywords(profiles []Profile) []string {
	set := map[string]bool{}
	for _, p := range profiles {
		for _, k := range p.Keywords {
			if strings.TrimSpace(k) != "" {
				set[strings.ToLower(k)] = true
			}
		}
	}
	return sortedKeys(set)
}

// nameIndex builds the by-name and by-keyword look-ups of one list from
// its objects' names.
type nameIndex struct {
	byName    map[string][]int
	byKeyword map[string][]int
}

func newNameIndex(names []string, keywords []string) nameIndex {
	ix := nameIndex{byName: make(map[string][]int, len(names)), byKeyword: make(map[string][]int, len(keywords))}
	for _, k := range keywords {
		ix.byKeyword[k] = []int{} // a keyword that matches nothing is an answer too
	}
	for i, raw := range names {
		n := normName(raw)
		ix.byName[n] = append(ix.byName[n], i)
		for _, k := range keywords {
			if strings.Contains(n, k) {
				ix.byKeyword[k] = append(ix.byKeyword[k], i)
			}
		}
	}
	return ix
}

func (b *inputBuilder) index(snap *halo.Snapshot, keywords []string) *ast.Term {
	roleNames := make([]string, len(snap.Roles))
	roleIDs := make(map[string]int, len(snap.Roles))
	for i, r := range snap.Roles {
		roleNames[i] = r.Name
		if _, dup := roleIDs[r.ID]; !dup {
			roleIDs[r.ID] = i
		}
	}
	agentNames := make([]string, len(snap.Agents))
	agentIDs := make(map[string]int, len(snap.Agents))
	for i, a := range snap.Agents {
		agentNames[i] = a.Name
		id := strconv.Itoa(a.ID)
		if _, dup := agentIDs[id]; !dup {
			agentIDs[id] = i
		}
	}
	appNames := make([]string, len(snap.Applications))
	for i, a := range snap.Applications {
		appNames[i] = a.DisplayName
	}
	roles := newNameIndex(roleNames, keywords)
	agents := newNameIndex(agentNames, keywords)
	apps := newNameIndex(appNames, keywords)
	return ast.ObjectTerm(
		b.item("roles_by_id", positionObject(roleIDs)),
		b.item("roles_by_name", positionsObject(roles.byName)),
		b.item("agents_by_id", positionObject(agentIDs)),
		b.item("agents_by_name", positionsObject(agents.byName)),
		b.item("applications_by_name", positionsObject(apps.byName)),
		b.item("keywords", ast.ObjectTerm(
			b.item("roles", positionsObject(roles.byKeyword)),
			b.item("agents", positionsObject(agents.byKeyword)),
			b.item("applications", positionsObject(apps.byKeyword)),
		)),
	)
}

// positionObject and positionsObject write a look-up with its keys
// sorted, so that the input (and opa eval's copy of it) is the same bytes
// for the same snapshot.
func positionObject(m map[string]int) *ast.Term {
	keys := sortedKeys(m)
	items := make([][2]*ast.Term, len(keys))
	for i, k := range keys {
		items[i] = [2]*ast.Term{ast.StringTerm(k), integer(m[k])}
	}
	return ast.ObjectTerm(items...)
}

func positionsObject(m map[string][]int) *ast.Term {
	keys := sortedKeys(m)
	items := make([][2]*ast.Term, len(keys))
	for i, k := range keys {
		ps := m[k]
		terms := make([]*ast.Term, len(ps))
		for j, p := range ps {
			terms[j] = integer(p)
		}
		items[i] = [2]*ast.Term{ast.StringTerm(k), ast.ArrayTerm(terms...)}
	}
	return ast.ObjectTerm(items...)
}
