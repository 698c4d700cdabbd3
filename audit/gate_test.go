package audit

import (
	"testing"
)

func TestGate(t *testing.T) {
	t.Parallel()
	with := func(statuses ...Status) *Report {
		r := &Report{}
		for _, s := range statuses {
			r.Results = append(r.Results, Result{Status: s})
		}
		return r
	}
	tests := []struct {
		name   string
		report *Report
		failOn FailOn
		code   int
		reason string
	}{
		{"clean", with(StatusPass), FailOnFail, 0, "exit 0: no result at or above --fail-on fail"},
		{"fail", with(StatusFail, StatusFail, StatusWarn), FailOnFail, 1, "exit 1: 2 results at or above --fail-on fail"},
		{"warn under fail", with(StatusWarn), FailOnFail, 0, "exit 0: no result at or above --fail-on fail"},
		{"warn under warn", with(StatusWarn, StatusFail, StatusPass), FailOnWarn, 1, "exit 1: 2 results at or above --fail-on warn"},
		{"manual never counts", with(StatusManual), FailOnWarn, 0, "exit 0: no result at or above --fail-on warn"},
		{"never", with(StatusFail), FailOnNever, 0, "exit 0: --fail-on never, and no result is error"},
		{"error beats never", with(StatusError, StatusFail), FailOnNever, 3, "exit 3: 1 result with status error: the audit is incomplete"},
		{"error beats fail", with(StatusError, StatusError, StatusFail), FailOnFail, 3, "exit 3: 2 results with status error: the audit is incomplete"},
		{"default threshold", with(StatusFail), "", 1, "exit 1: 1 result at or above --fail-on fail"},
		{"no report", nil, FailOnWarn, 0, "exit 0: no result at or above --fail-on warn"},
		{"unneeded collection errors never count", &Report{
			Results:          []Result{{Status: StatusPass}},
			CollectionErrors: []CollectionError{{Endpoint: "/api/Control", Status: 403, Needed: false}},
		}, FailOnFail, 0, "exit 0: no result at or above --fail-on fail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := Gate(tt.report, tt.failOn)
			if o.Code != tt.code || o.Reason() != tt.reason {
				t.Errorf("got %d %q, want %d %q", o.Code, o.Reason(), tt.code, tt.reason)
			}
		})
	}
}

func TestParseFailOn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]FailOn{"": FailOnFail, "fail": FailOnFail, "warn": FailOnWarn, "never": FailOnNever} {
		if got, err := ParseFailOn(in); err != nil || got != want {
			t.Errorf("ParseFailOn(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"sometimes", "FAIL", "error"} {
		if _, err := ParseFailOn(in); err == nil {
			t.Errorf("ParseFailOn(%q) accepted", in)
		}
	}
}

func TestAtOrAbove(t *testing.T) {
	t.Parallel()
	want := map[FailOn][]Status{
		FailOnFail:  {StatusFail},
		FailOnWarn:  {StatusFail, StatusWarn},
		FailOnNever: nil,
	}
	for f, above := range want {
		for _, s := range Statuses {
			in := false
			for _, a := range above {
				in = in || a == s
			}
			if got := s.AtOrAbove(f); got != in {
				t.Errorf("%s.AtOrAbove(%s) = %v, want %v", s, f, got, in)
			}
		}
	}
}
