package halotest

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/halolint/halolint/internal/sampleserver"
)

// The named fixtures, embedded so that the tests of every package can use
// them without a path. The sample, the demo's tenant, is sampleserver's.
//
//go:embed tenants/*.json
var tenantFiles embed.FS

// Names of the embedded fixtures. Every one holds the built-in
// Administrator role (SA true, every access level at its highest; id
// 48167c7f-3af6-533b-aeec-4d744d2e594b), the administrator Alex Morgan
// (agent 2), three Halo system applications (_issystem true: HaloPSA Mobile
// App, HaloPSA Outlook Add-in, Halo Integrator) and the auditor's
// application "halolint auditor" (clientId AuditorClientID, scope admin,
// logging in as agent 2) with its credential. Roles carry every claim code
// whose meaning is known (the ClaimCodes marked Known), unset ones at their
// lowest value.
//
//   - empty: nothing else (the readiness check).
//   - cove-exact: Cove as N-able documents it: category "Cove Data
//     Protection" (type_id 1), role "Cove-Role" (Tx 2, Ux 2, l6 1, l9 1,
//     three departments), application "Cove-HaloPSA" (active,
//     client_credentials, loginas_agent_id 0, scopes edit:tickets and
//     read:customers).
//   - timezest-admin: role "TimeZest" with every documented permission and
//     SA true; API-only agent 10 "TimeZest API" holding TimeZest and
//     Administrator; application "TimeZest" (scope all, logs in as 10);
//     Control force_accounts_id false.
//   - gradient-split: roles "MSPCentric Billing" (Ux 2, Ix 3, Xx 2, Cx 2)
//     and "MSPCentric Tickets" (Tx 2, l6 lf le Ft Fc 1) on API-only agent 20
//     "MSPCentric", whose own claims hold SA true; application "MSPCentric"
//     with Gradient's nine scopes, logging in as 20.
//   - sample: the demo's tenant (sampleserver.Sample, whose description
//     field tells its story).
const (
	FixtureEmpty         = "empty"
	FixtureCoveExact     = "cove-exact"
	FixtureTimeZestAdmin = "timezest-admin"
	FixtureGradientSplit = "gradient-split"
	FixtureSample        = "sample"
)

// AuditorClientID and AuditorClientSecret are the credential of the
// auditor's own application in every embedded fixture (scope admin, no
// tenant).
const (
	AuditorClientID     = sampleserver.AuditorClientID
	AuditorClientSecret = sampleserver.AuditorClientSecret
)

// FixtureNames lists the embedded fixtures, sorted.
func FixtureNames() []string {
	entries, err := fs.ReadDir(tenantFiles, "tenants")
	if err != nil {
		return nil
	}
	out := []string{FixtureSample}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Fixture parses an embedded fixture by name ("sample", "cove-exact", ...).
// Each call returns a fresh copy.
func Fixture(name string) (*Tenant, error) {
	if name == FixtureSample {
		st, err := sampleserver.Sample()
		if err == nil {
			err = (*Tenant)(st).Validate()
		}
		if err != nil {
			return nil, fmt.Errorf("halotest: fixture %s: %w", name, err)
		}
		return (*Tenant)(st), nil
	}
	data, err := tenantFiles.ReadFile("tenants/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("halotest: no fixture %q (have %s)", name, strings.Join(FixtureNames(), ", "))
	}
	t, err := ParseTenant(data)
	if err != nil {
		return nil, fmt.Errorf("halotest: fixture %s: %w", name, err)
	}
	return t, nil
}

// MustFixture is Fixture for tests: it panics on error.
func MustFixture(name string) *Tenant {
	t, err := Fixture(name)
	if err != nil {
		panic(err)
	}
	return t
}
