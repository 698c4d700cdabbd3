package audit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Selection is what one audit asks for beside the snapshot.
type Selection struct {
	// Profiles are the -p names: empty for the default selection
	// (baseline plus every detected profile), "all" for every profile.
	Profiles []string
	// Phase defaults to PhaseOperate.
	Phase  Phase
	Config Config
	// Source is copied into the report; an empty URL or a zero
	// CollectedAt is taken from the snapshot.
	Source ReportSource
	Tool   Tool
	// Today decides which acceptances have expired; zero is the day the
	// snapshot was collected.
	Today Date
	// Previous, when set, is the report of an earlier run to compare with.
	Previous *Report
}

// SelectAll is the -p value that selects every profile.
const SelectAll = "all"

// baselineProfile is the built-in Rego profile every default selection
// holds: no document may take its name.
const baselineProfile = "baseline"

// Input is the input document the policies see for snap and sel (see
// docs/policy-authoring.md), exactly as Evaluate builds it: for tools that
// evaluate the same policies elsewhere, such as the benchmark against
// opa eval.
func (e *Engine) Input(snap *halo.Snapshot, sel Selection) (ast.Value, error) {
	if snap == nil {
		return nil, &UsageError{Message: "no snapshot to audit"}
	}
	input, _, err := e.input(snap, sel)
	return input, err
}

// input validates sel and builds the input document once; args are the
// run's options it was built from.
func (e *Engine) input(snap *halo.Snapshot, sel Selection) (ast.Value, inputArgs, error) {
	if err := e.wait(); err != nil {
		return nil, inputArgs{}, err
	}
	phase, err := parsePhase(sel.Phase)
	if err != nil {
		return nil, inputArgs{}, err
	}
	explicit, err := e.resolveProfiles(sel.Profiles)
	if err != nil {
		return nil, inputArgs{}, err
	}
	if err := e.ValidateConfig(sel.Config); err != nil {
		return nil, inputArgs{}, err
	}
	args := inputArgs{phase: phase, explicit: explicit, config: sel.Config, profiles: e.profileNames(), keywords: e.keywords}
	return newInputBuilder().rankingWith(e.vocab).build(snap, args), args, nil
}

// Evaluate audits snap: one query over the whole snapshot, then every
// result is validated and joined with its check's METADATA. A bad
// selection is a *UsageError, a bad config a *ConfigError, a policy
// breaking the result contract an *EngineError.
func (e *Engine) Evaluate(ctx context.Context, snap *halo.Snapshot, sel Selection) (*Report, error) {
	if snap == nil {
		return nil, &UsageError{Message: "no snapshot to audit"}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	input, args, err := e.input(snap, sel)
	if err != nil {
		return nil, err
	}
	selected, raw, err := e.evalResults(ctx, input, snap.Source.CollectedAt)
	if err != nil {
		return nil, err
	}
	if err := e.checkSelected(selected, args.explicit); err != nil {
		return nil, err
	}
	results, err := e.decodeResults(raw, selected)
	if err != nil {
		return nil, err
	}
	results = append(results, e.missingResults(results, selected)...)
	shortenLongNames(results, snap)
	sortResults(results)

	rep := &Report{
		SchemaVersion:    ReportSchemaVersion,
		Tool:             sel.Tool,
		Source:           reportSource(sel.Source, snap),
		Phase:            args.phase,
		Profiles:         selected,
		Results:          results,
		CollectionErrors: e.collectionErrors(snap.CollectionErrors, selected, results),
		Notices:          noticesOf(snap.Notices),
		Catalog:          e.catalogOf(selected),
	}
	today := sel.Today
	if today.IsZero() {
		today = Day(rep.Source.CollectedAt)
	}
	more := applyAcceptances(results, sel.Config.Accept, today, sel.Config.origin.file)
	more = append(more, placeholderNotices(sel.Config.Accept, sel.Config.origin.file)...)
	if p := sel.Previous; p != nil {
		prev := p.Source
		rep.Previous = &prev
		rep.Fixed = compare(results, p)
		if prev.URL != rep.Source.URL {
			more = append(more, Notice{Kind: NoticePreviousInstance, Endpoint: prev.URL,
				Message: fmt.Sprintf("the previous report is of another instance (%s, this one is %s): compared all the same", prev.URL, rep.Source.URL)})
		}
	}
	if len(more) > 0 {
		rep.Notices = append(rep.Notices, more...)
		slices.SortStableFunc(rep.Notices, CompareNotices)
	}
	rep.Summary = summarize(results)
	return rep, nil
}

func parsePhase(p Phase) (Phase, error) {
	switch p {
	case "":
		return PhaseOperate, nil
	case PhaseOperate, PhaseSetup:
		return p, nil
	}
	return "", &UsageError{Message: fmt.Sprintf("unknown phase %q (known: operate, setup)", p)}
}

// resolveProfiles turns -p names into the input's explicit list: sorted,
// without duplicates, "all" expanded; empty for the default selection.
func (e *Engine) resolveProfiles(names []string) ([]string, error) {
	set := map[string]bool{}
	var unknown []string
	for _, n := range names {
		switch {
		case n == SelectAll:
			for _, p := range e.profiles {
				set[p.Name] = true
			}
		case e.byName[n] != nil:
			set[n] = true
		default:
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return nil, &UsageError{Message: fmt.Sprintf("unknown profile %s (%s)", joinQuoted(unknown), e.knownProfiles(unknown[0], "; or all"))}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// knownProfiles says which profile names exist: the nearest to name, and
// where to see the rest (the catalog is too long to print in an error).
func (e *Engine) knownProfiles(name, suffix string) string {
	near := didYouMean(name, e.profileNames())
	if near != "" {
		near = strings.TrimSuffix(strings.TrimPrefix(near, " ("), ")") + "; "
	}
	return fmt.Sprintf("%shalolint profiles lists the %d known ones%s", near, len(e.profiles), suffix)
}

// evalMain runs the one aggregate query and returns main.selected as
// strings and main.results as the evaluator's own value (a set, or an
// array). Results are read from the ast values directly: converting every
// result to Go maps first (OPA's default) costs more than reading it.
//
// The evaluation clock is pinned to the collection time, so that even a
// time builtin that reads it (time.now_ns is refused, but OPA may add
// others) gives the same report for the same snapshot.
func (e *Engine) evalMain(ctx context.Context, input ast.Value, at time.Time) ([]string, ast.Value, error) {
	if at.IsZero() {
		at = time.Unix(0, 0)
	}
	rs, err := e.main.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(at), rego.EvalGenerateJSON(rawValue))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("evaluate policies: %w", ctx.Err())
		}
		return nil, nil, &EngineError{Message: "evaluate policies", Err: err}
	}
	if len(rs) == 0 {
		return nil, nil, engineErrorf("data.halolint.main.selected or data.halolint.main.results is undefined")
	}
	b := rs[0].Bindings
	selected, err := stringList(jsonOf(b["selected"]))
	if err != nil {
		return nil, nil, engineErrorf("data.halolint.main.selected: %v", err)
	}
	raw, _ := b["results"].(ast.Value)
	switch raw.(type) {
	case ast.Set, *ast.Array:
	default:
		return nil, nil, engineErrorf("data.halolint.main.results must be a set of objects, not %s", jsonKind(jsonOf(raw)))
	}
	return selected, raw, nil
}

// evalResults evaluates main.selected, then the results of the selection
// as several queries at once, spread over the cores: each part of a Rego
// profile that splits its checks into parts (the baseline, whose
// tenant-wide checks are most of an evaluation), and every other profile
// together. A selection that is one such query is the one aggregate query
// of evalMain.
func (e *Engine) evalResults(ctx context.Context, input ast.Value, at time.Time) ([]string, ast.Value, error) {
	if at.IsZero() {
		at = time.Unix(0, 0)
	}
	rs, err := e.selected.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(at), rego.EvalGenerateJSON(rawValue))
	if err != nil || len(rs) == 0 {
		return e.evalMain(ctx, input, at) // which says what is wrong
	}
	selected, err := stringList(jsonOf(rs[0].Bindings["selected"]))
	if err != nil {
		return e.evalMain(ctx, input, at)
	}
	queries := e.resultQueries(selected)
	if len(queries) < 2 || !e.splits {
		return e.evalMain(ctx, input, at)
	}
	sets := make([]ast.Set, len(queries))
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() { sets[i], errs[i] = e.evalQuery(ctx, input, at, q) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		if ctx.Err() != nil {
			return nil, nil, fmt.Errorf("evaluate policies: %w", ctx.Err())
		}
		return nil, nil, err
	}
	all := sets[0]
	for _, s := range sets[1:] {
		all = all.Union(s)
	}
	return selected, all, nil
}

// resultQueries splits the results of the selected profiles into queries
// that may run at once: one per part of a profile with parts, and the
// other profiles dealt in turn into one query per core (on a small
// tenant, the documents are most of the evaluation).
func (e *Engine) resultQueries(selected []string) []string {
	var queries []string
	rest := make([][]*ast.Term, runtime.GOMAXPROCS(0))
	n := 0
	for _, name := range selected {
		parts := e.parts[name]
		if len(parts) == 0 {
			rest[n%len(rest)] = append(rest[n%len(rest)], ast.StringTerm(name))
			n++
			continue
		}
		for _, part := range parts {
			queries = append(queries, fmt.Sprintf("results = data.halolint.main.results_of_part(%s, %s)", ast.StringTerm(name), ast.StringTerm(part)))
		}
	}
	for _, names := range rest {
		if len(names) > 0 {
			queries = append(queries, "results = data.halolint.main.results_of("+ast.ArrayTerm(names...).String()+")")
		}
	}
	return queries
}

// evalQuery evaluates one query of resultQueries.
func (e *Engine) evalQuery(ctx context.Context, input ast.Value, at time.Time, query string) (ast.Set, error) {
	pq, err := e.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(at), rego.EvalGenerateJSON(rawValue))
	if err != nil {
		return nil, &EngineError{Message: "evaluate policies", Err: err}
	}
	if len(rs) == 0 {
		return nil, engineErrorf("%s: undefined", strings.TrimPrefix(query, "results = "))
	}
	set, ok := rs[0].Bindings["results"].(ast.Set)
	if !ok {
		return nil, engineErrorf("%s must be a set of objects", strings.TrimPrefix(query, "results = "))
	}
	return set, nil
}

// rawValue is the rego.EvalGenerateJSON that keeps a binding as its
// ast.Value.
func rawValue(t *ast.Term, _ *rego.EvalContext) (any, error) { return t.Value, nil }

// jsonOf converts a value the engine reads as ast (a binding of
// rawValue, nil for undefined) to its JSON form, sets sorted, as OPA
// would have returned it.
func jsonOf(v any) any {
	x, ok := v.(ast.Value)
	if !ok || x == nil {
		return v
	}
	out, err := ast.JSONWithOpt(x, ast.JSONOpt{SortSets: true})
	if err != nil {
		return fmt.Sprintf("%v", x)
	}
	return out
}

// checkSelected makes sure main.selected names known profiles, and exactly
// the explicit ones when -p was given: a policy bug there would silently
// audit the wrong profiles.
func (e *Engine) checkSelected(selected, explicit []string) error {
	for _, n := range selected {
		if e.byName[n] == nil {
			return engineErrorf("data.halolint.main.selected names unknown profile %q", n)
		}
	}
	if len(explicit) > 0 && fmt.Sprint(selected) != fmt.Sprint(explicit) {
		return engineErrorf("data.halolint.main.selected is %v, but the selection was %v", selected, explicit)
	}
	return nil
}

func reportSource(src ReportSource, snap *halo.Snapshot) ReportSource {
	if src.URL == "" {
		src.URL = snap.Source.URL
	}
	if src.CollectedAt.IsZero() {
		src.CollectedAt = snap.Source.CollectedAt
	}
	if src.CredentialsSentTo == "" {
		src.CredentialsSentTo = snap.Source.CredentialsSentTo
	}
	return src
}

// catalogOf returns the checks of the selected profiles, sorted by profile
// then ID.
func (e *Engine) catalogOf(selected []string) []Check {
	var out []Check
	for _, name := range selected {
		for _, c := range e.byName[name].Checks {
			c.RelatedResources = append([]string(nil), c.RelatedResources...)
			out = append(out, c)
		}
	}
	return out
}
