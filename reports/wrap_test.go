package reports

import (
	"slices"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

func TestWrap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"one two three", 0, []string{"one two three"}},
		{"one two three", -1, []string{"one two three"}},
		{"one two three", 7, []string{"one two", "three"}},
		{"one two three", 13, []string{"one two three"}},
		{"  spaced   out  ", 20, []string{"spaced out"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"ab abcdefghij", 4, []string{"ab", "abcd", "efgh", "ij"}},
		{"統合ロール x", 4, []string{"統合", "ロー", "ル x"}},
		{"a\nb c", 3, []string{"a", "b c"}},
		{"a\n\nb", 3, []string{"a", "", "b"}},
		{"a\nb", 0, []string{"a", "b"}},
		{"", 5, []string{""}},
		{"a > b > c - d", 5, []string{"a >", "b >", "c - d"}},
		{"> a", 2, []string{">", "a"}},
		{"Roles > Cove-Role | x", 11, []string{"Roles >", "Cove-Role |", "x"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.in, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

// Every line wrap gives fits its width, and only spaces are lost.
func TestWrapFitsAndKeepsEveryWord(t *testing.T) {
	t.Parallel()
	text := "Configuration > Teams & Agents > Roles > Rôle d'intégration 統合ロール > Permissions - untick Is a HaloPSA Administrator"
	for width := 1; width <= 40; width++ {
		lines := wrap(text, width)
		for _, l := range lines {
			if w := twwidth.Width(l); w > width && twwidth.Width(string([]rune(l)[0])) <= width {
				t.Errorf("width %d: line %q is %d columns", width, l, w)
			}
		}
		if got, want := strings.ReplaceAll(strings.Join(lines, ""), " ", ""), strings.ReplaceAll(text, " ", ""); got != want {
			t.Errorf("width %d: %q lost text", width, lines)
		}
	}
}

func TestCut(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in         string
		width      int
		head, rest string
	}{
		{"abcdef", 4, "abcd", "ef"},
		{"abc", 4, "abc", ""},
		{"統合ロール", 5, "統合", "ロール"},
		// At least one rune, even when it alone is wider.
		{"統合", 1, "統", "合"},
		{"abc", 0, "a", "bc"},
	} {
		head, rest := cut(tt.in, tt.width)
		if head != tt.head || rest != tt.rest {
			t.Errorf("cut(%q, %d) = %q, %q; want %q, %q", tt.in, tt.width, head, rest, tt.head, tt.rest)
		}
	}
}

func TestGlueSeparators(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want []string
	}{
		{[]string{"a", ">", "b", "-", "c", "–", "d", "—", "e", "|", "f"}, []string{"a >", "b -", "c –", "d —", "e |", "f"}},
		// A separator that starts the text has nothing to join.
		{[]string{">", "a"}, []string{">", "a"}},
		{[]string{"a->b", "x"}, []string{"a->b", "x"}},
		{nil, []string{}},
	} {
		if got := glueSeparators(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("glueSeparators(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHanging(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		prefix, indent, text string
		width                int
		want                 []string
	}{
		{"fix: ", "     ", "one two three", 0, []string{"fix: one two three"}},
		{"fix: ", "     ", "alpha beta gamma delta epsilon zeta eta theta", 30,
			[]string{"fix: alpha beta gamma delta", "     epsilon zeta eta theta"}},
		// Never narrower than half the narrowest message column, however
		// long the prefix.
		{strings.Repeat("p", 50), "  ", "alpha beta gamma delta epsilon zeta", 52,
			[]string{strings.Repeat("p", 50) + "alpha beta gamma", "  delta epsilon zeta"}},
	} {
		if got := hanging(tt.prefix, tt.indent, tt.text, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("hanging(%q, %q, %q, %d) = %q, want %q", tt.prefix, tt.indent, tt.text, tt.width, got, tt.want)
		}
	}
}
