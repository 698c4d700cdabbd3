package sampleserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Credential is a client ID and secret that the token endpoint accepts.
type Credential struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	// Tenant, when set, must be sent with the token request (as the query
	// parameter ?tenant=, or as a form field), as instances hosted by Halo
	// require. Wrong or missing: invalid_client.
	Tenant string `json:"tenant,omitempty"`
	// Scopes lists the scope names a token may be given. When empty, the
	// scopes of the application whose clientId is ClientID are used, and
	// when there is no such application, any scope (see
	// Options.KnownScope).
	Scopes []string `json:"scopes,omitempty"`
}

// Tenant is what the server serves: the objects as HaloPSA's API returns
// them in detail (raw JSON objects), plus the credentials the token
// endpoint accepts. The server derives the summaries (lists, requests
// without includedetails) by removing the detail-only fields: a role's
// claims, departments and other restriction lists, an agent's claims and
// write-only secrets, an application's scopes and client secret.
type Tenant struct {
	// Name and Description say what the tenant is for; not served.
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// TenantID is what /api/authinfo answers as tenant_id.
	TenantID    string       `json:"tenant_id,omitempty"`
	Credentials []Credential `json:"credentials"`

	Roles        []map[string]any `json:"roles"`
	Agents       []map[string]any `json:"agents"`
	Applications []map[string]any `json:"applications"`
	// Categories holds the values of every category list; each has a
	// type_id (1..4 for "Category 1".."Category 4").
	Categories []map[string]any `json:"categories"`
	// Control is served by /api/Control on top of a built-in set of about
	// fifty settings, secrets included (see ControlObject); a field given
	// here wins.
	Control map[string]any `json:"control"`
}

// DecodeTenant decodes a tenant written as JSON, refusing unknown fields
// and anything after the object. Numbers are kept as json.Number so that
// the server answers them exactly as written. It does not Validate.
func DecodeTenant(data []byte) (*Tenant, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var t Tenant
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the tenant object")
	}
	return &t, nil
}

// Validate reports the Problems of t as one error, nil when there is none.
func (t *Tenant) Validate() error {
	if errs := t.Problems(); len(errs) > 0 {
		return fmt.Errorf("sampleserver: invalid tenant %q: %s", t.Name, strings.Join(errs, "; "))
	}
	return nil
}

// Problems lists what the server relies on and t lacks: ids present and
// unique (GUID strings for roles and applications, integers for agents
// and categories), names and client IDs present, credentials complete. It
// does not check references between objects: a login agent that does not
// exist is a scenario, not a mistake.
func (t *Tenant) Problems() []string {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }

	seen := map[string]bool{}
	for i, r := range t.Roles {
		id, ok := r["id"].(string)
		if !ok || id == "" {
			bad("roles[%d]: id must be a non-empty string (a GUID)", i)
		} else if seen[strings.ToLower(id)] {
			bad("roles[%d]: duplicate id %s", i, id)
		}
		seen[strings.ToLower(id)] = true
		if s, _ := r["name"].(string); s == "" {
			bad("roles[%d]: missing name", i)
		}
	}
	seenInt := map[int]bool{}
	for i, a := range t.Agents {
		id, ok := AsInt(a["id"])
		if !ok {
			bad("agents[%d]: id must be an integer", i)
		} else if seenInt[id] {
			bad("agents[%d]: duplicate id %d", i, id)
		}
		seenInt[id] = true
		if s, _ := a["name"].(string); s == "" {
			bad("agents[%d]: missing name", i)
		}
	}
	seen = map[string]bool{}
	clients := map[string]bool{}
	for i, a := range t.Applications {
		id, ok := a["id"].(string)
		if !ok || id == "" {
			bad("applications[%d]: id must be a non-empty string (a GUID)", i)
		} else if seen[strings.ToLower(id)] {
			bad("applications[%d]: duplicate id %s", i, id)
		}
		seen[strings.ToLower(id)] = true
		cid, _ := a["clientId"].(string)
		if cid == "" {
			bad("applications[%d]: missing clientId", i)
		} else if clients[cid] {
			bad("applications[%d]: duplicate clientId %s", i, cid)
		}
		clients[cid] = true
	}
	seenInt = map[int]bool{}
	for i, c := range t.Categories {
		id, ok := AsInt(c["id"])
		if !ok {
			bad("categories[%d]: id must be an integer", i)
		} else if seenInt[id] {
			bad("categories[%d]: duplicate id %d", i, id)
		}
		seenInt[id] = true
		if _, ok := AsInt(c["type_id"]); !ok {
			bad("categories[%d]: type_id must be an integer", i)
		}
	}
	seen = map[string]bool{}
	for i, c := range t.Credentials {
		if c.ClientID == "" || c.ClientSecret == "" {
			bad("credentials[%d]: client_id and client_secret are required", i)
		}
		if seen[c.ClientID] {
			bad("credentials[%d]: duplicate client_id %s", i, c.ClientID)
		}
		seen[c.ClientID] = true
	}
	return errs
}

// clone returns a deep copy of t.
func (t *Tenant) clone() *Tenant {
	data, err := json.Marshal(t)
	if err != nil {
		panic("sampleserver: clone: " + err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var c Tenant
	if err := dec.Decode(&c); err != nil {
		panic("sampleserver: clone: " + err.Error())
	}
	return &c
}

// ControlObject is the object /api/Control answers: the built-in settings
// (with their secrets) overlaid with t.Control.
func (t *Tenant) ControlObject() map[string]any {
	out := defaultControl()
	for k, v := range t.Control {
		out[k] = v
	}
	return out
}

// Application returns the application whose clientId is clientID, or nil.
func (t *Tenant) Application(clientID string) map[string]any {
	for _, a := range t.Applications {
		if s, _ := a["clientId"].(string); s == clientID {
			return a
		}
	}
	return nil
}

// Agent returns the agent with that id, or nil.
func (t *Tenant) Agent(id int) map[string]any {
	for _, a := range t.Agents {
		if n, ok := AsInt(a["id"]); ok && n == id {
			return a
		}
	}
	return nil
}

// AsInt reads an integer from a decoded JSON value: json.Number, float64
// without fraction, any Go integer, or a string of digits.
func AsInt(v any) (int, bool) {
	switch v := v.(type) {
	case json.Number:
		n, err := strconv.Atoi(string(v))
		return n, err == nil
	case float64:
		if v == float64(int(v)) {
			return int(v), true
		}
	case int:
		return v, true
	case int64:
		return int(v), true
	case int32:
		return int(v), true
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

// AsBool reads a boolean from a decoded JSON value: a bool, or the strings
// "true"/"false" (any case) and "1"/"0".
func AsBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToLower(v) {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	case json.Number:
		switch string(v) {
		case "1":
			return true, true
		case "0":
			return false, true
		}
	}
	return false, false
}

// defaultControl is the part of /api/Control every tenant shares: ordinary
// settings and, as in a real tenant, integration secrets. Values holding
// secrets carry a marker ("SECRET-", "TOKEN-"), so that leak tests can
// search for them.
func defaultControl() map[string]any {
	return map[string]any{
		"id":                                 1,
		"companyname":                        "Example MSP Ltd",
		"default_currency":                   "GBP",
		"timezone":                           "GMT Standard Time",
		"dateformat":                         "dd/MM/yyyy",
		"portal_url":                         "https://support.example-msp.test",
		"force_accounts_id":                  false,
		"category_1_label":                   "Category 1",
		"category_2_label":                   "Category 2",
		"category_3_label":                   "Resolution",
		"category_4_label":                   "Category 4",
		"enable_2fa":                         true,
		"password_min_length":                12,
		"session_timeout_minutes":            480,
		"allow_api_agents":                   true,
		"ticket_reference_prefix":            "SR",
		"default_sla_id":                     1,
		"default_priority_id":                3,
		"smtp_server":                        "smtp.example-msp.test",
		"smtp_port":                          587,
		"smtp_username":                      "halo@example-msp.test",
		"smtp_password":                      "SECRET-control-smtp-password",
		"smtp_use_tls":                       true,
		"incoming_mailbox":                   "support@example-msp.test",
		"azure_tenant_id":                    "0b7f1f4e-3a57-4c55-9d6e-2f1c9a000001",
		"azure_client_id":                    "7d3c9a3e-1d0a-4bb2-8f61-5a0c4e000002",
		"azure_client_secret":                "SECRET-control-azure-client-secret",
		"xero_client_id":                     "XEROCLIENTID0001",
		"xero_client_secret":                 "SECRET-control-xero-client-secret",
		"xero_refresh_token":                 "TOKEN-control-xero-refresh",
		"quickbooks_client_id":               "QBOCLIENTID0001",
		"quickbooks_client_secret":           "SECRET-control-quickbooks-client-secret",
		"quickbooks_refresh_token":           "TOKEN-control-quickbooks-refresh",
		"stripe_publishable_key":             "pk_test_SECRET-control-stripe-publishable",
		"stripe_secret_key":                  "sk_test_SECRET-control-stripe-secret",
		"twilio_account_sid":                 "AC0000000000000000000000000000demo",
		"twilio_auth_token":                  "TOKEN-control-twilio-auth",
		"teams_webhook_url":                  "https://example.webhook.office.test/SECRET-control-teams-webhook",
		"slack_bot_token":                    "xoxb-TOKEN-control-slack-bot",
		"ninja_refresh_token":                "TOKEN-control-ninjaone-refresh",
		"datto_api_secret":                   "SECRET-control-datto-api-secret",
		"google_maps_api_key":                "SECRET-control-google-maps-key",
		"encryption_key":                     "SECRET-control-encryption-key",
		"webhook_signing_secret":             "SECRET-control-webhook-signing",
		"ldap_bind_password":                 "SECRET-control-ldap-bind-password",
		"allow_agent_login_with_microsoft":   true,
		"show_password_fields":               false,
		"invoice_due_days":                   30,
		"asset_tag_prefix":                   "EX-",
		"knowledgebase_public":               false,
		"max_attachment_size_mb":             25,
		"client_portal_allow_ticket_logging": true,
	}
}
