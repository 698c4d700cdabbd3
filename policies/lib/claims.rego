# METADATA
# title: Role permission claim catalog
# description: |
#   Every claim code of the vocabulary (policies/vocabulary.yaml) with its
#   HaloPSA UI label and, for each value, its label and rank (the order of
#   access it gives). Encodings differ from claim to claim, and a larger
#   number is not always more access (timesheets), so every comparison goes
#   through the rank. Unknown codes are kept raw, their numeric value taken
#   as rank.
# scope: package
package halolint.lib.claims

import data.halolint.lib.text

# catalog[code] is {"label", "kind" (level, flag or bool), "values": {value:
# {"label", "rank"}}}, from the vocabulary (policies/vocabulary.yaml).
catalog := data.halolint.vocabulary.claims

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
