package halo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// StepStatus is the outcome of one step of a Diagnosis.
type StepStatus string

const (
	StepOK   StepStatus = "ok"
	StepWarn StepStatus = "warn" // an audit runs, but something is to look at
	StepFail StepStatus = "fail" // an audit cannot run (completely) until it is fixed
	StepSkip StepStatus = "skip" // not tried: an earlier step failed
)

// Step is one thing Diagnose checked. Detail and Fix may quote the
// tenant (names, server messages): print them through reports.Printable.
type Step struct {
	Name   string
	Status StepStatus
	// Detail is what was found.
	Detail string
	// Fix says what to do, for warn and fail.
	Fix string
}

// Answer is one answer Diagnose received, as a bug report may carry it:
// the request (ids replaced by {id}), the status and the shape of the
// body, never a value.
type Answer struct {
	Request string `json:"request"`
	// Status is the HTTP status, 0 when no answer came.
	Status int `json:"status"`
	// Shape is nil when the body was not JSON.
	Shape *Shape `json:"shape,omitempty"`
}

// Diagnosis is what Diagnose found, step by step.
type Diagnosis struct {
	Steps   []Step
	Answers []Answer
	// Requests is the number of requests sent.
	Requests int

	client *Client
	cfg    Config
}

// CanAudit reports whether an audit can run: no step failed.
func (d *Diagnosis) CanAudit() bool {
	for _, s := range d.Steps {
		if s.Status == StepFail {
			return false
		}
	}
	return true
}

// DiagnoseRequests is the most requests Diagnose sends, retries aside:
// discovery, the token, the login agent, the five lists, one role's and
// one application's details.
const DiagnoseRequests = 10

// Diagnose checks, with at most DiagnoseRequests requests, what an audit of
// the instance cfg names needs, step by step: the URL, discovery of the
// authorisation server, the token and the scopes granted in it, the agent
// the auditor logs in as (Agent/me), and, for each list the audit reads,
// whether it answers, in which shape, and whether it looks restricted;
// then one role's and one application's details. It stops at the first
// step without which nothing after can be tried. The requests go through
// the client as every other: GET only, within the rate budget. An invalid
// cfg is a *ConfigError; the end of ctx is an error; everything else the
// server answers is a step.
func Diagnose(ctx context.Context, cfg Config) (*Diagnosis, error) {
	client, err := NewClient(cfg)
	if err != nil {
		return nil, err
	}
	d := &Diagnosis{client: client, cfg: client.cfg}
	d.connection()
	if d.authorize(ctx) {
		me := d.loginAgent(ctx)
		roles, apps := d.lists(ctx)
		d.roleDetails(ctx, me, roles)
		d.applicationDetails(ctx, apps)
	}
	d.Requests = client.RequestCount()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("diagnose %s: %w", client.URL(), context.Cause(ctx))
	}
	for i := range d.Steps {
		d.Steps[i].Detail = client.secrets.scrub(d.Steps[i].Detail)
		d.Steps[i].Fix = client.secrets.scrub(d.Steps[i].Fix)
	}
	return d, nil
}

func (d *Diagnosis) step(name string, status StepStatus, detail, fix string) {
	d.Steps = append(d.Steps, Step{Name: name, Status: status, Detail: detail, Fix: fix})
}

// get sends one request and records its answer's shape under the name
// request (the endpoint with ids replaced).
func (d *Diagnosis) get(ctx context.Context, hc *http.Client, request, endpoint string) (any, error) {
	v, err := d.client.get(ctx, hc, endpoint)
	a := Answer{Request: "GET " + request}
	var apiErr *APIError
	switch {
	case err == nil:
		a.Status, a.Shape = http.StatusOK, ShapeOf(v)
	case errors.As(err, &apiErr):
		a.Status = apiErr.Status
	}
	d.Answers = append(d.Answers, a)
	return v, err
}

func (d *Diagnosis) connection() {
	u := d.client.base
	detail := fmt.Sprintf("HALO_URL %s over %s, client ID %q", u, u.Scheme, d.cfg.ClientID)
	if d.cfg.Tenant != "" {
		detail += fmt.Sprintf(", tenant %q", d.cfg.Tenant)
	}
	detail += ", scope " + d.cfg.Scope
	if u.Scheme == "http" {
		detail += " (http: accepted for a loopback host only)"
	}
	d.step("connection", StepOK, detail, "")
}

// authorize is the discovery and token steps; false when the token was not
// granted.
func (d *Diagnosis) authorize(ctx context.Context) bool {
	err := d.client.Authorize(ctx)
	server, chosen := d.client.TokenServer()
	var untrusted *UntrustedAuthServerError
	switch {
	case errors.As(err, &untrusted):
		d.step("discovery", StepFail, err.Error(), "set HALO_AUTH_URL to the Authorisation Server shown in Configuration > Integrations > HaloPSA API > API Details")
		d.step("token", StepSkip, "not asked: the client secret goes only to a trusted authorisation server", "")
		return false
	case !chosen:
		d.step("discovery", StepFail, err.Error(), "check HALO_URL and that this machine reaches it")
		return false
	}
	if server.Source != TokenServerPinned {
		a := Answer{Request: "GET /api/authinfo", Status: server.answerStatus}
		if server.answer != nil {
			a.Shape = ShapeOf(server.answer)
		}
		d.Answers = append(d.Answers, a)
	}
	switch {
	case server.Source == TokenServerPinned:
		d.step("discovery", StepOK, fmt.Sprintf("HALO_AUTH_URL names the authorisation server %s; /api/authinfo is not asked", server.URL), "")
	case server.Source == TokenServerDefault:
		d.step("discovery", StepWarn, server.Note,
			"if Configuration > Integrations > HaloPSA API > API Details shows another Authorisation Server, set HALO_AUTH_URL to it")
	case server.Hosted:
		d.step("discovery", StepOK, fmt.Sprintf("/api/authinfo names the authorisation server %s, HaloPSA's hosted one", server.URL), "")
	default:
		d.step("discovery", StepOK, fmt.Sprintf("/api/authinfo names the authorisation server %s, on the instance's own host", server.URL), "")
	}
	if err != nil {
		d.tokenRefused(err, server)
		return false
	}
	scope, expires := d.client.grantedScope()
	detail := fmt.Sprintf("%s granted a token", server.Host)
	granted := strings.Fields(scope)
	if scope == "" {
		detail += "; the answer names no scope"
	} else {
		detail += " for scope " + strings.Join(granted, " ")
	}
	if !expires.IsZero() {
		// The token library dates expiry on the system clock.
		detail += fmt.Sprintf(", valid for %s", time.Until(expires).Round(time.Minute))
	}
	var missing []string
	for _, s := range strings.Fields(d.cfg.Scope) {
		if scope != "" && !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	switch {
	case len(missing) > 0:
		d.step("token", StepWarn, detail+"; not granted: "+strings.Join(missing, " "),
			"tick "+strings.Join(missing, " ")+" on the auditor application's Permissions tab, or set HALO_SCOPE to what it holds")
	case scope != "" && !slices.Contains(granted, "admin") && !slices.Contains(granted, "all"):
		d.step("token", StepWarn, detail,
			"reading roles, agents, applications and settings most likely needs the scope admin: tick it on the auditor application's Permissions tab and set HALO_SCOPE=admin")
	default:
		d.step("token", StepOK, detail, "")
	}
	return true
}

// tokenRefused is the token step when no token came.
func (d *Diagnosis) tokenRefused(err error, server TokenServer) {
	var authErr *AuthError
	if !errors.As(err, &authErr) {
		d.step("token", StepFail, err.Error(), "check that this machine reaches "+server.Host+" (a proxy, a firewall, the certificate)")
		return
	}
	fix := "check the Client ID and Client Secret of the auditor application (Configuration > Integrations > HaloPSA API > View Applications)"
	switch {
	case authErr.Code == "invalid_client" && d.cfg.Tenant == "":
		fix = "check HALO_CLIENT_ID and the client secret; on an instance Halo hosts, also set HALO_TENANT to the tenant name shown in Configuration > Integrations > HaloPSA API > API Details"
	case authErr.Code == "invalid_client":
		fix = "check HALO_CLIENT_ID, the client secret and HALO_TENANT (Configuration > Integrations > HaloPSA API > API Details); the application must be active"
	case authErr.Code == "invalid_scope":
		fix = "the application lacks the scope " + d.cfg.Scope + ": tick it on its Permissions tab, or set HALO_SCOPE to a scope it has"
	}
	d.step("token", StepFail, err.Error(), fix)
}

// grantedScope is the scope field of the current token's answer and when
// the token expires (zero when unknown).
func (c *Client) grantedScope() (string, time.Time) {
	c.authMu.Lock()
	a := c.auth
	c.authMu.Unlock()
	if a == nil {
		return "", time.Time{}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token == nil {
		return "", time.Time{}
	}
	scope, _ := a.token.Extra("scope").(string)
	return strings.TrimSpace(scope), a.token.Expiry
}

// loginAgent is the Agent/me step: who the auditor logs in as. The agent
// is nil when it could not be read.
func (d *Diagnosis) loginAgent(ctx context.Context) *Agent {
	const endpoint = "/api/Agent/me?includedetails=true"
	v, err := d.get(ctx, d.client.api, endpoint, endpoint)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			d.step("login agent", StepWarn, "GET /api/Agent/me: 404: the auditor application logs in as no agent (Application Identity, or a user)",
				"on the application's Details tab set Login Type to Agent and log in as an API-only agent whose role can read the configuration")
			return nil
		}
		d.step("login agent", StepWarn, "GET "+err.Error(), "an audit does not need Agent/me, but the lists below may show why it failed")
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.step("login agent", StepWarn, fmt.Sprintf("GET /api/Agent/me: the answer is a %s, not an agent", jsonKind(v)), "report this answer's shape (halolint doctor --shapes FILE)")
		return nil
	}
	a := decodeAgent(m)
	yesNo := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	detail := fmt.Sprintf("the auditor logs in as agent %q (id %d): API-only %s, administrator %s", a.Name, a.ID, yesNo(a.IsAPIAgent), yesNo(a.IsAdmin))
	var names []string
	for _, r := range a.Roles {
		names = append(names, fmt.Sprintf("%q", r.Name))
	}
	if len(names) > 0 {
		detail += ", roles " + strings.Join(names, ", ")
	}
	switch {
	case a.IsDisabled:
		d.step("login agent", StepFail, detail+", disabled", "enable the agent (Configuration > Teams & Agents > Agents), or log the application in as another")
	case !a.IsAPIAgent:
		d.step("login agent", StepWarn, detail,
			"an agent people log in as shares its permissions with the audit: create an API-only agent for the auditor (README, Creating the auditor's API application)")
	default:
		d.step("login agent", StepOK, detail, "")
	}
	return &a
}

// listCheck is one list the audit reads.
type listCheck struct {
	step string // the step's name
	what string // plural, in prose
	req  listRequest
}

// lists reads the first page of each list the audit reads, as the audit
// asks for it, and /api/Control, and returns the roles and applications
// listed (for the detail steps).
func (d *Diagnosis) lists(ctx context.Context) (roles, apps []map[string]any) {
	checks := []listCheck{
		{"roles", "roles", rolesList},
		{"agents", "agents", agentsList},
		{"applications", "applications", applicationsList},
		{"categories", "Category 1 values", categoriesList(1)},
	}
	for _, c := range checks {
		items := d.list(ctx, c)
		switch c.step {
		case "roles":
			roles = items
		case "applications":
			apps = items
			d.auditorListed(items)
		}
	}
	d.control(ctx)
	return roles, apps
}

// list is one list's step; it returns the objects of its first page.
func (d *Diagnosis) list(ctx context.Context, c listCheck) []map[string]any {
	endpoint := c.req.endpoint(1)
	v, err := d.get(ctx, d.client.api, endpoint, endpoint)
	if err != nil {
		d.step(c.step, StepFail, "GET "+err.Error(), readFix(err, c.what))
		return nil
	}
	pg, err := parsePage(v, c.req.names)
	if err != nil {
		d.step(c.step, StepFail, fmt.Sprintf("GET %s: %v", c.req.path, err), "report this answer's shape (halolint doctor --shapes FILE): the audit cannot read it")
		return nil
	}
	objs := objects(pg.items)
	var how string
	switch {
	case pg.bare && len(pg.items) == pageSize:
		how = fmt.Sprintf("a bare array of %d: the audit asks for the next pages until one is short", len(pg.items))
	case pg.bare:
		how = fmt.Sprintf("a bare array of %d, the whole list", len(pg.items))
	case pg.hasCount:
		how = fmt.Sprintf("an envelope (list %q, record_count %d) with %d on the first page", envelopeKey(v, c.req.names), pg.recordCount, len(pg.items))
		if pages := (pg.recordCount + pageSize - 1) / pageSize; pages > 1 {
			how += fmt.Sprintf(": %d pages of %d", pages, pageSize)
		}
	default:
		how = fmt.Sprintf("an envelope (list %q, no record_count) with %d", envelopeKey(v, c.req.names), len(pg.items))
	}
	detail := fmt.Sprintf("GET %s: %s", c.req.path, how)
	if skipped := len(pg.items) - len(objs); skipped > 0 {
		detail += fmt.Sprintf("; %d elements are not objects and are skipped", skipped)
	}
	if len(pg.items) == 0 {
		d.step(c.step, StepWarn, detail+": empty",
			fmt.Sprintf("Halo answers an agent that may not see %s with an empty list rather than 403: if the tenant has %s, give the auditor's agent a role that can see them", c.what, c.what))
		return objs
	}
	d.step(c.step, StepOK, detail, "")
	return objs
}

// envelopeKey is the field of an envelope that holds the list.
func envelopeKey(v any, names []string) string {
	obj, _ := v.(map[string]any)
	var arrays []string
	for k, x := range obj {
		if _, ok := x.([]any); ok {
			arrays = append(arrays, k)
		}
	}
	sort.Strings(arrays)
	if len(arrays) == 1 {
		return arrays[0]
	}
	for _, k := range arrays {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				return k
			}
		}
	}
	return ""
}

// auditorListed warns when the auditor's own application is missing from
// the applications listed: the list is most likely restricted.
func (d *Diagnosis) auditorListed(apps []map[string]any) {
	if len(apps) == 0 || len(apps) >= pageSize {
		return
	}
	for _, m := range apps {
		if strings.EqualFold(decodeApplication(m).ClientID, d.cfg.ClientID) {
			return
		}
	}
	last := &d.Steps[len(d.Steps)-1]
	if last.Status == StepOK {
		last.Status = StepWarn
		last.Detail += fmt.Sprintf("; none has the auditor's client ID %q", d.cfg.ClientID)
		last.Fix = "the list looks restricted: the auditor's agent may not see every application (and baseline.auditor.self cannot judge the auditor's own)"
	}
}

func (d *Diagnosis) control(ctx context.Context) {
	v, err := d.get(ctx, d.client.api, controlEndpoint, controlEndpoint)
	if err != nil {
		d.step("control", StepFail, "GET "+err.Error(), readFix(err, "the global settings"))
		return
	}
	shape := "an object"
	if arr, ok := v.([]any); ok && len(arr) == 1 {
		v, shape = arr[0], "a one-element array"
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.step("control", StepFail, fmt.Sprintf("GET %s: the answer is a %s, not an object", controlEndpoint, jsonKind(v)), "report this answer's shape (halolint doctor --shapes FILE)")
		return
	}
	detail := fmt.Sprintf("GET %s: %s of %d settings (halolint keeps five of them)", controlEndpoint, shape, len(m))
	if _, ok := m["force_accounts_id"]; !ok {
		d.step("control", StepWarn, detail+"; no force_accounts_id", "the checks of that setting will report error: report this answer's shape (halolint doctor --shapes FILE)")
		return
	}
	d.step("control", StepOK, detail, "")
}

// readFix says what to do about a list or object the auditor may not read.
func readFix(err error, what string) string {
	switch {
	case errors.Is(err, ErrForbidden):
		return fmt.Sprintf("the auditor may not read %s: give its login agent a role that can read the configuration (most likely HaloPSA Administrator) and tick admin on the application's Permissions tab", what)
	case errors.Is(err, ErrUnauthorized):
		return "the API refused the token: check the application is active and its scopes (then run halolint doctor again)"
	case errors.Is(err, ErrNotFound):
		return "this instance does not serve it: check that HALO_URL is the instance itself (not /api, not a portal)"
	}
	return "check the instance answers (it may be overloaded: try again later)"
}

// roleDetails reads one role's details, the login agent's first role or
// else the first listed, and checks they carry claims.
func (d *Diagnosis) roleDetails(ctx context.Context, me *Agent, roles []map[string]any) {
	var id, name string
	if me != nil {
		for _, r := range me.Roles {
			if r.ID != "" {
				id, name = r.ID, r.Name
				break
			}
		}
	}
	for _, m := range roles {
		if r := decodeRole(m); id == "" && r.ID != "" {
			id, name = r.ID, r.Name
		}
	}
	if id == "" {
		d.step("role details", StepSkip, "no role to read", "")
		return
	}
	d.details(ctx, "role details", ResourceRole, roleEndpoint(id), "/api/Roles/{id}?includedetails=true", id, name,
		func(m map[string]any) (string, bool) {
			claims, ok := m["claims"].([]any)
			return fmt.Sprintf("%d claims", len(claims)), ok
		})
}

// applicationDetails reads the auditor's own application's details, else
// the first non-system application's, and checks they carry scopes.
func (d *Diagnosis) applicationDetails(ctx context.Context, apps []map[string]any) {
	var chosen *Application
	for _, m := range apps {
		a := decodeApplication(m)
		switch {
		case a.ID == "" || a.IsSystem:
		case strings.EqualFold(a.ClientID, d.cfg.ClientID):
			chosen = &a
		case chosen == nil:
			chosen = &a
		}
	}
	if chosen == nil {
		d.step("application details", StepSkip, "no application to read", "")
		return
	}
	auditor := strings.EqualFold(chosen.ClientID, d.cfg.ClientID)
	var writes []string
	d.details(ctx, "application details", ResourceApplication, applicationEndpoint(chosen.ID), "/api/Application/{id}?includedetails=true", chosen.ID, chosen.DisplayName,
		func(m map[string]any) (string, bool) {
			if m["scopes"] == nil {
				return "", false
			}
			scopes := decodeApplication(m).Scopes
			if auditor {
				for _, s := range scopes {
					if s == "all" || s == "all:standard" || strings.HasPrefix(s, "edit") {
						writes = append(writes, s)
					}
				}
				return "the auditor's own, scopes " + strings.Join(scopes, " "), true
			}
			return "scopes " + strings.Join(scopes, " "), true
		})
	if last := &d.Steps[len(d.Steps)-1]; len(writes) > 0 && last.Status == StepOK {
		last.Status = StepWarn
		last.Fix = "halolint only reads: untick " + strings.Join(writes, " ") + " on the auditor application's Permissions tab"
	}
}

// details is one detail step: the answer must be the object asked for and
// carry the field permissions reads (claims, scopes).
func (d *Diagnosis) details(ctx context.Context, step string, resource Resource, endpoint, request, id, name string,
	permissions func(map[string]any) (string, bool)) {
	v, err := d.get(ctx, d.client.api, request, endpoint)
	what := fmt.Sprintf("%s %q", resource, name)
	if err != nil {
		d.step(step, StepFail, fmt.Sprintf("%s: GET %v", what, err), readFix(err, "the details of "+string(resource)+"s"))
		return
	}
	m, ok := v.(map[string]any)
	if arr, isArr := v.([]any); isArr && len(arr) == 1 {
		m, ok = arr[0].(map[string]any)
	}
	if !ok || !strings.EqualFold(str(m["id"]), id) {
		d.step(step, StepFail, fmt.Sprintf("%s: the answer is not its details", what), "report this answer's shape (halolint doctor --shapes FILE): the audit would report error for every check of a "+string(resource))
		return
	}
	detail, ok := permissions(m)
	if !ok {
		d.step(step, StepFail, fmt.Sprintf("%s: the details carry no %q field, so what it grants is unknown", what, permissionField(resource)),
			"the server ignored includedetails=true: the audit would report error for these checks; report this answer's shape (halolint doctor --shapes FILE)")
		return
	}
	d.step(step, StepOK, what+": "+detail, "")
}
