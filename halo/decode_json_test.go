package halo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// stdDecode is what encoding/json makes of data, the reference parseJSON
// must agree with.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, errors.New("more after the value")
	}
	return v, nil
}

var jsonSeeds = []string{
	`{"id":"a","claims":[{"type":"SA","value":"true"}],"n":-1.5e3,"b":true,"z":null}`,
	`[1, 2.0, -0, 1e5, 1E-2, "x"]`,
	`"\u00e9\ud83d\ude00\n\t\"\\\/"`,
	`"\ud800 lone"`, `"\udc00\ud800"`, `"\ud83d\u0041"`,
	"\"bad \xff utf8 \xc3\"",
	`{}`, `[]`, ` [ ] `, `[[[]]]`,
	`{"a":1,}`, `[1,]`, `01`, `1.`, `-`, `1e`, `tru`, `nul`, `"abc`, `{"a"`, `{"a":`, `[`,
	`"\x"`, `"\u12"`, `"\u12g4"`, "\"ctl\x01\"", `{"a" 1}`, `{1:2}`,
	`{"a":1}{}`, `[] x`, `""}0`, ``, "\xef\xbb\xbf[]",
}

// The parser reads what encoding/json reads, and refuses what it refuses.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range jsonSeeds {
		want, wantErr := stdDecode([]byte(s))
		got, _, err := parseJSON([]byte(s), defaultDecodeLimits)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: err = %v, encoding/json says %v", s, err, wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, encoding/json %#v", s, got, want)
		}
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, err := parseJSON(data, defaultDecodeLimits)
		var limit *limitError
		if errors.As(err, &limit) {
			return
		}
		var je *jsonError
		if err != nil && !errors.As(err, &je) && !errors.Is(err, errEmptyBody) {
			t.Fatalf("untyped error %v", err)
		}
		if je != nil && strings.Contains(je.Problem, "same field twice") {
			return // encoding/json takes the last; refusing is the point
		}
		want, wantErr := stdDecode(data)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("err = %v, encoding/json says %v", err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v, encoding/json %#v", got, want)
		}
	})
}

func TestParseJSONRefusesAFieldGivenTwice(t *testing.T) {
	t.Parallel()
	_, _, err := parseJSON([]byte(`{"id":"r","claims":[{"type":"SA","value":"true"}],"claims":[]}`), defaultDecodeLimits)
	var je *jsonError
	if !errors.As(err, &je) || !strings.Contains(je.Problem, "same field twice") || je.Offset != 51 {
		t.Fatalf("err = %v, want the second claims refused at byte 51", err)
	}
}

// Defect 8: what decoding an answer costs is bounded by what it holds,
// not only by its bytes.
func TestParseJSONLimits(t *testing.T) {
	t.Parallel()
	small := decodeLimits{MaxDepth: 4, MaxValues: 10, MaxObjects: 3}
	for _, tc := range []struct {
		body, what string
	}{
		{`[[[[[1]]]]]`, "levels of nesting"},
		{`[1,2,3,4,5,6,7,8,9,10]`, "JSON values"},
		{`[{},{},{},{}]`, "JSON objects"},
	} {
		_, _, err := parseJSON([]byte(tc.body), small)
		var limit *limitError
		if !errors.As(err, &limit) || limit.What != tc.what {
			t.Errorf("%s: err = %v, want the limit on %s", tc.body, err, tc.what)
		}
	}
	if _, n, err := parseJSON([]byte(`[[{"a":[1,2]}]]`), small); err != nil || n != 6 {
		t.Errorf("within the limits: %d values, err %v", n, err)
	}
}

// Defect 8, end to end: a list answer of more empty objects than an answer
// may hold (the report's case was 31 MiB of {}, 31 KB gzipped, under the
// body cap: BenchmarkDecodeWorstCase measures it) is refused once it
// passes the object limit, without decoding the rest; so is a collection
// whose answers together pass the budget of values.
func TestDecodingCostIsBounded(t *testing.T) {
	t.Parallel()
	empties := "[" + strings.Repeat("{},", defaultDecodeLimits.MaxObjects) + "{}]"
	routes := tenantRoutes()
	routes["/api/Roles"] = answerStatus(http.StatusOK, "application/json", empties)
	ts := newTenantServer(t, routes)
	cfg := testConfig(ts, newFakeClock())
	snap, err := Collect(context.Background(), newTestClient(t, cfg), Plan{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ce := range snap.CollectionErrors {
		if ce.Resource == ResourceRoles && strings.Contains(ce.Message, fmt.Sprintf("more than %d JSON objects", defaultDecodeLimits.MaxObjects)) {
			found = true
		}
	}
	if !found {
		t.Errorf("the list of too many objects was not refused: %+v", snap.CollectionErrors)
	}

	client := newTestClient(t, testConfig(newTenantServer(t, tenantRoutes()), newFakeClock()))
	client.maxDecodedValues = 40
	snap, err = Collect(context.Background(), client, Plan{Full: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	found = false
	for _, ce := range snap.CollectionErrors {
		found = found || strings.Contains(ce.Message, "more than 40 JSON values in all the answers of this collection together")
	}
	if !found {
		t.Errorf("the collection's budget of values was not enforced: %+v", snap.CollectionErrors)
	}
}

// A bare array longer than any tenant's list is refused, however it pages.
func TestListObjectsAreBounded(t *testing.T) {
	t.Parallel()
	many := "[" + strings.Repeat(`{"id":"x"},`, maxListObjects) + `{"id":"y"}]`
	ts := newTenantServer(t, map[string]http.HandlerFunc{"/api/Roles": answerStatus(200, "application/json", many)})
	_, err := listRoles(newTestClient(t, testConfig(ts, newFakeClock())))
	if err == nil || !strings.Contains(err.Error(), "more than 10000 objects") {
		t.Fatalf("err = %v, want the list bound", err)
	}
}
