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
