// Package audit is halolint's engine: it compiles the Rego policies once,
// reads the check catalog from their METADATA, evaluates a halo.Snapshot
// with one aggregate query and returns a Report.
//
// The contract with the policies is docs/policy-authoring.md. Rego emits
// plain data; this package validates every result against the catalog and
// joins it with the check's METADATA, so a policy bug surfaces as an
// EngineError rather than as a silent or malformed row.
package audit
