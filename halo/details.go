package halo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// permissionField is the field a detail answer must carry for halolint to
// judge the object: a role's claims, an application's scopes. An agent's
// own claims are not required: most agents have none, and whether Halo
// then sends an empty list or nothing is not known.
func permissionField(r Resource) string {
	switch r {
	case ResourceRole:
		return "claims"
	case ResourceApplication:
		return "scopes"
	}
	return ""
}

// detail is one detail answer, or why there is none.
type detail struct {
	obj map[string]any
	err error
}

// fetchDetails reads the details of every key with at most Concurrency
// requests in flight. A refused authorisation cancels the rest and is
// returned; every other failure is recorded and skipped.
func fetchDetails[K comparable](ctx context.Context, col *collector, resource Resource, keys []K,
	endpoint func(K) string, get func(context.Context, string) (map[string]any, error)) (map[K]map[string]any, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]detail, len(keys))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(col.client.cfg.Concurrency, len(keys)) {
		wg.Go(func() {
			for i := range next {
				obj, err := get(ctx, endpoint(keys[i]))
				results[i] = detail{obj: obj, err: err}
				if errors.Is(err, ErrUnauthorized) {
					cancel()
				}
				col.report()
			}
		})
	}
feed:
	for i := range keys {
		if col.client.valuesSpent() {
			break
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	errs := make([]error, len(results))
	for i, r := range results {
		errs[i] = r.err
	}
	if err := authFailure(errs); err != nil {
		return nil, err
	}
	out := make(map[K]map[string]any, len(keys))
	for i, r := range results {
		id := fmt.Sprint(keys[i])
		if r.obj == nil && r.err == nil {
			// Never started: ctx ended, or the budget of values was spent,
			// while feeding.
			r.err = fmt.Errorf("not read: %w", context.Cause(ctx))
			if ctx.Err() == nil {
				r.err = col.client.errValuesSpent()
			}
		}
		if r.err == nil && !strings.EqualFold(str(r.obj["id"]), id) {
			// JSON of another shape (an error object, a list envelope)
			// must not pass for the details: merged over the listed
			// object, its missing fields would read as "none granted".
			r.err = &APIError{Endpoint: endpoint(keys[i]), Status: 200,
				Message: fmt.Sprintf("the answer is not the details of %s %s (its id is %q)", resource, id, shortText(str(r.obj["id"])))}
		}
		if field := permissionField(resource); r.err == nil && field != "" && r.obj[field] == nil {
			// Details without the permissions themselves (a server that
			// ignored includedetails=true) would read as "nothing
			// granted", and administrator checks would pass on it.
			r.err = &APIError{Endpoint: endpoint(keys[i]), Status: 200,
				Message: fmt.Sprintf("the details of %s %s carry no %q field, so what it grants is unknown", resource, id, field)}
		}
		if err := col.failed(ctx, resource, id, endpoint(keys[i]), r.err); err != nil {
			return nil, err
		}
		if r.err == nil {
			out[keys[i]] = r.obj
		}
	}
	return out, nil
}

// mergeDetails overlays each detail answer on its list object, so that
// fields only the list carries survive; details of objects the list did
// not hold (a login agent hidden from the list) are appended.
func mergeDetails[K comparable](listed []map[string]any, details map[K]map[string]any, key func(any) K) []map[string]any {
	seen := make(map[K]bool, len(details))
	out := make([]map[string]any, 0, len(listed)+len(details))
	for _, m := range listed {
		k := key(m["id"])
		if d, ok := details[k]; ok && !seen[k] {
			merged := maps.Clone(m)
			maps.Copy(merged, d)
			m = merged
			seen[k] = true
		}
		out = append(out, m)
	}
	for _, k := range sortedKeys(details) {
		if !seen[k] {
			out = append(out, details[k])
		}
	}
	return out
}

func sortedKeys[K comparable](m map[K]map[string]any) []K {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return keys
}

// decodeAll decodes merged objects, marking those whose details answered.
func decodeAll[K comparable, T any](objs []map[string]any, details map[K]map[string]any, key func(any) K,
	decode func(map[string]any, bool) T) []T {
	out := make([]T, 0, len(objs))
	for _, m := range objs {
		_, detailed := details[key(m["id"])]
		out = append(out, decode(m, detailed))
	}
	return out
}
