# Generic checks: categories, departments, settings, manual.
# The checks on what is neither role, agent nor application: ticket
# categories, the role's department membership, global settings, a
# documented administrator, and what only a person can check.
package halolint.lib.checks

import data.halolint.lib.collection
import data.halolint.lib.discovery
import data.halolint.lib.permissions
import data.halolint.lib.results
import data.halolint.lib.text

# category(objs, check, c): the Category list c.list has the value c.value
# (case-insensitively); the config file may rename the first category a
# profile documents (c.configurable).
category(objs, check, c) := r if {
	name := _category_wanted(objs, c)
	found := [x |
		some x in text.list(input.categories)
		_category_list(x) == c.list
		_category_named(x, name)
	]
	count(found) > 0
	x := sort([[text.id(y.id), y] | some y in found])[0][1]
	r := results.make(check, "pass", {"type": "category", "id": text.id(x.id), "name": _category_name(x)}, sprintf("Category %d has the value %q", [c.list, _category_name(x)]), {"expected": name, "actual": _category_name(x)})
} else := r if {
	collection.failed("categories")
	name := _category_wanted(objs, c)
	r := results.make(check, "error", discovery.missing_object("category", name), collection.not_collected("categories"), {"expected": name})
} else := r if {
	name := _category_wanted(objs, c)
	r := results.make(check, "fail", discovery.missing_object("category", name), sprintf("Category %d has no value %q, which %s needs: add it in Configuration > Tickets > Categorisation > Category %d and save", [c.list, name, objs.spec.vendor, c.list]), {"expected": name, "actual": "not found"})
}

_category_wanted(objs, c) := discovery.expected_name(objs.spec, "category") if c.configurable == true

else := c.value

# A category without type_id is taken to be of Category 1.
_category_list(x) := x.type_id if x.type_id in {1, 2, 3, 4}

else := 1

_category_named(c, name) if text.same_name(c.value, name)

_category_named(c, name) if text.same_name(c.category_name, name)

_category_name(c) := text.str(c.value) if text.str(c.value) != ""

else := text.str(c.category_name)

# department_membership(objs, check, level): the role's department
# membership levels, whose encoding nobody documents: manual, with the raw
# levels, asking for level (as the vendor words it) in every department.
department_membership(objs, check, level) := r if {
	objs.role.status == "error"
	r := results.make(check, "error", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": sprintf("%s in every department", [level])})
} else := r if {
	objs.role.status != "found"
	r := results.make(check, "fail", discovery.missing_object("role", objs.role.name), objs.role.message, {"expected": sprintf("%s in every department", [level]), "actual": "no role found"})
} else := r if {
	not permissions.role_source(objs.role.object).known
	r := results.make(check, "error", discovery.object("role", objs.role.object), permissions.role_source(objs.role.object).reason, {"expected": sprintf("%s in every department", [level])})
} else := r if {
	levels := sort([sprintf("%s: membership level %v", [_department(d), d.membershiplevel]) | some d in text.list(objs.role.object.departments)])
	r := results.make(check, "manual", discovery.object("role", objs.role.object), sprintf("the encoding of department membership levels is not documented, so halolint cannot judge them (read: %s): check on role %q's Departments & Teams tab that every department is set to %s", [_levels_text(levels), objs.role.name, level]), {"expected": sprintf("%s in every department", [level]), "actual": _levels_actual(levels)})
}

_department(d) := text.str(d.department_name) if text.str(d.department_name) != ""

else := sprintf("department %v", [d.department_id])

_levels_text(levels) := concat("; ", levels) if count(levels) > 0

else := "no department membership listed"

_levels_actual(levels) := levels if count(levels) > 0

else := "no department membership listed"

# control_flag(check, setting): a boolean of the global settings has the
# documented value. setting is {"field", "want" (bool), "name" (UI label),
# "path" (where in HaloPSA)}.
control_flag(check, setting) := r if {
	not is_object(input.control)
	r := results.make(check, "error", _setting_object(setting), _control_unread, {"expected": _setting_words(setting.want)})
} else := r if {
	v := _bool_value(object.get(input.control, setting.field, null))
	v == setting.want
	r := results.make(check, "pass", _setting_object(setting), sprintf("%s: %q is %s, as documented", [setting.path, setting.name, _setting_words(v)]), {"expected": _setting_words(setting.want), "actual": _setting_words(v)})
} else := r if {
	v := _bool_value(object.get(input.control, setting.field, null))
	r := results.make(check, "fail", _setting_object(setting), sprintf("%s: %q is %s: %s it", [setting.path, setting.name, _setting_words(v), _setting_action(setting.want)]), {"expected": _setting_words(setting.want), "actual": _setting_words(v)})
} else := results.make(check, "manual", _setting_object(setting), sprintf("the API did not give %s: check in HaloPSA, %s, that %q is %s", [setting.field, setting.path, setting.name, _setting_words(setting.want)]), {"expected": _setting_words(setting.want), "actual": "not given by the API"})

_control_unread := collection.not_collected("control")

_setting_object(setting) := {"type": "setting", "id": setting.field, "name": setting.name}

_setting_words(true) := "selected"

_setting_words(false) := "not selected"

_setting_action(true) := "select"

_setting_action(false) := "clear"

_bool_value(v) := v if is_boolean(v)

else if text.norm(v) in {"1", "true"}

else := false if text.norm(v) in {"0", "false"}

# ---------------------------------------------------------------------------
# Documented administrator, and what only a person can check

# admin_documented(objs, check): the vendor documents administrator rights
# (administrator: documented): present passes, saying so; absent fails,
# since the vendor's setup needs them.
admin_documented(objs, check) := r if {
	objs.permissions.status != "known"
	r := _no_permissions(objs, check, "Yes")
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	not have.known
	r := results.make(check, "manual", objs.permissions.subject, sprintf("Is a HaloPSA Administrator of %s is %s%s, a value halolint cannot read: check in HaloPSA that it is ticked, as %s documents", [_subject(objs), have.label, _by(have), objs.spec.vendor]), {"expected": "Yes", "actual": have.label, "granted_by": have.granted_by})
} else := r if {
	have := permissions.claim(objs.permissions.sources, "SA")
	have.rank > 0
	r := results.make(check, "pass", objs.permissions.subject, sprintf("%s is a HaloPSA Administrator%s, as %s documents (least privilege would have less: the baseline reports it as a documented administrator)", [_subject(objs), _by(have), objs.spec.vendor]), {"expected": "Yes", "actual": "Yes", "granted_by": have.granted_by})
} else := results.make(check, "fail", objs.permissions.subject, sprintf("%s is not a HaloPSA Administrator, which %s documents: tick Is a HaloPSA Administrator on %s", [_subject(objs), objs.spec.vendor, _fix_place(objs)]), {"expected": "Yes", "actual": "No"})

# manual(objs, check, c): what the API cannot show: where to look.
manual(objs, check, c) := results.make(check, "manual", _manual_object(objs, c), sprintf("the API does not show this: check in HaloPSA, %s, that %s", [c.look, c.title]), {"expected": c.expected})

_manual_object(objs, c) := discovery.object("role", objs.role.object) if {
	c.object == "role"
	objs.role.status == "found"
} else := discovery.missing_object("role", objs.role.name) if {
	c.object == "role"
} else := results.tenant
