package halolint.lib.collection_test

import data.halolint.lib.collection
import data.halolint.test.fixtures as fx

test_failed_resource if {
	collection.failed("control") with input as fx.tenant({"collection_errors": [fx.error("control", "")]})
	not collection.failed("control") with input as fx.empty
}

test_failed_object if {
	inp := fx.tenant({"collection_errors": [fx.error("agent", "12")]})
	collection.failed_object("agent", 12) with input as inp
	collection.failed_object("agent", "12") with input as inp
	not collection.failed_object("agent", 13) with input as inp
}

test_describe if {
	inp := fx.tenant({"collection_errors": [fx.error("control", "")]})
	d := collection.describe("control") with input as inp
	d == "GET /api/control answered 403 (Forbidden)"
}

test_describe_no_status if {
	inp := fx.tenant({"collection_errors": [{"resource": "roles", "object_id": "", "endpoint": "/api/Roles", "status": 0, "message": "decode failure"}]})
	d := collection.describe("roles") with input as inp
	d == "GET /api/Roles failed (decode failure)"
}
