package reports

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Text wrapping for the table: lines measured in display columns (a wide
// CJK character takes two), broken at spaces, never before a UI path
// separator.

// wrap breaks s into lines of at most width display columns, at spaces
// where it can and inside a word only when the word alone is wider.
// Newlines in s are kept. width <= 0 means no wrapping.
func wrap(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if width <= 0 {
			out = append(out, para)
			continue
		}
		line, lineW := "", 0
		flush := func() {
			out = append(out, line)
			line, lineW = "", 0
		}
		words := glueSeparators(strings.Fields(para))
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		for _, word := range words {
			ww := twwidth.Width(word)
			if lineW > 0 && lineW+1+ww <= width {
				line += " " + word
				lineW += 1 + ww
				continue
			}
			if lineW > 0 {
				flush()
			}
			for ww > width {
				head, rest := cut(word, width)
				out = append(out, head)
				word, ww = rest, twwidth.Width(rest)
			}
			line, lineW = word, ww
		}
		flush()
	}
	return out
}

// glueSeparators joins a lone path separator to the word before it, so
// that a UI path such as "Roles > Cove-Role - untick" breaks after the ">"
// or "-", never before it: a line that starts with ">" or "-" reads as a
// quote or a list item.
func glueSeparators(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		switch w {
		case ">", "-", "–", "—", "|":
			if len(out) > 0 {
				out[len(out)-1] += " " + w
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// cut splits s after at most width display columns (at least one rune).
func cut(s string, width int) (string, string) {
	w := 0
	for i, r := range s {
		rw := twwidth.Width(string(r))
		if w+rw > width && i > 0 {
			return s[:i], s[i:]
		}
		w += rw
	}
	return s, ""
}

// hanging wraps text after a first-line prefix, continuing under indent.
func hanging(prefix, indent, text string, width int) []string {
	inner := 0
	if width > 0 {
		inner = max(width-max(twwidth.Width(prefix), twwidth.Width(indent)), minMessageWidth/2)
	}
	lines := wrap(text, inner)
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = indent + lines[i]
		}
	}
	return lines
}
