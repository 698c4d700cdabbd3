package vocabulary

import (
	"regexp"
	"strconv"
	"strings"
)

// ClaimRank is how much access one raw claim value gives, the rank the
// Rego claim catalog gives it (policies/lib/claims.rego, decode): the
// value's position on its permission's scale once normalised ("True" is
// "true", true is "1" for a flag), else the raw rank of a value the
// catalog does not know: its number, 1 or 0 for true or false, 0 for
// nothing, 1 for any other text. v may be nil (no vocabulary: every code
// is uncatalogued), as for an engine without the built-in policies.
//
// It exists for the one comparison made before the policies run: a claim
// code listed twice in one list keeps its most permissive value. The two
// must agree; audit's tests hold them to it.
func (v *Vocabulary) ClaimRank(code, raw string) float64 {
	var p *Permission
	if v != nil {
		p = v.byCode[code]
	}
	norm := strings.ToLower(strings.TrimSpace(raw))
	value := strings.TrimSpace(raw)
	switch {
	case p != nil && p.Kind == KindBool:
		value = yesNo(norm, "true", "false")
	case p != nil && p.Kind == KindFlag:
		value = yesNo(norm, "1", "0")
	case norm == "":
		value = "0"
	}
	if p != nil {
		for _, val := range p.Values {
			if val.Raw == value {
				return float64(val.Rank)
			}
		}
	}
	return rawRank(value)
}

// yesNo spells a truthy or falsy value as yes or no, and leaves any other
// as it is (a value the catalog does not know).
func yesNo(s, yes, no string) string {
	switch s {
	case "true", "1", "yes":
		return yes
	case "", "0", "false", "no":
		return no
	}
	return s
}

var numeric = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func rawRank(v string) float64 {
	if numeric.MatchString(v) {
		f, err := strconv.ParseFloat(v, 64)
		if err == nil {
			return f
		}
	}
	switch strings.ToLower(v) {
	case "true":
		return 1
	case "", "false":
		return 0
	}
	return 1
}
