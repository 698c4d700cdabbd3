# METADATA
# title: Collection errors
# description: |
#   Which data could not be collected. A check whose data is missing reports
#   error, never pass: these helpers say whether a resource, or one object's
#   details, failed, and describe the failure for the result's message.
# scope: package
package halolint.lib.collection

import data.halolint.lib.text

# The resources whose list or document failed (roles, agents, applications,
# categories, control, authinfo, or a detail resource).
failed_resources contains ce.resource if {
	some ce in text.list(input.collection_errors)
}

# [resource, object_id] of every failed detail request.
failed_objects contains [ce.resource, text.str(ce.object_id)] if {
	some ce in text.list(input.collection_errors)
}

# failed(resource) is true when the list or document of resource failed.
failed(resource) if resource in failed_resources

# failed_object(resource, id) is true when the details of one object failed.
failed_object(resource, id) if {
	count(failed_objects) > 0
	[resource, text.id(id)] in failed_objects
}

# describe(resource) says how every request for resource failed, for a
# message: "GET /api/Control answered 403 (Forbidden)".
describe(resource) := concat("; ", sort({d |
	some ce in text.list(input.collection_errors)
	ce.resource == resource
	d := _one(ce)
}))

# describe_object(resource, id) does the same for one object's details.
describe_object(resource, id) := concat("; ", sort({d |
	some ce in text.list(input.collection_errors)
	ce.resource == resource
	text.str(ce.object_id) == text.id(id)
	d := _one(ce)
}))

_one(ce) := sprintf("GET %s answered %v (%s)", [text.str(ce.endpoint), ce.status, text.str(ce.message)]) if {
	is_number(ce.status)
	ce.status > 0
} else := sprintf("GET %s failed (%s)", [text.str(ce.endpoint), text.str(ce.message)])

_labels := {
	"roles": "the roles",
	"agents": "the agents",
	"applications": "the applications",
	"categories": "the Category 1 list",
	"control": "the global settings (/api/Control)",
	"authinfo": "the authorisation server's details",
}

# label(resource) names a resource in words.
label(resource) := l if l := _labels[resource]

else := resource

# not_collected(resource) is the message of an error result for data that
# could not be read.
not_collected(resource) := sprintf("%s could not be read: %s. Give the auditor's application and agent read access to it and run the audit again", [label(resource), describe(resource)]) if {
	failed(resource)
} else := sprintf("%s were not collected", [label(resource)])
