package halo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Endpoints the auditor reads (docs/halo-api.md says what each answers).
// Paths are case-insensitive on Halo; these spellings follow Halo's
// published API reference.
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
