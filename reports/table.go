package reports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/halolint/halolint/audit"
)

// tableRenderer draws the report for people: one table per profile, the
// details of fail and warn rows under them, the collection errors, the
// summary and the exit reason.
type tableRenderer struct {
	opts Options
}

const (
	// colGap is the space between two columns.
	colGap = 2
	// minMessageWidth is the narrowest message column of a four-column
	// table; below it the table is stacked. minObjectWidth is the
	// narrowest object column.
	minMessageWidth = 40
	minObjectWidth  = 12
	// detailLabelWidth aligns the values of the detail lines.
	detailLabelWidth = len("remediation: ")
)

// palette holds the colours of one rendering. Each colour is its own
// instance, switched on or off explicitly, so that nothing depends on the
// global color.NoColor.
type palette struct {
	on     bool
	status map[audit.Status]*color.Color
	bold   *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		on: on,
		status: map[audit.Status]*color.Color{
			audit.StatusFail:   color.New(color.FgRed),
			audit.StatusWarn:   color.New(color.FgYellow),
			audit.StatusPass:   color.New(color.FgGreen),
			audit.StatusError:  color.New(color.FgMagenta),
			audit.StatusManual: color.New(color.FgCyan),
		},
		bold: color.New(color.Bold),
	}
	for _, c := range append(mapValues(p.status), p.bold) {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

func mapValues(m map[audit.Status]*color.Color) []*color.Color {
	out := make([]*color.Color, 0, len(m))
	for _, st := range audit.Statuses {
		out = append(out, m[st])
	}
	return out
}

// paint colours s with c when colour is on.
func (p palette) paint(c *color.Color, s string) string {
	if !p.on || c == nil || s == "" {
		return s
	}
	return c.Sprint(s)
}

// outcomeColor colours the exit reason by its code.
func (p palette) outcomeColor(code int) *color.Color {
	switch code {
	case 0:
		return p.status[audit.StatusPass]
	case 1:
		return p.status[audit.StatusFail]
	}
	return p.status[audit.StatusError]
}

// columns are the widths the table's columns are laid out in.
type columns struct {
	status, check, object int
	// message is the width of the message column; 0 means "do not wrap".
	message int
	// stacked is the layout for terminals too narrow for four columns:
	// STATUS, then one column with the check ID and object on the first
	// line and the message and details under them, full width.
	stacked bool
}

func (t *tableRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	pal := newPalette(t.opts.Color)
	outcome := Evaluate(r, t.opts.FailOn)

	var shown []audit.Result
	for _, res := range r.Results {
		if t.keep(res) {
			shown = append(shown, res)
		}
	}
	cols := t.layout(shown)

	var buf bytes.Buffer
	wroteSection := false
	for _, g := range groupByProfile(r) {
		var rows []audit.Result
		for _, res := range g.Results {
			if t.keep(res) {
				rows = append(rows, res)
			}
		}
		if t.opts.Quiet && len(rows) == 0 {
			continue
		}
		if wroteSection {
			buf.WriteString("\n")
		}
		wroteSection = true
		fmt.Fprintf(&buf, "%s %s\n", pal.paint(pal.bold, g.Profile), profileCounts(g.Results))
		if len(rows) == 0 {
			buf.WriteString("  no results\n")
			continue
		}
		if err := t.writeTable(&buf, rows, cols, pal); err != nil {
			return err
		}
	}

	var errs []audit.CollectionError
	for _, e := range r.CollectionErrors {
		if !t.opts.Quiet || e.Needed {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		if wroteSection {
			buf.WriteString("\n")
		}
		wroteSection = true
		fmt.Fprintf(&buf, "%s\n", pal.paint(pal.bold, "Collection errors:"))
		for _, e := range errs {
			why := "not needed by the selected checks"
			if e.Needed {
				why = "needed by a selected check"
			}
			for _, line := range hanging("  ", "    ", collectionErrorText(e)+" ("+why+")", t.opts.Width) {
				buf.WriteString(line + "\n")
			}
		}
	}

	if wroteSection {
		buf.WriteString("\n")
	}
	summary := fmt.Sprintf("Summary: %s; profiles %s; phase %s; source %s",
		summaryText(r.Summary), profileList(r.Profiles), r.Phase, sourceText(r.Source))
	for _, line := range hanging("", "  ", summary, t.opts.Width) {
		buf.WriteString(line + "\n")
	}
	for _, line := range hanging("", "  ", outcome.Reason(), t.opts.Width) {
		buf.WriteString(pal.paint(pal.outcomeColor(outcome.Code), line) + "\n")
	}
	return writeTrimmed(w, buf.Bytes())
}

// keep reports whether a quiet table shows a result.
func (t *tableRenderer) keep(res audit.Result) bool {
	if !t.opts.Quiet {
		return true
	}
	return res.Status == audit.StatusError || atOrAbove(res.Status, t.opts.FailOn)
}

// layout fits the columns in the terminal width. The status and check
// columns are never wrapped (IDs are never cut); the object column gets at
// most two fifths of what is left and the message the rest. When that
// leaves the message fewer than minMessageWidth columns, the table is
// stacked instead. The same layout serves every profile, so that columns
// line up down the whole report.
func (t *tableRenderer) layout(rows []audit.Result) columns {
	c := columns{status: len("STATUS"), check: len("CHECK"), object: len("OBJECT")}
	for _, res := range rows {
		c.status = max(c.status, twwidth.Width(string(res.Status)))
		c.check = max(c.check, twwidth.Width(res.ID))
		c.object = max(c.object, twwidth.Width(objectLabel(res.Object)))
	}
	if t.opts.Width <= 0 {
		return c
	}
	avail := t.opts.Width - c.status - c.check - 3*colGap
	natural := len("MESSAGE")
	for _, res := range rows {
		for _, line := range t.messageLines(res, 0) {
			natural = max(natural, twwidth.Width(line))
		}
	}
	if c.object+natural <= avail {
		c.message = natural
		return c
	}
	c.object = min(c.object, max(minObjectWidth, avail*2/5))
	c.message = avail - c.object
	if c.message < minMessageWidth {
		c.stacked = true
		c.message = max(t.opts.Width-c.status-colGap, minMessageWidth)
	}
	return c
}

// newTable is a borderless table whose cells the caller has laid out.
func newTable(w io.Writer) *tablewriter.Table {
	cell := tw.CellConfig{
		Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
		Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone, AutoFormat: tw.Off},
		Padding:    tw.CellPadding{Global: tw.Padding{Left: "", Right: strings.Repeat(" ", colGap), Overwrite: true}},
	}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{ShowHeader: tw.Off, ShowFooter: tw.Off, BetweenRows: tw.Off, BetweenColumns: tw.Off},
				Lines:      tw.Lines{ShowTop: tw.Off, ShowBottom: tw.Off, ShowHeaderLine: tw.Off, ShowFooterLine: tw.Off},
			},
		})),
		tablewriter.WithConfig(tablewriter.Config{
			Header:   cell,
			Row:      cell,
			Behavior: tw.Behavior{TrimSpace: tw.Off, TrimLine: tw.Off, TrimTab: tw.Off},
		}),
	)
}

// writeTable draws one profile's rows.
func (t *tableRenderer) writeTable(w io.Writer, rows []audit.Result, cols columns, pal palette) error {
	table := newTable(w)
	if cols.stacked {
		table.Header(padRight("STATUS", cols.status), "CHECK  OBJECT / MESSAGE")
	} else {
		table.Header(padRight("STATUS", cols.status), padRight("CHECK", cols.check), padRight("OBJECT", cols.object), "MESSAGE")
	}
	for i, res := range rows {
		status := pal.paint(pal.status[res.Status], string(res.Status)) +
			strings.Repeat(" ", cols.status-twwidth.Width(string(res.Status)))
		var cells []string
		var lines int
		if cols.stacked {
			content := stackedCell(res, cols.message, t.messageLines(res, cols.message-stackIndent))
			cells = []string{status, strings.Join(content, "\n")}
			lines = len(content)
		} else {
			object := wrapObject(res.Object, cols.object)
			for j := range object {
				object[j] = padRight(object[j], cols.object)
			}
			message := t.messageLines(res, cols.message)
			cells = []string{status, padRight(res.ID, cols.check), strings.Join(object, "\n"), strings.Join(message, "\n")}
			lines = max(len(object), len(message))
		}
		if err := table.Append(cells); err != nil {
			return err
		}
		// A blank line after a row of several lines keeps the next row
		// from reading as its continuation.
		if i < len(rows)-1 && lines > 1 {
			if err := table.Append(make([]string, len(cells))); err != nil {
				return err
			}
		}
	}
	return table.Render()
}

// stackIndent indents the message under the check ID in a stacked table.
const stackIndent = 2

// stackedCell is the one content cell of a stacked row: the check ID and
// the object on one line when they fit, else on two, then the message
// lines indented.
func stackedCell(res audit.Result, width int, message []string) []string {
	var lines []string
	label := objectLabel(res.Object)
	if twwidth.Width(res.ID)+colGap+twwidth.Width(label) <= width {
		lines = append(lines, res.ID+strings.Repeat(" ", colGap)+label)
	} else {
		lines = append(lines, res.ID)
		for _, l := range wrapObject(res.Object, width-stackIndent) {
			lines = append(lines, strings.Repeat(" ", stackIndent)+l)
		}
	}
	for _, l := range message {
		lines = append(lines, strings.Repeat(" ", stackIndent)+l)
	}
	return lines
}

// wrapObject wraps an object label, breaking after the type first:
// "application/" then the name.
func wrapObject(o audit.Object, width int) []string {
	label := objectLabel(o)
	if width <= 0 || twwidth.Width(label) <= width {
		return []string{label}
	}
	if prefix := string(o.Type) + "/"; strings.HasPrefix(label, prefix) && twwidth.Width(prefix) <= width {
		return append([]string{prefix}, wrap(strings.TrimPrefix(label, prefix), width)...)
	}
	return wrap(label, width)
}

// messageLines is the message column of one row: the message, and for fail
// and warn the expected and actual values, who grants the value, and the
// remediation, each wrapped to width (0: not wrapped).
func (t *tableRenderer) messageLines(res audit.Result, width int) []string {
	lines := wrap(res.Message, width)
	if res.Status != audit.StatusFail && res.Status != audit.StatusWarn {
		return lines
	}
	detail := func(label, value string) {
		if value == "" {
			return
		}
		head := padRight(label+":", detailLabelWidth)
		lines = append(lines, hanging(head, strings.Repeat(" ", detailLabelWidth), value, width)...)
	}
	detail("expected", formatValue(res.Expected))
	detail("actual", formatValue(res.Actual))
	detail("granted by", res.GrantedBy)
	detail("remediation", res.Remediation)
	return lines
}

// profileCounts is "(3 results: 1 fail, 2 pass)", naming only the statuses
// present.
func profileCounts(results []audit.Result) string {
	s := count(results)
	var parts []string
	for _, st := range audit.Statuses {
		if n := countOf(s, st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "(0 results)"
	}
	return fmt.Sprintf("(%s: %s)", plural(len(results), "result"), strings.Join(parts, ", "))
}

// profileList is "baseline, cove", or "none".
func profileList(p []string) string {
	if len(p) == 0 {
		return "none"
	}
	return strings.Join(p, ", ")
}

// padRight pads s with spaces to a display width.
func padRight(s string, width int) string {
	if gap := width - twwidth.Width(s); gap > 0 {
		return s + strings.Repeat(" ", gap)
	}
	return s
}

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
		words := strings.Fields(para)
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

// writeTrimmed writes b with the trailing blanks of every line removed (the
// table pads its last column).
func writeTrimmed(w io.Writer, b []byte) error {
	bw := bufio.NewWriter(w)
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), len(b)+1)
	for sc.Scan() {
		if _, err := bw.WriteString(strings.TrimRight(sc.Text(), " \t") + "\n"); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return bw.Flush()
}
