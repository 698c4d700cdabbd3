package halo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

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
// answer) becomes a CollectionError and collection goes on. A refused
// authorisation (token refused, 401) or the cancellation of ctx stops it
// with an error and no snapshot. When ctx's deadline passes once the
// tenant's lists are being read, Collect still returns the snapshot of
// what was read, every part not read a CollectionError and a Notice
// saying so, together with an error that wraps context.DeadlineExceeded:
// the caller reports what it can and still says that the read was cut
// short. progress, when not nil, is called with the requests sent so far
// and the current estimate of the total.
func Collect(ctx context.Context, client *Client, plan Plan, progress func(done, planned int)) (*Snapshot, error) {
	return CollectPlanned(ctx, client, func(context.Context) (Plan, error) { return plan, nil }, progress)
}

// CollectPlanned is Collect with a plan known only later: plan is called
// once, when the lists are read and the details are to be chosen, so that
// the plan's maker (the policies' compile) works while the first requests
// are in flight. An error from plan stops the collection with that error.
func CollectPlanned(ctx context.Context, client *Client, plan func(context.Context) (Plan, error), progress func(done, planned int)) (*Snapshot, error) {
	snap, err := collect(ctx, client, plan, progress)
	if err != nil {
		return snap, client.secrets.scrubError(err)
	}
	return snap, nil
}

func collect(ctx context.Context, client *Client, plan func(context.Context) (Plan, error), progress func(done, planned int)) (*Snapshot, error) {
	col := &collector{client: client, progress: progress, start: client.RequestCount()}
	snap := &Snapshot{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "halolint", Version: client.cfg.Version},
		Source:        Source{URL: client.URL(), CollectedAt: client.cfg.Clock.Now().UTC().Truncate(time.Second)},
		Auditor:       Auditor{ClientID: client.cfg.ClientID},
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
	snap.Source.CredentialsSentTo = client.CredentialsSentTo()
	if note := client.discoveryNote(); note != "" {
		col.notice(NoticeDiscovery, ResourceAuthInfo, "/api/authinfo", note)
	}
	col.report()

	// The lists, all at once (the transport bounds what is in flight).
	// Raw objects are kept until the details are merged in, so that a
	// detail answer overrides exactly the fields it carries. Category 1
	// and Control feed no detail: they go on beside the details, so that
	// one of them stalling delays nothing else.
	var roles, agents, apps []map[string]any
	var wg, others sync.WaitGroup
	errs := make([]error, 3)
	otherErrs := make([]error, 2)
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
	others.Go(func() {
		var err error
		snap.Categories, err = client.Categories(ctx, 1)
		otherErrs[0] = col.failed(ctx, ResourceCategories, "", categoriesList(1).path+"?type_id=1", err)
	})
	others.Go(func() {
		var err error
		snap.Control, err = client.Control(ctx)
		otherErrs[1] = col.failed(ctx, ResourceControl, "", controlEndpoint, err)
	})
	// Whatever stops the collection, nothing is left running.
	defer others.Wait()
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	roles = col.vetList(rolesKind, roles)
	agents = col.vetList(agentsKind, agents)
	apps = col.vetList(applicationsKind, apps)
	col.suspectEmpty(ResourceRoles, rolesList.path, roles, "roles")
	col.suspectEmpty(ResourceApplications, applicationsList.path, apps, "applications")
	col.report()

	p, err := plan(ctx)
	if err != nil {
		return nil, err
	}
	col.plan, snap.Full = p, p.Full

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
	others.Wait()
	if err := firstError(otherErrs); err != nil {
		return nil, err
	}

	vetShapes(col, ResourceRole, roles, roleDetails, str, roleEndpoint)
	vetShapes(col, ResourceAgent, agents, agentDetails, intField, agentEndpoint)
	vetShapes(col, ResourceApplication, apps, appDetails, str, applicationEndpoint)
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
	if note := client.tokenLifetimeNote(); note != "" {
		col.notice(NoticeTokenLifetime, ResourceAuthInfo, urlWithoutQuery(mustParse(client.TokenURL())), note)
	}

	var cut error
	if col.deadlinePassed.Load() {
		col.mu.Lock()
		done, planned := col.done(), max(col.planned, col.done())
		col.mu.Unlock()
		cut = fmt.Errorf("the deadline passed before the read was complete (%d of %d sent): what was read is reported, the rest is listed as collection errors: %w",
			done, planned, context.DeadlineExceeded)
		col.notice(NoticeCutShort, ResourceCollection, client.URL(), fmt.Sprintf("the collection was cut short: the deadline (--timeout) passed after %d of the %d requests planned. What was not read is listed as a collection error, and the checks that need it report error; raise --timeout to read everything", done, planned))
	}
	snap.CollectionErrors = col.errs
	snap.Notices = col.notices
	snap.RequestCount = col.done()
	snap.normalize()
	col.report()
	return snap, cut
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
	// deadlinePassed is set when a read was lost to ctx's deadline.
	deadlinePassed atomic.Bool
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
	if c.planTimeout(ctx) {
		return nil // no timeout of the user's: the plan's own (deadline.go)
	}
	deadline, ok := ctx.Deadline()
	if !ok || ctx.Err() != nil {
		// Already past: what is left is not read, and reported so.
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
	if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("collection stopped: %w", err)
	}
	if ctx.Err() != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		// Lost to the run's deadline: the rest is still reported.
		c.deadlinePassed.Store(true)
		err = fmt.Errorf("not read before the deadline (--timeout) passed: %w", err)
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

func (c *collector) notice(kind string, resource Resource, endpoint, message string) {
	c.mu.Lock()
	c.notices = append(c.notices, Notice{Kind: kind, Resource: resource, Endpoint: endpoint, Message: c.client.secrets.scrub(message)})
	c.mu.Unlock()
}

// suspectEmpty records an empty list: Halo answers an agent that may not
// read a resource with an empty list rather than 403.
func (c *collector) suspectEmpty(resource Resource, endpoint string, objs []map[string]any, what string) {
	if objs != nil && len(objs) == 0 {
		c.notice(NoticeEmptyList, resource, endpoint, fmt.Sprintf(
			"the server answered an empty list of %s: Halo gives an agent without permission an empty list instead of 403, so %s may exist that halolint could not see (check the auditor application's scopes and login agent)",
			what, what))
	}
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
		c.notice(NoticeAuditorNotFound, ResourceApplications, applicationsList.path, fmt.Sprintf(
			"no application has the auditor's client ID %q: the checks of the auditor's own application cannot run", snap.Auditor.ClientID))
	}
}
