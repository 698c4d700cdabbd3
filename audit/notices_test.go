package audit

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/halolint/halolint/halo"
)

// The snapshot's notices reach the report in one order, whatever order the
// collection recorded them in; none is nil.
func TestEvaluateReportsNotices(t *testing.T) {
	t.Parallel()
	e := engine(t)
	snap := smallSnapshot()
	snap.Notices = []halo.Notice{
		{Kind: halo.NoticeEmptyList, Resource: halo.ResourceRoles, Endpoint: "/api/Roles", Message: "the server answered an empty list of roles"},
		{Kind: halo.NoticeAuditorNotFound, Resource: halo.ResourceApplications, Endpoint: "/api/Application", Message: "no application has the auditor's client ID"},
		{Resource: halo.ResourceApplications, Endpoint: "/api/Application", Message: "another"}, // a snapshot of an older halolint
	}
	want := []Notice{
		{Kind: "auditor-not-found", Endpoint: "/api/Application", Message: "no application has the auditor's client ID"},
		{Kind: "collection", Endpoint: "/api/Application", Message: "another"},
		{Kind: "empty-list", Endpoint: "/api/Roles", Message: "the server answered an empty list of roles"},
	}
	for range 3 {
		got, err := e.Evaluate(context.Background(), snap, Selection{Profiles: []string{"base"}})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.Notices); diff != "" {
			t.Errorf("notices (-want +got):\n%s", diff)
		}
		snap.Notices[0], snap.Notices[2] = snap.Notices[2], snap.Notices[0]
	}

	got, err := e.Evaluate(context.Background(), smallSnapshot(), Selection{Profiles: []string{"base"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Notices != nil {
		t.Errorf("a snapshot without notices gave %+v", got.Notices)
	}
}
