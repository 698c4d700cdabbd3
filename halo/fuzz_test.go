package halo

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The fuzz targets feed arbitrary bytes to each decoder. `go test` runs
// their seeds; `go test -fuzz=FuzzListDecode ./halo` explores further.
// Beyond not panicking, each checks that no field with a secret-looking
// name survives decoding.

var listSeeds = []string{
	`[]`,
	`[{"id":"a","name":"A"}]`,
	`{"roles":[{"id":"a"}],"record_count":1}`,
	`{"record_count":"2","data":[{"id":1},2,null,"x"]}`,
	`{"a":[1],"b":[2]}`,
	`{"roles":null,"record_count":0}`,
	`{"record_count":-5,"roles":[]}`,
	`{"record_count":1e400,"roles":[{}]}`,
	`<html>`,
	``,
	`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
	"\xef\xbb\xbf[]",
}

func FuzzListDecode(f *testing.F) {
	for _, s := range listSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeJSON(data)
		if err != nil {
			return
		}
		pg, err := parsePage(v, []string{"roles"})
		if err != nil {
			return
		}
		for _, m := range objects(pg.items) {
			assertNoSecretKeys(t, decodeRole(m).Extra)
		}
	})
}

// fuzzObjects decodes data as a list of objects the way list does.
func fuzzObjects(data []byte) []map[string]any {
	v, err := decodeJSON(data)
	if err != nil {
		return nil
	}
	if m, ok := v.(map[string]any); ok {
		return []map[string]any{m}
	}
	pg, err := parsePage(v, nil)
	if err != nil {
		return nil
	}
	return objects(pg.items)
}

func FuzzDecodeRoles(f *testing.F) {
	for _, s := range []string{
		`[{"id":"2f4c","id_int":"3","name":"Cove","is_integration":"true","claims":[{"type":"Tx","value":2},{"type":"SA","value":true},{"value":"x"}],"departments":[{"department_id":"1","membershiplevel":3.0,"token":"x"}]}]`,
		`[{"claims":{"Tx":"2","Ux":[1,2]},"departments":"none","id":{"x":1}}]`,
		`[{"id":1e30,"id_int":9223372036854775808,"secret":{"a":1}}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range fuzzObjects(data) {
			r := decodeRole(m)
			assertNoSecretKeys(t, r.Extra)
			for _, d := range r.Departments {
				assertNoSecretKeys(t, d.Extra)
			}
		}
	})
}

func FuzzDecodeAgents(f *testing.F) {
	for _, s := range []string{
		`[{"id":7,"name":"TimeZest API","isapiagent":"True","isdisabled":0,"roles":[{"id":"r","id_int":2,"name":"R"},{}],"claims":[{"type":"SA","value":"true"}],"password":"x","new_access_token":"y"}]`,
		`[{"id":"7","roles":"admin","claims":null}]`,
		`{"id":-1.5,"is_admin":"yes"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range fuzzObjects(data) {
			assertNoSecretKeys(t, decodeAgent(m).Extra)
		}
	})
}

func FuzzDecodeApplications(f *testing.F) {
	for _, s := range []string{
		`[{"id":"a","clientId":"c","displayName":"Cove","_issystem":false,"loginas_agent_id":"2","clientSecret":"s","scopes":[{"id":1,"application_id":"a","name":"edit:tickets"},"all",{"name":null},3]}]`,
		`[{"id":"a","client_id":"c","scopes":"read:tickets  edit:tickets"}]`,
		`[{"scopes":{"name":"x"},"credential_type":"1.0"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range fuzzObjects(data) {
			a := decodeApplication(m)
			assertNoSecretKeys(t, a.Extra)
			for i := 1; i < len(a.Scopes); i++ {
				if a.Scopes[i-1] >= a.Scopes[i] {
					t.Fatalf("scopes not sorted and unique: %q", a.Scopes)
				}
			}
		}
	})
}

func FuzzDecodeCategories(f *testing.F) {
	for _, s := range []string{
		`[{"id":4,"value":"Cove Data Protection","category_name":"","type_id":1}]`,
		`[{"id":"4","value":5,"type_id":"x","key":"k"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, m := range fuzzObjects(data) {
			assertNoSecretKeys(t, decodeCategory(m).Extra)
		}
	})
}

func FuzzDecodeControl(f *testing.F) {
	for _, s := range []string{
		`{"force_accounts_id":true,"category_1_label":"Category","xero_client_secret":"s"}`,
		`[{"force_accounts_id":"1"}]`,
		`[{},{}]`,
		`[]`,
		`{"force_accounts_id":null,"category_2_label":7}`,
		`"text"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeJSON(data)
		if err != nil {
			return
		}
		c, err := decodeControl(v)
		if err != nil {
			return
		}
		// Control has no free-form field: whatever came in, only the
		// allowlist can come out.
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var keys map[string]any
		if err := json.Unmarshal(b, &keys); err != nil {
			t.Fatal(err)
		}
		for k := range keys {
			switch k {
			case "force_accounts_id", "category_1_label", "category_2_label", "category_3_label", "category_4_label":
			default:
				t.Fatalf("field %q outside the allowlist", k)
			}
		}
	})
}

func FuzzLoadSnapshot(f *testing.F) {
	for _, s := range []string{
		`{"schema_version":1}`,
		`{"schema_version":1,"roles":[{"id":"r","extra":{"password":"x","a":{"token":1}}}],"control":{"force_accounts_id":true}}`,
		`{"schema_version":2}`,
		`{"schema_version":1,"source":{"url":"https://u:p@h","collected_at":"2026-11-22T10:00:00Z"}}`,
		`{"schema_version":1,"agents":[{"id":"x"}]}`,
		`[1]`,
		`nonsense`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		snap, err := LoadSnapshot(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range snap.Roles {
			assertNoSecretKeys(t, r.Extra)
		}
		for _, a := range snap.Agents {
			assertNoSecretKeys(t, a.Extra)
		}
		for _, a := range snap.Applications {
			assertNoSecretKeys(t, a.Extra)
		}
		var out bytes.Buffer
		if err := WriteSnapshot(&out, snap); err != nil {
			t.Fatalf("a loaded snapshot cannot be written: %v", err)
		}
		if _, err := LoadSnapshot(&out); err != nil {
			t.Fatalf("a written snapshot cannot be loaded: %v", err)
		}
	})
}

// assertNoSecretKeys fails when a field with a secret-looking name is
// anywhere in v.
func assertNoSecretKeys(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if isSecretName(k) {
				t.Fatalf("secret-looking field %q kept", k)
			}
			assertNoSecretKeys(t, e)
		}
	case []any:
		for _, e := range x {
			assertNoSecretKeys(t, e)
		}
	}
}

func TestIsSecretName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"clientSecret": true, "PASSWORD": true, "new_access_token": true, "api_key": true, "Xero_Refresh_Token": true,
		"name": false, "loginas_agent_id": false, "credential_type": false, "grant_type": false, "scopes": false,
	} {
		if got := isSecretName(name); got != want {
			t.Errorf("isSecretName(%q) = %v", name, got)
		}
	}
	if strings.Contains(strings.Join(secretWords, ","), "cred") {
		t.Error("credential_type is a modelled field: 'cred' must not be a secret word")
	}
}
