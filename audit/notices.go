package audit

import (
	"cmp"
	"slices"
	"strings"

	"github.com/halolint/halolint/halo"
)

// noticeCollection is the kind of a collection notice from a snapshot
// written before notices had kinds.
const noticeCollection = "collection"

// noticesOf is the snapshot's notices as the report shows them, in
// CompareNotices order (the collection records them as its requests
// finish); nil when there are none.
func noticesOf(notices []halo.Notice) []Notice {
	if len(notices) == 0 {
		return nil
	}
	out := make([]Notice, 0, len(notices))
	for _, n := range notices {
		kind := n.Kind
		if kind == "" {
			kind = noticeCollection
		}
		out = append(out, Notice{Kind: kind, Endpoint: n.Endpoint, Message: n.Message})
	}
	slices.SortStableFunc(out, CompareNotices)
	return out
}

// CompareNotices is the report order of notices: kind, endpoint, message.
// Renderers that re-sort use it too.
func CompareNotices(a, b Notice) int {
	return cmp.Or(
		strings.Compare(a.Kind, b.Kind),
		strings.Compare(a.Endpoint, b.Endpoint),
		strings.Compare(a.Message, b.Message),
	)
}
