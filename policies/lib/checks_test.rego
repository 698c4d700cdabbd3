package halolint.lib.checks_test

import data.halolint.lib.checks

test_scope_met_by_edit if {
	checks.scope_met({"edit:tickets"}, "read:tickets")
	checks.scope_met({"read:tickets"}, "read:tickets")
	not checks.scope_met({"read:tickets"}, "edit:tickets")
	not checks.scope_met({"all"}, "read:tickets")
}
