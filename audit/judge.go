package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// After the policies, two judgements of the MSP's own: the findings it
// accepts (the config file's accept list) and what changed since a
// previous run (--previous). Both match a finding to a result the same
// way, so that a rename between runs changes nothing and a different
// object is never taken for the one meant.

// Accepted is how an accepted result shows its acceptance.
type Accepted struct {
	Reason  string `json:"reason"`
	Expires Date   `json:"expires"`
	By      string `json:"by,omitempty"`
}

// Change is how a finding compares with the previous run.
type Change string

const (
	ChangeNew       Change = "new"
	ChangeUnchanged Change = "unchanged"
)

// Finding names a check on an object, for the fixed findings of a
// comparison.
type Finding struct {
	ID      string `json:"id"`
	Profile string `json:"profile"`
	Title   string `json:"title,omitempty"`
	Object  Object `json:"object"`
}

// Notice kinds of these judgements.
const (
	NoticeAcceptanceExpired   = "acceptance-expired"
	NoticeAcceptanceExpiring  = "acceptance-expiring"
	NoticeAcceptanceStale     = "acceptance-stale"
	NoticeAcceptanceAmbiguous = "acceptance-ambiguous"
	NoticePreviousInstance    = "previous-instance"
)

// expiringWithin is how soon before its expiry an acceptance is announced.
const expiringWithin = 14 * 24 * time.Hour

// finding is a fail or warn result: what acceptances and comparisons
// apply to.
func finding(r Result) bool { return r.Status == StatusFail || r.Status == StatusWarn }

// sameObject matches two objects of one check: by type and ID when both
// have an ID (IDs are stable in HaloPSA, names can be edited), else by type
// and name.
func sameObject(a, b Object) bool {
	if a.Type != b.Type {
		return false
	}
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	return a.ID == "" && b.ID == "" && strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(b.Name))
}

// applyAcceptances marks the accepted findings and returns the notices the
// acceptances give (expired, expiring soon, matching nothing, ambiguous).
// today decides expiry: an acceptance applies before its expires date.
func applyAcceptances(results []Result, accept []Acceptance, today Date, file string) []Notice {
	var notices []Notice
	for _, a := range accept {
		where := a.where(file)
		if !today.Before(a.Expires.Time) {
			notices = append(notices, Notice{Kind: NoticeAcceptanceExpired, Endpoint: where,
				Message: fmt.Sprintf("the acceptance of %s expired on %s: its findings count again; renew it with a new reason and date, or fix them", a.describe(), a.Expires)})
			continue
		}
		matched := matchAcceptance(results, a)
		if ids := distinctObjects(results, matched); a.ObjectID == "" && a.Object != "" && len(ids) > 1 {
			notices = append(notices, Notice{Kind: NoticeAcceptanceAmbiguous, Endpoint: where,
				Message: fmt.Sprintf("the acceptance of %s matches %d different objects of that name, so it applies to none: add object_id to say which", a.describe(), len(ids))})
			continue
		}
		if len(matched) == 0 {
			notices = append(notices, Notice{Kind: NoticeAcceptanceStale, Endpoint: where,
				Message: fmt.Sprintf("the acceptance of %s matches no fail or warn result: remove it if the finding is gone", a.describe())})
			continue
		}
		for _, i := range matched {
			if results[i].Accepted == nil { // the first acceptance listed wins
				results[i].Accepted = &Accepted{Reason: a.Reason, Expires: a.Expires, By: a.By}
			}
		}
		if a.Expires.Sub(today.Time) <= expiringWithin {
			notices = append(notices, Notice{Kind: NoticeAcceptanceExpiring, Endpoint: where,
				Message: fmt.Sprintf("the acceptance of %s expires on %s: review it before then", a.describe(), a.Expires)})
		}
	}
	return notices
}

// matchAcceptance lists the findings an acceptance names: its check, on
// its object (by ID when it gives one, else by type and name), or on every
// object when it names none. error, pass and manual are never accepted.
func matchAcceptance(results []Result, a Acceptance) []int {
	typ, name, _ := splitObject(a.Object)
	var out []int
	for i, r := range results {
		if r.ID != a.Check || !finding(r) {
			continue
		}
		switch {
		case a.ObjectID != "":
			if r.Object.ID != a.ObjectID || (a.Object != "" && r.Object.Type != typ) {
				continue
			}
		case a.Object != "":
			if r.Object.Type != typ || !strings.EqualFold(strings.TrimSpace(r.Object.Name), name) {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

func distinctObjects(results []Result, idx []int) map[string]bool {
	ids := map[string]bool{}
	for _, i := range idx {
		ids[string(results[i].Object.Type)+"\x00"+results[i].Object.ID] = true
	}
	return ids
}

// compare marks each finding new or unchanged against the previous
// report's findings, and returns the previous findings that are gone
// (fixed), sorted as results are.
func compare(results []Result, previous *Report) []Finding {
	var before []Result
	for _, p := range previous.Results {
		if finding(p) {
			before = append(before, p)
		}
	}
	still := make([]bool, len(before))
	for i := range results {
		if !finding(results[i]) {
			continue
		}
		results[i].Change = ChangeNew
		for j, p := range before {
			if p.ID == results[i].ID && sameObject(p.Object, results[i].Object) {
				results[i].Change = ChangeUnchanged
				still[j] = true
			}
		}
	}
	var fixed []Finding
	for j, p := range before {
		if !still[j] {
			fixed = append(fixed, Finding{ID: p.ID, Profile: p.Profile, Title: p.Title, Object: p.Object})
		}
	}
	slices.SortStableFunc(fixed, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.Profile, b.Profile), strings.Compare(a.ID, b.ID),
			strings.Compare(a.Object.Name, b.Object.Name), strings.Compare(a.Object.ID, b.Object.ID))
	})
	return fixed
}
