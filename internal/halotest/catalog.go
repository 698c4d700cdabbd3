package halotest

import "sort"

// ScopeNames lists the application permission scopes the fake token endpoint
// knows (halo-api.md §2). A token request naming any other scope is answered
// with invalid_scope, as HaloPSA does.
var ScopeNames = []string{
	"all", "all:standard", "admin",
	"read:tickets", "edit:tickets", "read:calendar", "edit:calendar",
	"read:customers", "edit:customers", "read:crm", "edit:crm",
	"read:timesheets", "edit:timesheets", "read:contracts", "edit:contracts",
	"read:suppliers", "edit:suppliers", "read:items", "edit:items",
	"read:projects", "edit:projects", "read:sales", "edit:sales",
	"read:quotes", "edit:quotes", "read:sos", "edit:sos", "read:pos", "edit:pos",
	"read:invoices", "edit:invoices", "read:reporting", "edit:reporting",
	"read:software", "edit:software", "read:softwarelicensing", "edit:softwarelicensing",
	"read:kb", "edit:kb", "read:assets", "edit:assets",
	"editMine:timesheets", "access:chat", "access:adpasswordreset",
}

func knownScope(name string) bool {
	for _, s := range ScopeNames {
		if s == name {
			return true
		}
	}
	return false
}

// ClaimCode describes one role permission claim code as the fixtures and the
// generator use it: its code and the highest value it takes. It is test
// data, not the catalog halolint judges with (that lives with the policies).
type ClaimCode struct {
	Code string
	// Max is the most permissive value as the server would send it.
	Max string
	// Known is false for codes that exist in HaloPSA's schema but whose
	// meaning halo-api.md does not give; they are kept raw by halolint.
	Known bool
}

// ClaimCodes is every claim code the fixtures and Generate use, about
// seventy: the documented codes of halo-api.md §5 first, then codes whose
// meaning is not documented (values 0/1).
var ClaimCodes = []ClaimCode{
	// Access levels.
	{"Tx", "2", true}, {"Ux", "3", true}, {"Fx", "3", true}, {"Ix", "3", true},
	{"Dx", "3", true}, {"Xx", "3", true}, {"Cx", "2", true}, {"Ax", "2", true},
	{"Ox", "2", true}, {"Ex", "2", true}, {"Bx", "2", true}, {"Sx", "2", true},
	{"Qx", "2", true}, {"Yx", "2", true}, {"Zx", "2", true}, {"Jx", "2", true},
	{"Rx", "2", true}, {"Gx", "2", true}, {"Vx", "2", true}, {"Wx", "2", true},
	{"Lx", "2", true}, {"Px", "2", true}, {"Mx", "2", true}, {"Nx", "2", true},
	{"Hx", "4", true}, {"Kx", "3", true},
	// Flags and settings.
	{"SA", "true", true}, {"l6", "1", true}, {"lf", "1", true}, {"le", "1", true},
	{"l9", "1", true}, {"l8", "1", true}, {"l7", "1", true}, {"lc", "1", true},
	{"l1", "1", true}, {"l4", "1", true}, {"lm", "1", true}, {"l5", "3", true},
	{"lb", "3", true}, {"lg", "2", true}, {"lz", "3", true}, {"lr", "3", true},
	{"Ft", "1", true}, {"Fc", "1", true}, {"Av", "1", true}, {"Ad", "1", true},
	{"la", "1", true},
	// Codes without a documented meaning.
	{"l2", "1", false}, {"l3", "1", false}, {"lh", "1", false}, {"li", "1", false},
	{"lj", "1", false}, {"lk", "1", false}, {"ln", "1", false}, {"lo", "1", false},
	{"lp", "1", false}, {"lq", "1", false}, {"ls", "1", false}, {"lt", "1", false},
	{"lu", "1", false}, {"lv", "1", false}, {"lw", "1", false}, {"lx", "1", false},
	{"Fa", "1", false}, {"Fb", "1", false}, {"Fd", "1", false}, {"Fe", "1", false},
	{"Af", "1", false}, {"Ag", "1", false}, {"Ah", "1", false},
}

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
	out := make([]map[string]any, 0, len(ClaimCodes))
	seen := map[string]bool{}
	for _, c := range ClaimCodes {
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
