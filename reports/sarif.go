package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/halolint/halolint/audit"
)

// SARIFSchemaURI is the $schema the SARIF output declares: the OASIS
// SARIF 2.1.0 schema (errata 01), kept in reports/testdata for the tests.
const SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// informationURI is where halolint lives, for the tool's driver.
const informationURI = "https://github.com/halolint/halolint"

// Notification descriptor IDs (tool.driver.notifications), in the order
// of their indices.
const (
	notifyCheckError      = "halolint/check-error"
	notifyCollectionError = "halolint/collection-error"
	notifyNotice          = "halolint/collection-notice"
)

// sarifRenderer writes SARIF 2.1.0: one rule per check with its title,
// help (the remediation) and severity; one result per fail, warn or manual
// result with the real check ID; error results, collection errors and the
// collection's notices as tool execution notifications (level error for
// what made the audit incomplete, warning for a collection error no check
// needed, note for a notice); a logical location per HaloPSA object,
// since there is no file, and beside it a pseudo-path for the tools that
// insist on a physical one (objectURI).
type sarifRenderer struct{}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool             sarifTool              `json:"tool"`
	Invocations      []sarifInvocation      `json:"invocations"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Results          []sarifResult          `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string                `json:"name"`
	Version        string                `json:"version,omitempty"`
	InformationURI string                `json:"informationUri"`
	Rules          []sarifRule           `json:"rules"`
	Notifications  []sarifNotificationID `json:"notifications"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      *sarifText         `json:"fullDescription,omitempty"`
	Help                 *sarifText         `json:"help,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Profile  string   `json:"profile"`
	Severity string   `json:"severity"`
	Source   string   `json:"source,omitempty"`
	Object   string   `json:"object,omitempty"`
	Related  []string `json:"relatedResources,omitempty"`
	Tags     []string `json:"tags"`
	// SecuritySeverity is the score GitHub code scanning ranks alerts by.
	SecuritySeverity string `json:"security-severity,omitempty"`
}

type sarifNotificationID struct {
	ID               string    `json:"id"`
	ShortDescription sarifText `json:"shortDescription"`
}

type sarifReference struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifLogicalLocation struct {
	Index              *int              `json:"index,omitempty"`
	Name               string            `json:"name"`
	FullyQualifiedName string            `json:"fullyQualifiedName"`
	Kind               string            `json:"kind"`
	Properties         *sarifObjectProps `json:"properties,omitempty"`
}

type sarifObjectProps struct {
	ObjectType string `json:"objectType"`
	ObjectID   string `json:"objectId,omitempty"`
}

type logicalLocationKey struct {
	Type audit.ObjectType
	ID   string
	Name string
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	// Suppressions carries an accepted finding's acceptance.
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	// BaselineState is new or unchanged when compared with a previous run.
	BaselineState string           `json:"baselineState,omitempty"`
	Properties    sarifResultProps `json:"properties"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

type sarifResultProps struct {
	Status      audit.Status   `json:"status"`
	Profile     string         `json:"profile"`
	Severity    audit.Severity `json:"severity"`
	Expected    any            `json:"expected,omitempty"`
	Actual      any            `json:"actual,omitempty"`
	GrantedBy   string         `json:"grantedBy,omitempty"`
	Remediation string         `json:"remediation,omitempty"`
	Source      string         `json:"source,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                 `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification  `json:"toolExecutionNotifications"`
	Properties                 sarifInvocationProps `json:"properties"`
}

type sarifNotification struct {
	Descriptor     sarifReference  `json:"descriptor"`
	AssociatedRule *sarifReference `json:"associatedRule,omitempty"`
	Level          string          `json:"level"`
	Message        sarifText       `json:"message"`
	Locations      []sarifLocation `json:"locations,omitempty"`
	// Properties is a *sarifCollectionErrorProps or a *sarifNoticeProps.
	Properties any `json:"properties,omitempty"`
}

type sarifCollectionErrorProps struct {
	Endpoint string `json:"endpoint"`
	Status   int    `json:"status"`
	Needed   bool   `json:"needed"`
}

type sarifNoticeProps struct {
	Kind     string `json:"kind"`
	Endpoint string `json:"endpoint"`
}

type sarifInvocationProps struct {
	Source   audit.ReportSource `json:"source"`
	Phase    audit.Phase        `json:"phase"`
	Profiles []string           `json:"profiles"`
	Summary  audit.Summary      `json:"summary"`
}

func (sarifRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}

	rules, ruleIndex := sarifRules(r)
	locations := sarifLogicalLocations(r)
	locate := func(o audit.Object) []sarifLocation {
		l := locations[logicalLocationKey{o.Type, o.ID, o.Name}]
		return []sarifLocation{{
			PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: objectURI(o)}},
			LogicalLocations: []sarifLogicalLocation{{
				Index: l.Index, Name: l.Name, FullyQualifiedName: l.FullyQualifiedName, Kind: l.Kind,
			}},
		}}
	}

	results := []sarifResult{}
	notifications := []sarifNotification{}
	for _, res := range r.Results {
		idx := ruleIndex[res.ID]
		switch res.Status {
		case audit.StatusPass:
			continue
		case audit.StatusError:
			notifications = append(notifications, sarifNotification{
				Descriptor:     sarifReference{ID: notifyCheckError, Index: 0},
				AssociatedRule: &sarifReference{ID: res.ID, Index: idx},
				Level:          "error",
				Message:        sarifText{Text: res.ID + " on " + objectLabel(res.Object) + ": " + res.Message},
				Locations:      locate(res.Object),
			})
			continue
		}
		var suppressions []sarifSuppression
		if a := res.Accepted; a != nil {
			suppressions = []sarifSuppression{{Kind: "external", Justification: acceptedText(a)}}
		}
		results = append(results, sarifResult{
			Suppressions:  suppressions,
			BaselineState: string(res.Change),
			RuleID:        res.ID,
			RuleIndex:     idx,
			Level:         sarifResultLevel(res.Status),
			Message:       sarifText{Text: res.Message},
			Locations:     locate(res.Object),
			PartialFingerprints: map[string]string{
				"halolintObject/v1": fingerprint(res.ID, string(res.Object.Type), res.Object.ID, res.Object.Name),
			},
			Properties: sarifResultProps{
				Status:      res.Status,
				Profile:     res.Profile,
				Severity:    res.Severity,
				Expected:    res.Expected,
				Actual:      res.Actual,
				GrantedBy:   res.GrantedBy,
				Remediation: res.Remediation,
				Source:      res.Source,
			},
		})
	}
	successful := true
	for _, res := range r.Results {
		if res.Status == audit.StatusError {
			successful = false
		}
	}
	for _, e := range r.CollectionErrors {
		level := "warning"
		if e.Needed {
			level = "error"
			successful = false
		}
		notifications = append(notifications, sarifNotification{
			Descriptor: sarifReference{ID: notifyCollectionError, Index: 1},
			Level:      level,
			Message:    sarifText{Text: collectionErrorText(e)},
			Properties: &sarifCollectionErrorProps{Endpoint: e.Endpoint, Status: e.Status, Needed: e.Needed},
		})
	}
	// A notice changes how the results read but takes nothing away from
	// the audit: a note, never a warning (which a collection error that no
	// check needed is).
	for _, n := range r.Notices {
		notifications = append(notifications, sarifNotification{
			Descriptor: sarifReference{ID: notifyNotice, Index: 2},
			Level:      "note",
			Message:    sarifText{Text: noticeText(n)},
			Properties: &sarifNoticeProps{Kind: n.Kind, Endpoint: n.Endpoint},
		})
	}

	var logical []sarifLogicalLocation
	for _, l := range locations {
		logical = append(logical, l)
	}
	sort.Slice(logical, func(i, j int) bool { return *logical[i].Index < *logical[j].Index })

	log := sarifLog{
		Schema:  SARIFSchemaURI,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName(r),
				Version:        r.Tool.Version,
				InformationURI: informationURI,
				Rules:          rules,
				Notifications: []sarifNotificationID{
					{ID: notifyCheckError, ShortDescription: sarifText{Text: "A check could not be evaluated: the audit is incomplete."}},
					{ID: notifyCollectionError, ShortDescription: sarifText{Text: "A request to the HaloPSA API failed while collecting the tenant."}},
					{ID: notifyNotice, ShortDescription: sarifText{Text: "Something about the collection that is not an error but changes how the results read, such as an empty list where Halo may hide what the auditor cannot see."}},
				},
			}},
			Invocations: []sarifInvocation{{
				ExecutionSuccessful:        successful,
				ToolExecutionNotifications: notifications,
				Properties: sarifInvocationProps{
					Source:   r.Source,
					Phase:    r.Phase,
					Profiles: r.Profiles,
					Summary:  r.Summary,
				},
			}},
			LogicalLocations: logical,
			Results:          results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifRules is one rule per check of the catalog, plus one for any check
// a result names that the catalog lacks (built from that result), sorted by
// ID; and the index of each rule by ID.
func sarifRules(r *audit.Report) ([]sarifRule, map[string]int) {
	checks := map[string]audit.Check{}
	for _, c := range r.Catalog {
		if _, dup := checks[c.ID]; !dup {
			checks[c.ID] = c
		}
	}
	for _, res := range r.Results {
		if _, ok := checks[res.ID]; !ok {
			checks[res.ID] = audit.Check{
				ID: res.ID, Profile: res.Profile, Title: res.Title, Object: res.Object.Type,
				Severity: res.Severity, Remediation: res.Remediation, Source: res.Source,
			}
		}
	}
	ids := make([]string, 0, len(checks))
	for id := range checks {
		ids = append(ids, id)
	}
	sort.Strings(ids)

	rules := make([]sarifRule, 0, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		c := checks[id]
		index[id] = i
		title := c.Title
		if title == "" {
			title = c.ID
		}
		rule := sarifRule{
			ID:                   c.ID,
			ShortDescription:     sarifText{Text: title},
			HelpURI:              c.SourceURL,
			DefaultConfiguration: sarifConfiguration{Level: sarifSeverityLevel(c.Severity)},
			Properties: sarifRuleProps{
				Profile:          c.Profile,
				Severity:         string(c.Severity),
				Source:           c.Source,
				Object:           string(c.Object),
				Related:          c.RelatedResources,
				Tags:             []string{"halopsa", "security", c.Profile},
				SecuritySeverity: securitySeverity(c.Severity),
			},
		}
		if c.Description != "" {
			rule.FullDescription = &sarifText{Text: c.Description}
		}
		if help := ruleHelp(c); help != "" {
			rule.Help = &sarifText{Text: help}
		}
		rules = append(rules, rule)
	}
	return rules, index
}

// ruleHelp is the remediation, then the source document.
func ruleHelp(c audit.Check) string {
	help := c.Remediation
	if c.Source != "" {
		if help != "" {
			help += "\n\n"
		}
		help += "Source: " + c.Source
		if c.SourceURL != "" {
			help += " (" + c.SourceURL + ")"
		}
	}
	return help
}

// sarifLogicalLocations is one logical location per object the results
// name, indexed in (full name, type, ID) order.
func sarifLogicalLocations(r *audit.Report) map[logicalLocationKey]sarifLogicalLocation {
	seen := map[logicalLocationKey]bool{}
	var keys []logicalLocationKey
	for _, res := range r.Results {
		if res.Status == audit.StatusPass {
			continue
		}
		k := logicalLocationKey{res.Object.Type, res.Object.ID, res.Object.Name}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		la, lb := objectLabel(audit.Object{Type: a.Type, ID: a.ID, Name: a.Name}), objectLabel(audit.Object{Type: b.Type, ID: b.ID, Name: b.Name})
		if la != lb {
			return la < lb
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.ID < b.ID
	})
	out := make(map[logicalLocationKey]sarifLogicalLocation, len(keys))
	for i, k := range keys {
		o := audit.Object{Type: k.Type, ID: k.ID, Name: k.Name}
		name := k.Name
		if name == "" {
			name = objectLabel(o)
		}
		out[k] = sarifLogicalLocation{
			Index:              &i,
			Name:               name,
			FullyQualifiedName: objectLabel(o),
			Kind:               "object",
			Properties:         &sarifObjectProps{ObjectType: string(k.Type), ObjectID: k.ID},
		}
	}
	return out
}

// objectURI is the artifact a result is reported on: a relative URI per
// HaloPSA object, "halopsa/role/Cove-Role", each segment percent-encoded.
// There is no file, but GitHub code scanning refuses a result without a
// physical location, and a stable path per object keeps its alerts apart
// and its fingerprints stable across runs.
func objectURI(o audit.Object) string {
	parts := []string{"halopsa"}
	if o.Type != "" {
		parts = append(parts, url.PathEscape(string(o.Type)))
	}
	name := o.Name
	if name == "" {
		name = o.ID
	}
	if name != "" {
		parts = append(parts, url.PathEscape(name))
	}
	return strings.Join(parts, "/")
}

// sarifResultLevel maps a status to a result level.
func sarifResultLevel(s audit.Status) string {
	switch s {
	case audit.StatusFail:
		return "error"
	case audit.StatusWarn:
		return "warning"
	}
	return "note"
}

// sarifSeverityLevel maps a check's severity to its rule's default level.
func sarifSeverityLevel(s audit.Severity) string {
	switch s {
	case audit.SeverityCritical, audit.SeverityHigh:
		return "error"
	case audit.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the GitHub code scanning score of a severity
// (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9); info has none.
func securitySeverity(s audit.Severity) string {
	switch s {
	case audit.SeverityCritical:
		return "9.5"
	case audit.SeverityHigh:
		return "8.0"
	case audit.SeverityMedium:
		return "5.5"
	case audit.SeverityLow:
		return "3.0"
	}
	return ""
}

// fingerprint identifies a result across runs: the check and the object,
// not the message (which may name values that change).
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// toolName is the report's tool name, "halolint" when it has none.
func toolName(r *audit.Report) string {
	if r.Tool.Name == "" {
		return "halolint"
	}
	return r.Tool.Name
}
