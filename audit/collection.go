package audit

import (
	"sort"

	"github.com/halolint/halolint/halo"
)

// feeds says which checks, by object type, can depend on a resource. The
// vendor profiles chain application → login agent → roles to find their
// objects, so the role, agent and application lists and details feed each
// other's checks (and "tenant" ones, which report on what is missing);
// categories and Control feed only their own kind. An unknown resource,
// or authinfo, feeds everything.
func feeds(r halo.Resource, t ObjectType) bool {
	switch r {
	case halo.ResourceRoles, halo.ResourceRole,
		halo.ResourceAgents, halo.ResourceAgent,
		halo.ResourceApplications, halo.ResourceApplication:
		return t == ObjectRole || t == ObjectAgent || t == ObjectApplication || t == ObjectTenant
	case halo.ResourceCategories:
		return t == ObjectCategory
	case halo.ResourceControl:
		return t == ObjectSetting
	}
	return true
}

// collectionErrors lists the snapshot's collection errors for the report,
// sorted (a live collection may finish its requests in any order), each
// marked Needed by this rule:
//
// A collection error is needed when a selected profile that depends on its
// resource (one of the profile's checks has an object type the resource
// feeds) reported a result with status error from its policies. The
// engine's own "check produced no result" errors do not count: they mean a
// policy bug, not missing data.
//
// So Control refused while only cove is audited is not needed (cove has no
// setting check); while timezest is audited it is, as soon as timezest's
// settings check reports error. Needed only informs the reader: the exit
// code follows the error results themselves.
func (e *Engine) collectionErrors(errs []halo.CollectionError, selected []string, results []Result) []CollectionError {
	erred := map[string]bool{} // profiles with a policy-produced error
	for _, r := range results {
		if r.Status == StatusError && r.Message != MessageNoResult {
			erred[r.Profile] = true
		}
	}
	out := make([]CollectionError, 0, len(errs))
	for _, ce := range errs {
		out = append(out, CollectionError{
			Endpoint: ce.Endpoint,
			Status:   ce.Status,
			Message:  ce.Message,
			Needed:   e.needed(ce.Resource, selected, erred),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Endpoint != b.Endpoint:
			return a.Endpoint < b.Endpoint
		case a.Status != b.Status:
			return a.Status < b.Status
		}
		return a.Message < b.Message
	})
	return out
}

func (e *Engine) needed(res halo.Resource, selected []string, erred map[string]bool) bool {
	for _, name := range selected {
		if !erred[name] {
			continue
		}
		for _, c := range e.byName[name].Checks {
			if feeds(res, c.Object) {
				return true
			}
		}
	}
	return false
}
