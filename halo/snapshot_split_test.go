package halo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// splitSnapshot is a snapshot whose roles are many (several chunks for
// every worker) and varied: departments, extra fields, escapes, non-ASCII
// names, a role with no details.
func splitSnapshot(t testing.TB) []byte {
	t.Helper()
	s := &Snapshot{SchemaVersion: SchemaVersion, Full: true, Source: Source{URL: "https://split.halopsa.example"}}
	for i := range 1500 {
		r := Role{
			ID:       fmt.Sprintf("role-%04d", i),
			IDInt:    i + 1,
			Name:     fmt.Sprintf("Role %d", i),
			Detailed: i%7 != 0,
			Claims:   Claims{{Type: "SA", Value: "false"}, {Type: "Tx", Value: fmt.Sprint(i % 3)}},
		}
		switch i % 10 {
		case 1:
			r.Departments = []RoleDepartment{{DepartmentID: 1, DepartmentName: "Service Desk", MembershipLevel: 2}}
		case 2:
			r.Name = fmt.Sprintf(`Rôle "%d"`, i) // an escape, and non-ASCII
		case 3:
			r.Extra = map[string]any{"colour": "blue", "order": 3}
		case 4:
			r.Departments = []RoleDepartment{{DepartmentID: 2, DepartmentName: "Projects", Extra: map[string]any{"includeteamsintree": true}}}
		case 5:
			r.Claims = Claims{{Type: "Tx", Value: "café"}}
		case 6:
			r.IsIntegration = true
			r.Claims = nil
		}
		s.Roles = append(s.Roles, r)
	}
	s.Agents = []Agent{{ID: 3, Name: "Sync", IsAPIAgent: true, Roles: []RoleRef{{ID: "role-0001", Name: "Role 1"}}, Claims: Claims{}}}
	s.Applications = []Application{{ID: "app-1", DisplayName: "Sync", LoginAsAgentID: 3, Scopes: []string{"read:tickets"}}}
	var buf bytes.Buffer
	if err := WriteSnapshot(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// splitAgrees decodes data with decodeSplit and with encoding/json alone
// and says how they differ: "" when they agree (decodeSplit declines, or
// gives exactly what encoding/json gives).
func splitAgrees(data []byte) (taken bool, msg string) {
	got, taken := decodeSplit(data)
	want, err := decodeWhole(data)
	switch {
	case taken && err != nil:
		return taken, fmt.Sprintf("split decoded what encoding/json refuses (%v)", err)
	case taken && !reflect.DeepEqual(got, want):
		return taken, "split and encoding/json decode differently"
	}
	return taken, ""
}

func TestSplitDecodesAsEncodingJSONDoes(t *testing.T) {
	t.Parallel()
	written := string(splitSnapshot(t))
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(written), "", "  "); err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(written, old) {
			t.Fatalf("the snapshot lacks %s", old)
		}
		return strings.Replace(written, old, new, 1)
	}
	tests := []struct {
		name  string
		doc   string
		taken bool
	}{
		{"as written", written, true},
		{"indented", indented.String(), true},
		{"a role's keys reordered", edit(`{"id":"role-0008","id_int":9,`, `{"id_int":9,"id":"role-0008",`), true},
		{"a key twice in a role", edit(`"name":"Role 8"`, `"name":"Role 8","name":"Role eight"`), true},
		{"a key in capitals", edit(`"name":"Role 8"`, `"NAME":"Role 8"`), true},
		{"invalid UTF-8 in a name", edit(`"name":"Role 8"`, "\"name\":\"Role \xff8\""), true},
		{"a control character escaped", edit(`"name":"Role 8"`, `"name":"Role\t8"`), true},
		{"id_int with a fraction", edit(`"id_int":9,`, `"id_int":9.5,`), false},
		{"id_int of a string", edit(`"id_int":9,`, `"id_int":"9",`), false},
		{"id_int too large", edit(`"id_int":9,`, `"id_int":99999999999999999999,`), false},
		{"a leading zero", edit(`"id_int":9,`, `"id_int":09,`), false},
		{"detailed null", edit(`"id":"role-0008","id_int":9,"name":"Role 8","is_integration":false,"detailed":true`, `"id":"role-0008","id_int":9,"name":"Role 8","is_integration":false,"detailed":null`), true},
		{"a role that is not an object", edit(`{"id":"role-0008",`, `7,{"id":"role-0008",`), false},
		{"a missing comma", edit(`},{"id":"role-0008",`, `}{"id":"role-0008",`), false},
		{"a comma too many", edit(`},{"id":"role-0008",`, `},,{"id":"role-0008",`), false},
		{"truncated in the roles", written[:len(written)/2], false},
		{"Roles beside roles", strings.Replace(written, `"roles":`, `"Roles":[],"roles":`, 1), false},
		{"roles twice", strings.Replace(written, `"roles":`, `"roles":[],"roles":`, 1), false},
		{"an escaped key", strings.Replace(written, `"roles":`, `"rol\u0065s":`, 1), false},
		{"roles null", strings.Replace(written, `"roles":[`, `"roles":null,"x":[`, 1), false},
		{"no roles", `{"schema_version":1}`, false},
		{"empty roles", `{"schema_version":1,"roles":[]}`, true},
		{"another version", strings.Replace(written, `"schema_version":1`, `"schema_version":2`, 1), false},
		{"data after the object", written + "{}", false},
		{"an array", "[" + written + "]", false},
	}
	for _, tt := range tests {
		taken, msg := splitAgrees([]byte(tt.doc))
		if msg != "" {
			t.Errorf("%s: %s", tt.name, msg)
		}
		if taken != tt.taken {
			t.Errorf("%s: split taken %v, want %v", tt.name, taken, tt.taken)
		}
	}
}

// The shape halolint writes is read by fastRole itself, not handed back
// to encoding/json role by role.
func TestFastRoleReadsWhatWriteSnapshotWrites(t *testing.T) {
	t.Parallel()
	data := splitSnapshot(t)
	start, end, elems, ok := rolesSpan(data)
	if !ok || start >= end {
		t.Fatal("rolesSpan does not find the roles")
	}
	fast := 0
	for _, e := range elems {
		var r Role
		if fastRole(data[e[0]:e[1]], &r, map[string]string{}) {
			fast++
		}
	}
	// Escaped names (one in ten), extra fields (two in ten) and non-ASCII
	// claim values (one in ten) are encoding/json's.
	if want := len(elems) * 6 / 10; fast != want {
		t.Errorf("fastRole read %d of %d roles, want %d", fast, len(elems), want)
	}
}

func FuzzSplitDecodesAsEncodingJSONDoes(f *testing.F) {
	f.Add(`{"schema_version":1,"roles":[{"id":"r","id_int":2,"name":"Sync","is_integration":false,"detailed":true,"claims":[{"type":"SA","value":"false"}],"departments":[{"department_id":1,"department_name":"Desk","membershiplevel":2}]}],"agents":[]}`)
	f.Add(`{"schema_version":1,"roles":[{"id":"r","name":"Rôle \"x\"","extra":{"n":1.50}},{}],"notices":[]}`)
	f.Add(`{"roles":[{"id_int":-0,"detailed":false}],"schema_version":1}`)
	f.Fuzz(func(t *testing.T, doc string) {
		if _, msg := splitAgrees([]byte(doc)); msg != "" {
			t.Fatalf("%q: %s", doc, msg)
		}
	})
}

func TestCompareLowerComparesLoweredStrings(t *testing.T) {
	t.Parallel()
	words := []string{"", "a", "A", "ab", "aB", "Ab", "b", "Z", "[", "_", "é", "É", "ß", "SS", "İ", "i", "I", "\xff", "a\xff", "Ωmega", "ωmega", "Role 10", "role 9", "role"}
	for _, a := range words {
		for _, b := range words {
			if msg := compareLowerAgrees(a, b); msg != "" {
				t.Error(msg)
			}
		}
	}
}

func FuzzCompareLowerComparesLoweredStrings(f *testing.F) {
	f.Add("Role 10", "role 9")
	f.Add("Éa", "éB")
	f.Fuzz(func(t *testing.T, a, b string) {
		if msg := compareLowerAgrees(a, b); msg != "" {
			t.Fatal(msg)
		}
	})
}

func compareLowerAgrees(a, b string) string {
	got, want := sign(compareLower(a, b)), strings.Compare(strings.ToLower(a), strings.ToLower(b))
	if got != want {
		return fmt.Sprintf("compareLower(%q, %q) = %d, strings.ToLower gives %d", a, b, got, want)
	}
	return ""
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
