package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// testTimeout bounds one Rego test.
const testTimeout = 2 * time.Minute

// TestOutcome is how one Rego test ended.
type TestOutcome string

const (
	TestPass  TestOutcome = "pass"
	TestFail  TestOutcome = "fail"
	TestError TestOutcome = "error" // the test could not be evaluated
	TestSkip  TestOutcome = "skip"  // a todo_test_ rule
)

// TestResult is one Rego test rule's outcome, for halolint verify.
type TestResult struct {
	Package  string // "data.halolint.profiles.cove_test"
	Name     string // "test_role_below_minimum"
	File     string
	Line     int
	Outcome  TestOutcome
	Duration time.Duration
	// Err is the evaluation error when Outcome is TestError.
	Err error
	// Output is what the test printed with print().
	Output []byte
}

// RunTests runs the Rego tests (test_ rules, usually in _test.rego files)
// of the built-in policies and of the given folders, compiled with the
// same capabilities as an audit, so a test cannot pass by calling a
// builtin that audits refuse. A compile error is a *PolicyError. Results
// are sorted by file, line and name.
func RunTests(ctx context.Context, builtin fs.FS, dirs []string) ([]TestResult, error) {
	caps, removed := policyCapabilities()
	// The built-in tests check the built-in policies as shipped: compiled
	// beside a custom profile, their tests of the whole catalogue (every
	// profile, the default selection) would fail for any --policy folder.
	// So they run on the built-in modules alone, and the custom folders'
	// tests on everything.
	shipped, err := loadPolicies(Options{Builtin: builtin}, true)
	if err != nil {
		return nil, err
	}
	builtinModules, err := parse(shipped.rego, caps, removed)
	if err != nil {
		return nil, err
	}
	out, err := runRegoTests(ctx, caps, removed, builtinModules, shipped.data, "")
	if err != nil {
		return sortTestResults(out), err
	}
	cases, err := documentTests(ctx, Options{Builtin: builtin}, nil)
	if err != nil {
		return nil, err
	}
	out = append(out, cases...)
	if len(dirs) == 0 {
		return sortTestResults(out), nil
	}

	all, err := loadPolicies(Options{Builtin: builtin, PolicyDirs: dirs}, true)
	if err != nil {
		return nil, err
	}
	modules, err := parse(all.rego, caps, removed)
	if err != nil {
		return nil, err
	}
	customDocs := map[string]bool{}
	for _, d := range all.docs.docs {
		if !d.builtin {
			customDocs[d.name] = true
		}
	}
	cases, err = documentTests(ctx, Options{Builtin: builtin, PolicyDirs: dirs}, customDocs)
	if err != nil {
		return nil, err
	}
	out = append(out, cases...)
	customPkgs := map[string]bool{}
	for _, s := range all.rego {
		if strings.HasPrefix(s.key, "custom:") {
			customPkgs[modules[s.key].Package.Path.String()] = true
		}
	}
	if len(customPkgs) == 0 {
		return sortTestResults(out), nil
	}
	var pkgs []string
	for p := range customPkgs {
		pkgs = append(pkgs, regexp.QuoteMeta(p))
	}
	sort.Strings(pkgs)
	more, err := runRegoTests(ctx, caps, removed, modules, all.data, `^(?:`+strings.Join(pkgs, "|")+`)\.`)
	return sortTestResults(append(out, more...)), err
}

// documentTests runs the generated cases of the documents named in only
// (every document when nil) as tests: one per case, in package
// "generated.<profile>".
func documentTests(ctx context.Context, opts Options, only map[string]bool) ([]TestResult, error) {
	pol, err := loadPolicies(opts, false)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(pol.docs.docs, func(d *document) bool { return only == nil || only[d.name] }) {
		return nil, nil
	}
	e, err := New(ctx, opts)
	if err != nil {
		return nil, err
	}
	var out []TestResult
	for _, r := range e.runDocumentCases(ctx, pol.docs, only) {
		tr := TestResult{Package: "generated." + r.profile, Name: r.name, File: r.file, Line: r.line, Outcome: TestPass}
		switch {
		case r.err != nil:
			tr.Outcome, tr.Err = TestError, r.err
		case len(r.failures) > 0:
			tr.Outcome = TestFail
			tr.Output = []byte(strings.Join(r.failures, "\n") + "\n")
		}
		out = append(out, tr)
	}
	return out, nil
}

// runRegoTests compiles modules and runs their test rules whose full name
// matches filter ("" for all), with data in the store.
func runRegoTests(ctx context.Context, caps *ast.Capabilities, removed map[string]bool, modules map[string]*ast.Module, data map[string]any, filter string) ([]TestResult, error) {
	compiler := newCompiler(caps).WithEnablePrintStatements(true)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(dataStore(data)).
		SetModules(modules).
		Filter(filter).
		CapturePrintOutput(true).
		// OPA's default of 5 s per test is too short for data-driven tests
		// on a loaded 2-core CI machine under -race; a test that truly
		// hangs still ends with ctx.
		SetTimeout(testTimeout)
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		var errs ast.Errors
		if errors.As(err, &errs) {
			return nil, &PolicyError{Problems: problemsOf(errs, "", removed)}
		}
		return nil, fmt.Errorf("run policy tests: %w", err)
	}

	var out []TestResult
	for r := range ch {
		out = append(out, testResult(r))
	}
	if err := ctx.Err(); err != nil {
		return out, fmt.Errorf("run policy tests: %w", err)
	}
	return out, nil
}

// sortTestResults sorts by file, line and name.
func sortTestResults(out []TestResult) []TestResult {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
	return out
}

func testResult(r *tester.Result) TestResult {
	tr := TestResult{
		Package:  r.Package,
		Name:     r.Name,
		Duration: r.Duration,
		Output:   r.Output,
	}
	if r.Location != nil {
		tr.File, tr.Line = r.Location.File, r.Location.Row
	}
	switch {
	case r.Skip:
		tr.Outcome = TestSkip
	case r.Error != nil:
		tr.Outcome, tr.Err = TestError, r.Error
	case r.Fail:
		tr.Outcome = TestFail
	default:
		tr.Outcome = TestPass
	}
	return tr
}
