package halotest

import (
	"slices"
	"sort"
	"sync"

	"github.com/halolint/halolint/internal/vocabulary"
)

// The scopes and the claim codes with a known meaning come from the
// vocabulary halolint judges with (policies/vocabulary.yaml), so that the
// fake server and the policies never disagree on HaloPSA's words.
var vocab = sync.OnceValue(func() *vocabulary.Vocabulary {
	v, err := vocabulary.Builtin()
	if err != nil {
		panic("halotest: the built-in vocabulary does not load: " + err.Error())
	}
	return v
})

// ScopeNames lists the application permission scopes the fake token endpoint
// knows. A token request naming any other scope is answered with
// invalid_scope, as HaloPSA does.
func ScopeNames() []string { return vocab().Scopes() }

func knownScope(name string) bool { return slices.Contains(vocab().Scopes(), name) }

// ClaimCode describes one role permission claim code as the fixtures and the
// generator use it: its code and the highest value it takes. It is test
// data built from the vocabulary, plus codes HaloPSA has and halolint does
// not know.
type ClaimCode struct {
	Code string
	// Max is the most permissive value as the server would send it.
	Max string
	// Known is false for codes that exist in HaloPSA's schema but whose
	// meaning is not documented; halolint keeps them raw.
	Known bool
}

// undocumentedCodes exist in HaloPSA's database with no documented meaning
// (values 0/1).
var undocumentedCodes = []string{
	"l2", "l3", "lh", "li", "lj", "lk", "ln", "lo", "lp", "lq", "ls", "lt",
	"lu", "lw", "lx", "Fa", "Fb", "Fd", "Fe", "Af", "Ag", "Ah",
}

// ClaimCodes is every claim code the fixtures and Generate use, about
// seventy: the vocabulary's first, then the undocumented ones.
var ClaimCodes = sync.OnceValue(func() []ClaimCode {
	var out []ClaimCode
	for _, p := range vocab().Permissions() {
		if p.Coded() {
			out = append(out, ClaimCode{Code: p.Code, Max: p.Top().Raw, Known: true})
		}
	}
	for _, c := range undocumentedCodes {
		out = append(out, ClaimCode{Code: c, Max: "1"})
	}
	return out
})

// lowest is the least permissive value of a claim code.
func (c ClaimCode) lowest() string {
	if c.Code == "SA" {
		return "false"
	}
	return "0"
}

// FullClaims returns a claim for every code of ClaimCodes (documented ones
// only when documentedOnly is set), each at its lowest value unless set
// names another, in the order of ClaimCodes. Codes in set that are not in
// ClaimCodes are appended, sorted.
func FullClaims(set map[string]string, documentedOnly bool) []map[string]any {
	out := make([]map[string]any, 0, len(ClaimCodes()))
	seen := map[string]bool{}
	for _, c := range ClaimCodes() {
		if documentedOnly && !c.Known {
			continue
		}
		v, ok := set[c.Code]
		if !ok {
			v = c.lowest()
		}
		seen[c.Code] = true
		out = append(out, map[string]any{"type": c.Code, "value": v})
	}
	var extra []string
	for code := range set {
		if !seen[code] {
			extra = append(extra, code)
		}
	}
	sort.Strings(extra)
	for _, code := range extra {
		out = append(out, map[string]any{"type": code, "value": set[code]})
	}
	return out
}
