package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/halolint/halolint/internal/vocabulary"
)

// profilesDir is where the built-in documents live in the policies tree.
const profilesDir = "profiles"

func isDocument(name string) bool {
	return (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && !isCaseFile(name)
}

// isProfileFile is a document or a case file.
func isProfileFile(name string) bool { return isDocument(name) || isCaseFile(name) }

// documentSet is every profile document of an engine, compiled: the
// documents and their derived checks, from which comes the data the
// generic Rego reads (policyData).
type documentSet struct {
	vocab   *vocabulary.Vocabulary
	docs    []*document // sorted by name
	derived map[string][]derivedCheck
	// quirks are the cases of the case files, by profile.
	quirks map[string][]docCase
}

// readBuiltinDocuments reads policies/profiles/*.yaml.
func readBuiltinDocuments(fsys fs.FS) ([]source, error) {
	if fsys == nil {
		return nil, nil
	}
	entries, err := fs.ReadDir(fsys, profilesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // a policy tree without documents
	}
	if err != nil {
		return nil, fmt.Errorf("read built-in profiles: %w", err)
	}
	var out []source
	for _, e := range entries {
		if e.IsDir() || !isProfileFile(e.Name()) {
			continue
		}
		p := path.Join(profilesDir, e.Name())
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read built-in profiles: %w", err)
		}
		out = append(out, source{key: "builtin:" + p, file: path.Join("policies", p), text: string(b), builtin: true})
	}
	return out, nil
}

// compileDocuments parses, validates and derives every document. Every
// problem of every document is reported at once; regoProfiles are the
// names Rego packages already define, which a document may not reuse.
func compileDocuments(vocab *vocabulary.Vocabulary, srcs []source, regoProfiles map[string]bool) (*documentSet, error) {
	set := &documentSet{vocab: vocab, derived: map[string][]derivedCheck{}, quirks: map[string][]docCase{}}
	var problems []Problem
	byName := map[string]*document{}
	var caseFiles []source
	for _, s := range srcs {
		if isCaseFile(s.file) {
			caseFiles = append(caseFiles, s)
			continue
		}
		if vocab == nil {
			problems = append(problems, Problem{File: s.file, Message: "profile documents need the built-in vocabulary"})
			continue
		}
		d, ps := parseDocument([]byte(s.text), s.file, vocab)
		if len(ps) > 0 {
			problems = append(problems, ps...)
			continue
		}
		d.builtin = s.builtin
		if prev, dup := byName[d.name]; dup {
			problems = append(problems, Problem{File: d.file, Line: d.line, Message: fmt.Sprintf("profile %q is defined twice (also %s)", d.name, prev.file)})
			continue
		}
		if regoProfiles[d.name] {
			problems = append(problems, Problem{File: d.file, Line: d.line, Message: fmt.Sprintf("profile %q is also defined by a Rego package halolint.profiles.%s", d.name, strings.ReplaceAll(d.name, "-", "_"))})
			continue
		}
		byName[d.name] = d
		set.docs = append(set.docs, d)
		set.derived[d.name] = d.derive()
	}
	if len(problems) == 0 {
		for _, s := range caseFiles {
			name, cases, ps := parseCaseFile([]byte(s.text), s.file, byName, vocab)
			problems = append(problems, ps...)
			set.quirks[name] = append(set.quirks[name], cases...)
		}
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, &PolicyError{Problems: problems}
	}
	sort.Slice(set.docs, func(i, j int) bool { return set.docs[i].name < set.docs[j].name })
	return set, nil
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// data is the data document of the vocabulary and the documents (see
// policyData); nil without a vocabulary (an engine of --policy folders
// alone, as some tests build).
func (s *documentSet) data() (map[string]any, error) {
	if s.vocab == nil {
		return nil, nil
	}
	return policyData(s.vocab, s.docs, s.derived)
}

// profiles are the catalog entries of the documents.
func (s *documentSet) profiles() []Profile {
	out := make([]Profile, 0, len(s.docs))
	for _, d := range s.docs {
		p := Profile{
			Name:        d.name,
			Title:       d.title,
			Vendor:      d.vendor,
			Source:      d.source.title,
			SourceURL:   d.source.url,
			Description: d.description,
			Keywords:    append([]string(nil), d.keywords...),
			Builtin:     d.builtin,
			Explicit:    d.explicit,
			Document:    d.file,
		}
		for _, c := range s.derived[d.name] {
			p.Checks = append(p.Checks, c.Check)
		}
		sort.Slice(p.Checks, func(i, j int) bool { return p.Checks[i].ID < p.Checks[j].ID })
		out = append(out, p)
	}
	return out
}
