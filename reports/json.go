package reports

import (
	"encoding/json"
	"io"

	"github.com/halolint/halolint/audit"
)

// jsonRenderer writes the JSON report, schema version 1 (the JSON
// Schema is schemas/report.v1.json): the keys in the documented order,
// two-space indentation, a trailing newline, the summary counted from the
// results, collection_errors always a list, source.file only for
// snapshots. HTML characters are not escaped, so that remediation paths
// read "Configuration > Integrations".
type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
