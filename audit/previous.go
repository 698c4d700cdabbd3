package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// maxReportFile bounds a previous report read from disk: reports of the
// largest tenants are a few MiB.
const maxReportFile = 256 << 20

// LoadReport reads the JSON report of an earlier run (--previous). A file
// that is not a halolint JSON report of schema version 1 is a
// *UsageError naming it.
func LoadReport(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &UsageError{Message: fmt.Sprintf("--previous %s: %v", path, errMessage(err))}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && !st.Mode().IsRegular() {
		return nil, &UsageError{Message: fmt.Sprintf("--previous %s: not a regular file", path)}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxReportFile+1))
	if err != nil {
		return nil, &UsageError{Message: fmt.Sprintf("--previous %s: %v", path, err)}
	}
	if len(b) > maxReportFile {
		return nil, &UsageError{Message: fmt.Sprintf("--previous %s: larger than %d MiB, not a halolint report", path, maxReportFile>>20)}
	}
	return ParseReport(b, path)
}

// ParseReport decodes a JSON report; name is the file messages show.
func ParseReport(b []byte, name string) (*Report, error) {
	bad := func(format string, args ...any) error {
		return &UsageError{Message: fmt.Sprintf("--previous %s: ", name) + fmt.Sprintf(format, args...)}
	}
	var head struct {
		SchemaVersion *int `json:"schema_version"`
		Tool          struct {
			Name string `json:"name"`
		} `json:"tool"`
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, bad("not a JSON report (%v)", err)
	}
	switch {
	case head.Tool.Name != "halolint" || head.SchemaVersion == nil:
		return nil, bad("not a halolint JSON report (write one with -o json=FILE)")
	case *head.SchemaVersion != ReportSchemaVersion:
		return nil, bad("schema_version %d, this halolint reads %d", *head.SchemaVersion, ReportSchemaVersion)
	case len(bytes.TrimSpace(head.Results)) == 0 || bytes.TrimSpace(head.Results)[0] != '[':
		return nil, bad("no results list")
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, bad("damaged report (%v)", err)
	}
	for i, res := range r.Results {
		if res.ID == "" || !res.Status.Valid() || !res.Object.Type.Valid() {
			return nil, bad("damaged report: results[%d] has no check ID, status or object type", i)
		}
	}
	return &r, nil
}
