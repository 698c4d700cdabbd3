package sampleserver

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Resource names of the four lists, as used by Options.Envelope,
// Options.IgnorePaging and Options.EmptyLists.
const (
	ListRoles        = "roles"
	ListAgents       = "agents"
	ListApplications = "applications"
	ListCategories   = "categories"
)

// queryTrue reports whether a query parameter (any case of name) is "true".
func queryTrue(q url.Values, name string) bool {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 && strings.EqualFold(v[0], "true") {
			return true
		}
	}
	return false
}

func queryGet(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// serveAPI answers an authenticated GET below /api.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string, tok token) {
	parts := strings.Split(strings.TrimPrefix(path, "/api/"), "/")
	q := r.URL.Query()
	details := queryTrue(q, "includedetails")
	t := s.tenant

	if len(parts) == 1 {
		switch parts[0] {
		case "roles":
			s.writeList(w, q, ListRoles, summaries(t.Roles, ListRoles, false))
		case "agent":
			var list []map[string]any
			for _, a := range t.Agents {
				if api, _ := AsBool(a["isapiagent"]); api && !queryTrue(q, "includeapiagents") {
					continue
				}
				if dis, _ := AsBool(a["isdisabled"]); dis && !queryTrue(q, "includedisabled") {
					continue
				}
				list = append(list, summary(a, ListAgents, !queryTrue(q, "includeroles")))
			}
			s.writeList(w, q, ListAgents, list)
		case "application":
			s.writeList(w, q, ListApplications, summaries(t.Applications, ListApplications, false))
		case "category":
			var list []map[string]any
			want := queryGet(q, "type_id")
			for _, c := range t.Categories {
				if want != "" {
					n, _ := AsInt(c["type_id"])
					if strconv.Itoa(n) != want {
						continue
					}
				}
				list = append(list, c)
			}
			s.writeList(w, q, ListCategories, list)
		case "control":
			c := t.ControlObject()
			if s.opts.ControlAsArray {
				writeJSON(w, http.StatusOK, []any{c})
				return
			}
			writeJSON(w, http.StatusOK, c)
		default:
			notFound(w)
		}
		return
	}
	if len(parts) != 2 || parts[1] == "" {
		notFound(w)
		return
	}
	id := parts[1]
	var obj map[string]any
	var resource string
	switch parts[0] {
	case "roles":
		resource = ListRoles
		for _, x := range t.Roles {
			if s, _ := x["id"].(string); strings.EqualFold(s, id) {
				obj = x
			}
		}
	case "agent":
		resource = ListAgents
		n, err := strconv.Atoi(id)
		if id == "me" {
			if app := t.Application(tok.clientID); app != nil {
				n, _ = AsInt(app["loginas_agent_id"])
				err = nil
			}
		}
		if err == nil && n != 0 {
			obj = t.Agent(n)
		}
	case "application":
		resource = ListApplications
		for _, x := range t.Applications {
			if s, _ := x["id"].(string); strings.EqualFold(s, id) {
				obj = x
			}
		}
	case "category":
		resource = ListCategories
		if n, err := strconv.Atoi(id); err == nil {
			for _, x := range t.Categories {
				if m, _ := AsInt(x["id"]); m == n {
					obj = x
				}
			}
		}
	}
	if obj == nil {
		notFound(w)
		return
	}
	if details || resource == ListCategories {
		writeJSON(w, http.StatusOK, obj)
		return
	}
	writeJSON(w, http.StatusOK, summary(obj, resource, false))
}

func summaries(list []map[string]any, resource string, dropRoles bool) []map[string]any {
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		out = append(out, summary(x, resource, dropRoles))
	}
	return out
}

// detailOnlyFields are the fields of each resource that only a detail
// request with includedetails=true returns. Role fields starting with "ac_"
// are detail-only too. An agent's "roles" is also left out of the agents
// list unless includeroles=true.
var detailOnlyFields = map[string][]string{
	ListRoles:        {"claims", "departments", "teams", "clients", "tickettypes", "sites"},
	ListAgents:       {"claims", "password", "new_access_token", "signature", "otp_secret"},
	ListApplications: {"scopes", "clientSecret", "client_secret", "redirect_uris", "identity_roles"},
}

// summary is obj without its detail-only fields (a shallow copy).
func summary(obj map[string]any, resource string, dropRoles bool) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = v
	}
	for _, k := range detailOnlyFields[resource] {
		delete(out, k)
	}
	if resource == ListRoles {
		for k := range out {
			if strings.HasPrefix(k, "ac_") {
				delete(out, k)
			}
		}
	}
	if dropRoles {
		delete(out, "roles")
	}
	return out
}

func (s *Server) envelope(resource string) bool {
	if v, ok := s.opts.Envelope[resource]; ok {
		return v
	}
	return resource == ListRoles || resource == ListApplications
}

// writeList answers a list in the resource's shape, paginated when asked.
func (s *Server) writeList(w http.ResponseWriter, q url.Values, resource string, list []map[string]any) {
	if contains(s.opts.EmptyLists, resource) {
		list = nil
	}
	if list == nil {
		list = []map[string]any{}
	}
	if queryTrue(q, "pageinate") && !contains(s.opts.IgnorePaging, resource) {
		size, err := strconv.Atoi(queryGet(q, "page_size"))
		if err != nil || size <= 0 {
			size = 50
		}
		size = min(size, s.opts.PageCap)
		page, err := strconv.Atoi(queryGet(q, "page_no"))
		if err != nil || page < 1 {
			page = 1
		}
		total := len(list)
		lo := min((page-1)*size, total)
		hi := min(lo+size, total)
		writeJSON(w, http.StatusOK, map[string]any{
			"page_no":      page,
			"page_size":    size,
			"record_count": total,
			resource:       list[lo:hi],
		})
		return
	}
	if s.envelope(resource) {
		writeJSON(w, http.StatusOK, map[string]any{"record_count": len(list), resource: list})
		return
	}
	writeJSON(w, http.StatusOK, list)
}
