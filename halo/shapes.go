package halo

import "fmt"

// The fields that decide what an object grants are read strictly: a value
// of an unexpected shape is a collection error for that object (its checks
// report error), never read as "nothing granted". Everything else is read
// tolerantly (decode.go).

// shapeProblem says why the fields of a merged object (list and details)
// that decide what it grants are of a shape halolint does not read, ""
// when they are all readable.
func shapeProblem(resource Resource, m map[string]any) string {
	switch resource {
	case ResourceApplication:
		if v, ok := m["loginas_agent_id"]; ok && v != nil {
			if n, isInt := integer(v); !isInt || n < 0 {
				return fmt.Sprintf("its login agent id (loginas_agent_id, a %s) is not a whole number, so whom it logs in as is unknown", jsonKind(v))
			}
		}
	}
	return ""
}

// vetShapes records a collection error for each object of objs whose
// permission fields are unreadable, and takes it out of details: an
// object whose permissions are unknown is not detailed.
func vetShapes[K comparable](c *collector, resource Resource, objs []map[string]any, details map[K]map[string]any,
	key func(any) K, endpoint func(K) string) {
	for _, m := range objs {
		problem := shapeProblem(resource, m)
		if problem == "" {
			continue
		}
		k := key(m["id"])
		c.mu.Lock()
		c.errs = append(c.errs, CollectionError{Resource: resource, ObjectID: fmt.Sprint(k), Endpoint: endpoint(k), Status: 200,
			Message: c.client.secrets.scrub(fmt.Sprintf("%s %v: %s", resource, k, problem))})
		c.mu.Unlock()
		delete(details, k)
	}
}
