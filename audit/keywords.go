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
	pq, err := prepare(ctx, e.compiler, keywordsQuery)
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

// DiscoveryKeywords returns data.halolint.main.discovery_keywords for cfg:
// the profiles' keywords and the names the config gives. The live
// collection reads the details of the roles and agents whose names contain
// one, and no others, to spare the API's request budget.
func (e *Engine) DiscoveryKeywords(ctx context.Context, cfg Config) ([]string, error) {
	if err := e.ValidateConfig(cfg); err != nil {
		return nil, err
	}
	input := newInputBuilder().build(&halo.Snapshot{}, e.emptyInput(cfg))
	rs, err := e.discovery.Eval(ctx, rego.EvalParsedInput(input), rego.EvalSortSets(true))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("discovery keywords: %w", ctx.Err())
		}
		return nil, &EngineError{Message: "evaluate data.halolint.main.discovery_keywords", Err: err}
	}
	if len(rs) == 0 {
		return nil, engineErrorf("data.halolint.main.discovery_keywords is undefined")
	}
	kws, err := stringList(rs[0].Bindings["keywords"])
	if err != nil {
		return nil, engineErrorf("data.halolint.main.discovery_keywords %v", err)
	}
	return kws, nil
}
