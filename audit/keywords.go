package audit

import (
	"context"
	"fmt"
	"strings"

	"github.com/halolint/halolint/halo"
	"github.com/open-policy-agent/opa/v1/rego"
)

// emptyInput is the input document of an empty tenant, for queries that
// need no snapshot but may read input (every key must be present).
func (e *Engine) emptyInput(cfg Config) inputArgs {
	return inputArgs{phase: PhaseOperate, config: cfg, profiles: e.profileNames()}
}

// readKeywords reads each Rego profile's keywords rule, once, when the
// policies are compiled: they are constants of the policies. They are kept
// beside the catalog (regoKeywords) rather than written into it, as the
// catalog may be read meanwhile (see New).
func (e *Engine) readKeywords(ctx context.Context) (map[string][]string, error) {
	pq, err := e.prepare(ctx, keywordsQuery)
	if err != nil {
		return nil, err
	}
	input := newInputBuilder().build(&halo.Snapshot{}, e.emptyInput(Config{}))
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalSortSets(true))
	if err != nil {
		return nil, &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("read profile keywords: %v", err)}}}
	}
	out := map[string][]string{}
	if len(rs) == 0 {
		return out, nil
	}
	byProfile, _ := rs[0].Bindings["keywords"].(map[string]any)
	for pkg, v := range byProfile {
		name, ok := e.profileNameOfSegment(pkg)
		if !ok {
			continue
		}
		kws, err := stringList(v)
		if err != nil {
			return nil, &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("data.halolint.profiles.%s.keywords %v", pkg, err)}}}
		}
		out[name] = kws
	}
	return out, nil
}

// keywordsOf is a profile's keywords: its Rego rule's, else its
// document's. Only once the compile is done.
func (e *Engine) keywordsOf(p *Profile) []string {
	if kws, ok := e.regoKeywords[p.Name]; ok {
		return kws
	}
	return p.Keywords
}

// profileNameOfSegment maps a package segment ("gradient_alerts") to the
// profile it names, if the catalog has it.
func (e *Engine) profileNameOfSegment(seg string) (string, bool) {
	name := strings.ReplaceAll(seg, "_", "-")
	_, ok := e.byName[name]
	return name, ok
}

// Plan is what a live collection must read for cfg: beside the lists and
// every application's details, the details of the roles and agents whose
// names contain a profile's keyword or a name the config file gives. It
// comes from the compiled catalog alone, so that the collection reads
// exactly what the profiles can look at, and no more of the API's request
// budget.
func (e *Engine) Plan(cfg Config) (halo.Plan, error) {
	if err := e.wait(); err != nil {
		return halo.Plan{}, err
	}
	if err := e.ValidateConfig(cfg); err != nil {
		return halo.Plan{}, err
	}
	set := map[string]bool{}
	for i := range e.profiles {
		for _, k := range e.keywordsOf(&e.profiles[i]) {
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				set[k] = true
			}
		}
	}
	for _, names := range cfg.Profiles {
		for _, n := range []string{names.Application, names.Role, names.Agent, names.Category} {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				set[n] = true
			}
		}
	}
	return halo.Plan{Keywords: sortedKeys(set)}, nil
}
