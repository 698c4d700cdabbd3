package sampleserver

import (
	_ "embed"
	"fmt"
)

// sampleJSON is the tenant `halolint demo` audits. Its description field
// tells its story.
//
//go:embed sample.json
var sampleJSON []byte

// AuditorClientID and AuditorClientSecret are the credential of the
// auditor's own application in the sample tenant (scope admin, no tenant
// name).
const (
	AuditorClientID     = "halolint-auditor"
	AuditorClientSecret = "SECRET-halolint-auditor-client-secret"
)

// Sample returns the bundled sample tenant: Gradient set up correctly,
// TimeZest's role still a HaloPSA Administrator, Cove half set up, an old
// application with scope all logging in as an administrator, an
// application logging in as a disabled agent, Halo's system applications
// and everyday roles and agents. Each call returns a fresh copy.
func Sample() (*Tenant, error) {
	t, err := DecodeTenant(sampleJSON)
	if err != nil {
		return nil, fmt.Errorf("sampleserver: the sample tenant: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}
