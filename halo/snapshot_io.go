package halo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/halolint/halolint/internal/localfile"
)

// maxSnapshotBytes bounds a snapshot file read into memory; a real one is
// a few megabytes at most.
const maxSnapshotBytes = 256 << 20

// snapshotDecodeLimits are what explaining a damaged snapshot may cost: a
// snapshot is the user's own file, and may be large, but not deep.
var snapshotDecodeLimits = decodeLimits{MaxDepth: 64, MaxValues: maxSnapshotBytes / 2, MaxObjects: maxSnapshotBytes / 4}

// SnapshotError is a snapshot file that cannot be used: another schema
// version, damaged or not JSON. Its message is one line.
type SnapshotError struct {
	// Path is the file, "" when read from a stream.
	Path    string
	Problem string
}

func (e *SnapshotError) Error() string {
	if e.Path == "" {
		return "snapshot: " + e.Problem
	}
	return "snapshot " + e.Path + ": " + e.Problem
}

// WriteSnapshot writes s as compact JSON (jq . indents it): a large
// tenant's snapshot is less than half the size indented, and loads in half
// the time. Map keys are sorted and the lists are sorted by normalize, so
// the same snapshot gives the same bytes.
func WriteSnapshot(w io.Writer, s *Snapshot) error {
	if s == nil {
		return errors.New("write snapshot: nil snapshot")
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// LoadSnapshotFile reads a snapshot written by WriteSnapshot: a regular
// file of at most maxSnapshotBytes (a device or a named pipe is refused,
// not read).
func LoadSnapshotFile(path string) (*Snapshot, error) {
	data, err := localfile.Read(path, maxSnapshotBytes)
	switch {
	case errors.Is(err, localfile.ErrTooLarge):
		return nil, &SnapshotError{Path: path, Problem: fmt.Sprintf("larger than %d bytes", maxSnapshotBytes)}
	case errors.Is(err, localfile.ErrNotRegular):
		return nil, &SnapshotError{Path: path, Problem: err.Error()}
	case err != nil:
		// A snapshot file that cannot be opened is the user's to fix,
		// like a damaged one: a *SnapshotError, so the CLI exits 2.
		return nil, &SnapshotError{Path: path, Problem: "cannot open: " + err.Error()}
	}
	s, err := decodeSnapshot(data)
	var snapErr *SnapshotError
	if errors.As(err, &snapErr) {
		snapErr.Path = path
	}
	return s, err
}

// LoadSnapshot reads and validates a snapshot. It accepts only
// SchemaVersion, and re-applies redaction, so that a hand-edited snapshot
// cannot carry a secret into a report.
func LoadSnapshot(r io.Reader) (*Snapshot, error) {
	data, err := readBounded(r, maxSnapshotBytes)
	if errors.Is(err, errBodyTooLarge) {
		return nil, &SnapshotError{Problem: fmt.Sprintf("larger than %d bytes", maxSnapshotBytes)}
	}
	if err != nil {
		return nil, &SnapshotError{Problem: "cannot read: " + err.Error()}
	}
	return decodeSnapshot(data)
}

// decodeSnapshot is LoadSnapshot on the bytes read.
func decodeSnapshot(data []byte) (*Snapshot, error) {
	// Decode once into the model; only a snapshot that fails to decode,
	// or is of another version, is parsed generically to say what is wrong
	// with it. Snapshots of large tenants run to tens of megabytes: their
	// roles are decoded on every core when they are of the shape halolint
	// writes.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s, ok := decodeSplit(data)
	if !ok {
		var err error
		if s, err = decodeWhole(data); err != nil {
			return nil, err
		}
	}
	s.normalize()
	return s, nil
}

// decodeWhole decodes data with encoding/json alone.
func decodeWhole(data []byte) (*Snapshot, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // Extra keeps numbers as written
	var s Snapshot
	err := dec.Decode(&s)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("data after the snapshot object")
	}
	if err != nil || s.SchemaVersion != SchemaVersion {
		return nil, explainSnapshot(data, err)
	}
	return &s, nil
}

// explainSnapshot says why data is not a snapshot this version reads:
// not JSON, not an object, no or another schema_version, or a field of the
// wrong type (decodeErr).
func explainSnapshot(data []byte, decodeErr error) *SnapshotError {
	generic, _, err := decodeJSONWithin(data, snapshotDecodeLimits)
	if err != nil {
		return &SnapshotError{Problem: "not valid JSON: " + err.Error()}
	}
	top, ok := generic.(map[string]any)
	if !ok {
		return &SnapshotError{Problem: fmt.Sprintf("expected a JSON object, found a %s", jsonKind(generic))}
	}
	rawVersion, ok := top["schema_version"]
	if !ok {
		return &SnapshotError{Problem: "no schema_version: not a halolint snapshot"}
	}
	version, ok := integer(rawVersion)
	if !ok {
		return &SnapshotError{Problem: fmt.Sprintf("schema_version %q is not a number", claimValue(rawVersion))}
	}
	if version != SchemaVersion {
		return &SnapshotError{Problem: fmt.Sprintf("schema version %d; this halolint reads version %d", version, SchemaVersion)}
	}
	if decodeErr == nil {
		decodeErr = errors.New("unreadable")
	}
	return &SnapshotError{Problem: "damaged: " + describeDecodeError(decodeErr)}
}

func describeDecodeError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "(top level)"
		}
		return fmt.Sprintf("field %s holds a %s, expected %s", field, typeErr.Value, typeErr.Type)
	}
	return err.Error()
}

// normalize puts a snapshot in its canonical form: redacted, no nil lists,
// every list sorted. Collect and LoadSnapshot both end with it, so a
// written and reloaded snapshot compares equal to the original.
func (s *Snapshot) normalize() {
	s.Source.URL = withoutCredentials(s.Source.URL)
	s.Roles = nonNil(s.Roles)
	s.Agents = nonNil(s.Agents)
	s.Applications = nonNil(s.Applications)
	s.Categories = nonNil(s.Categories)
	s.CollectionErrors = nonNil(s.CollectionErrors)
	s.Notices = nonNil(s.Notices)

	for i := range s.Roles {
		r := &s.Roles[i]
		r.Claims = nonNil(r.Claims)
		r.Departments = nonNil(r.Departments)
		for j := range r.Departments {
			r.Departments[j].Extra = redactExtra(r.Departments[j].Extra)
		}
		r.Extra = redactExtra(r.Extra)
	}
	for i := range s.Agents {
		a := &s.Agents[i]
		a.Roles = nonNil(a.Roles)
		a.Claims = nonNil(a.Claims)
		a.Extra = redactExtra(a.Extra)
	}
	for i := range s.Applications {
		a := &s.Applications[i]
		a.Scopes = sortedUnique(a.Scopes)
		a.Extra = redactExtra(a.Extra)
	}
	for i := range s.Categories {
		s.Categories[i].Extra = redactExtra(s.Categories[i].Extra)
	}

	// A snapshot halolint wrote is sorted already: checking is one pass,
	// sorting it again many.
	sortStable(s.Roles, func(a, b Role) bool { return lessByName(a.Name, a.ID, b.Name, b.ID) })
	sortStable(s.Agents, func(a, b Agent) bool {
		if a.Name != b.Name {
			return lessByName(a.Name, "", b.Name, "")
		}
		return a.ID < b.ID
	})
	sortStable(s.Applications, func(a, b Application) bool {
		return lessByName(a.DisplayName, a.ID, b.DisplayName, b.ID)
	})
	sort.SliceStable(s.Categories, func(i, j int) bool {
		a, b := s.Categories[i], s.Categories[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Value < b.Value
	})
	sort.SliceStable(s.CollectionErrors, func(i, j int) bool {
		a, b := s.CollectionErrors[i], s.CollectionErrors[j]
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		if a.ObjectID != b.ObjectID {
			return a.ObjectID < b.ObjectID
		}
		return a.Message < b.Message
	})
	sort.SliceStable(s.Notices, func(i, j int) bool {
		a, b := s.Notices[i], s.Notices[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Endpoint != b.Endpoint {
			return a.Endpoint < b.Endpoint
		}
		return a.Message < b.Message
	})
}

// sortStable sorts s stably by less, unless it is sorted already.
func sortStable[T any](s []T, less func(a, b T) bool) {
	lessAt := func(i, j int) bool { return less(s[i], s[j]) }
	if !sort.SliceIsSorted(s, lessAt) {
		sort.SliceStable(s, lessAt)
	}
}

// lessByName orders case-insensitively by name, then exactly, then by id,
// so that the order is total and the same on every run.
func lessByName(nameA, idA, nameB, idB string) bool {
	if c := compareLower(nameA, nameB); c != 0 {
		return c < 0
	}
	if nameA != nameB {
		return nameA < nameB
	}
	return idA < idB
}

// compareLower compares strings.ToLower(a) and strings.ToLower(b) without
// lowering either while both are ASCII, which names mostly are: up to the
// first other byte, the lowered strings are the bytes lowered one by one.
func compareLower(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= utf8.RuneSelf || cb >= utf8.RuneSelf {
			return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return int(ca) - int(cb)
		}
	}
	return len(a) - len(b)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// withoutCredentials drops user information from a URL: a hand-edited
// snapshot must not carry a password into a report.
func withoutCredentials(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}
