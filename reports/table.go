package reports

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"
	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/halolint/halolint/audit"
)

// tableRenderer draws the report for people: one table per profile, the
// details of fail and warn rows under them, the collection errors, the
// notices (quiet or not: they change how the results read), the summary
// and the exit reason.
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
	case audit.ExitClean:
		return p.status[audit.StatusPass]
	case audit.ExitFindings:
		return p.status[audit.StatusFail]
	}
	return p.status[audit.StatusError]
}

// columns are the widths the table's columns are laid out in.
type columns struct {
	// width is the terminal width; 0 means unknown (lines are not wrapped).
	width                 int
	status, check, object int
	// message is the width of the message column; 0 means "do not wrap".
	message int
	// stacked is the layout for terminals too narrow for four columns:
	// the status, then the check ID and the object on the first line, and
	// the message and the details under them, indented, full width.
	stacked bool
}

// detailIndent is where the detail lines of a row start: under the check
// ID in a four-column table, under the message in a stacked one.
func (c columns) detailIndent() int {
	if c.stacked {
		return c.status + colGap + stackIndent
	}
	return c.status + colGap
}

func (t *tableRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	r = displayReport(printableReport(r))
	pal := newPalette(t.opts.Color)
	outcome := audit.Gate(r, t.opts.FailOn)

	var shown []audit.Result
	for _, res := range r.Results {
		if t.keep(res) {
			shown = append(shown, res)
		}
	}
	cols := t.layout(shown)

	var buf bytes.Buffer
	wroteSection := false
	if r.Previous != nil {
		fresh, fixed := changes(r)
		fmt.Fprintf(&buf, "%s\n", pal.paint(pal.bold, fmt.Sprintf("Since the previous run (%s): %s, %s", previousText(r), plural(len(fresh), "new finding"), plural(len(fixed), "fixed finding"))))
		for _, res := range fresh {
			for _, line := range hanging("  new    ", "         ", fmt.Sprintf("%s %s on %s", res.Status, res.ID, objectLabel(res.Object)), t.opts.Width) {
				buf.WriteString(line + "\n")
			}
		}
		for _, f := range fixed {
			for _, line := range hanging("  fixed  ", "         ", fmt.Sprintf("%s on %s", f.ID, objectLabel(f.Object)), t.opts.Width) {
				buf.WriteString(line + "\n")
			}
		}
		wroteSection = true
	}
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
		writeTable(&buf, rows, cols, pal)
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

	if len(r.Notices) > 0 {
		if wroteSection {
			buf.WriteString("\n")
		}
		wroteSection = true
		fmt.Fprintf(&buf, "%s\n", pal.paint(pal.bold, "Notices:"))
		for _, n := range r.Notices {
			for _, line := range hanging("  ", "    ", noticeText(n), t.opts.Width) {
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
	return res.Status == audit.StatusError || res.Status.AtOrAbove(t.opts.FailOn)
}

// layout fits the columns in the terminal width. The status and check
// columns are never wrapped (IDs are never cut). When the message column
// would get fewer than minMessageWidth columns beside an object column of
// two fifths of what is left, the table is stacked; otherwise what is left
// is split between the object and the message so that the rows take as
// few lines as they can. The details of fail and warn rows are not in the
// message column (they go under the row, full width), so only messages
// decide its width. The same layout serves every profile, so that columns
// line up down the whole report.
func (t *tableRenderer) layout(rows []audit.Result) columns {
	c := columns{width: max(t.opts.Width, 0), status: len("STATUS"), check: len("CHECK"), object: len("OBJECT")}
	for _, res := range rows {
		c.status = max(c.status, twwidth.Width(string(res.Status)))
		c.check = max(c.check, twwidth.Width(res.ID))
		c.object = max(c.object, twwidth.Width(objectLabel(res.Object)))
	}
	if c.width == 0 {
		return c
	}
	avail := c.width - c.status - c.check - 3*colGap
	natural := len("MESSAGE")
	for _, res := range rows {
		for _, line := range wrap(res.Message, 0) {
			natural = max(natural, twwidth.Width(line))
		}
	}
	if c.object+natural <= avail {
		c.message = natural
		return c
	}
	if avail-min(c.object, max(minObjectWidth, avail*2/5)) < minMessageWidth {
		c.stacked = true
		c.message = max(c.width-c.detailIndent(), minMessageWidth)
		return c
	}
	// Split what is left between the object and the message so that the
	// table is as short as it can be: a row costs its lines, one more for
	// the blank line that sets a row of several lines apart, and two more
	// when its object label is broken (a label cut in two reads worse than
	// a message wrapped once more). Between splits of the same cost, the
	// widest object column.
	best, bestCost := 0, 0
	for obj := minObjectWidth; obj <= min(c.object, avail-minMessageWidth); obj++ {
		cost := 0
		for _, res := range rows {
			o := len(wrapObject(res.Object, obj))
			n := max(o, len(wrap(res.Message, avail-obj)))
			cost += n
			if n > 1 {
				cost++
			}
			if o > 1 {
				cost += 2
			}
		}
		if best == 0 || cost <= bestCost {
			best, bestCost = obj, cost
		}
	}
	c.object = best
	c.message = avail - best
	return c
}

// writeTable draws one profile's rows: the header, then each row with its
// details under it. A blank line sets a row with details apart from its
// neighbours, and in a four-column table any row of several lines, whose
// wrapped message would otherwise run into the next row's in the message
// column. A stacked table needs no more: every row starts with its status
// and check ID at the left edge and the rest is indented under them, so
// rows without details follow each other as tightly as they can.
func writeTable(buf *bytes.Buffer, rows []audit.Result, cols columns, pal palette) {
	gap := strings.Repeat(" ", colGap)
	if cols.stacked {
		buf.WriteString(padRight("STATUS", cols.status) + gap + "CHECK  OBJECT / MESSAGE\n")
	} else {
		buf.WriteString(padRight("STATUS", cols.status) + gap + padRight("CHECK", cols.check) + gap +
			padRight("OBJECT", cols.object) + gap + "MESSAGE\n")
	}
	prevTall := false
	for i, res := range rows {
		var lines []string
		if cols.stacked {
			lines = stackedRow(res, cols)
		} else {
			lines = wideRow(res, cols)
		}
		details := detailLines(res, cols)
		tall := len(details) > 0 || (!cols.stacked && len(lines) > 1)
		lines = append(lines, details...)
		if i > 0 && (tall || prevTall) {
			buf.WriteString("\n")
		}
		prevTall = tall
		for j, line := range lines {
			if j == 0 {
				// The status is padded outside its colour, so that nothing
				// but the word itself is painted.
				line = pal.paint(pal.status[res.Status], string(res.Status)) +
					strings.Repeat(" ", cols.status-twwidth.Width(string(res.Status))) + gap + line
			} else {
				line = strings.Repeat(" ", cols.status+colGap) + line
			}
			buf.WriteString(line + "\n")
		}
	}
}

// wideRow is a row of the four-column table, from the check column on: the
// check ID, the object and the message side by side, the object and the
// message wrapped in their columns.
func wideRow(res audit.Result, cols columns) []string {
	gap := strings.Repeat(" ", colGap)
	object := wrapObject(res.Object, cols.object)
	message := wrap(res.Message, cols.message)
	lines := make([]string, max(len(object), len(message)))
	for i := range lines {
		id, o, m := "", "", ""
		if i == 0 {
			id = res.ID
		}
		if i < len(object) {
			o = object[i]
		}
		if i < len(message) {
			m = message[i]
		}
		lines[i] = padRight(id, cols.check) + gap + padRight(o, cols.object) + gap + m
	}
	return lines
}

// stackIndent indents the message under the check ID in a stacked table.
const stackIndent = 2

// stackedRow is a row of the stacked table, from the check column on: the
// check ID and the object on one line when they fit, else on two, then
// the message lines indented.
func stackedRow(res audit.Result, cols columns) []string {
	indent := strings.Repeat(" ", stackIndent)
	width := cols.width - cols.status - colGap
	var lines []string
	label := objectLabel(res.Object)
	if twwidth.Width(res.ID)+colGap+twwidth.Width(label) <= width {
		lines = append(lines, res.ID+strings.Repeat(" ", colGap)+label)
	} else {
		lines = append(lines, res.ID)
		for _, l := range wrapObject(res.Object, width-stackIndent) {
			lines = append(lines, indent+l)
		}
	}
	for _, l := range wrap(res.Message, cols.message) {
		lines = append(lines, indent+l)
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

// detailLabelWidth aligns the values of the detail lines: the longest
// label and two spaces.
var detailLabelWidth = len("granted by:") + 2

// detailLines are the lines under a fail or warn row, from the check column
// on: the expected and actual values, who grants the value and the
// remediation, each after a label and wrapped to the terminal width with
// a hanging indent (not wrapped when the width is unknown).
func detailLines(res audit.Result, cols columns) []string {
	if res.Status != audit.StatusFail && res.Status != audit.StatusWarn {
		return nil
	}
	indent := strings.Repeat(" ", cols.detailIndent()-cols.status-colGap)
	width := 0
	if cols.width > 0 {
		width = cols.width - cols.status - colGap
	}
	var lines []string
	detail := func(label, value string) {
		if value == "" {
			return
		}
		lines = append(lines, hanging(indent+padRight(label+":", detailLabelWidth),
			indent+strings.Repeat(" ", detailLabelWidth), value, width)...)
	}
	detail("expected", formatValue(res.Expected))
	detail("actual", formatValue(res.Actual))
	detail("granted by", res.GrantedBy)
	detail("fix", res.Remediation)
	if res.Accepted != nil {
		detail("accepted", acceptedText(res.Accepted))
	}
	if res.Change == audit.ChangeNew {
		detail("change", "new since the previous run")
	}
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
