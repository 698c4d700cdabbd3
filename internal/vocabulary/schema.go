package vocabulary

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// SchemaID is where the profile document schema is published.
const SchemaID = "https://raw.githubusercontent.com/halolint/halolint/main/schemas/profile.v1.json"

// ProfileSchema is the JSON Schema of a profile document, generated from
// the vocabulary so that editors complete sections, labels, values and
// scopes with HaloPSA's own words. halolint itself matches those words
// case-insensitively and knows aliases; the schema lists the canonical
// ones and lets others through where halolint would accept them.
func (v *Vocabulary) ProfileSchema() ([]byte, error) {
	str := map[string]any{"type": "string", "minLength": 1}
	strList := map[string]any{"type": "array", "items": str}
	link := func(required ...string) map[string]any {
		props := map[string]any{
			"title": str,
			"url":   map[string]any{"type": "string", "pattern": "^https?://"},
		}
		if len(required) > 2 {
			props["retrieved"] = map[string]any{"type": "string", "description": "when the page was read (YYYY-MM-DD)"}
		}
		return map[string]any{"type": "object", "additionalProperties": false, "required": required[:2], "properties": props}
	}
	openEnum := func(words []string, description string) map[string]any {
		return map[string]any{"anyOf": []any{map[string]any{"enum": words}, str}, "description": description}
	}

	sections := map[string]any{}
	for _, s := range v.Sections {
		labels := map[string]any{}
		for _, p := range s.Permissions {
			values := openEnum(p.ValueLabels()[1:], fmt.Sprintf("%s (claim %s): the value the vendor documents", p.Label, p.Code))
			labels[p.Label] = map[string]any{"anyOf": []any{values, map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"value"},
				"properties": map[string]any{
					"value":  values,
					"above":  map[string]any{"enum": []string{"pass", "warn", "fail"}, "description": "the status when the agent has more"},
					"manual": map[string]any{"type": "boolean", "description": "the claim code is not known: a manual result"},
				},
			}}}
		}
		sections[s.Name] = map[string]any{"type": "object", "description": s.Path, "properties": labels}
	}
	var settings []string
	for _, s := range v.Settings {
		settings = append(settings, s.Label)
	}

	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaID,
		"title":                "halolint profile document",
		"description":          "One integration vendor's documented HaloPSA setup, in HaloPSA's own words (docs/policy-authoring.md).",
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"schema_version", "profile", "title", "vendor", "source"},
		"properties": map[string]any{
			"schema_version": map[string]any{"const": 1},
			"profile":        map[string]any{"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "the prefix of every check ID"},
			"title":          str,
			"vendor":         str,
			"product":        map[string]any{"type": "string", "description": "the integration's short name in messages (default: title)"},
			"description":    map[string]any{"type": "string"},
			"source":         link("title", "url", "retrieved"),
			"related":        map[string]any{"type": "array", "items": link("title", "url")},
			"keywords":       map[string]any{"type": "array", "items": str, "description": "case-insensitive substrings of object names, for discovery"},
			"select":         map[string]any{"enum": []string{"auto", "explicit"}},
			"names": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
				"application": str, "role": str, "agent": str, "category": str,
			}},
			"application": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
				"authentication":      openEnum(v.AuthenticationLabels(), "Authentication Method"),
				"login":               map[string]any{"enum": []string{"agent", "application-identity"}},
				"scopes":              map[string]any{"type": "array", "items": openEnum(v.Scopes(), "a HaloPSA scope")},
				"undocumented_scopes": map[string]any{"enum": []string{"warn", "ignore"}},
				"scope_notes":         map[string]any{"type": "object", "propertyNames": map[string]any{"enum": v.Scopes()}, "additionalProperties": str},
			}},
			"agent": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
				"api_only": map[string]any{"type": "boolean"},
				"roles":    strList,
			}},
			"role": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{
				"permissions":   map[string]any{"type": "object", "properties": sections},
				"administrator": map[string]any{"enum": []string{"never", "during-setup", "documented"}},
				"undocumented":  map[string]any{"enum": []string{"warn", "ignore"}},
				"departments":   str,
			}},
			"categories": map[string]any{"type": "array", "items": map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"value"},
				"properties": map[string]any{"list": map[string]any{"enum": []string{"Category 1", "Category 2", "Category 3", "Category 4"}}, "value": str},
			}},
			"settings": map[string]any{"type": "array", "items": map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"label", "value"},
				"properties": map[string]any{"label": openEnum(settings, "a global setting"), "value": map[string]any{"enum": []string{"Yes", "No"}}},
			}},
			"manual": map[string]any{"type": "array", "items": map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"id", "title", "look"},
				"properties": map[string]any{"id": map[string]any{"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}, "title": str, "look": str},
			}},
		},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(schema); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
