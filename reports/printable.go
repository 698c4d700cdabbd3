package reports

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/halolint/halolint/audit"
)

// Printable makes text that may come from the tenant (object names,
// messages quoting them, server answers, a snapshot file anyone may have
// edited) safe to show on a terminal or in Markdown: tabs and line breaks
// (U+2028 and U+2029 too) become spaces, so that a name cannot start a
// line (a row) of its own; every other control character (C0, DEL, C1)
// is spelled out as an escape (\x1b), and so is every invisible format
// character (bidirectional controls, which reorder what follows them on
// screen, zero-width spaces, the tag characters that hide text: \u202e,
// \u200b, \U000e0041), the two joiners that scripts and emoji need
// (U+200C, U+200D) aside; invalid UTF-8 becomes U+FFFD. Other text is
// returned unchanged.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case isLineBreak(r):
			b.WriteByte(' ')
		case r < 0x100 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isInvisibleFormat(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case isInvisibleFormat(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsEscape reports whether Printable changes a rune.
func needsEscape(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	if r == utf8.RuneError && size == 1 {
		return true
	}
	return unicode.IsControl(r) || isLineBreak(r) || isInvisibleFormat(r)
}

// isLineBreak reports the characters Printable turns into a space: tab,
// line feed, carriage return, and the Unicode line and paragraph
// separators, which some terminals and renderers also break lines at.
func isLineBreak(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'
}

// isInvisibleFormat reports a format character (Unicode category Cf) that
// Printable spells out: every one but the zero-width joiner and
// non-joiner, which Persian, Indic scripts and emoji sequences need and
// which can neither reorder nor hide text. (The bidirectional controls are
// all of category Cf.)
func isInvisibleFormat(r rune) bool {
	return unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d'
}

// printableReport is r with every string that the table and Markdown show
// made Printable. r is normalized already: its slices are copies, but the
// lists inside Expected and Actual are still the caller's, so changed ones
// are copied.
func printableReport(r *audit.Report) *audit.Report {
	n := *r
	n.Tool.Name, n.Tool.Version = Printable(r.Tool.Name), Printable(r.Tool.Version)
	n.Source.Kind, n.Source.URL, n.Source.File = Printable(r.Source.Kind), Printable(r.Source.URL), Printable(r.Source.File)
	n.Phase = audit.Phase(Printable(string(r.Phase)))
	n.Profiles = make([]string, len(r.Profiles))
	for i, p := range r.Profiles {
		n.Profiles[i] = Printable(p)
	}
	n.Results = make([]audit.Result, len(r.Results))
	for i, res := range r.Results {
		res.ID, res.Profile, res.Title = Printable(res.ID), Printable(res.Profile), Printable(res.Title)
		res.Object = audit.Object{
			Type: audit.ObjectType(Printable(string(res.Object.Type))),
			ID:   Printable(res.Object.ID),
			Name: Printable(res.Object.Name),
		}
		res.Message, res.Remediation, res.Source = Printable(res.Message), Printable(res.Remediation), Printable(res.Source)
		res.GrantedBy = Printable(res.GrantedBy)
		res.Expected, res.Actual = printableValue(res.Expected), printableValue(res.Actual)
		if a := res.Accepted; a != nil {
			res.Accepted = &audit.Accepted{Reason: Printable(a.Reason), Expires: a.Expires, By: Printable(a.By)}
		}
		n.Results[i] = res
	}
	n.Fixed = make([]audit.Finding, len(r.Fixed))
	for i, f := range r.Fixed {
		f.ID, f.Profile, f.Title = Printable(f.ID), Printable(f.Profile), Printable(f.Title)
		f.Object = audit.Object{Type: audit.ObjectType(Printable(string(f.Object.Type))), ID: Printable(f.Object.ID), Name: Printable(f.Object.Name)}
		n.Fixed[i] = f
	}
	if r.Previous != nil {
		prev := *r.Previous
		prev.URL, prev.File = Printable(prev.URL), Printable(prev.File)
		n.Previous = &prev
	}
	n.CollectionErrors = make([]audit.CollectionError, len(r.CollectionErrors))
	for i, e := range r.CollectionErrors {
		e.Endpoint, e.Message = Printable(e.Endpoint), Printable(e.Message)
		n.CollectionErrors[i] = e
	}
	n.Notices = make([]audit.Notice, len(r.Notices))
	for i, no := range r.Notices {
		n.Notices[i] = audit.Notice{Kind: Printable(no.Kind), Endpoint: Printable(no.Endpoint), Message: Printable(no.Message)}
	}
	return &n
}

// printableValue is an expected or actual value made Printable: a string,
// a new list; anything else as the string formatValue shows it.
func printableValue(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return Printable(x)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = Printable(s)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = printableValue(e)
		}
		return out
	}
	return Printable(formatValue(v))
}
