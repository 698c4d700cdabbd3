package halolint.lib.text_test

import data.halolint.lib.text

test_str if {
	text.str("a") == "a"
	text.str(null) == ""
	text.str(12) == "12"
}

test_names if {
	text.same_name(" Cove-Role ", "cove-role")
	not text.same_name("", "")
	text.has_keyword("The TimeZest agent", ["timezest"])
	not text.has_keyword("Other", ["timezest"])
	not text.has_keyword("anything", [""])
}

test_is_true if {
	text.is_true("True")
	text.is_true(true)
	text.is_true("1")
	not text.is_true("false")
}

test_list_and_join if {
	text.list(null) == []
	text.join({"b", "a"}) == "a, b"
	text.quoted(["b", "a"]) == `"a", "b"`
}

test_id if {
	text.id("a") == "a"
	text.id(null) == ""
	text.id(12) == "12"
}
