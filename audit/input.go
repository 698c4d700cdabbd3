package audit

import (
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/vocabulary"
	"github.com/open-policy-agent/opa/v1/ast"
)

// inputBuilder converts a snapshot into the input document of
// docs/policy-authoring.md directly as ast terms. Going through JSON or
// ast.InterfaceToValue would cost several times more on a large tenant;
// building the terms by hand also pins the document's shape here, in one
// place, independent of the snapshot's JSON tags.
//
// Keys, claim codes and claim values repeat across thousands of objects,
// so their terms are made once and shared: terms in an input document are
// never mutated by the evaluator. The document's keys are package-level
// terms (see key); codes and values are interned per build.
type inputBuilder struct {
	shared map[string]sharedTerm
	// stamp[i] is the claims call that last saw the shared term of index
	// i, to find duplicate codes without a map per call.
	stamp []uint32
	call  uint32
	// pairs is reused by claims: ast.NewObject copies what it needs.
	pairs [][2]*ast.Term
	// ranks decides between the values of a claim code listed twice.
	ranks *vocabulary.Vocabulary
}

type sharedTerm struct {
	term  *ast.Term
	index int
}

func newInputBuilder() *inputBuilder {
	return &inputBuilder{shared: make(map[string]sharedTerm, 512)}
}

// rankingWith sets the vocabulary whose ranks decide between the values
// of a claim code listed twice; without one every code ranks as
// uncatalogued, as the policies then rank it.
func (b *inputBuilder) rankingWith(v *vocabulary.Vocabulary) *inputBuilder {
	b.ranks = v
	return b
}

// intern returns the shared term of a string that repeats.
func (b *inputBuilder) intern(v string) sharedTerm {
	if t, ok := b.shared[v]; ok {
		return t
	}
	t := sharedTerm{term: ast.StringTerm(v), index: len(b.stamp)}
	b.shared[v] = t
	b.stamp = append(b.stamp, 0)
	return t
}

// s returns a shared string term, for strings that repeat.
func (b *inputBuilder) s(v string) *ast.Term { return b.intern(v).term }

// str returns a fresh string term, for strings that rarely repeat (ids,
// names): caching them would only grow the map.
func str(v string) *ast.Term { return ast.StringTerm(v) }

func boolean(v bool) *ast.Term { return ast.InternedTerm(v) }

func integer(v int) *ast.Term { return ast.InternedTerm(v) }

// item is one key and value of an input object; keys repeat on every
// object, so their terms are shared like other repeating strings.
func (b *inputBuilder) item(k string, value *ast.Term) [2]*ast.Term {
	return [2]*ast.Term{b.s(k), value}
}

// inputArgs are the run's options that the input carries beside the
// snapshot.
type inputArgs struct {
	phase Phase
	// explicit is the -p selection, empty for the default selection.
	explicit []string
	config   Config
	// profiles lists every profile, so that config.profiles holds an
	// entry for each and policies need no guard.
	profiles []string
	// keywords are the catalog's keywords the index searches names for
	// (indexKeywords).
	keywords []string
}

func (b *inputBuilder) build(snap *halo.Snapshot, args inputArgs) ast.Value {
	// The roles are most of the input (seventy claims each): a second
	// builder makes the first half of them, then the index, on the other
	// core, while this one makes the rest of the roles, the agents and the
	// applications.
	half := len(snap.Roles) / 2
	type firstPart struct {
		roles []*ast.Term
		index *ast.Term
	}
	other := make(chan firstPart, 1)
	go func() {
		ob := newInputBuilder().rankingWith(b.ranks)
		roles := ob.roleTerms(snap.Roles[:half])
		other <- firstPart{roles, ob.index(snap, args.keywords)}
	}()
	rest := b.roleTerms(snap.Roles[half:])
	agents := b.agents(snap.Agents)
	applications := b.applications(snap.Applications)
	first := <-other
	roles := ast.ArrayTerm(append(first.roles, rest...)...)
	return ast.NewObject(
		b.item("phase", b.s(string(args.phase))),
		b.item("collected_at", timeTerm(snap.Source.CollectedAt)),
		b.item("profiles", b.strings(args.explicit)),
		b.item("auditor", ast.ObjectTerm(
			b.item("client_id", str(snap.Auditor.ClientID)),
			b.item("application_id", str(snap.Auditor.ApplicationID)),
		)),
		b.item("config", b.config(args.config, args.profiles)),
		b.item("roles", roles),
		b.item("agents", agents),
		b.item("applications", applications),
		b.item("categories", b.categories(snap.Categories)),
		b.item("control", b.control(snap.Control)),
		b.item("collection_errors", b.collectionErrors(snap.CollectionErrors)),
		b.item("index", first.index),
	)
}

// timeTerm writes the time as RFC 3339 in UTC, null when unknown.
func timeTerm(t time.Time) *ast.Term {
	if t.IsZero() {
		return ast.NullTerm()
	}
	return str(t.UTC().Format(time.RFC3339))
}

func (b *inputBuilder) strings(vs []string) *ast.Term {
	terms := make([]*ast.Term, len(vs))
	for i, v := range vs {
		terms[i] = b.s(v)
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) config(cfg Config, profiles []string) *ast.Term {
	items := make([][2]*ast.Term, len(profiles))
	for i, name := range profiles {
		n := cfg.Profiles[name]
		items[i] = [2]*ast.Term{b.s(name), ast.ObjectTerm(
			b.item("application", str(n.Application)),
			b.item("role", str(n.Role)),
			b.item("agent", str(n.Agent)),
			b.item("category", str(n.Category)),
		)}
	}
	return ast.ObjectTerm(b.item("profiles", ast.ObjectTerm(items...)))
}

// claims turns the claims list into an object from code to value. A code
// listed twice keeps its most permissive value, ranked as the policies
// rank values (vocabulary.ClaimRank): a server that lists SA "true" and
// then SA "false" must not make an administrator pass, whichever order it
// uses. Of equal ranks the first is kept.
//
// ast.NewObject builds an object from pairs in one allocation but does not
// merge duplicate keys, so it is used only when the codes are unique (the
// usual case). Codes are interned, so a duplicate is found by stamping the
// code's index rather than with a map per call.
func (b *inputBuilder) claims(cs []halo.Claim) *ast.Term {
	b.call++
	unique := true
	pairs := b.pairs[:0]
	for _, c := range cs {
		code := b.intern(c.Type)
		if b.stamp[code.index] == b.call {
			unique = false
		}
		b.stamp[code.index] = b.call
		pairs = append(pairs, [2]*ast.Term{code.term, b.s(c.Value)})
	}
	b.pairs = pairs
	if unique {
		return ast.ObjectTerm(pairs...)
	}
	best := make(map[string]int, len(cs)) // code → index of its best value
	var order []string
	for i, c := range cs {
		j, seen := best[c.Type]
		switch {
		case !seen:
			best[c.Type] = i
			order = append(order, c.Type)
		case b.ranks.ClaimRank(c.Type, c.Value) > b.ranks.ClaimRank(c.Type, cs[j].Value):
			best[c.Type] = i
		}
	}
	obj := ast.NewObjectWithCapacity(len(order))
	for _, code := range order {
		p := pairs[best[code]]
		obj.Insert(p[0], p[1])
	}
	return ast.NewTerm(obj)
}

func (b *inputBuilder) roleTerms(roles []halo.Role) []*ast.Term {
	terms := make([]*ast.Term, len(roles))
	for i, r := range roles {
		deps := make([]*ast.Term, len(r.Departments))
		for j, d := range r.Departments {
			deps[j] = ast.ObjectTerm(
				b.item("department_id", integer(d.DepartmentID)),
				b.item("department_name", b.s(d.DepartmentName)),
				b.item("membershiplevel", integer(d.MembershipLevel)),
			)
		}
		terms[i] = ast.ObjectTerm(
			b.item("id", str(r.ID)),
			b.item("name", str(r.Name)),
			b.item("is_integration", boolean(r.IsIntegration)),
			b.item("detailed", boolean(r.Detailed)),
			b.item("claims", b.claims(r.Claims)),
			b.item("departments", ast.ArrayTerm(deps...)),
		)
	}
	return terms
}

func (b *inputBuilder) agents(agents []halo.Agent) *ast.Term {
	terms := make([]*ast.Term, len(agents))
	for i, a := range agents {
		refs := make([]*ast.Term, len(a.Roles))
		for j, r := range a.Roles {
			refs[j] = ast.ObjectTerm(
				b.item("id", str(r.ID)),
				b.item("name", str(r.Name)),
			)
		}
		terms[i] = ast.ObjectTerm(
			b.item("id", integer(a.ID)),
			b.item("name", str(a.Name)),
			b.item("isdisabled", boolean(a.IsDisabled)),
			b.item("isapiagent", boolean(a.IsAPIAgent)),
			b.item("is_admin", boolean(a.IsAdmin)),
			b.item("roles", ast.ArrayTerm(refs...)),
			b.item("detailed", boolean(a.Detailed)),
			b.item("claims", b.claims(a.Claims)),
		)
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) applications(apps []halo.Application) *ast.Term {
	terms := make([]*ast.Term, len(apps))
	for i, a := range apps {
		terms[i] = ast.ObjectTerm(
			b.item("id", str(a.ID)),
			b.item("client_id", str(a.ClientID)),
			b.item("display_name", str(a.DisplayName)),
			b.item("inactive", boolean(a.Inactive)),
			b.item("is_system", boolean(a.IsSystem)),
			b.item("is_auditor", boolean(a.IsAuditor)),
			b.item("grant_type", b.s(a.GrantType)),
			b.item("credential_type", integer(a.CredentialType)),
			b.item("loginas_agent_id", integer(a.LoginAsAgentID)),
			b.item("loginas_agent_name", str(a.LoginAsAgentName)),
			b.item("detailed", boolean(a.Detailed)),
			b.item("scopes", b.strings(a.Scopes)),
		)
	}
	return ast.ArrayTerm(terms...)
}

func (b *inputBuilder) categories(cats []halo.Category) *ast.Term {
	terms := make([]*ast.Term, len(cats))
	for i, c := range cats {
		terms[i] = ast.ObjectTerm(
			b.item("id", integer(c.ID)),
			b.item("value", str(c.Value)),
			b.item("category_name", str(c.CategoryName)),
			b.item("type_id", integer(c.TypeID)),
		)
	}
	return ast.ArrayTerm(terms...)
}

// control is null when /api/Control could not be read; each field is
// null when the server did not send it.
func (b *inputBuilder) control(c *halo.Control) *ast.Term {
	if c == nil {
		return ast.NullTerm()
	}
	optBool := func(v *bool) *ast.Term {
		if v == nil {
			return ast.NullTerm()
		}
		return boolean(*v)
	}
	optStr := func(v *string) *ast.Term {
		if v == nil {
			return ast.NullTerm()
		}
		return str(*v)
	}
	return ast.ObjectTerm(
		b.item("force_accounts_id", optBool(c.ForceAccountsID)),
		b.item("category_1_label", optStr(c.Category1Label)),
		b.item("category_2_label", optStr(c.Category2Label)),
		b.item("category_3_label", optStr(c.Category3Label)),
		b.item("category_4_label", optStr(c.Category4Label)),
	)
}

func (b *inputBuilder) collectionErrors(errs []halo.CollectionError) *ast.Term {
	terms := make([]*ast.Term, len(errs))
	for i, e := range errs {
		terms[i] = ast.ObjectTerm(
			b.item("resource", b.s(string(e.Resource))),
			b.item("object_id", str(e.ObjectID)),
			b.item("endpoint", str(e.Endpoint)),
			b.item("status", integer(e.Status)),
			b.item("message", str(e.Message)),
		)
	}
	return ast.ArrayTerm(terms...)
}
