# METADATA
# title: Result builders for the engine's test policies
# scope: package
package halolint.lib.result

object(type, id, name) := {"type": type, "id": id, "name": name}

# status(ok) is "pass" when ok, else "fail".
status(true) := "pass"

status(false) := "fail"
