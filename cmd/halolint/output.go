package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/reports"
)

// outputSpec is one -o value: FORMAT (standard output) or FORMAT=PATH.
type outputSpec struct {
	format string
	path   string // "" for standard output
}

// parseOutputs reads audit's -o values.
func parseOutputs(values []string) ([]outputSpec, error) {
	return parseOutputsOf(values, reports.Formats())
}

// parseOutputsOf reads -o values naming one of the known formats; none is
// a table on standard output.
func parseOutputsOf(values, known []string) ([]outputSpec, error) {
	if len(values) == 0 {
		values = []string{reports.FormatTable}
	}
	var specs []outputSpec
	toStdout := 0
	for _, v := range values {
		format, path, _ := strings.Cut(v, "=")
		format = strings.ToLower(strings.TrimSpace(format))
		if !contains(known, format) {
			return nil, usageErrorf("-o %s: unknown format %q (one of %s)", v, format, strings.Join(known, ", "))
		}
		if strings.Contains(v, "=") && path == "" {
			return nil, usageErrorf("-o %s: no file after =", v)
		}
		if path == "" || path == "-" {
			path = ""
			toStdout++
		}
		specs = append(specs, outputSpec{format: format, path: path})
	}
	if toStdout > 1 {
		return nil, usageErrorf("-o: at most one output may go to standard output; name a file with FORMAT=PATH")
	}
	for _, spec := range specs {
		if err := checkOutputPath(spec.path); err != nil {
			return nil, usageErrorf("-o %s=%s: %v", spec.format, spec.path, err)
		}
	}
	return specs, nil
}

// checkOutputPath refuses, before a single request is spent on the
// tenant, a file that could not be written: its folder missing, or the
// path naming a folder. ("" is standard output.)
func checkOutputPath(path string) error {
	if path == "" {
		return nil
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a folder", path)
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("folder %s: %w", dir, errors.Unwrap(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// renderOutputs writes the report in every requested format.
func renderOutputs(env *cmdEnv, specs []outputSpec, report *audit.Report, opts reports.Options, color colorMode) error {
	return writeOutputs(env, specs, opts, color, func(format string, o reports.Options, w io.Writer) error {
		r, err := reports.New(format, o)
		if err != nil {
			return usageErrorf("-o %s: %v", format, err)
		}
		return r.Render(w, report)
	})
}

// writeOutputs renders every requested output with render, which is given
// the options of its stream (colour and width for standard output). Every
// output is rendered in memory first, so a renderer's error leaves no
// half-written file and nothing half-printed.
func writeOutputs(env *cmdEnv, specs []outputSpec, opts reports.Options, color colorMode, render func(format string, o reports.Options, w io.Writer) error) error {
	type rendered struct {
		spec outputSpec
		data []byte
	}
	var all []rendered
	for _, spec := range specs {
		o := opts
		if spec.path == "" {
			o.Color = useColor(color, env.getenv, env.stdoutTTY)
			o.Width = env.termWidth
		}
		var buf bytes.Buffer
		if err := render(spec.format, o, &buf); err != nil {
			var coded *exitError
			if errors.As(err, &coded) {
				return err
			}
			return fmt.Errorf("render %s: %w", spec.format, err)
		}
		all = append(all, rendered{spec, buf.Bytes()})
	}
	for _, r := range all {
		data := r.data
		write := func(w io.Writer) error { _, err := w.Write(data); return err }
		var err error
		if r.spec.path == "" {
			err = write(env.stdout)
		} else {
			err = writeFileAtomically(r.spec.path, write)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
