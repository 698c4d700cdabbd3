package halo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Plan says which details Collect reads beyond the lists.
type Plan struct {
	// Full reads every role's and agent's details (snapshot --full).
	Full bool
	// Keywords select roles and agents by name: a role or agent whose name
	// contains one of them (case-insensitive) gets its details read. The
	// CLI passes the profiles' keywords and the config file's names.
	Keywords []string
}

// Collect reads the tenant into a Snapshot with as few requests as the
// checks need:
//
//	requests = 1 authinfo + 1 token
//	         + list pages (at least 5: roles, agents, applications,
//	           categories, control; one more per extra page of 100)
//	         + 1 per non-system application          (Application/{id})
//	         + 1 per agent needed                    (Agent/{id})
//	         + 1 per role needed                     (Roles/{id})
//	         + retries
//
// where the agents needed are the login agents of the non-system
// applications, the API-only agents and the agents whose names match a
// keyword (every agent with plan.Full), and the roles needed are the roles
// of those agents and the roles whose names match a keyword (every role
// with plan.Full). No object's details are read twice.
//
// A request that fails (403, 404, 5xx after retries, an undecodable
// answer) becomes a CollectionError and collection goes on. Only a refused
// authorisation (token refused, 401) or the end of ctx stops it with an
// error. progress, when not nil, is called with the requests sent so far
// and the current estimate of the total.
func Collect(ctx context.Context, client *Client, plan Plan, progress func(done, planned int)) (*Snapshot, error) {
	snap, err := collect(ctx, client, plan, progress)
	if err != nil {
		return nil, client.secrets.scrubError(err)
	}
	return snap, nil
}

func collect(ctx context.Context, client *Client, plan Plan, progress func(done, planned int)) (*Snapshot, error) {
	col := &collector{client: client, plan: plan, progress: progress, start: client.RequestCount()}
	snap := &Snapshot{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "halolint", Version: client.cfg.Version},
		Source:        Source{URL: client.URL(), CollectedAt: client.cfg.Clock.Now().UTC().Truncate(time.Second)},
		Auditor:       Auditor{ClientID: client.cfg.ClientID},
		Full:          plan.Full,
	}

	const listCount = 5
	if client.TokenURL() == "" {
		col.expect(2 + listCount) // authinfo and token first
	} else {
		col.expect(listCount)
	}
	if err := client.Authorize(ctx); err != nil {
		return nil, fmt.Errorf("authorise: %w", err)
	}
	if note := client.discoveryNote(); note != "" {
		col.notice(ResourceAuthInfo, "/api/authinfo", note)
	}
	col.report()

	// The lists, all at once (the transport bounds what is in flight).
	// Raw objects are kept until the details are merged in, so that a
	// detail answer overrides exactly the fields it carries.
	var roles, agents, apps []map[string]any
	var wg sync.WaitGroup
	errs := make([]error, 5)
	wg.Go(func() {
		var err error
		roles, err = list(ctx, client, rolesList, identity)
		errs[0] = col.failed(ctx, ResourceRoles, "", rolesList.path, err)
	})
	wg.Go(func() {
		var err error
		agents, err = list(ctx, client, agentsList, identity)
		errs[1] = col.failed(ctx, ResourceAgents, "", agentsList.path, err)
	})
	wg.Go(func() {
		var err error
		apps, err = list(ctx, client, applicationsList, identity)
		errs[2] = col.failed(ctx, ResourceApplications, "", applicationsList.path, err)
	})
	wg.Go(func() {
		var err error
		snap.Categories, err = client.Categories(ctx, 1)
		errs[3] = col.failed(ctx, ResourceCategories, "", categoriesList(1).path+"?type_id=1", err)
	})
	wg.Go(func() {
		var err error
		snap.Control, err = client.Control(ctx)
		errs[4] = col.failed(ctx, ResourceControl, "", controlEndpoint, err)
	})
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	col.suspectEmpty(ResourceRoles, rolesList.path, roles, "roles")
	col.suspectEmpty(ResourceApplications, applicationsList.path, apps, "applications")
	col.report()

	// The details, in as few waves as the data allows. The lists most
	// likely name every login agent (loginas_agent_id) and every agent's
	// roles (includeroles=true), so one wave reads everything: the
	// applications' scopes, the agents' own claims, the roles' claims.
	// Only what a detail answer reveals and the lists did not (a login
	// agent missing from the application list, a role only the agent's
	// details name) needs a later wave; nothing is read twice.
	appIDs := applicationsToDetail(apps)
	agentIDs := col.agentsToDetail(apps, agents)
	roleIDs := col.rolesToDetail(agents, roles, agentIDs)
	col.expect(len(appIDs) + len(agentIDs) + len(roleIDs))
	if err := col.budgetCovers(ctx); err != nil {
		return nil, err
	}
	// A refused authorisation in any of the three stops the other two:
	// nothing new is sent once the server has said the token is no good.
	waveCtx, stopWave := context.WithCancel(ctx)
	defer stopWave()
	get := func(ctx context.Context, endpoint string) (map[string]any, error) {
		obj, err := client.getObject(ctx, endpoint)
		if errors.Is(err, ErrUnauthorized) {
			stopWave()
		}
		return obj, err
	}
	var appDetails map[string]map[string]any
	var agentDetails map[int]map[string]any
	var roleDetails map[string]map[string]any
	errs = errs[:3]
	wg.Go(func() {
		appDetails, errs[0] = fetchDetails(waveCtx, col, ResourceApplication, appIDs, applicationEndpoint, get)
	})
	wg.Go(func() {
		agentDetails, errs[1] = fetchDetails(waveCtx, col, ResourceAgent, agentIDs, agentEndpoint, get)
	})
	wg.Go(func() {
		roleDetails, errs[2] = fetchDetails(waveCtx, col, ResourceRole, roleIDs, roleEndpoint, get)
	})
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	apps = mergeDetails(apps, appDetails, str)

	lateAgents := without(col.agentsToDetail(apps, agents), agentIDs)
	if len(lateAgents) > 0 {
		col.expect(len(lateAgents))
		more, err := fetchDetails(ctx, col, ResourceAgent, lateAgents, agentEndpoint, client.getObject)
		if err != nil {
			return nil, err
		}
		maps.Copy(agentDetails, more)
		agentIDs = append(agentIDs, lateAgents...)
	}
	agents = mergeDetails(agents, agentDetails, intField)

	lateRoles := without(col.rolesToDetail(agents, roles, agentIDs), roleIDs)
	if len(lateRoles) > 0 {
		col.expect(len(lateRoles))
		more, err := fetchDetails(ctx, col, ResourceRole, lateRoles, roleEndpoint, client.getObject)
		if err != nil {
			return nil, err
		}
		maps.Copy(roleDetails, more)
	}
	roles = mergeDetails(roles, roleDetails, str)

	snap.Roles = decodeAll(roles, roleDetails, str, func(m map[string]any, detailed bool) Role {
		r := decodeRole(m)
		r.Detailed = detailed
		return r
	})
	snap.Agents = decodeAll(agents, agentDetails, intField, func(m map[string]any, detailed bool) Agent {
		a := decodeAgent(m)
		a.Detailed = detailed
		return a
	})
	snap.Applications = decodeAll(apps, appDetails, str, func(m map[string]any, detailed bool) Application {
		a := decodeApplication(m)
		a.Detailed = detailed
		return a
	})
	col.markAuditor(snap)

	snap.CollectionErrors = col.errs
	snap.Notices = col.notices
	snap.RequestCount = col.done()
	snap.normalize()
	col.report()
	return snap, nil
}

func identity(m map[string]any) map[string]any { return m }

// firstError picks the error that stops a collection among those of
// parallel reads: a refused authorisation before the cancellations it
// caused in the others.
func firstError(errs []error) error {
	if err := authFailure(errs); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// authFailure picks the refused authorisation among errs: the server's own
// answer (a 401 APIError, with its message) before the requests the client
// then declined to send.
func authFailure(errs []error) error {
	var declined error
	for _, err := range errs {
		var apiErr *APIError
		switch {
		case !errors.Is(err, ErrUnauthorized):
		case errors.As(err, &apiErr):
			return err
		case declined == nil:
			declined = err
		}
	}
	return declined
}

// without returns the keys of more that are not in seen, in order.
func without[K comparable](more, seen []K) []K {
	known := make(map[K]bool, len(seen))
	for _, k := range seen {
		known[k] = true
	}
	var out []K
	for _, k := range more {
		if !known[k] {
			out = append(out, k)
		}
	}
	return out
}

// collector gathers what goes wrong while collection goes on.
type collector struct {
	client   *Client
	plan     Plan
	progress func(done, planned int)
	start    int

	mu      sync.Mutex
	planned int
	errs    []CollectionError
	notices []Notice
}

func (c *collector) done() int { return c.client.RequestCount() - c.start }

// expect sets the estimate to the requests sent so far plus n more.
func (c *collector) expect(n int) {
	c.mu.Lock()
	c.planned = c.done() + n
	c.mu.Unlock()
}

func (c *collector) report() {
	if c.progress == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	done := c.done()
	// Retries and extra pages push the count past the estimate.
	c.planned = max(c.planned, done)
	c.progress(done, c.planned)
}

// budgetCovers fails at once, with what to change, when the requests still
// planned cannot all be sent within ctx's deadline at the budget's rate:
// better than failing at the first wait that would pass the deadline,
// with the tenant half read.
func (c *collector) budgetCovers(ctx context.Context) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	c.mu.Lock()
	remaining := c.planned - c.done()
	c.mu.Unlock()
	wait := c.client.budget.minWait(remaining)
	if left := time.Until(deadline); wait > left {
		cfg := c.client.cfg
		return fmt.Errorf("this tenant needs %d more requests; at %d per %s they take at least %s, longer than the %s left before the timeout: raise --timeout (to about %s) or, if no other integration shares the instance's limit, --max-requests-per-window: %w",
			remaining, cfg.MaxRequestsPerWindow, cfg.Window, wait.Round(time.Second), left.Round(time.Second),
			(wait + time.Minute).Round(time.Minute), context.DeadlineExceeded)
	}
	return nil
}

// failed records err as a collection error and returns nil, or returns
// err when collection must stop: authorisation refused, or ctx ended.
func (c *collector) failed(ctx context.Context, resource Resource, objectID, endpoint string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrUnauthorized) {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("collection stopped: %w", err)
	}
	status := 0
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		status = apiErr.Status
	}
	c.mu.Lock()
	c.errs = append(c.errs, CollectionError{Resource: resource, ObjectID: objectID, Endpoint: endpoint, Status: status, Message: c.client.secrets.scrub(err.Error())})
	c.mu.Unlock()
	return nil
}

func (c *collector) notice(resource Resource, endpoint, message string) {
	c.mu.Lock()
	c.notices = append(c.notices, Notice{Resource: resource, Endpoint: endpoint, Message: c.client.secrets.scrub(message)})
	c.mu.Unlock()
}

// suspectEmpty records an empty list: Halo answers an agent that may not
// read a resource with an empty list rather than 403.
func (c *collector) suspectEmpty(resource Resource, endpoint string, objs []map[string]any, what string) {
	if objs != nil && len(objs) == 0 {
		c.notice(resource, endpoint, fmt.Sprintf(
			"the server answered an empty list of %s: Halo gives an agent without permission an empty list instead of 403, so %s may exist that halolint could not see (check the auditor application's scopes and login agent)",
			what, what))
	}
}

// matchesKeyword reports whether name contains one of the plan's keywords.
func (c *collector) matchesKeyword(name string) bool {
	lower := strings.ToLower(name)
	for _, k := range c.plan.Keywords {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" && strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// applicationsToDetail lists the ids of the non-system applications.
func applicationsToDetail(apps []map[string]any) []string {
	var ids []string
	for _, m := range apps {
		a := decodeApplication(m)
		if !a.IsSystem && a.ID != "" {
			ids = append(ids, a.ID)
		}
	}
	return sortedUnique(ids)
}

// agentsToDetail lists the ids of the agents whose own claims the checks
// need: login agents of non-system applications, API-only agents, agents
// matching a keyword; every agent when the plan is full.
func (c *collector) agentsToDetail(apps, agents []map[string]any) []int {
	set := map[int]bool{}
	for _, m := range apps {
		if a := decodeApplication(m); !a.IsSystem && a.LoginAsAgentID > 0 {
			set[a.LoginAsAgentID] = true
		}
	}
	for _, m := range agents {
		a := decodeAgent(m)
		if a.ID > 0 && (c.plan.Full || a.IsAPIAgent || c.matchesKeyword(a.Name)) {
			set[a.ID] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// rolesToDetail lists the ids of the roles whose claims the checks need:
// the roles of the agents in agentIDs and the roles matching a keyword;
// every role when the plan is full.
func (c *collector) rolesToDetail(agents, roles []map[string]any, agentIDs []int) []string {
	listed := make([]Role, 0, len(roles))
	for _, m := range roles {
		listed = append(listed, decodeRole(m))
	}
	// An agent's role reference may lack the GUID; find it by number or
	// name among the listed roles.
	resolve := func(ref RoleRef) string {
		if ref.ID != "" {
			return ref.ID
		}
		for _, r := range listed {
			if (ref.IDInt != 0 && r.IDInt == ref.IDInt) || (ref.Name != "" && r.Name == ref.Name) {
				return r.ID
			}
		}
		return ""
	}
	wanted := map[int]bool{}
	for _, id := range agentIDs {
		wanted[id] = true
	}
	var ids []string
	for _, m := range agents {
		a := decodeAgent(m)
		if !wanted[a.ID] {
			continue
		}
		for _, ref := range a.Roles {
			ids = append(ids, resolve(ref))
		}
	}
	for _, r := range listed {
		if c.plan.Full || c.matchesKeyword(r.Name) {
			ids = append(ids, r.ID)
		}
	}
	return sortedUnique(ids)
}

// permissionField is the field a detail answer must carry for halolint to
// judge the object: a role's claims, an application's scopes. An agent's
// own claims are not required: most agents have none, and whether Halo
// then sends an empty list or nothing is not known.
func permissionField(r Resource) string {
	switch r {
	case ResourceRole:
		return "claims"
	case ResourceApplication:
		return "scopes"
	}
	return ""
}

// detail is one detail answer, or why there is none.
type detail struct {
	obj map[string]any
	err error
}

// fetchDetails reads the details of every key with at most Concurrency
// requests in flight. A refused authorisation cancels the rest and is
// returned; every other failure is recorded and skipped.
func fetchDetails[K comparable](ctx context.Context, col *collector, resource Resource, keys []K,
	endpoint func(K) string, get func(context.Context, string) (map[string]any, error)) (map[K]map[string]any, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]detail, len(keys))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(col.client.cfg.Concurrency, len(keys)) {
		wg.Go(func() {
			for i := range next {
				obj, err := get(ctx, endpoint(keys[i]))
				results[i] = detail{obj: obj, err: err}
				if errors.Is(err, ErrUnauthorized) {
					cancel()
				}
				col.report()
			}
		})
	}
feed:
	for i := range keys {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	errs := make([]error, len(results))
	for i, r := range results {
		errs[i] = r.err
	}
	if err := authFailure(errs); err != nil {
		return nil, err
	}
	out := make(map[K]map[string]any, len(keys))
	for i, r := range results {
		id := fmt.Sprint(keys[i])
		if r.obj == nil && r.err == nil {
			// Never started: ctx ended while feeding.
			r.err = fmt.Errorf("not read: %w", context.Cause(ctx))
		}
		if r.err == nil && !strings.EqualFold(str(r.obj["id"]), id) {
			// JSON of another shape (an error object, a list envelope)
			// must not pass for the details: merged over the listed
			// object, its missing fields would read as "none granted".
			r.err = &APIError{Endpoint: endpoint(keys[i]), Status: 200,
				Message: fmt.Sprintf("the answer is not the details of %s %s (its id is %q)", resource, id, str(r.obj["id"]))}
		}
		if field := permissionField(resource); r.err == nil && field != "" && r.obj[field] == nil {
			// Details without the permissions themselves (a server that
			// ignored includedetails=true) would read as "nothing
			// granted", and administrator checks would pass on it.
			r.err = &APIError{Endpoint: endpoint(keys[i]), Status: 200,
				Message: fmt.Sprintf("the details of %s %s carry no %q field, so what it grants is unknown", resource, id, field)}
		}
		if err := col.failed(ctx, resource, id, endpoint(keys[i]), r.err); err != nil {
			return nil, err
		}
		if r.err == nil {
			out[keys[i]] = r.obj
		}
	}
	return out, nil
}

// mergeDetails overlays each detail answer on its list object, so that
// fields only the list carries survive; details of objects the list did
// not hold (a login agent hidden from the list) are appended.
func mergeDetails[K comparable](listed []map[string]any, details map[K]map[string]any, key func(any) K) []map[string]any {
	seen := make(map[K]bool, len(details))
	out := make([]map[string]any, 0, len(listed)+len(details))
	for _, m := range listed {
		k := key(m["id"])
		if d, ok := details[k]; ok && !seen[k] {
			merged := maps.Clone(m)
			maps.Copy(merged, d)
			m = merged
			seen[k] = true
		}
		out = append(out, m)
	}
	for _, k := range sortedKeys(details) {
		if !seen[k] {
			out = append(out, details[k])
		}
	}
	return out
}

func sortedKeys[K comparable](m map[K]map[string]any) []K {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b K) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return keys
}

// decodeAll decodes merged objects, marking those whose details answered.
func decodeAll[K comparable, T any](objs []map[string]any, details map[K]map[string]any, key func(any) K,
	decode func(map[string]any, bool) T) []T {
	out := make([]T, 0, len(objs))
	for _, m := range objs {
		_, detailed := details[key(m["id"])]
		out = append(out, decode(m, detailed))
	}
	return out
}

// markAuditor flags the application halolint logged in with.
func (c *collector) markAuditor(snap *Snapshot) {
	for i := range snap.Applications {
		a := &snap.Applications[i]
		if a.ClientID != "" && strings.EqualFold(a.ClientID, snap.Auditor.ClientID) {
			a.IsAuditor = true
			if snap.Auditor.ApplicationID == "" {
				snap.Auditor.ApplicationID = a.ID
			}
		}
	}
	if snap.Auditor.ApplicationID == "" && len(snap.Applications) > 0 {
		c.notice(ResourceApplications, applicationsList.path, fmt.Sprintf(
			"no application has the auditor's client ID %q: the checks of the auditor's own application cannot run", snap.Auditor.ClientID))
	}
}
