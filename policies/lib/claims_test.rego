package halolint.lib.claims_test

import data.halolint.lib.claims

test_every_documented_code_is_catalogued if {
	codes := {
		"Tx", "Ux", "Fx", "Ix", "Dx", "Xx", "Cx", "Ax", "Ox", "Ex", "Bx", "Sx", "Qx", "Yx", "Zx", "Jx", "Rx",
		"Gx", "Vx", "Wx", "Lx", "Px", "Mx", "Nx", "Hx", "Kx", "SA", "l6", "lf", "le", "l9", "l8", "l7", "lc",
		"l1", "l4", "lm", "l5", "lb", "lg", "lz", "lr", "Ft", "Fc", "Av", "Ad", "la",
	}
	every code in codes {
		claims.catalog[code].label != ""
		claims.lowest(code).rank == 0
		claims.lowest(code).known
	}
}

test_every_value_has_a_label_and_a_rank if {
	every entry in claims.catalog {
		every val in entry.values {
			val.label != ""
			is_number(val.rank)
		}
	}
}

test_timesheets_rank_is_not_numeric_order if {
	ranks := [claims.decode("Hx", v).rank | some v in ["0", "3", "1", "2", "4"]]
	ranks == [0, 1, 2, 3, 4]
	claims.decode("Hx", "3").label == "Read Only"
	claims.decode("Hx", "1").rank > claims.decode("Hx", "3").rank
}

test_labels_in_words if {
	claims.decode("Tx", "2").label == "Read and Modify"
	claims.decode("Ux", "1").label == "View (Names Only)"
	claims.decode("Ux", "3").label == "Read and Modify"
	claims.decode("Dx", "3").label == "Read, Modify and Remove"
	claims.decode("Xx", "2").label == "Read, Create and Modify"
	claims.decode("Kx", "2").label == "Read and Send"
	claims.decode("lb", "3").label == "Can Edit All Appointments"
	claims.decode("lz", "0").label == "Can View Own Appointments"
	claims.decode("Tx", "2").claim == "Tickets Access Level"
}

test_sa_spellings if {
	every raw in ["true", "True", "TRUE", "1", true] {
		claims.decode("SA", raw).value == "true"
		claims.decode("SA", raw).rank == 1
	}
	every raw in ["false", "False", "0", "", false] {
		claims.decode("SA", raw).value == "false"
		claims.decode("SA", raw).rank == 0
	}
	claims.decode("SA", "maybe").known == false
}

test_flag_spellings if {
	claims.decode("l6", "true").rank == 1
	claims.decode("l6", "1").label == "Yes"
	claims.decode("l6", "False").rank == 0
}

test_unknown_value_of_known_code if {
	d := claims.decode("Tx", "7")
	d.known == false
	d.rank == 7
	contains(d.label, "unknown value")
}

test_unknown_code_kept_raw if {
	d := claims.decode("Q9", "5")
	d.known == false
	d.claim == "Q9"
	d.rank == 5
	claims.decode("Q9", "true").rank == 1
	claims.decode("Q9", "0").rank == 0
	claims.decode("Q9", "text").rank == 1
	claims.label("Q9") == "Q9"
}

test_lowest if {
	claims.lowest("Tx").label == "No Access"
	claims.lowest("SA").label == "No"
	claims.lowest("Hx").rank == 0
}
