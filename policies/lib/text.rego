# METADATA
# title: Text helpers
# description: Null-safe string and list helpers shared by the library.
# scope: package
package halolint.lib.text

# str(x) is x when x is a string, "" for null, else x printed.
str(x) := x if is_string(x)

else := "" if is_null(x)

else := sprintf("%v", [x])

# id(x) is an object id as the string results carry: str(x), spelt out
# rather than calling str, as a user function call costs ten builtins and
# id is asked of every object.
id(x) := x if is_string(x)

else := "" if is_null(x)

else := sprintf("%v", [x])

# norm(x) is x trimmed and lower-cased, for case-insensitive comparison.
norm(x) := lower(trim_space(str(x)))

# list(x) is x when it is an array, else an empty array.
list(x) := x if is_array(x)

else := []

# same_name(a, b) compares two names case-insensitively, ignoring spaces at
# either end.
same_name(a, b) if {
	norm(a) != ""
	norm(a) == norm(b)
}

# join(xs) joins a collection of strings with ", " in sorted order.
join(xs) := concat(", ", sort([x | some x in xs]))

# quoted(xs) joins names as "a", "b".
quoted(xs) := concat(", ", [sprintf("%q", [x]) | some x in sort([y | some y in xs])])
