package audit

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestRunTests(t *testing.T) {
	t.Parallel()
	failing := writeFiles(t, map[string]string{
		"more_test.rego": `package halolint.more_test

import data.halolint.profiles.base

test_passes if true

test_fails if {
	print("looking at base")
	count(base.results) == 99 with input as {"roles": [], "applications": [], "control": null}
}

todo_test_later if false

# Two outputs for one input: an evaluation error, not a failure.
f(_) := 1

f(_) := 2

test_errors if f(1) == 1

# Builtin errors are undefined, as in an audit: a failure.
test_builtin_error if to_number("x") == 1
`,
	})
	got, err := RunTests(context.Background(), os.DirFS("testdata/policies"), []string{"testdata/custom", failing})
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	type row struct {
		Package, Name, File string
		Outcome             TestOutcome
		Output              string
	}
	var rows []row
	for _, r := range got {
		file := r.File
		if strings.HasPrefix(file, failing) {
			file = "more" + strings.TrimPrefix(file, failing)
		}
		rows = append(rows, row{r.Package, r.Name, file, r.Outcome, string(r.Output)})
		if r.Duration < 0 {
			t.Errorf("%s: negative duration", r.Name)
		}
	}
	want := []row{
		{"data.halolint.more_test", "test_passes", "more/more_test.rego", TestPass, ""},
		{"data.halolint.more_test", "test_fails", "more/more_test.rego", TestFail, "looking at base\n"},
		{"data.halolint.more_test", "todo_test_later", "more/more_test.rego", TestSkip, ""},
		{"data.halolint.more_test", "test_errors", "more/more_test.rego", TestError, ""},
		{"data.halolint.more_test", "test_builtin_error", "more/more_test.rego", TestFail, ""},
		{"data.halolint.profiles.base_test", "test_unnamed_role_fails", "policies/base_test.rego", TestPass, ""},
		{"data.halolint.profiles.base_test", "test_named_role_passes", "policies/base_test.rego", TestPass, ""},
		{"data.halolint.profiles.extra_test", "test_api_agent_passes", "testdata/custom/extra_test.rego", TestPass, ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("RunTests (-want +got):\n%s", diff)
	}
}

func TestRunTestsRefusesWhatAuditsRefuse(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"net_test.rego": "package halolint.net_test\n\ntest_fetch if {\n\thttp.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n}\n",
	})
	_, err := RunTests(context.Background(), nil, []string{dir})
	var pe *PolicyError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "net_test.rego:4: builtin http.send is not allowed") {
		t.Errorf("RunTests: err = %v, want a PolicyError refusing http.send", err)
	}
}

// The built-in tests check the built-in policies as shipped: a custom
// profile beside them must not fail a built-in test of the whole catalogue,
// while the custom tests see both.
func TestRunTestsKeepsBuiltinTestsToTheBuiltinPolicies(t *testing.T) {
	t.Parallel()
	builtin := fstest.MapFS{
		"only.rego":       {Data: []byte("package halolint.profiles.only\n\nx := 1\n")},
		"world_test.rego": {Data: []byte("package halolint.world_test\n\ntest_closed_world if object.keys(data.halolint.profiles) == {\"only\"}\n")},
	}
	dir := writeFiles(t, map[string]string{
		"extra.rego":      "package halolint.profiles.extra\n\nx := 2\n",
		"extra_test.rego": "package halolint.profiles.extra_test\n\ntest_sees_both if {\n\tdata.halolint.profiles.only.x == 1\n\tdata.halolint.profiles.extra.x == 2\n}\n",
	})
	got, err := RunTests(context.Background(), builtin, []string{dir})
	if err != nil {
		t.Fatalf("RunTests: %v", err)
	}
	var names []string
	for _, r := range got {
		names = append(names, r.Name)
		if r.Outcome != TestPass {
			t.Errorf("%s.%s: %s", r.Package, r.Name, r.Outcome)
		}
	}
	if diff := cmp.Diff([]string{"test_sees_both", "test_closed_world"}, names); diff != "" {
		t.Errorf("tests run (-want +got):\n%s", diff)
	}
}
