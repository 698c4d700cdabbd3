package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/halolint/halolint/audit"
	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
	"github.com/halolint/halolint/reports"
)

// FuzzHostileCollection drives the whole collection and judgement of the
// demo's sample tenant from a fuzzed server: the input is a short program
// of hostile behaviours (each aimed at one endpoint) and a raw payload some
// of them use. The server still serves the same tenant; only the way it
// answers is hostile: objects listed twice or dropped under their count,
// pages repeated, permission fields in another shape or type, claims
// listed twice, ids that cannot be read, answers cut short, replaced by
// the payload or by an error echoing the client secret, deep nesting, and
// more. Whatever it does:
//
//   - nothing panics, and the collection returns a snapshot or an error;
//   - the heap stays bounded;
//   - no secret of the tenant, no token and no third of the client secret
//     reaches the snapshot, any report format, or an error;
//   - the results never have fewer fails than the clean read's unless some
//     result is error, and without an error no finding of the clean read
//     passes.
//
// `go test` runs the seeds (make test); `go test -run '^$' -fuzz
// FuzzHostileCollection ./audit` explores further.
func FuzzHostileCollection(f *testing.F) {
	for _, seed := range hostileSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		program := parseHostility(data)
		tenant := halotest.MustFixture(halotest.FixtureSample)
		snap, rep, collectErr, srv := readHostile(t, tenant, halotest.Options{PageCap: fuzzPageCap, Rewrite: program.rewrite()})

		assertHeapBounded(t)
		secrets := append(tenant.Secrets(), srv.IssuedTokens()...)
		if collectErr != nil {
			assertNoSecret(t, "the collection's error", collectErr.Error(), secrets)
		}
		if snap == nil {
			if collectErr == nil {
				t.Fatal("no snapshot and no error")
			}
			return
		}
		var buf bytes.Buffer
		if err := halo.WriteSnapshot(&buf, snap); err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, "the snapshot", buf.String(), secrets)
		for _, format := range reports.Formats() {
			r, err := reports.New(format, reports.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := r.Render(&out, rep); err != nil {
				t.Fatalf("render %s: %v", format, err)
			}
			assertNoSecret(t, "the "+format+" report", out.String(), secrets)
		}

		clean := cleanFuzzRead(t)
		errs := countStatus(rep, audit.StatusError)
		if errs == 0 && countStatus(rep, audit.StatusFail) < countStatus(clean, audit.StatusFail) {
			t.Errorf("%d fails and no error, the clean read has %d (program %s)", countStatus(rep, audit.StatusFail), countStatus(clean, audit.StatusFail), program)
		}
		if errs == 0 {
			for _, line := range passesWhatFailed(clean, rep) {
				t.Errorf("%s (program %s)", line, program)
			}
		}
	})
}

// fuzzPageCap makes the sample's lists several pages long, so that paging
// faults have pages to work on.
const fuzzPageCap = 5

var fuzzClean = sync.OnceValues(func() (*audit.Report, error) {
	t := &testing.T{}
	var rep *audit.Report
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		_, rep, err, _ = readHostile(t, halotest.MustFixture(halotest.FixtureSample), halotest.Options{PageCap: fuzzPageCap})
	}()
	if err == nil && rep == nil {
		err = errors.New("no report")
	}
	return rep, err
})

func cleanFuzzRead(t *testing.T) *audit.Report {
	t.Helper()
	rep, err := fuzzClean()
	if err != nil {
		t.Fatalf("the clean read: %v", err)
	}
	return rep
}

// readHostile is read for a collection that may fail or be cut short, with
// the default selection.
func readHostile(t testing.TB, tenant *halotest.Tenant, opts halotest.Options) (*halo.Snapshot, *audit.Report, error, *halotest.Server) {
	t.Helper()
	srv := halotest.New(tenant, opts)
	t.Cleanup(srv.Close)
	e := hostileEngine(t)
	plan, err := e.Plan(audit.Config{})
	if err != nil {
		t.Fatal(err)
	}
	client, err := halo.NewClient(halo.Config{
		URL: srv.URL, ClientID: halotest.AuditorClientID, ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		Version: "test", MaxRequestsPerWindow: 100_000, MaxAttempts: 2, RequestTimeout: 10 * time.Second,
		BackoffBase: time.Millisecond, BackoffCap: time.Millisecond, RateLimitBackoffBase: time.Millisecond, RateLimitBackoffCap: time.Millisecond,
		Jitter: func(time.Duration) time.Duration { return 0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	snap, err := halo.Collect(ctx, client, plan, nil)
	if snap == nil {
		return nil, nil, err, srv
	}
	rep, evalErr := e.Evaluate(context.Background(), snap, audit.Selection{})
	if evalErr != nil {
		t.Fatalf("Evaluate: %v", evalErr)
	}
	return snap, rep, err, srv
}

// assertHeapBounded fails when the live heap is past what any collection
// may hold (docs/halo-api.md: a whole hostile collection peaks under
// 500 MiB).
func assertHeapBounded(t *testing.T) {
	t.Helper()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if heap := sample[0].Value.Uint64(); heap > 1<<30 {
		t.Fatalf("heap at %d MiB", heap>>20)
	}
}

// assertNoSecret fails when text holds a secret, or a third of the client
// secret in one piece (entity-encoded included; the client ID, which the
// test secret contains and messages name on purpose, does not count).
func assertNoSecret(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("%s holds the secret %q", what, s)
		}
	}
	decoded := strings.ReplaceAll(html.UnescapeString(text), halotest.AuditorClientID, "client-id")
	secret := halotest.AuditorClientSecret
	n := len(secret) / 3
	for i := 0; i+n <= len(secret); i++ {
		if strings.Contains(decoded, secret[i:i+n]) {
			t.Fatalf("%s holds %q of the client secret", what, secret[i:i+n])
		}
	}
}

// hostility is a fuzz input read as a program: up to four behaviours, each
// three bytes (the endpoint, the behaviour, its argument), then the payload.
type hostility struct {
	steps   []step
	payload []byte
}

type step struct{ target, op, arg byte }

// The endpoints a behaviour aims at: the lists, Control, the token, and
// the details the sample's findings rest on.
var fuzzTargets = []string{
	"/api/roles", "/api/agent", "/api/application", "/api/category", "/api/control",
	"/api/roles/" + timeZestRole, "/api/roles/48167c7f-3af6-533b-aeec-4d744d2e594b",
	"/api/agent/21", "/api/agent/2", "/api/agent/30", "/api/agent/31",
	"/api/application/" + timeZestApp, "/api/application/" + legacyRMMApp,
	"/auth/token", "/api/authinfo",
}

func isList(path string) bool {
	return strings.Count(path, "/") == 2 && path != "/api/control" && path != "/api/authinfo"
}

func parseHostility(data []byte) hostility {
	var h hostility
	for len(data) >= 3 && len(h.steps) < 4 {
		h.steps = append(h.steps, step{data[0], data[1], data[2]})
		data = data[3:]
		if len(data) > 0 && data[0] == ';' {
			data = data[1:]
			continue
		}
		break
	}
	h.payload = data
	return h
}

func (h hostility) String() string {
	var parts []string
	for _, s := range h.steps {
		parts = append(parts, fmt.Sprintf("%s on %s (%d)", opNames[int(s.op)%len(opNames)], fuzzTargets[int(s.target)%len(fuzzTargets)], s.arg))
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" with %d bytes", len(h.payload))
}

var opNames = []string{
	"replace a detail with the payload", "cut short", "duplicate an object", "duplicate an object, stripped",
	"repeat a page", "reshape a permission field", "list a claim twice, lowest last", "misstate record_count",
	"add a field holding the payload", "spoil an id", "echo the client secret in an error", "answer another status",
	"wrap the answer", "nest deeply", "change a value's type", "drop an object",
}

func (h hostility) rewrite() halotest.Rewrite {
	var rs []halotest.Rewrite
	for _, s := range h.steps {
		rs = append(rs, h.behaviour(s))
	}
	return halotest.Rewrites(rs...)
}

func (h hostility) behaviour(s step) halotest.Rewrite {
	target := fuzzTargets[int(s.target)%len(fuzzTargets)]
	arg := int(s.arg)
	payload := h.payload
	onTarget := func(edit func(a *halotest.Answer)) halotest.Rewrite {
		return func(a *halotest.Answer) {
			if a.Path == strings.ToLower(target) {
				edit(a)
			}
		}
	}
	editJSON := func(edit func(v any, a *halotest.Answer) any) halotest.Rewrite {
		return halotest.EditJSON(target, edit)
	}
	switch int(s.op) % len(opNames) {
	case 0: // replace a detail with the payload: a list or Control would be another tenant
		if isList(target) || target == "/api/control" {
			return nil
		}
		return onTarget(func(a *halotest.Answer) { a.Body = append([]byte(nil), payload...) })
	case 1: // cut short
		return onTarget(func(a *halotest.Answer) {
			if len(a.Body) > 0 {
				a.Body = a.Body[:arg*len(a.Body)/256]
			}
		})
	case 2, 3: // duplicate an object (of a list, or an element of a detail's list field)
		strip := int(s.op)%len(opNames) == 3
		return editJSON(func(v any, _ *halotest.Answer) any {
			items, put := itemsOf(v)
			if len(items) == 0 {
				return v
			}
			i := arg % len(items)
			cp := items[i]
			if m, ok := cp.(map[string]any); ok && strip {
				c := map[string]any{}
				for k, x := range m {
					if k == "id" || len(k)%2 == arg%2 {
						c[k] = x
					}
				}
				cp = c
			}
			out := append(append(append([]any{}, items[:i+1]...), cp), items[i+1:]...)
			return put(out)
		})
	case 4: // repeat a page
		if !isList(target) {
			return nil
		}
		page := 2 + arg%3
		return halotest.RepeatPage(target, page, page-1)
	case 5: // give a permission field a shape that is not its own
		field := reshapes[arg%len(reshapes)]
		return halotest.EditObject(target, func(m map[string]any) {
			if _, ok := m[field.name]; ok {
				if shape := field.shapes[(arg/len(reshapes))%len(field.shapes)]; shape == nil {
					delete(m, field.name)
				} else {
					m[field.name] = shape
				}
			}
		})
	case 6: // list a granted claim twice, its lowest value last
		return halotest.EditObject(target, func(m map[string]any) {
			claims, ok := m["claims"].([]any)
			if !ok {
				return
			}
			var granted []map[string]any
			for _, e := range claims {
				if c, ok := e.(map[string]any); ok && c["value"] != "0" && c["value"] != "false" {
					granted = append(granted, c)
				}
			}
			if len(granted) == 0 {
				return
			}
			c := granted[arg%len(granted)]
			low := "0"
			if c["type"] == "SA" {
				low = "false"
			}
			m["claims"] = append(claims, map[string]any{"type": c["type"], "value": low})
		})
	case 7: // misstate record_count
		return editJSON(func(v any, _ *halotest.Answer) any {
			if m, ok := v.(map[string]any); ok {
				if n, ok := m["record_count"].(json.Number); ok {
					c, _ := n.Int64()
					m["record_count"] = c + int64(arg%7) - 3
				}
			}
			return v
		})
	case 8: // add a field holding the payload (as JSON when it is, else as text)
		var value any = string(payload)
		if json.Valid(payload) {
			value = json.RawMessage(payload)
		}
		return halotest.EditObject(target, func(m map[string]any) { m[fmt.Sprintf("x_%d", arg)] = value })
	case 9: // spoil an id
		ids := []any{"", "two", 2.5, -1, 0, map[string]any{"id": 1}, []any{1}, true, nil, string(payload)}
		return halotest.EditObject(target, func(m map[string]any) {
			if arg%3 == 0 {
				m["id"] = ids[(arg/3)%len(ids)]
			}
		})
	case 10: // echo the client secret, a fragment of it, or it entity-encoded, in an error
		secret := halotest.AuditorClientSecret
		echoes := []string{secret, secret[:len(secret)/2], secret[len(secret)/3:], html.EscapeString(secret), entityEncoded(secret), "client_secret=" + secret[:8]}
		statuses := []int{400, 401, 403, 404, 500, 429}
		return onTarget(func(a *halotest.Answer) {
			a.Status = statuses[arg%len(statuses)]
			echo := echoes[(arg/len(statuses))%len(echoes)]
			if arg%2 == 0 {
				a.Body = []byte(`{"message":"refused ` + echo + `","error":"invalid_client","error_description":"` + echo + `"}`)
			} else {
				a.Header.Set("Content-Type", "text/html")
				a.Body = []byte("<html><body>refused " + echo + "</body></html>")
			}
		})
	case 11: // answer another status, with the payload
		statuses := []int{200, 201, 204, 301, 400, 403, 404, 408, 429, 500, 502, 503}
		return onTarget(func(a *halotest.Answer) {
			a.Status = statuses[arg%len(statuses)]
			if arg%2 == 1 {
				a.Body = append([]byte(nil), payload...)
			}
		})
	case 12: // wrap the answer in an array or an envelope
		return editJSON(func(v any, _ *halotest.Answer) any {
			if arg%2 == 0 {
				return []any{v}
			}
			return map[string]any{"data": v, "record_count": 1}
		})
	case 13: // nest deeply
		return halotest.EditObject(target, func(m map[string]any) {
			var v any = "x"
			for range 8 + arg {
				v = []any{v}
			}
			m["nested"] = v
		})
	case 14: // change a value's type, keeping its meaning
		return halotest.EditObject(target, func(m map[string]any) {
			for k, v := range m {
				switch x := v.(type) {
				case bool:
					m[k] = fmt.Sprint(x)
				case json.Number:
					if arg%2 == 0 {
						m[k] = x.String()
					}
				case []any:
					for _, e := range x {
						if c, ok := e.(map[string]any); ok {
							if s, ok := c["value"].(string); ok && s != "" && strings.Trim(s, "0123456789") == "" {
								c["value"] = json.Number(s)
							}
						}
					}
				}
			}
		})
	case 15: // drop an object of a list, the count kept (of a detail's claims it would be another tenant)
		if !isList(target) {
			return nil
		}
		return editJSON(func(v any, _ *halotest.Answer) any {
			items, put := itemsOf(v)
			if len(items) == 0 {
				return v
			}
			i := arg % len(items)
			return put(append(append([]any{}, items[:i]...), items[i+1:]...))
		})
	}
	return nil
}

// reshapes are, for each field that decides what an object grants,
// values of a shape that is not its own (nil: the field left out, where
// that is not a shape of its own either). A valid value would be another
// tenant, not a hostile server.
var reshapes = []struct {
	name   string
	shapes []any
}{
	{"claims", []any{"SA", 1, true, []any{"SA", "Tx"}, []any{map[string]any{"value": "true"}}, []any{map[string]any{"type": "SA", "value": map[string]any{"v": 1}}}, map[string]any{"SA": []any{"true"}}}},
	{"scopes", []any{5, map[string]any{"name": "all"}, []any{5}, []any{map[string]any{"id": 1}}, true, nil}},
	{"roles", []any{"TimeZest", 5, []any{map[string]any{"x": 1}}, []any{"Administrator"}, map[string]any{"id": "x"}}},
	{"is_admin", []any{"maybe", map[string]any{"x": 1}, []any{true}, 5}},
	{"loginas_agent_id", []any{"twenty", 2.5, map[string]any{"id": 22}, []any{22}, true, -3}},
}

// itemsOf is the list of a list answer (bare or envelope), or the claims
// or scopes of a detail answer, and a function that puts it back.
func itemsOf(v any) ([]any, func([]any) any) {
	switch x := v.(type) {
	case []any:
		return x, func(n []any) any { return n }
	case map[string]any:
		for _, k := range []string{"roles", "agents", "applications", "categories", "claims", "scopes"} {
			if arr, ok := x[k].([]any); ok {
				return arr, func(n []any) any { x[k] = n; return x }
			}
		}
	}
	return nil, func([]any) any { return v }
}

func entityEncoded(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, "&#%d;", r)
	}
	return b.String()
}

// hostileSeeds are one program per behaviour on the endpoints that matter
// most, and a few combinations.
func hostileSeeds() [][]byte {
	target := func(path string) byte {
		for i, p := range fuzzTargets {
			if p == path {
				return byte(i)
			}
		}
		panic(path)
	}
	tzRole, tzAgent, tzApp, legacy := target("/api/roles/"+timeZestRole), target("/api/agent/21"), target("/api/application/"+timeZestApp), target("/api/application/"+legacyRMMApp)
	roles, agents, apps, control, token := target("/api/roles"), target("/api/agent"), target("/api/application"), target("/api/control"), target("/auth/token")
	seeds := [][]byte{
		{tzRole, 0, 0, '{', '"', 'i', 'd', '"', ':', '1', '}'},
		{control, 1, 128},
		{agents, 1, 200},
		{roles, 2, 3},
		{apps, 3, 5},
		{agents, 4, 0},
		{tzRole, 5, 0},
		{legacy, 5, 1},
		{tzAgent, 5, 2},
		{tzApp, 5, 4},
		{tzRole, 6, 5}, // SA, the sixth claim it grants
		{roles, 7, 0},
		{tzRole, 8, 1, '[', '[', '1', ']', ']'},
		{agents, 9, 3},
		{token, 10, 1},
		{control, 10, 4},
		{tzApp, 11, 9},
		{tzRole, 12, 1},
		{legacy, 13, 40},
		{tzRole, 14, 1},
		{apps, 15, 2},
		{roles, 2, 3, ';', tzRole, 6, 5, ';', apps, 4, 1},
	}
	return seeds
}
