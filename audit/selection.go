package audit

// ValidateSelection checks a selection's phase, profile names and config
// the way Evaluate would, so that the CLI refuses a bad -p before it spends
// a single request on the tenant.
func (e *Engine) ValidateSelection(sel Selection) error {
	if _, err := parsePhase(sel.Phase); err != nil {
		return err
	}
	if _, err := e.resolveProfiles(sel.Profiles); err != nil {
		return err
	}
	return e.ValidateConfig(sel.Config)
}
