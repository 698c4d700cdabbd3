package sampleserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Start serves on a listener of its own, as the demo does: the URLs the
// server announces follow it, and Close stops it.
func TestStart(t *testing.T) {
	tn, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Start(tn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s, want a loopback address", s.URL)
	}
	resp, err := http.Get(s.URL + "/api/authinfo")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	err = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m["auth_url"] != s.URL+"/auth" || m["tenant_id"] != tn.TenantID {
		t.Errorf("authinfo %v, want auth_url %s/auth and tenant_id %s", m, s.URL, tn.TenantID)
	}
	s.Close()
	if resp, err := http.Get(s.URL + "/api/authinfo"); err == nil {
		resp.Body.Close()
		t.Error("the server still answers after Close")
	}
}
