package halo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Endpoints the auditor reads (halo-api.md §4). Paths are
// case-insensitive on Halo; these spellings follow the swagger.
var (
	rolesList = listRequest{path: "/api/Roles", names: []string{"roles"}}
	// API-only agents, disabled agents and the agents' roles are left out
	// unless asked for.
	agentsList = listRequest{path: "/api/Agent", names: []string{"agents", "agent"}, query: url.Values{
		"includeapiagents": {"true"},
		"includedisabled":  {"true"},
		"includeroles":     {"true"},
	}}
	applicationsList = listRequest{path: "/api/Application", names: []string{"applications", "application"}}
)

const controlEndpoint = "/api/Control"

func categoriesList(typeID int) listRequest {
	return listRequest{path: "/api/Category", names: []string{"categories", "category"},
		query: url.Values{"type_id": {strconv.Itoa(typeID)}}}
}

func roleEndpoint(id string) string {
	return "/api/Roles/" + url.PathEscape(id) + "?includedetails=true"
}

func agentEndpoint(id int) string {
	return "/api/Agent/" + strconv.Itoa(id) + "?includedetails=true"
}

func applicationEndpoint(id string) string {
	return "/api/Application/" + url.PathEscape(id) + "?includedetails=true"
}

// Roles lists the roles, without their claims.
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	roles, err := list(ctx, c, rolesList, decodeRole)
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	return roles, nil
}

// Role reads one role with its claims and departments.
func (c *Client) Role(ctx context.Context, id string) (Role, error) {
	m, err := c.getObject(ctx, roleEndpoint(id))
	if err != nil {
		return Role{}, fmt.Errorf("read role %s: %w", id, err)
	}
	r := decodeRole(m)
	r.Detailed = true
	return r, nil
}

// Agents lists every agent, API-only and disabled ones included, with
// their roles.
func (c *Client) Agents(ctx context.Context) ([]Agent, error) {
	agents, err := list(ctx, c, agentsList, decodeAgent)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	return agents, nil
}

// Agent reads one agent with its own claims.
func (c *Client) Agent(ctx context.Context, id int) (Agent, error) {
	m, err := c.getObject(ctx, agentEndpoint(id))
	if err != nil {
		return Agent{}, fmt.Errorf("read agent %d: %w", id, err)
	}
	a := decodeAgent(m)
	a.Detailed = true
	return a, nil
}

// Applications lists the API applications, most likely without scopes.
func (c *Client) Applications(ctx context.Context) ([]Application, error) {
	apps, err := list(ctx, c, applicationsList, decodeApplication)
	if err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	return apps, nil
}

// Application reads one application with its scopes and login agent. Its
// client secret, which the answer carries, is dropped while decoding.
func (c *Client) Application(ctx context.Context, id string) (Application, error) {
	m, err := c.getObject(ctx, applicationEndpoint(id))
	if err != nil {
		return Application{}, fmt.Errorf("read application %s: %w", id, err)
	}
	a := decodeApplication(m)
	a.Detailed = true
	return a, nil
}

// Categories lists the ticket categories of list typeID (1 to 4 for
// "Category 1" to "Category 4").
func (c *Client) Categories(ctx context.Context, typeID int) ([]Category, error) {
	cats, err := list(ctx, c, categoriesList(typeID), decodeCategory)
	if err != nil {
		return nil, fmt.Errorf("list categories of type %d: %w", typeID, err)
	}
	return cats, nil
}

// Control reads the allowlisted global settings.
func (c *Client) Control(ctx context.Context) (*Control, error) {
	v, err := c.get(ctx, c.api, controlEndpoint)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	ctl, err := decodeControl(v)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", &APIError{Endpoint: controlEndpoint, Status: http.StatusOK, Message: err.Error()})
	}
	return ctl, nil
}

// getObject reads an endpoint that answers one object. A one-element
// array is accepted as that object.
func (c *Client) getObject(ctx context.Context, endpoint string) (map[string]any, error) {
	v, err := c.get(ctx, c.api, endpoint)
	if err != nil {
		return nil, err
	}
	if arr, ok := v.([]any); ok && len(arr) == 1 {
		v = arr[0]
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &APIError{Endpoint: endpoint, Status: http.StatusOK,
			Message: fmt.Sprintf("the answer is a %s, not an object", jsonKind(v))}
	}
	return m, nil
}
