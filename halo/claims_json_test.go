package halo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// The fast path must give exactly what encoding/json gives, and leave
// every shape it does not read to encoding/json.
func TestClaimsDecodeAsEncodingJSONDoes(t *testing.T) {
	t.Parallel()
	inputs := []struct {
		json string
		fast bool // the fast path reads it
	}{
		{`[]`, true},
		{` [ ] `, true},
		{`[{"type":"SA","value":"true"}]`, true},
		{`[{"type":"SA","value":"true"},{"type":"Tx","value":"2"}]`, true},
		{"[ {\"type\" : \"SA\" ,\n \"value\":\"\"} ]", true},
		{`null`, false},
		{`[{"value":"2","type":"Tx"}]`, false},                          // other key order
		{`[{"type":"Tx","value":"2","extra":1}]`, false},                // another key
		{`[{"type":"Tx"}]`, false},                                      // a key missing
		{`[{"type":"T\u0078","value":"2"}]`, false},                     // an escape
		{`[{"type":"Tx","value":"café"}]`, false},                       // non-ASCII
		{`[{"type":"Tx","value":"a"},{"type":"Tx","value":"b"}]`, true}, // a code twice stays twice
		{`[{"type":"Tx","value":"2"},{"type":"Tx","value":"2","type":"Ux"}]`, false},
		{`[{"type":"Tx","value":2}]`, false}, // a number: encoding/json's error
	}
	for _, in := range inputs {
		_, fast := fastClaims([]byte(in.json))
		if fast != in.fast {
			t.Errorf("%s: fast path %v, want %v", in.json, fast, in.fast)
		}
		if msg := decodeBoth(in.json); msg != "" {
			t.Error(msg)
		}
	}
}

func FuzzClaimsDecodeAsEncodingJSONDoes(f *testing.F) {
	f.Add(`[{"type":"SA","value":"true"},{"type":"Tx","value":"2"}]`)
	f.Add(`[{"type":"Tx","value":"a\"b"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		if msg := decodeBoth(s); msg != "" {
			t.Fatal(msg)
		}
	})
}

// decodeBoth decodes a claims list as Claims and as encoding/json's
// []Claim, and says how they differ ("" when they agree: both fail, or
// both give the same claims).
func decodeBoth(list string) string {
	var got struct {
		Claims Claims `json:"claims"`
	}
	var want struct {
		Claims []Claim `json:"claims"`
	}
	doc := []byte(`{"claims":` + list + `}`)
	gotErr := json.Unmarshal(doc, &got)
	wantErr := json.Unmarshal(doc, &want)
	if (gotErr == nil) != (wantErr == nil) || wantErr == nil && !reflect.DeepEqual([]Claim(got.Claims), want.Claims) {
		return fmt.Sprintf("%q: got %#v (%v), encoding/json gives %#v (%v)", list, got.Claims, gotErr, want.Claims, wantErr)
	}
	return ""
}
