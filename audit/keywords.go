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

// readKeywords fills each profile's Keywords from its package's keywords
// rule, once, at New: they are constants of the policies.
func (e *Engine) readKeywords(ctx context.Context) error {
	pq, err := e.prepare(ctx, keywordsQuery)
	if err != nil {
		return err
	}
	input := newInputBuilder().build(&halo.Snapshot{}, e.emptyInput(Config{}))
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalSortSets(true))
	if err != nil {
		return &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("read profile keywords: %v", err)}}}
	}
	if len(rs) == 0 {
		return nil
	}
	byProfile, _ := rs[0].Bindings["keywords"].(map[string]any)
	for pkg, v := range byProfile {
		name, ok := e.profileNameOfSegment(pkg)
		if !ok {
			continue
		}
		kws, err := stringList(v)
		if err != nil {
			return &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("data.halolint.profiles.%s.keywords %v", pkg, err)}}}
		}
		e.byName[name].Keywords = kws
	}
	return nil
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
	for _, p := range e.profiles {
		for _, k := range p.Keywords {
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
