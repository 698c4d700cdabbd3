package audit

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/halolint/halolint/internal/vocabulary"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Options says which policies an Engine runs.
type Options struct {
	// Builtin holds the embedded policies (policies.FS()); nil holds none,
	// which tests use with PolicyDirs alone. Its _test.rego files are
	// skipped.
	Builtin fs.FS
	// PolicyDirs are the --policy folders: every .rego file under each,
	// recursively, except _test.rego files, and every profile document
	// (.yaml, .yml) is loaded beside Builtin.
	PolicyDirs []string
	// Access makes the engine answer Access too. Without it, the built-in
	// access view (package halolint.lib.access), which no audit reads, is
	// not compiled.
	Access bool
}

// Engine holds compiled policies and their catalog. It is immutable once
// its compile is done (New may leave it running; whatever needs it waits),
// so one Engine evaluates any number of snapshots, concurrently.
type Engine struct {
	compiler *ast.Compiler
	main     rego.PreparedEvalQuery
	selected rego.PreparedEvalQuery // main.selected alone
	sources  []source               // every module compiled
	// data is the vocabulary and the documents as the policies read them
	// (policyData), and store holds it for every query.
	data  map[string]any
	store storage.Store

	profiles []Profile // sorted by name, checks sorted by ID
	byName   map[string]*Profile
	checks   map[string]*Check
	// parts are, by profile name, the parts a Rego profile splits its
	// checks into (rules parts.<name>), sorted: evaluated one per core.
	parts map[string][]string
	// splits is true when halolint.main defines results_of and
	// results_of_part, through which the evaluation is split over the
	// cores (a policy set of tests' own may not).
	splits bool
	// regoKeywords are the Rego profiles' keywords, by profile name.
	regoKeywords map[string][]string
	// ready is closed once the fields above (compiler to regoKeywords)
	// and keywords are set: by New, or by the compile New left
	// running (see New), whose error is compileErr. The methods that use
	// them wait for it.
	ready      chan struct{}
	compileErr error
	// keywords are every profile's keywords as the input's index
	// searches names for them.
	keywords []string
	// vocab ranks claim values where the input is built (a code listed
	// twice); nil for an engine without the built-in vocabulary.
	vocab *vocabulary.Vocabulary
}

// The entry points of the contract (docs/policy-authoring.md).
const (
	mainQuery     = "selected = data.halolint.main.selected; results = data.halolint.main.results"
	selectedQuery = "selected = data.halolint.main.selected"
	keywordsQuery = "keywords = {name: kw | some name; kw := data.halolint.profiles[name].keywords}"
)

// New loads, compiles and catalogues the policies once. A policy that does
// not parse or compile, calls a refused builtin, or carries bad METADATA
// gives a *PolicyError.
//
// With the built-in policies alone, New returns once they are parsed and
// catalogued and the documents compiled (enough to check a selection and
// a config), and the Rego compile, started as soon as the parse is done,
// goes on on another core: a live audit's first requests are in flight
// meanwhile. The methods that evaluate wait for it. Policies from
// --policy folders are compiled before New returns, so that a mistake in
// them costs no request.
func New(ctx context.Context, opts Options) (*Engine, error) {
	caps, removed := policyCapabilities()
	read, err := readPolicies(opts, false)
	if err != nil {
		return nil, err
	}
	if !opts.Access {
		read.rego = withoutAccessView(read.rego)
	}
	// The Rego is parsed on every core first: the compile needs it all,
	// and the compile is the longest step. The documents become data,
	// which the compile does not need, so they are compiled on the other
	// core meanwhile. A document's error still comes before a Rego one,
	// as when they were compiled in turn.
	regoProfiles := regoProfileNames(read.rego)
	modules, err := parse(read.rego, caps, removed)
	docsDone := make(chan compiledDocuments, 1)
	go func() {
		pol, err := read.compileDocuments(regoProfiles)
		docsDone <- compiledDocuments{pol, err}
	}()
	if err != nil {
		return nil, firstError((<-docsDone).err, err)
	}
	if builtinOnly(read.rego) {
		return newCompilingInBackground(ctx, read.rego, modules, caps, removed, docsDone)
	}
	compiler, err := compileModules(read.rego, modules, caps, removed)
	docs := <-docsDone
	if err := firstError(docs.err, err); err != nil {
		return nil, err
	}
	profiles, err := buildCatalog(modules, compiler.GetAnnotationSet(), builtinPackages(read.rego, modules))
	if err != nil {
		return nil, err
	}
	e := newEngine(docs.pol, profiles)
	defer close(e.ready)
	if err := e.compiled(ctx, compiler); err != nil {
		return nil, err
	}
	return e, nil
}

// newCompilingInBackground is New for the built-in policies alone: their
// catalog is read from the parsed modules, and the compile goes on on
// another core once New returns. It starts right away, while the
// documents compile: it only needs the catalog read first, since the
// compiler rewrites the modules the catalog reads. Should the documents
// fail, the compile still runs to its end, unused.
func newCompilingInBackground(ctx context.Context, srcs []source, modules map[string]*ast.Module, caps *ast.Capabilities, removed map[string]bool, docsDone <-chan compiledDocuments) (*Engine, error) {
	annotations, err := annotationsOf(modules)
	var profiles []Profile
	if err == nil {
		profiles, err = buildCatalog(modules, annotations, builtinPackages(srcs, modules))
	}
	type result struct {
		compiler *ast.Compiler
		err      error
	}
	compiling := make(chan result, 1)
	if err == nil {
		go func() {
			c, err := compileModules(srcs, modules, caps, removed)
			compiling <- result{c, err}
		}()
	}
	docs := <-docsDone
	if err := firstError(docs.err, err); err != nil {
		return nil, err
	}
	e := newEngine(docs.pol, profiles)
	ctx = context.WithoutCancel(ctx) // the compile is the engine's, not the call's
	go func() {
		defer close(e.ready)
		r := <-compiling
		if r.err == nil {
			r.err = e.compiled(ctx, r.compiler)
		}
		e.compileErr = r.err
	}()
	return e, nil
}

// compiledDocuments is what compileDocuments gives, sent over a channel.
type compiledDocuments struct {
	pol policySet
	err error
}

func newEngine(pol policySet, regoProfiles []Profile) *Engine {
	e := &Engine{sources: pol.rego, vocab: pol.docs.vocab, data: pol.data, store: dataStore(pol.data), ready: make(chan struct{})}
	e.setProfiles(append(regoProfiles, pol.docs.profiles()...))
	return e
}

// firstError is the first of errs that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// compiled completes the engine with its compiled policies: the queries,
// the profiles' parts and keywords.
func (e *Engine) compiled(ctx context.Context, compiler *ast.Compiler) error {
	e.compiler = compiler
	e.parts = profileParts(compiler)
	e.splits = len(compiler.GetRulesExact(ast.MustParseRef("data.halolint.main.results_of"))) > 0 &&
		len(compiler.GetRulesExact(ast.MustParseRef("data.halolint.main.results_of_part"))) > 0
	var err error
	if e.main, err = e.prepare(ctx, mainQuery); err != nil {
		return err
	}
	if e.selected, err = e.prepare(ctx, selectedQuery); err != nil {
		return err
	}
	if e.regoKeywords, err = e.readKeywords(ctx); err != nil {
		return err
	}
	e.keywords = indexKeywords(e.catalogProfiles())
	return nil
}

// wait waits for the compile New may have left running, and says whether
// it failed.
func (e *Engine) wait() error {
	<-e.ready
	return e.compileErr
}

// annotationsOf is the METADATA of the parsed modules, read as the
// compiler reads them (TestCatalogBeforeTheCompileIsTheCompilers).
func annotationsOf(modules map[string]*ast.Module) (*ast.AnnotationSet, error) {
	sorted := make([]*ast.Module, 0, len(modules))
	for _, k := range slices.Sorted(maps.Keys(modules)) {
		sorted = append(sorted, modules[k])
	}
	as, errs := ast.BuildAnnotationSet(sorted)
	if len(errs) > 0 {
		return nil, &PolicyError{Problems: problemsOf(errs, "", nil)}
	}
	return as, nil
}

// policySet is the sources of an engine: every Rego module, the compiled
// documents and the data the generic Rego reads of them.
type policySet struct {
	rego []source
	docs *documentSet
	data map[string]any
}

// dataStore is the store of an engine's data, read as ast values: the
// evaluator then converts nothing on a read.
func dataStore(data map[string]any) storage.Store {
	if data == nil {
		data = map[string]any{}
	}
	return inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
}

// loadPolicies reads the built-in policies and the --policy folders, and
// compiles the profile documents into the data the generic Rego reads.
func loadPolicies(opts Options, withTests bool) (policySet, error) {
	read, err := readPolicies(opts, withTests)
	if err != nil {
		return policySet{}, err
	}
	return read.compileDocuments(regoProfileNames(read.rego))
}

// policySources are the policies as read, before anything is compiled.
type policySources struct {
	rego []source
	docs []source
	// builtin holds the vocabulary, loaded with the documents.
	builtin fs.FS
}

func readPolicies(opts Options, withTests bool) (policySources, error) {
	srcs, err := readBuiltin(opts.Builtin, withTests)
	if err != nil {
		return policySources{}, err
	}
	docSrcs, err := readBuiltinDocuments(opts.Builtin)
	if err != nil {
		return policySources{}, err
	}
	custom, customDocs, err := readDirs(opts.PolicyDirs, withTests)
	if err != nil {
		return policySources{}, err
	}
	return policySources{rego: append(srcs, custom...), docs: append(docSrcs, customDocs...), builtin: opts.Builtin}, nil
}

// compileDocuments loads the vocabulary, and compiles the profile
// documents (whose names must not be those of regoProfiles) and the data
// the generic Rego reads of them.
func (r policySources) compileDocuments(regoProfiles map[string]bool) (policySet, error) {
	var vocab *vocabulary.Vocabulary
	if r.builtin != nil && hasFile(r.builtin, vocabulary.File) {
		var err error
		if vocab, err = vocabulary.Load(r.builtin); err != nil {
			return policySet{}, &PolicyError{Problems: []Problem{{File: "policies/" + vocabulary.File, Message: err.Error()}}}
		}
	}
	docs, err := compileDocuments(vocab, r.docs, regoProfiles)
	if err != nil {
		return policySet{}, err
	}
	data, err := docs.data()
	if err != nil {
		return policySet{}, err
	}
	return policySet{rego: r.rego, docs: docs, data: data}, nil
}

// compileModules compiles the parsed Rego modules and checks the entry
// point is there.
func compileModules(srcs []source, modules map[string]*ast.Module, caps *ast.Capabilities, removed map[string]bool) (*ast.Compiler, error) {
	compiler := newCompiler(caps)
	if builtinOnly(srcs) {
		compiler = compiler.WithSkipStages(append(builtinChecks(), builtinUnusedRewrites()...)...)
	}
	if compiler.Compile(modules); compiler.Failed() {
		return nil, &PolicyError{Problems: problemsOf(compiler.Errors, "", removed)}
	}
	if err := requireMain(compiler); err != nil {
		return nil, err
	}
	return compiler, nil
}

// builtinChecks are the compiler stages that only check the modules,
// changing nothing the evaluation reads, and that the built-in policies
// pass: TestBuiltinPoliciesPassEveryCheck compiles them with every stage.
// An engine of the built-in policies alone skips them, a third of its
// compile time, which is most of a small tenant's audit; policies from
// --policy folders get every check.
func builtinChecks() []ast.StageID {
	return []ast.StageID{
		ast.StageCheckUnusedImports,
		ast.StageCheckKeywordOverrides,
		ast.StageCheckDuplicateImports,
		ast.StageCheckVoidCalls,
		ast.StageCheckRuleConflicts,
		ast.StageCheckUndefinedFuncs,
		ast.StageCheckSafetyRuleHeads,
		ast.StageCheckRecursion,
		ast.StageCheckTypes,
		ast.StageCheckUnsafeBuiltins,
		ast.StageCheckDeprecatedBuiltins,
		ast.StageBuildRequiredCapabilities,
	}
}

// builtinUnusedRewrites are the compiler stages that rewrite what the
// built-in policies never use, each a walk over every rule to find
// nothing: print calls, template strings, rego.metadata calls and with.
// TestBuiltinPoliciesUseNoSkippedRewrite keeps them unused.
func builtinUnusedRewrites() []ast.StageID {
	return []ast.StageID{
		ast.StageRewritePrintCalls,
		ast.StageRewriteTemplateStrings,
		ast.StageParseMetadataBlocks,
		ast.StageRewriteRegoMetadataCalls,
		ast.StageRewriteWithValues,
	}
}

func builtinOnly(srcs []source) bool {
	for _, s := range srcs {
		if !s.builtin {
			return false
		}
	}
	return len(srcs) > 0
}

func hasFile(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// regoProfileNames are the profiles Rego packages define, read from the
// package lines without a full parse (the parse comes later).
func regoProfileNames(srcs []source) map[string]bool {
	out := map[string]bool{}
	for _, s := range srcs {
		if rest, ok := strings.CutPrefix(packageOf(s.text), "halolint.profiles."); ok && !isRegoTest(s.file) {
			if name := strings.ReplaceAll(rest, "_", "-"); !strings.Contains(name, ".") {
				out[name] = true
			}
		}
	}
	return out
}

// packageOf is the package a Rego source declares, read from its package
// line without a parse; "" when it has none.
func packageOf(text string) string {
	for line := range strings.Lines(text) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "package "); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				return f[0]
			}
			return ""
		}
	}
	return ""
}

// accessPackage is the package of the access view (Engine.Access), which
// only an engine with Options.Access compiles.
const accessPackage = "halolint.lib.access"

// withoutAccessView leaves out the built-in access view's modules: nothing
// but Access reads them, and they are a tenth of the compile.
func withoutAccessView(srcs []source) []source {
	return slices.DeleteFunc(srcs, func(s source) bool {
		return s.builtin && packageOf(s.text) == accessPackage
	})
}

// Modules returns the source of every Rego module the engine compiled, by
// file name: the built-in and --policy modules. With Data, what a tool
// needs to evaluate the same policies elsewhere (opa eval in the
// benchmark).
func (e *Engine) Modules() map[string]string {
	out := make(map[string]string, len(e.sources))
	for _, s := range e.sources {
		out[s.file] = s.text
	}
	return out
}

// Data returns the data document the policies read beside the input: the
// vocabulary (data.halolint.vocabulary) and the profile documents
// (data.halolint.documents), as JSON values. The caller must not change it.
func (e *Engine) Data() map[string]any { return e.data }

func newCompiler(caps *ast.Capabilities) *ast.Compiler {
	return ast.NewCompiler().
		WithCapabilities(caps).
		WithDefaultRegoVersion(ast.RegoV1)
}

// profileParts finds the parts of every Rego profile: its rules
// parts.<name> (docs/policy-authoring.md).
func profileParts(c *ast.Compiler) map[string][]string {
	found := map[string]map[string]bool{}
	for _, m := range c.Modules {
		name, ok := profileOf(m.Package.Path)
		if !ok || len(m.Package.Path) != profilesRootLen+1 {
			continue
		}
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			if len(ref) != 2 || !ref[0].Equal(ast.VarTerm("parts")) {
				continue
			}
			part, isStr := ref[1].Value.(ast.String)
			if !isStr {
				continue
			}
			if found[name] == nil {
				found[name] = map[string]bool{}
			}
			found[name][string(part)] = true
		}
	}
	out := make(map[string][]string, len(found))
	for name, parts := range found {
		out[name] = slices.Sorted(maps.Keys(parts))
	}
	return out
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

func (e *Engine) prepare(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	pq, err := rego.New(rego.Compiler(e.compiler), rego.Store(e.store), rego.Query(query)).PrepareForEval(ctx)
	if err != nil {
		return pq, &PolicyError{Problems: []Problem{{Message: fmt.Sprintf("prepare query %q: %v", query, err)}}}
	}
	return pq, nil
}

func (e *Engine) setProfiles(profiles []Profile) {
	sort.Slice(profiles, func(i, j int) bool { return profiles[i].Name < profiles[j].Name })
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
	_ = e.wait() // the keywords of Rego profiles come with the compile
	return e.catalogProfiles()
}

// catalogProfiles copies the catalog with every profile's keywords; only
// once the compile is done.
func (e *Engine) catalogProfiles() []Profile {
	out := make([]Profile, len(e.profiles))
	for i := range e.profiles {
		out[i] = e.profileCopy(&e.profiles[i])
	}
	return out
}

// profileCopy is a copy of p, with its keywords, that shares nothing
// with the catalog.
func (e *Engine) profileCopy(p *Profile) Profile {
	out := *p
	out.Keywords = append([]string(nil), e.keywordsOf(p)...)
	out.Checks = make([]Check, len(p.Checks))
	for i, c := range p.Checks {
		c.RelatedResources = append([]string(nil), c.RelatedResources...)
		out.Checks[i] = c
	}
	return out
}

// Profile returns the named profile and whether it exists.
func (e *Engine) Profile(name string) (Profile, bool) {
	_ = e.wait()
	p, ok := e.byName[name]
	if !ok {
		return Profile{}, false
	}
	return e.profileCopy(p), true
}

// profileNames lists every profile name, sorted.
func (e *Engine) profileNames() []string {
	out := make([]string, len(e.profiles))
	for i, p := range e.profiles {
		out[i] = p.Name
	}
	return out
}
