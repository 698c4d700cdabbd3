# METADATA
# title: Role permission claim catalog
# description: |
#   Every claim code of halo-api.md §5 with its HaloPSA UI label and, for each
#   value, its label and rank (the order of access it gives). Encodings differ
#   from claim to claim, and a larger number is not always more access (Hx), so
#   every comparison goes through the rank kept here. Unknown codes are kept
#   raw, their numeric value taken as rank. This is the one place to correct
#   when a live tenant shows an encoding to be different.
# scope: package
package halolint.lib.claims

import data.halolint.lib.text

# Value label sets shared by several codes.
_levels_3 := {"0": "No Access", "1": "Read Only", "2": "Read and Modify"}

_levels_customers := {"0": "No Access", "1": "View (Names Only)", "2": "Read Only", "3": "Read and Modify"}

_levels_assets := {"0": "No Access", "1": "Read Only", "2": "Read and Modify", "3": "Read, Modify and Remove"}

# The Gradient document calls Invoices level 2 "Read, Create and Modify".
_levels_invoices := {"0": "No Access", "1": "Read Only", "2": "Read, Create and Modify", "3": "Read, Modify and Remove"}

_levels_lists := {"0": "No Access", "1": "Read Only", "2": "Read and Send", "3": "Read and Modify"}

_flag := {"0": "No", "1": "Yes"}

# values whose rank is their number.
_numbered(labels) := {v: {"label": l, "rank": to_number(v)} | some v, l in labels}

# Timesheets: 0 < 3 < 1 < 2 < 4.
_timesheets := {
	"0": {"label": "No Access", "rank": 0},
	"3": {"label": "Read Only", "rank": 1},
	"1": {"label": "Read and Modify (Own)", "rank": 2},
	"2": {"label": "Read and Modify (Managed)", "rank": 3},
	"4": {"label": "Read and Modify (All)", "rank": 4},
}

_level(label, values) := {"label": label, "kind": "level", "values": _numbered(values)}

_flagged(label) := {"label": label, "kind": "flag", "values": _numbered(_flag)}

# catalog[code] is {"label", "kind" (level, flag or bool), "values": {value: {"label", "rank"}}}.
catalog := {
	"Tx": _level("Tickets Access Level", _levels_3),
	"Ux": _level("Customers (Clients) Access Level", _levels_customers),
	"Fx": _level("Users Access Level", _levels_customers),
	"Ix": _level("Items Access Level", _levels_customers),
	"Dx": _level("Assets Access Level", _levels_assets),
	"Xx": _level("Invoices Access Level", _levels_invoices),
	"Cx": _level("Client Contracts Access Level", _levels_3),
	"Ax": _level("Calendars and Appointments Access Level", _levels_3),
	"Ox": _level("Sales Access Level", _levels_3),
	"Ex": _level("CRM Access Level", _levels_3),
	"Bx": _level("Knowledge Base Access Level", _levels_3),
	"Sx": _level("Suppliers Access Level", _levels_3),
	"Qx": _level("Quotations Access Level", _levels_3),
	"Yx": _level("Sales Orders Access Level", _levels_3),
	"Zx": _level("Purchase Orders Access Level", _levels_3),
	"Jx": _level("Billing Details Access Level", _levels_3),
	"Rx": _level("Reporting Access Level", _levels_3),
	"Gx": _level("Supplier Contracts Access Level", _levels_3),
	"Vx": _level("Services Access Level", _levels_3),
	"Wx": _level("Software Releases Access Level", _levels_3),
	"Lx": _level("Software Licencing Access Level", _levels_3),
	"Px": _level("Projects Access Level", _levels_3),
	"Mx": _level("Document Management Access Level", _levels_3),
	"Nx": _level("Mail Campaigns Access Level", _levels_3),
	"Hx": {"label": "Timesheets Access Level", "kind": "level", "values": _timesheets},
	"Kx": _level("Distribution Lists Access Level", _levels_lists),
	"SA": {"label": "Is a HaloPSA Administrator", "kind": "bool", "values": {
		"false": {"label": "No", "rank": 0},
		"true": {"label": "Yes", "rank": 1},
	}},
	"l6": _flagged("Can add new Tickets"),
	"lf": _flagged("Can edit closed Tickets"),
	"le": _flagged("Can edit Tickets which are not assigned to them"),
	"l9": _flagged("Can view unassigned Tickets"),
	"l8": _flagged("Can view Tickets that are assigned to other Agents"),
	"l7": _flagged("Can re-assign Tickets"),
	"lc": _flagged("Can change a Ticket's Ticket Type"),
	"l1": _flagged("Can edit advanced Ticket details"),
	"l4": _flagged("Can remove Tickets"),
	"lm": _flagged("Can export Tickets"),
	"l5": _level("Editing of Actions", {"0": "Cannot Edit Actions", "1": "Can Edit Own Actions Only", "3": "Can Edit All Actions"}),
	"lb": _level("Editing of Appointments", {"0": "Cannot Edit Appointments", "1": "Can Edit Own Appointments Only", "3": "Can Edit All Appointments"}),
	"lg": _level("Adding New Appointments", {"0": "Cannot Add Appointments", "1": "Can Add Own Appointments Only", "2": "Can Add All Appointments"}),
	"lz": _level("Visibility of Appointments", {"0": "Can View Own Appointments", "1": "Can View Team Appointments", "2": "Can View Team and Department Appointments", "3": "Can View All Appointments"}),
	"lr": _level("Deleting of Appointments", {"0": "Cannot Delete Appointments", "1": "Can Delete Own Appointments Only", "3": "Can Delete All Appointments"}),
	"Ft": _flagged("Allow use of all Ticket Types"),
	"Fc": _flagged("Allow use of all Customers (Clients)"),
	"Av": _flagged("Can create Roles"),
	"Ad": _flagged("Can create SQL data sources"),
	"la": _flagged("Password fields visible"),
}

# label(code) is the claim's UI label, the code itself when uncatalogued.
label(code) := l if l := catalog[code].label

else := code

# normalize(code, raw) is the value as the catalog spells it: "true"/"false"
# for SA (accepting "True", "1", "0"), "1"/"0" for flags (accepting
# true/false), the trimmed string otherwise.
normalize(code, raw) := v if {
	catalog[code].kind == "bool"
	v := _bool(text.norm(raw))
} else := v if {
	catalog[code].kind == "flag"
	v := _flagv(text.norm(raw))
} else := "0" if {
	text.norm(raw) == ""
} else := trim_space(text.str(raw))

_bool(s) := "true" if s in {"true", "1", "yes"}

else := "false" if s in {"", "0", "false", "no"}

else := s

_flagv(s) := "1" if s in {"1", "true", "yes"}

else := "0" if s in {"", "0", "false", "no"}

else := s

# raw_rank(v) ranks a value the catalog does not know: its number, 1/0 for
# true/false, 0 for "", 1 for any other text (reported, never ignored).
raw_rank(v) := to_number(v) if regex.match(`^-?[0-9]+(\.[0-9]+)?$`, v)

else := 1 if lower(v) == "true"

else := 0 if lower(v) in {"", "false"}

else := 1

# decode(code, raw) describes one claim value:
# {"code", "claim" (UI label), "value", "label" (the value's UI label),
#  "rank", "known" (the catalog knows both code and value)}.
decode(code, raw) := d if {
	v := normalize(code, raw)
	val := catalog[code].values[v]
	d := {"code": code, "claim": catalog[code].label, "value": v, "label": val.label, "rank": val.rank, "known": true}
} else := d if {
	catalog[code]
	v := normalize(code, raw)
	d := {"code": code, "claim": catalog[code].label, "value": v, "label": sprintf("unknown value %q", [v]), "rank": raw_rank(v), "known": false}
} else := d if {
	v := normalize(code, raw)
	d := {"code": code, "claim": code, "value": v, "label": sprintf("%q (uncatalogued claim)", [v]), "rank": raw_rank(v), "known": false}
}

# lowest(code) is the value an absent claim most likely has: the lowest one.
lowest(code) := decode(code, "0")

# describe(d) is "Tickets Access Level: Read and Modify".
describe(d) := sprintf("%s: %s", [d.claim, d.label])
