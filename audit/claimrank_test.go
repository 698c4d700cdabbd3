package audit

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/vocabulary"
	"github.com/halolint/halolint/policies"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Defect 4: a claim code listed twice kept its last value, so SA "true"
// then SA "false" passed an administrator. The most permissive value
// wins, whatever the order, as the policies rank values.
func TestClaimListedTwiceKeepsTheMostPermissive(t *testing.T) {
	t.Parallel()
	vocab, err := vocabulary.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		claims []halo.Claim
		want   string
	}{
		{[]halo.Claim{{Type: "SA", Value: "true"}, {Type: "SA", Value: "false"}}, `{"SA": "true"}`},
		{[]halo.Claim{{Type: "SA", Value: "False"}, {Type: "SA", Value: "True"}}, `{"SA": "True"}`},
		{[]halo.Claim{{Type: "Tx", Value: "2"}, {Type: "Tx", Value: "1"}, {Type: "Ux", Value: "0"}}, `{"Tx": "2", "Ux": "0"}`},
		// Timesheets rank 0 < 3 < 1 < 2 < 4: 1 outranks 3.
		{[]halo.Claim{{Type: "Hx", Value: "1"}, {Type: "Hx", Value: "3"}}, `{"Hx": "1"}`},
		{[]halo.Claim{{Type: "Hx", Value: "3"}, {Type: "Hx", Value: "1"}}, `{"Hx": "1"}`},
		// A flag as a boolean, an uncatalogued code by its number.
		{[]halo.Claim{{Type: "l6", Value: "true"}, {Type: "l6", Value: "0"}}, `{"l6": "true"}`},
		{[]halo.Claim{{Type: "zz", Value: "2"}, {Type: "zz", Value: "7"}, {Type: "zz", Value: "3"}}, `{"zz": "7"}`},
	} {
		got := newInputBuilder().rankingWith(vocab).claims(tc.claims)
		if want := ast.MustParseTerm(tc.want); !got.Equal(want) {
			t.Errorf("claims(%v) = %v, want %v", tc.claims, got, want)
		}
	}
}

// vocabulary.ClaimRank and the Rego catalog's claims.decode must rank
// every value alike: the first decides which of two listed values the
// policies see, the second judges it.
func TestClaimRankAgreesWithTheRegoCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := compiledEngine(t, policies.FS())
	pq, err := rego.New(rego.Compiler(e.compiler), rego.Store(e.store), rego.Query("r = data.halolint.lib.claims.decode(input.code, input.raw).rank")).PrepareForEval(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raws := []string{"", " ", "0", "1", "2", "3", "4", "5", "9", "-1", "1.5", "true", "True", " TRUE ", "false", "no", "yes", "abc", "02"}
	codes := []string{"zz", "Uncatalogued"}
	for _, p := range e.vocab.Permissions() {
		if p.Coded() {
			codes = append(codes, p.Code)
			for _, v := range p.Values {
				raws = append(raws, v.Raw)
			}
		}
	}
	for _, code := range codes {
		for _, raw := range raws {
			rs, err := pq.Eval(ctx, rego.EvalInput(map[string]any{"code": code, "raw": raw}))
			if err != nil || len(rs) != 1 {
				t.Fatalf("decode(%q, %q): %v %v", code, raw, rs, err)
			}
			want, err := strconv.ParseFloat(fmt.Sprint(rs[0].Bindings["r"]), 64)
			if err != nil {
				t.Fatalf("decode(%q, %q): rank %v", code, raw, rs[0].Bindings["r"])
			}
			if got := e.vocab.ClaimRank(code, raw); got != want {
				t.Errorf("ClaimRank(%q, %q) = %v, the Rego catalog says %v", code, raw, got, want)
			}
		}
	}
}
