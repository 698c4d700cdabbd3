package audit

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// refused reports whether policies may not call builtin b: the same
// snapshot must always give the same report, and an audit must never reach
// the network on its own. Every builtin OPA itself marks non-deterministic
// is refused (the JWT and JSON Schema verifiers read the clock or fetch
// remote documents), so a new one in a later OPA release is refused
// without a change here.
func refused(b *ast.Builtin) bool {
	if b.Nondeterministic {
		return true
	}
	switch b.Name {
	case "opa.runtime", "time.now_ns",
		"crypto.x509.parse_and_verify_certificates",
		"crypto.x509.parse_and_verify_certificates_with_options":
		return true
	}
	for _, family := range []string{"http.", "net.", "rand.", "uuid."} {
		if strings.HasPrefix(b.Name, family) {
			return true
		}
	}
	return false
}

// policyCapabilities returns OPA's capabilities for this version minus the
// refused builtins, with no network host allowed, and the set of names it
// removed (to explain the compiler's "undefined function" errors).
func policyCapabilities() (*ast.Capabilities, map[string]bool) {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	removed := map[string]bool{}
	for _, b := range caps.Builtins {
		if refused(b) {
			removed[b.Name] = true
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	caps.AllowNet = []string{} // empty, not nil: nil means every host
	return caps, removed
}

// explainRefused rewrites the compiler's message for a call to a removed
// builtin, which OPA reports as an undefined function, into one that says
// why it is missing.
func explainRefused(msg string, removed map[string]bool) string {
	const prefix = "undefined function "
	name, ok := strings.CutPrefix(msg, prefix)
	if !ok || !removed[name] {
		return msg
	}
	return "builtin " + name + " is not allowed: halolint policies run without network or non-deterministic builtins " +
		"(the same snapshot must always give the same report; use input.collected_at for the time)"
}
