package audit

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Options says which policies an Engine runs.
type Options struct {
	// Builtin holds the embedded policies (policies.FS()); nil holds none,
	// which tests use with PolicyDirs alone. Its _test.rego files are
	// skipped.
	Builtin fs.FS
	// PolicyDirs are the --policy folders: every .rego file under each,
	// recursively, except _test.rego files, is loaded beside Builtin.
	PolicyDirs []string
}

// Engine holds compiled policies and their catalog. It is immutable once
// built, so one Engine evaluates any number of snapshots, concurrently.
type Engine struct {
	compiler  *ast.Compiler
	main      rego.PreparedEvalQuery
	discovery rego.PreparedEvalQuery

	profiles []Profile // sorted by name, checks sorted by ID
	byName   map[string]*Profile
	checks   map[string]*Check
}

// The entry points of the contract (docs/policy-authoring.md).
const (
	mainQuery      = "selected = data.halolint.main.selected; results = data.halolint.main.results"
	discoveryQuery = "keywords = data.halolint.main.discovery_keywords"
	keywordsQuery  = "keywords = {name: kw | some name; kw := data.halolint.profiles[name].keywords}"
)

// New loads, compiles and catalogues the policies once. A policy that does
// not parse or compile, calls a refused builtin, or carries bad METADATA
// gives a *PolicyError.
func New(ctx context.Context, opts Options) (*Engine, error) {
	caps, removed := policyCapabilities()
	srcs, err := readBuiltin(opts.Builtin, false)
	if err != nil {
		return nil, err
	}
	custom, err := readDirs(opts.PolicyDirs, false)
	if err != nil {
		return nil, err
	}
	srcs = append(srcs, custom...)

	modules, err := parse(srcs, caps, removed)
	if err != nil {
		return nil, err
	}
	compiler := newCompiler(caps)
	if compiler.Compile(modules); compiler.Failed() {
		return nil, &PolicyError{Problems: problemsOf(compiler.Errors, "", removed)}
	}
	if err := requireMain(compiler); err != nil {
		return nil, err
	}

	profiles, err := buildCatalog(compiler, builtinPackages(srcs, modules))
	if err != nil {
		return nil, err
	}
	e := &Engine{compiler: compiler}
	e.setProfiles(profiles)

	if e.main, err = prepare(ctx, compiler, mainQuery); err != nil {
		return nil, err
	}
	if e.discovery, err = prepare(ctx, compiler, discoveryQuery); err != nil {
		return nil, err
	}
	if err := e.readKeywords(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

func newCompiler(caps *ast.Capabilities) *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(caps).
		WithDefaultRegoVersion(ast.RegoV1)
}

// requireMain refuses a policy set without the entry point: evaluating it
// would give an empty report that looks like nothing to check.
func requireMain(c *ast.Compiler) error {
	for _, rule := range []string{"selected", "results"} {
		ref := ast.MustParseRef("data.halolint.main." + rule)
		if len(c.GetRulesExact(ref)) == 0 {
			return policyErrorf("", 0, "no rule %s: package halolint.main must define selected and results (docs/policy-authoring.md)", ref)
		}
	}
	return nil
}

// builtinPackages lists the packages (as data refs) defined by a built-in
// module.
func builtinPackages(srcs []source, modules map[string]*ast.Module) map[string]bool {
	out := map[string]bool{}
	for _, s := range srcs {
		if m := modules[s.key]; m != nil && s.builtin {
			out[m.Package.Path.String()] = true
		}
	}
	return out
}

func prepare(ctx context.Context, c *ast.Compiler, query string) (rego.PreparedEvalQuery, error) {
	pq, err := rego.New(rego.Compiler(c), rego.Query(query)).PrepareForEval(ctx)
	if err != nil {
		return pq, &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("prepare query %q: %v", query, err)}}}
	}
	return pq, nil
}

func (e *Engine) setProfiles(profiles []Profile) {
	e.profiles = profiles
	e.byName = make(map[string]*Profile, len(profiles))
	e.checks = map[string]*Check{}
	for i := range e.profiles {
		p := &e.profiles[i]
		e.byName[p.Name] = p
		for j := range p.Checks {
			e.checks[p.Checks[j].ID] = &p.Checks[j]
		}
	}
}

// Profiles returns every profile, sorted by name, each with its checks
// sorted by ID. The slice is a copy; callers may keep or change it.
func (e *Engine) Profiles() []Profile {
	out := make([]Profile, len(e.profiles))
	for i, p := range e.profiles {
		out[i] = p.clone()
	}
	return out
}

// Profile returns the named profile and whether it exists.
func (e *Engine) Profile(name string) (Profile, bool) {
	p, ok := e.byName[name]
	if !ok {
		return Profile{}, false
	}
	return p.clone(), true
}

// profileNames lists every profile name, sorted.
func (e *Engine) profileNames() []string {
	out := make([]string, len(e.profiles))
	for i, p := range e.profiles {
		out[i] = p.Name
	}
	return out
}

func (p Profile) clone() Profile {
	p.Keywords = append([]string(nil), p.Keywords...)
	checks := make([]Check, len(p.Checks))
	for i, c := range p.Checks {
		c.RelatedResources = append([]string(nil), c.RelatedResources...)
		checks[i] = c
	}
	p.Checks = checks
	return p
}
