package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/halolint/halolint/internal/localfile"
)

// source is one .rego file before parsing.
type source struct {
	// key is unique across built-in and custom files: both may hold a
	// "cove.rego".
	key string
	// file is the name messages show: the path inside the embedded tree
	// prefixed with "policies/", or the path as found under a --policy dir.
	file    string
	text    string
	builtin bool
}

func isRego(name string) bool { return strings.HasSuffix(name, ".rego") }

func isRegoTest(name string) bool { return strings.HasSuffix(name, "_test.rego") }

// readBuiltin reads the .rego files of the embedded tree, tests included
// when withTests is set. A nil fsys holds nothing.
func readBuiltin(fsys fs.FS, withTests bool) ([]source, error) {
	if fsys == nil {
		return nil, nil
	}
	var out []source
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isRego(p) || (!withTests && isRegoTest(p)) {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out = append(out, source{key: "builtin:" + p, file: path.Join("policies", p), text: string(b), builtin: true})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read built-in policies: %w", err)
	}
	return out, nil
}

// MaxPolicyFileBytes bounds one file of a --policy dir, and MaxPolicyBytes
// all of them together: each is read whole into memory, and a device or a
// named pipe among them is refused, not read.
const (
	MaxPolicyFileBytes = 4 << 20
	MaxPolicyBytes     = 64 << 20
)

// readDirs reads the .rego files and the profile documents (*.yaml,
// *.yml) under each --policy dir, recursively. A dir that does not exist
// or holds neither is an error: it is most likely a typo, and silently
// auditing without the user's policies would be worse.
func readDirs(dirs []string, withTests bool) (rego, docs []source, err error) {
	total := 0
	for _, dir := range dirs {
		found := 0
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir // .git and friends
				}
				return nil
			}
			if !isRego(p) && !isProfileFile(p) {
				return nil
			}
			found++
			if isRego(p) && !withTests && isRegoTest(p) {
				return nil
			}
			b, err := localfile.Read(p, MaxPolicyFileBytes)
			if err != nil {
				return policyErrorf(p, 0, "cannot read: %v", err)
			}
			if total += len(b); total > MaxPolicyBytes {
				return policyErrorf(dir, 0, "the policy directories hold more than %s of policies and profile documents", localfile.Size(MaxPolicyBytes))
			}
			s := source{key: "custom:" + p, file: p, text: string(b)}
			if isProfileFile(p) {
				docs = append(docs, s)
			} else {
				rego = append(rego, s)
			}
			return nil
		})
		var pe *fs.PathError
		var policyErr *PolicyError
		switch {
		case errors.As(err, &policyErr):
			return nil, nil, policyErr
		case errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist):
			return nil, nil, policyErrorf(dir, 0, "policy directory does not exist")
		case err != nil:
			return nil, nil, policyErrorf(dir, 0, "read policy directory: %v", err)
		case found == 0:
			return nil, nil, policyErrorf(dir, 0, "policy directory holds no .rego file and no profile document (.yaml)")
		}
	}
	return rego, docs, nil
}

// parserOptions parses OPA v1 syntax with METADATA blocks kept, which the
// catalog reads.
func parserOptions(caps *ast.Capabilities) ast.ParserOptions {
	return ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1, Capabilities: caps}
}

// parse parses every source, gathering the errors of all files so that a
// user fixing policies sees the first one and how many remain.
//
// The files are parsed on every core, the errors still given in the files'
// order: on one core, the parse was a fifth of a small tenant's audit.
func parse(srcs []source, caps *ast.Capabilities, removed map[string]bool) (map[string]*ast.Module, error) {
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].key < srcs[j].key })
	parsed := make([]*ast.Module, len(srcs))
	errs := make([]error, len(srcs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(srcs); i = int(next.Add(1) - 1) {
				parsed[i], errs[i] = ast.ParseModuleWithOpts(srcs[i].file, srcs[i].text, parserOptions(caps))
			}
		})
	}
	wg.Wait()
	modules := make(map[string]*ast.Module, len(srcs))
	var problems []Problem
	for i, s := range srcs {
		if errs[i] != nil {
			problems = append(problems, problemsOf(errs[i], s.file, removed)...)
			continue
		}
		modules[s.key] = parsed[i]
	}
	if len(problems) > 0 {
		return nil, &PolicyError{Problems: problems}
	}
	return modules, nil
}

// problemsOf turns OPA's errors into problems with file and line.
func problemsOf(err error, file string, removed map[string]bool) []Problem {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return []Problem{{File: file, Message: err.Error()}}
	}
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		p := Problem{File: file, Message: explainRefused(e.Message, removed)}
		if e.Location != nil {
			if e.Location.File != "" {
				p.File = e.Location.File
			}
			p.Line = e.Location.Row
		}
		out = append(out, p)
	}
	return out
}
