package halolint.main_test

import data.halolint.main
import data.halolint.test.fixtures as fx

cove_app := fx.app("app-cove", "Cove-HaloPSA", 0, ["edit:tickets", "read:customers"])

gradient_app := fx.app("app-g", "MSPCentric", 0, [])

test_default_selection_is_baseline_plus_detected if {
	main.selected == {"baseline"} with input as fx.empty
	inp := fx.tenant({"applications": [cove_app, gradient_app]})
	main.selected == {"baseline", "cove", "gradient"} with input as inp
}

test_gradient_alerts_is_never_detected if {
	inp := fx.tenant({"applications": [gradient_app]})
	not "gradient-alerts" in main.selected with input as inp
}

test_explicit_selection if {
	inp := fx.tenant({"profiles": ["gradient-alerts", "timezest"], "applications": [cove_app]})
	main.selected == {"gradient-alerts", "timezest"} with input as inp
}

_every_profile := ["baseline", "cove", "gradient", "gradient-alerts", "timezest"]

test_profiles_are_documents_and_rego_packages if {
	main.profiles == {"baseline"} | {name | some name, _ in data.halolint.documents.profiles}
	every p in _every_profile {
		p in main.profiles
	}
}

test_results_carry_their_profile if {
	inp := fx.tenant({"profiles": ["gradient-alerts", "cove"]})
	rs := main.results with input as inp
	count(rs) == 28
	every r in rs {
		startswith(r.check, concat("", [r.profile, "."]))
	}
	{r.profile | some r in rs} == {"gradient-alerts", "cove"}
}

test_every_result_is_well_formed if {
	rs := main.results with input as fx.tenant({"profiles": _every_profile})
	count(rs) == 81
	every r in rs {
		r.status in {"pass", "fail", "warn", "error", "manual"}
		r.object.type in {"role", "agent", "application", "category", "setting", "tenant"}
		is_string(r.object.id)
		is_string(r.object.name)
		r.message != ""
	}
}
