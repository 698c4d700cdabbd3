package bench

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Figure is one line of the table: what was measured, beside its goal.
type Figure struct {
	Name     string
	Measured string
	Goal     string
	// Status is "ok", "MISSED", or "n/a" (not measured, or no goal).
	Status string
	// Note says why a figure is n/a, or what it depends on.
	Note string
}

// Verdict gives "ok" or "MISSED".
func Verdict(met bool) string {
	if met {
		return "ok"
	}
	return "MISSED"
}

// WriteTable prints the figures as an aligned text table.
func WriteTable(w io.Writer, figs []Figure) {
	head := []string{"figure", "measured", "goal", "result"}
	rows := [][]string{head}
	for _, f := range figs {
		status := f.Status
		if f.Note != "" && f.Status == "n/a" {
			status += " (" + f.Note + ")"
		}
		rows = append(rows, []string{f.Name, f.Measured, f.Goal, status})
	}
	width := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for n, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			fmt.Fprintf(&b, "%-*s  ", width[i], c)
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		if n == 0 {
			var u strings.Builder
			for i := range r {
				if i > 0 {
					u.WriteString("  ")
				}
				u.WriteString(strings.Repeat("-", width[i]))
			}
			fmt.Fprintln(w, u.String())
		}
	}
}

// WriteMarkdown prints the figures as a Markdown table.
func WriteMarkdown(w io.Writer, figs []Figure) {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintln(w, "| figure | measured | goal | result |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, f := range figs {
		status := f.Status
		if f.Note != "" && f.Status == "n/a" {
			status += " (" + f.Note + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", esc(f.Name), esc(f.Measured), esc(f.Goal), esc(status))
	}
}

// Dur formats a duration for the table: ms below 10 s, s above.
func Dur(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f min", d.Minutes())
}

// MiB formats a byte count.
func MiB(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// KiB writes a size in kibibytes, for small files.
func KiB(n int64) string { return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10)) }
