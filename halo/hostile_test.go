package halo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/halolint/halolint/halo"
	"github.com/halolint/halolint/internal/halotest"
)

// These tests collect fixture tenants from a hostile fake server
// (halotest.Options.Rewrite): the same tenant, served the way a buggy,
// edited-while-read or hostile instance would. Each holds one promise of
// docs/halo-api.md ("What a hostile server cannot do").

// collectErr is collectFrom for a collection that may fail.
func collectErr(t *testing.T, tenant *halotest.Tenant, opts halotest.Options, plan halo.Plan, tune func(*halo.Config)) (*halo.Snapshot, error) {
	t.Helper()
	srv := halotest.New(tenant, opts)
	t.Cleanup(srv.Close)
	cfg := halo.Config{
		URL:          srv.URL,
		ClientID:     halotest.AuditorClientID,
		ClientSecret: halo.Secret(halotest.AuditorClientSecret),
		Version:      "test",
		Jitter:       func(time.Duration) time.Duration { return 0 },
		// No test here is about the budget: no real-clock waits.
		MaxRequestsPerWindow: 100_000,
	}
	if tune != nil {
		tune(&cfg)
	}
	client, err := halo.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return halo.Collect(context.Background(), client, plan, nil)
}

// snapshotText is everything a snapshot can show a reader: its JSON.
func snapshotText(t *testing.T, snap *halo.Snapshot) string {
	t.Helper()
	var buf bytes.Buffer
	if err := halo.WriteSnapshot(&buf, snap); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func collectionErrorOn(snap *halo.Snapshot, endpointPrefix string) *halo.CollectionError {
	for i, ce := range snap.CollectionErrors {
		if strings.HasPrefix(ce.Endpoint, endpointPrefix) {
			return &snap.CollectionErrors[i]
		}
	}
	return nil
}

// Defect 3: a 200 answer that is not JSON may hold data (here the start of
// /api/Control, cut short, with short passwords no shape test catches): the
// collection error says what it was, not what it contained.
func TestNonJSONSuccessIsDescribedNotQuoted(t *testing.T) {
	t.Parallel()
	body := `{"smtp_pass":"hunter2","mail_password":"pw1","agent_password":"Tr0ub4dor","category_1_label":"Categ`
	tenant := halotest.MustFixture(halotest.FixtureCoveExact)
	snap, err := collectErr(t, tenant, halotest.Options{Canned: map[string]halotest.Canned{
		"/api/control": {Body: []byte(body)},
	}}, halo.Plan{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ce := collectionErrorOn(snap, "/api/Control")
	if ce == nil {
		t.Fatalf("no collection error for the cut-short Control: %+v", snap.CollectionErrors)
	}
	for _, want := range []string{"not JSON", "application/json", fmt.Sprintf("%d bytes", len(body)), fmt.Sprintf("at byte %d", len(body))} {
		if !strings.Contains(ce.Message, want) {
			t.Errorf("message %q does not say %q", ce.Message, want)
		}
	}
	text := snapshotText(t, snap)
	for _, leaked := range []string{"hunter2", "pw1", "Tr0ub4dor", "smtp_pass", "Categ"} {
		if strings.Contains(text, leaked) {
			t.Errorf("the snapshot quotes %q from the body: %s", leaked, ce.Message)
		}
	}
}

// Defect 3: an error answer's text is quoted (it says what went wrong),
// but a value after a secret-looking field name is not, however short.
func TestErrorTextIsScrubbedByFieldName(t *testing.T) {
	t.Parallel()
	tenant := halotest.MustFixture(halotest.FixtureCoveExact)
	for _, body := range []string{
		`{"message":"SMTP login failed: smtp_password=hunter2; retry later"}`,
		`{"message":"bad settings {\"mail_password\": \"pw1\", \"host\": \"mx\"}"}`,
		`<error><Password>Tr0ub4dor</Password><reason>locked</reason></error>`,
		`invalid api_key: 'k3y' for user`,
	} {
		snap, err := collectErr(t, tenant, halotest.Options{Canned: map[string]halotest.Canned{
			"/api/control": {Status: 400, ContentType: "text/plain", Body: []byte(body)},
		}}, halo.Plan{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ce := collectionErrorOn(snap, "/api/Control")
		if ce == nil {
			t.Fatalf("no collection error: %+v", snap.CollectionErrors)
		}
		for _, leaked := range []string{"hunter2", "pw1", "Tr0ub4dor", "k3y"} {
			if strings.Contains(ce.Message, leaked) {
				t.Errorf("message %q keeps the value %q", ce.Message, leaked)
			}
		}
		if !strings.Contains(ce.Message, "[redacted]") {
			t.Errorf("message %q does not show where a value was removed", ce.Message)
		}
	}
}

// Defect 13: a server that echoes part of the client secret (a prefix,
// its first half, an HTML-entity-encoded copy) in a message does not get
// it printed: not in the error that stops the run, not in a collection
// error.
func TestFragmentsOfTheSecretAreScrubbed(t *testing.T) {
	t.Parallel()
	secret := halotest.AuditorClientSecret
	entities := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteString("&#" + itoa(int(r)) + ";")
		}
		return b.String()
	}
	fragments := map[string]string{
		"a 30-character prefix": secret[:30],
		"the first half":        secret[:len(secret)/2],
		"the second half":       secret[len(secret)/2:],
		"entity-encoded":        entities(secret),
		"partly entity-encoded": html.EscapeString(secret[:5]) + "&#" + itoa(int(secret[5])) + ";" + secret[6:],
	}
	for name, echoed := range fragments {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tenant := halotest.MustFixture(halotest.FixtureCoveExact)
			// The token endpoint refuses, quoting what it was sent.
			_, err := collectErr(t, tenant, halotest.Options{Rewrite: func(a *halotest.Answer) {
				if a.Path == "/auth/token" {
					a.Status = 401
					a.Body = []byte(`{"error":"invalid_client","error_description":"client_secret ` + echoed + ` is not valid"}`)
				}
			}}, halo.Plan{}, nil)
			if err == nil {
				t.Fatal("the refused token did not stop the collection")
			}
			assertNoSecretFragment(t, "the error", err.Error(), secret)

			// An API answer quotes it.
			snap, err := collectErr(t, tenant, halotest.Options{Canned: map[string]halotest.Canned{
				"/api/control": {Status: 500, Body: []byte(`{"message":"token request with ` + echoed + ` failed"}`)},
			}}, halo.Plan{}, func(c *halo.Config) { c.MaxAttempts = 1 })
			if err != nil {
				t.Fatal(err)
			}
			assertNoSecretFragment(t, "the snapshot", snapshotText(t, snap), secret)
		})
	}
}

func itoa(n int) string {
	var b []byte
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// assertNoSecretFragment fails when text holds, plainly or entity-encoded,
// a third of the secret in one piece. The client ID, which the test
// secret contains and messages name on purpose, does not count.
func assertNoSecretFragment(t *testing.T, what, text, secret string) {
	t.Helper()
	decoded := strings.ReplaceAll(html.UnescapeString(text), `"`+halotest.AuditorClientID+`"`, `"client"`)
	n := len(secret) / 3
	for i := 0; i+n <= len(secret); i++ {
		frag := secret[i : i+n]
		if at := strings.Index(decoded, frag); at >= 0 {
			t.Errorf("%s holds %q of the secret: …%s…", what, frag, decoded[max(0, at-80):min(len(decoded), at+80)])
			return
		}
	}
}

// Defect 5: with 150 applications and a server that answers page 2 with
// page 1 again, the last 50 were never read, with no error and no notice.
// A list whose pages repeat, or whose objects fall short of its
// record_count, is a collection error for the list.
func TestRepeatedOrShortPagesAreCollectionErrors(t *testing.T) {
	t.Parallel()
	tenant := halotest.Generate(halotest.GenerateSpec{Seed: 5, Roles: 120, Agents: 10, Applications: 150})
	roleID := tenant.Roles[len(tenant.Roles)-1]["id"].(string)
	for _, tc := range []struct {
		name     string
		rewrite  halotest.Rewrite
		endpoint string
		want     string
	}{
		{"page 2 repeats page 1", halotest.RepeatPage("/api/application", 2, 1), "/api/Application", "page 2 repeats page 1"},
		{"a role missing under its record_count", halotest.DropObject("/api/roles", roleID), "/api/Roles", fmt.Sprintf("announced %d objects and sent %d", len(tenant.Roles), len(tenant.Roles)-1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			snap, err := collectErr(t, tenant, halotest.Options{Rewrite: tc.rewrite}, halo.Plan{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ce := collectionErrorOn(snap, tc.endpoint)
			if ce == nil || !strings.Contains(ce.Message, tc.want) {
				t.Fatalf("no collection error on %s saying %q: %+v", tc.endpoint, tc.want, snap.CollectionErrors)
			}
		})
	}
}

// Defect 1, in the snapshot: copies of an object that agree become one
// object, with its details and a notice; copies that disagree leave the
// list unreliable (a collection error for the list).
func TestObjectListedTwiceBecomesOne(t *testing.T) {
	t.Parallel()
	tenant := halotest.MustFixture(halotest.FixtureTimeZestAdmin)
	role := tenant.Role("TimeZest")
	id := role["id"].(string)
	plan := halo.Plan{Keywords: []string{"timezest"}}

	snap, err := collectErr(t, tenant, halotest.Options{Rewrite: halotest.DuplicateObject("/api/roles", id, "notes")}, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	var copies []halo.Role
	for _, r := range snap.Roles {
		if r.ID == id {
			copies = append(copies, r)
		}
	}
	if len(copies) != 1 || !copies[0].Detailed || len(copies[0].Claims) == 0 {
		t.Errorf("the role listed twice: %d copies in the snapshot, %+v", len(copies), copies)
	}
	if len(snap.CollectionErrors) != 0 || len(snap.Notices) != 1 || !strings.Contains(snap.Notices[0].Message, "role "+id+" (2 times)") {
		t.Errorf("want one notice naming the role, got errors %+v, notices %+v", snap.CollectionErrors, snap.Notices)
	}

	disagree := func(a *halotest.Answer) {
		if a.Path != "/api/roles" {
			return
		}
		a.Body = bytes.Replace(a.Body, []byte(`"id":"`+id+`"`), []byte(`"id":"`+id+`","is_integration":true},{"id":"`+id+`"`), 1)
	}
	snap, err = collectErr(t, tenant, halotest.Options{Rewrite: disagree}, plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ce := collectionErrorOn(snap, "/api/Roles"); ce == nil || ce.Resource != halo.ResourceRoles || !strings.Contains(ce.Message, "more than once, with different values") {
		t.Errorf("copies that disagree: want a collection error for the list, got %+v", snap.CollectionErrors)
	}
}

// Defect 12: a token whose expires_in is 0, negative or a few seconds made
// every API request fetch a new token. The lifetime is floored, and a
// notice says so once.
func TestShortTokenLifetimeIsFloored(t *testing.T) {
	t.Parallel()
	for _, secs := range []int{-5, 0, 3} {
		t.Run(fmt.Sprint(secs), func(t *testing.T) {
			t.Parallel()
			tenant := halotest.MustFixture(halotest.FixtureSample)
			srv := halotest.New(tenant, halotest.Options{Rewrite: halotest.TokenExpiresIn(secs)})
			t.Cleanup(srv.Close)
			client, err := halo.NewClient(halo.Config{
				URL: srv.URL, ClientID: halotest.AuditorClientID, ClientSecret: halo.Secret(halotest.AuditorClientSecret),
				MaxRequestsPerWindow: 100_000,
			})
			if err != nil {
				t.Fatal(err)
			}
			snap, err := halo.Collect(context.Background(), client, halo.Plan{Full: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var tokens int
			for _, r := range srv.Requests() {
				if strings.HasSuffix(r.Path, "/token") {
					tokens++
				}
			}
			if tokens != 1 {
				t.Errorf("%d token requests for %d requests, want 1", tokens, len(srv.Requests()))
			}
			var notes []string
			for _, n := range snap.Notices {
				if strings.Contains(n.Message, "expires_in") {
					notes = append(notes, n.Message)
				}
			}
			if len(notes) != 1 || !strings.Contains(notes[0], fmt.Sprintf("expires_in %d", secs)) {
				t.Errorf("want one notice on the token's lifetime, got %q", notes)
			}
		})
	}
}

// Defect 11: when the run's deadline strikes, the collection still gives
// the snapshot of what was read; what was not is a collection error, and
// the error returned says the read was cut short.
func TestDeadlineStillGivesWhatWasRead(t *testing.T) {
	t.Parallel()
	for _, hang := range []string{"/api/roles/*", "/api/roles"} {
		t.Run(hang, func(t *testing.T) {
			t.Parallel()
			tenant := halotest.MustFixture(halotest.FixtureSample)
			srv := halotest.New(tenant, halotest.Options{HangPaths: []string{hang}})
			t.Cleanup(srv.Close)
			client, err := halo.NewClient(halo.Config{
				URL: srv.URL, ClientID: halotest.AuditorClientID, ClientSecret: halo.Secret(halotest.AuditorClientSecret),
				MaxRequestsPerWindow: 100_000, RequestTimeout: time.Hour,
				// More slots than hanging requests: Control is not starved
				// of one (the per-request deadline frees them otherwise).
				Concurrency: 64,
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			snap, err := halo.Collect(ctx, client, halo.Plan{Keywords: []string{"timezest"}}, nil)
			if !errors.Is(err, context.DeadlineExceeded) || snap == nil {
				t.Fatalf("Collect = %v, %v; want the snapshot and the deadline", snap != nil, err)
			}
			if len(snap.Applications) == 0 || len(snap.Agents) == 0 || snap.Control == nil {
				t.Errorf("what was read is missing: %d applications, %d agents, control %v", len(snap.Applications), len(snap.Agents), snap.Control)
			}
			var lost int
			for _, ce := range snap.CollectionErrors {
				if strings.HasPrefix(strings.ToLower(ce.Endpoint), strings.TrimSuffix(hang, "/*")) && strings.Contains(ce.Message, "deadline") {
					lost++
				}
			}
			if lost == 0 {
				t.Errorf("no collection error for what the deadline cut: %+v", snap.CollectionErrors)
			}
			var noticed bool
			for _, n := range snap.Notices {
				noticed = noticed || n.Resource == halo.ResourceCollection && strings.Contains(n.Message, "cut short")
			}
			if !noticed {
				t.Errorf("no notice that the collection was cut short: %+v", snap.Notices)
			}
		})
	}
}
