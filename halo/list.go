package halo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const (
	// pageSize is what Halo accepts on every paginated endpoint.
	pageSize = 100
	// maxListPages stops a server that never stops paging: 10,000 objects
	// of one kind is far beyond any tenant, and at the default budget this
	// many pages already cost over three minutes.
	maxListPages = 100
	// maxListObjects bounds one list however it is paged: one bare array
	// can hold as many objects as a hundred pages.
	maxListObjects = maxListPages * pageSize
)

// listRequest describes one list endpoint.
type listRequest struct {
	path  string     // e.g. /api/Roles
	query url.Values // the resource's own parameters, without paging
	// names are the envelope keys that name this resource ("roles"),
	// preferred when an envelope holds several arrays.
	names []string
}

// endpoint is the path and query of one page.
func (r listRequest) endpoint(page int) string {
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	q.Set("pageinate", "true") // Halo's spelling
	q.Set("page_size", strconv.Itoa(pageSize))
	q.Set("page_no", strconv.Itoa(page))
	return r.path + "?" + q.Encode()
}

// list reads every page of a list endpoint and decodes each object. It
// accepts a bare JSON array (the server ignored paging: that is all,
// unless it holds exactly a page, when the next page must say) and
// an envelope {"<key>": [...], "record_count": n} (read pages until an
// empty page, or a short one once n objects have come: shorter than
// asked, or than the longest so far, as a server may cap page_size below
// what was asked).
// Elements that are not objects are skipped.
//
// An envelope list that does not add up is an error, never a shorter
// list: a page that repeats the one before (a server that ignores
// page_no, or a list that changed while it was read), or fewer distinct
// objects than the first page's record_count announced.
func list[T any](ctx context.Context, c *Client, req listRequest, decode func(map[string]any) T) ([]T, error) {
	items := make([]T, 0)
	received := 0
	var previous []any
	pageLimit := maxListPages
	// The first page's record_count, -1 when it has none, and the ids
	// seen so far, to count distinct objects against it.
	announced := -1
	ids := map[string]bool{}
	distinct := 0
	// largest is the longest page so far: a server may cap page_size
	// below what was asked, and a page is short only against that cap.
	largest := 0
	for page := 1; ; page++ {
		endpoint := req.endpoint(page)
		if page > pageLimit {
			return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK,
				Message: fmt.Sprintf("server kept sending pages: stopped after %d pages (%d objects)", pageLimit, received)}
		}
		v, err := c.get(ctx, c.api, endpoint)
		if err != nil {
			return nil, err
		}
		pg, err := parsePage(v, req.names)
		if err != nil {
			return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK, Message: err.Error()}
		}
		if page > 1 && sameFirstObject(pg.items, previous) {
			if pg.bare || page == 2 && announced >= 0 && distinct >= announced {
				// The server ignores page_no and sent page 1 again: page 1
				// was the whole list (an envelope's count says so).
				return items, nil
			}
			return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK, Message: fmt.Sprintf(
				"page %d repeats page %d (it starts with the same object): the server ignores page_no, or the list changed while it was read; the objects after page %d are unknown",
				page, page-1, page-1)}
		}
		if page == 1 && !pg.bare && pg.hasCount {
			announced = pg.recordCount
		}
		for _, m := range objects(pg.items) {
			items = append(items, decode(m))
			if id := idKey(m["id"]); id == "" || !ids[id] {
				ids[id] = true
				distinct++
			}
		}
		received += len(pg.items)
		if received > maxListObjects {
			return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK,
				Message: fmt.Sprintf("the list holds more than %d objects, more than any tenant has: refused rather than read", maxListObjects)}
		}
		previous = pg.items
		// A full page: as many objects as asked for, or as the largest
		// page so far. One holding more than asked is the whole list of a
		// server that ignores paging.
		full := len(pg.items) == pageSize || page > 1 && len(pg.items) >= largest && len(pg.items) <= pageSize
		largest = max(largest, len(pg.items))
		done := false
		switch {
		case len(pg.items) == 0:
			done = true
		case pg.bare && len(pg.items) != pageSize:
			// The whole list (the server ignored paging), or the short
			// last page of a server that pages bare arrays.
			return items, nil
		case pg.bare:
			// Exactly a page: either the whole list happens to hold
			// pageSize objects, or the server pages bare arrays and more
			// follow. The next page tells which; assuming the first would
			// silently drop objects.
			continue
		case pg.hasCount && received >= pg.recordCount && !full:
			done = true
		case pg.hasCount && received >= pg.recordCount:
			// The count is reached on a full page: the next page says
			// whether more follow. A count that understates the list must
			// not hide what the pages after it hold.
		case !pg.hasCount && page > 1 && !full:
			// Without a count, a first page shorter than asked may be the
			// server's cap: only the second page tells.
			done = true
		}
		if done {
			if announced >= 0 && distinct < announced {
				return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK, Message: fmt.Sprintf(
					"the server announced %d objects and sent %d distinct ones: objects went missing between pages (or the list changed while it was read)",
					announced, distinct)}
			}
			return items, nil
		}
		if page == 1 && pg.hasCount {
			// As many pages as the count needs at the page size the server
			// really answers, and one of slack in case objects are added
			// while reading.
			size := max(1, len(pg.items))
			pageLimit = min(maxListPages, (pg.recordCount+size-1)/size+1)
		}
	}
}

// idKey is an object's id as text, "" when it has none.
func idKey(v any) string {
	switch v.(type) {
	case string, json.Number, float64:
		return str(v)
	}
	return ""
}

// sameFirstObject reports whether two pages start with the same object (by
// id), which is how a server that ignores page_no shows itself.
func sameFirstObject(a, b []any) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	x, okA := a[0].(map[string]any)
	y, okB := b[0].(map[string]any)
	return okA && okB && x["id"] != nil && fmt.Sprint(x["id"]) == fmt.Sprint(y["id"])
}

// page is one answer of a list endpoint.
type page struct {
	items       []any
	bare        bool
	hasCount    bool
	recordCount int
}

// parsePage finds the list in an answer. In an envelope the list's key is
// not documented, so it is the single array-valued field, or, when there
// are several, the one named like the resource.
func parsePage(v any, names []string) (page, error) {
	switch x := v.(type) {
	case []any:
		return page{items: x, bare: true}, nil
	case map[string]any:
		return parseEnvelope(x, names)
	case nil:
		return page{}, errors.New("the answer is null, not a list")
	}
	return page{}, fmt.Errorf("the answer is a %s, not a list", jsonKind(v))
}

func parseEnvelope(obj map[string]any, names []string) (page, error) {
	var pg page
	for k, v := range obj {
		if strings.EqualFold(k, "record_count") {
			if n, ok := integer(v); ok && n >= 0 {
				pg.hasCount, pg.recordCount = true, n
			}
		}
	}
	var arrays []string
	for k, v := range obj {
		if _, ok := v.([]any); ok {
			arrays = append(arrays, k)
		}
	}
	sort.Strings(arrays)
	named := func() (string, bool) {
		for _, k := range arrays {
			for _, n := range names {
				if strings.EqualFold(k, n) {
					return k, true
				}
			}
		}
		return "", false
	}
	switch {
	case len(arrays) == 1:
		pg.items = obj[arrays[0]].([]any)
	case len(arrays) > 1:
		k, ok := named()
		if !ok {
			return page{}, fmt.Errorf("the answer holds several lists (%s) and none is named %s", strings.Join(arrays, ", "), strings.Join(names, " or "))
		}
		pg.items = obj[k].([]any)
	case pg.hasCount && pg.recordCount == 0, namedNull(obj, names):
		// {"roles": null} or {"record_count": 0}: an empty list.
	default:
		return page{}, errors.New("the answer is an object without a list")
	}
	return pg, nil
}

// namedNull reports a field named like the resource holding null.
func namedNull(obj map[string]any, names []string) bool {
	for k, v := range obj {
		for _, n := range names {
			if v == nil && strings.EqualFold(k, n) {
				return true
			}
		}
	}
	return false
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "number"
}
