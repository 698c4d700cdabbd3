package audit

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/halolint/halolint/internal/vocabulary"
	"gopkg.in/yaml.v3"
)

// A profile document (docs/policy-authoring.md) is one YAML file in
// HaloPSA's own words. parseDocument reads it strictly: every problem is
// reported with its line, at once, and a document with a problem is never
// audited.

// document is a profile document after validation, its words resolved
// through the vocabulary.
type document struct {
	file        string
	line        int
	name        string
	title       string
	vendor      string
	product     string
	description string
	source      docLink
	related     []docLink
	keywords    []string
	explicit    bool // select: explicit
	names       docNames

	app   docApplication
	agent docAgent
	role  docRole

	categories []docCategory
	settings   []docSetting
	manual     []docManual
	builtin    bool

	// adminSection is where the administrator flag sits on the role
	// screen.
	adminSection string
	// roleUnnamed is true when the guide gives the role no name.
	roleUnnamed bool
}

type docLink struct{ title, url, retrieved string }

type docNames struct{ application, role, agent, category string }

type docApplication struct {
	auth         *vocabulary.Authentication // nil when the guide does not say
	authLabel    string                     // as the document words it
	identity     bool                       // login: application-identity
	scopes       []string
	scopesGiven  bool // false when the guide lists no scopes: nothing to check
	ignoreExcess bool
	scopeNotes   map[string]string
}

type docAgent struct {
	apiOnly bool
	roles   []string
}

type docRole struct {
	permissions   []docPermission
	listed        bool   // the guide lists the role's permissions
	administrator string // never, during-setup, documented
	ignoreExtra   bool   // undocumented: ignore
	departments   string
}

type docPermission struct {
	perm   *vocabulary.Permission
	label  string // the wording the document used, as the vocabulary spells it
	value  vocabulary.Value
	above  string // pass, warn or fail
	manual bool
	// manualValue is the value as written, for a permission whose code
	// is not known (manual: true).
	manualValue string
	line        int
}

type docCategory struct {
	list  int
	value string
}

type docSetting struct {
	setting *vocabulary.Setting
	want    bool
}

type docManual struct{ id, title, look string }

var (
	profileNameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	manualIDRE    = profileNameRE
	categoryRE    = regexp.MustCompile(`(?i)^category\s*([1-4])$`)
)

// docParser gathers the problems of one document.
type docParser struct {
	file     string
	vocab    *vocabulary.Vocabulary
	problems []Problem
}

func (p *docParser) errorf(n *yaml.Node, format string, args ...any) {
	pr := Problem{File: p.file, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		pr.Line = n.Line
	}
	p.problems = append(p.problems, pr)
}

// didYouMean is " (did you mean "x" or "y"?)" for the nearest candidates,
// "" when none is near.
func didYouMean(word string, candidates []string) string {
	s := vocabulary.Suggest(word, candidates)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", joinOr(s))
}

func joinOr(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// fields walks a mapping, refusing unknown and repeated keys.
func (p *docParser) fields(n *yaml.Node, where string, known []string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping", where)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			p.errorf(k, "%s: unknown key %q%s", where, k.Value, didYouMean(k.Value, known))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s: key %q given twice", where, k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

// str reads a scalar as text; YAML's yes/no/true/false stay the words they
// are, since documents copy the UI's Yes and No.
func (p *docParser) str(n *yaml.Node, where string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "%s must be a text", where)
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (p *docParser) required(n *yaml.Node, where string) string {
	s := p.str(n, where)
	if s == "" && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		p.errorf(n, "%s is empty", where)
	}
	return s
}

func (p *docParser) strList(n *yaml.Node, where string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list", where)
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for i, c := range n.Content {
		if s := p.required(c, fmt.Sprintf("%s[%d]", where, i)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *docParser) choice(n *yaml.Node, where string, choices ...string) string {
	s := p.str(n, where)
	if s != "" && !slices.Contains(choices, s) {
		p.errorf(n, "%s: %q is not one of %s%s", where, s, strings.Join(choices, ", "), didYouMean(s, choices))
		return ""
	}
	return s
}

func (p *docParser) boolean(n *yaml.Node, where string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		p.errorf(n, "%s must be true or false", where)
	}
	return b
}

// parseDocument reads and validates one profile document.
func parseDocument(data []byte, file string, vocab *vocabulary.Vocabulary) (*document, []Problem) {
	p := &docParser{file: file, vocab: vocab}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := splitYAMLError(err)
		return nil, []Problem{{File: file, Line: line, Message: msg}}
	}
	if len(root.Content) == 0 {
		return nil, []Problem{{File: file, Message: "empty profile document"}}
	}
	top := root.Content[0]
	d := &document{file: file, line: top.Line}
	if sa, ok := vocab.Code("SA"); ok {
		d.adminSection = sa.Section.Path
	}
	d.agent.apiOnly = true
	d.role.administrator = "never"
	sawSource, sawVersion := false, false
	p.fields(top, "the document", []string{
		"schema_version", "profile", "title", "vendor", "product", "description", "source", "related",
		"keywords", "select", "names", "application", "agent", "role", "categories", "settings", "manual",
	}, func(key string, k, v *yaml.Node) {
		switch key {
		case "schema_version":
			sawVersion = true
			if v.Value != "1" {
				p.errorf(v, "schema_version %q is not supported (this halolint reads 1)", v.Value)
			}
		case "profile":
			d.name = p.required(v, "profile")
			if d.name != "" && !profileNameRE.MatchString(d.name) {
				p.errorf(v, "profile %q: a name is lower-case letters and digits, in words joined by single '-'", d.name)
			}
			if d.name == SelectAll || d.name == baselineProfile {
				p.errorf(v, "profile name %q is reserved", d.name)
			}
		case "title":
			d.title = p.required(v, "title")
		case "vendor":
			d.vendor = p.required(v, "vendor")
		case "product":
			d.product = p.required(v, "product")
		case "description":
			d.description = strings.TrimSpace(p.str(v, "description"))
		case "source":
			sawSource = true
			d.source = p.link(v, "source", true)
		case "related":
			if v.Kind != yaml.SequenceNode {
				p.errorf(v, "related must be a list of {title, url}")
				return
			}
			for i, c := range v.Content {
				d.related = append(d.related, p.link(c, fmt.Sprintf("related[%d]", i), false))
			}
		case "keywords":
			for _, kw := range p.strList(v, "keywords") {
				d.keywords = append(d.keywords, strings.ToLower(kw))
			}
		case "select":
			d.explicit = p.choice(v, "select", "auto", "explicit") == "explicit"
		case "names":
			p.fields(v, "names", []string{"application", "role", "agent", "category"}, func(key string, _, v *yaml.Node) {
				s := p.required(v, "names."+key)
				switch key {
				case "application":
					d.names.application = s
				case "role":
					d.names.role = s
				case "agent":
					d.names.agent = s
				case "category":
					d.names.category = s
				}
			})
		case "application":
			p.application(v, d)
		case "agent":
			p.agent(v, d)
		case "role":
			p.role(v, d)
		case "categories":
			p.categories(v, d)
		case "settings":
			p.settings(v, d)
		case "manual":
			p.manualEntries(v, d)
		}
	})
	for _, req := range []struct {
		key string
		ok  bool
	}{{"schema_version", sawVersion}, {"profile", d.name != ""}, {"title", d.title != ""}, {"vendor", d.vendor != ""}, {"source", sawSource}} {
		if !req.ok && !p.reported(req.key) {
			p.errorf(top, "the document has no %s", req.key)
		}
	}
	if d.app.identity && d.agentGiven() {
		p.errorf(top, "agent: the application logs in as application-identity, so no agent is documented; remove agent or set application.login to agent")
	}
	if len(d.keywords) == 0 && d.names.application == "" && !p.reported("keywords") {
		p.errorf(top, "the document has neither keywords nor names.application: nothing would find its application")
	}
	d.fillDefaults()
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return d, nil
}

// reported is true when a problem already names key, so that a missing
// required key is not reported twice.
func (p *docParser) reported(key string) bool {
	for _, pr := range p.problems {
		if strings.HasPrefix(pr.Message, key) {
			return true
		}
	}
	return false
}

func (d *document) agentGiven() bool { return len(d.agent.roles) > 0 || !d.agent.apiOnly }

// fillDefaults derives the names the document leaves out.
func (d *document) fillDefaults() {
	if d.product == "" {
		d.product = d.title
	}
	if d.names.application == "" {
		d.names.application = d.title
	}
	if d.names.role == "" {
		// The guide names no role: discovery looks for one by keyword,
		// and remediations say "(the <product> role)".
		d.roleUnnamed = true
		d.names.role = d.product
	}
	if d.names.agent == "" && !d.app.identity {
		d.names.agent = d.names.application
	}
	if d.names.category == "" && len(d.categories) > 0 {
		d.names.category = d.categories[0].value
	}
}

func (p *docParser) link(n *yaml.Node, where string, withDate bool) docLink {
	var l docLink
	keys := []string{"title", "url"}
	if withDate {
		keys = append(keys, "retrieved")
	}
	p.fields(n, where, keys, func(key string, _, v *yaml.Node) {
		switch key {
		case "title":
			l.title = p.required(v, where+".title")
		case "url":
			l.url = p.required(v, where+".url")
			if l.url != "" && !strings.HasPrefix(l.url, "https://") && !strings.HasPrefix(l.url, "http://") {
				p.errorf(v, "%s.url %q is not a web address", where, l.url)
			}
		case "retrieved":
			l.retrieved = p.str(v, where+".retrieved")
		}
	})
	if n.Kind == yaml.MappingNode && (l.title == "" || l.url == "") {
		p.errorf(n, "%s needs a title and a url (the vendor's public page)", where)
	}
	return l
}

func (p *docParser) application(n *yaml.Node, d *document) {
	p.fields(n, "application", []string{"authentication", "login", "scopes", "undocumented_scopes", "scope_notes"}, func(key string, _, v *yaml.Node) {
		switch key {
		case "authentication":
			label := p.required(v, "application.authentication")
			if label == "" {
				return
			}
			a, ok := p.vocab.Authentication(label)
			if !ok {
				p.errorf(v, "application.authentication: unknown authentication method %q%s", label, didYouMean(label, p.vocab.AuthenticationLabels()))
				return
			}
			d.app.auth, d.app.authLabel = a, label
		case "login":
			d.app.identity = p.choice(v, "application.login", "agent", "application-identity") == "application-identity"
		case "scopes":
			d.app.scopes, d.app.scopesGiven = p.scopes(v, "application.scopes"), true
		case "undocumented_scopes":
			d.app.ignoreExcess = p.choice(v, "application.undocumented_scopes", "warn", "ignore") == "ignore"
		case "scope_notes":
			d.app.scopeNotes = map[string]string{}
			p.fields(v, "application.scope_notes", p.vocab.Scopes(), func(scope string, _, v *yaml.Node) {
				d.app.scopeNotes[scope] = p.required(v, "application.scope_notes."+scope)
			})
		}
	})
}

// scopes resolves a scope list through the vocabulary, whatever its case
// and spaces.
func (p *docParser) scopes(n *yaml.Node, where string) []string {
	var out []string
	seen := map[string]bool{}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list", where)
		return nil
	}
	for _, c := range n.Content {
		name := p.required(c, where)
		if name == "" {
			continue
		}
		s, ok := p.vocab.Scope(name)
		if !ok {
			p.errorf(c, "%s: %q is not a HaloPSA scope%s", where, name, didYouMean(name, p.vocab.Scopes()))
			continue
		}
		if seen[s] {
			p.errorf(c, "%s: %q given twice", where, s)
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func (p *docParser) agent(n *yaml.Node, d *document) {
	p.fields(n, "agent", []string{"api_only", "roles"}, func(key string, _, v *yaml.Node) {
		switch key {
		case "api_only":
			d.agent.apiOnly = p.boolean(v, "agent.api_only")
		case "roles":
			d.agent.roles = p.strList(v, "agent.roles")
			seen := map[string]bool{}
			for _, r := range d.agent.roles {
				if seen[slug(r)] {
					p.errorf(v, "agent.roles: %q given twice", r)
				}
				seen[slug(r)] = true
			}
		}
	})
}

func (p *docParser) role(n *yaml.Node, d *document) {
	p.fields(n, "role", []string{"permissions", "administrator", "undocumented", "departments"}, func(key string, _, v *yaml.Node) {
		switch key {
		case "permissions":
			d.role.listed = true
			p.permissions(v, d)
		case "administrator":
			if s := p.choice(v, "role.administrator", "never", "during-setup", "documented"); s != "" {
				d.role.administrator = s
			}
		case "undocumented":
			d.role.ignoreExtra = p.choice(v, "role.undocumented", "warn", "ignore") == "ignore"
		case "departments":
			d.role.departments = p.required(v, "role.departments")
		}
	})
}

// permissions reads section -> label -> value, each resolved through the
// vocabulary.
func (p *docParser) permissions(n *yaml.Node, d *document) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "role.permissions must be a mapping of sections")
		return
	}
	seenCodes := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		sk, sv := n.Content[i], n.Content[i+1]
		sec, ok := p.vocab.Section(sk.Value)
		if !ok {
			p.errorf(sk, "role.permissions: unknown section %q%s", sk.Value, didYouMean(sk.Value, p.vocab.SectionNames()))
			continue
		}
		if sv.Kind != yaml.MappingNode {
			p.errorf(sv, "role.permissions.%s must be a mapping of label: value", sk.Value)
			continue
		}
		for j := 0; j+1 < len(sv.Content); j += 2 {
			lk, lv := sv.Content[j], sv.Content[j+1]
			if dp, ok := p.permission(sec, lk, lv); ok {
				if prev, dup := seenCodes[dp.perm.Slug]; dup {
					p.errorf(lk, "role.permissions: %q is given twice (also line %d)", dp.perm.Label, prev)
					continue
				}
				seenCodes[dp.perm.Slug] = lk.Line
				d.role.permissions = append(d.role.permissions, dp)
			}
		}
	}
}

func (p *docParser) permission(sec *vocabulary.Section, lk, lv *yaml.Node) (docPermission, bool) {
	where := fmt.Sprintf("role.permissions.%s", sec.Name)
	perm, wording, ok := sec.Permission(lk.Value)
	if !ok {
		candidates := sec.Labels()
		for _, other := range p.vocab.Permissions() {
			candidates = append(candidates, other.Label)
		}
		p.errorf(lk, "%s: unknown label %q%s", where, lk.Value, didYouMean(lk.Value, candidates))
		return docPermission{}, false
	}
	dp := docPermission{perm: perm, label: wording, line: lk.Line}
	valueNode := lv
	if lv.Kind == yaml.MappingNode {
		valueNode = nil
		p.fields(lv, where+"."+perm.Label, []string{"value", "above", "manual"}, func(key string, _, v *yaml.Node) {
			switch key {
			case "value":
				valueNode = v
			case "above":
				dp.above = p.choice(v, where+"."+perm.Label+".above", "pass", "warn", "fail")
			case "manual":
				dp.manual = p.boolean(v, where+"."+perm.Label+".manual")
			}
		})
		if valueNode == nil {
			p.errorf(lv, "%s.%s has no value", where, perm.Label)
			return docPermission{}, false
		}
	}
	raw := p.required(valueNode, where+"."+perm.Label)
	if raw == "" {
		return docPermission{}, false
	}
	if !perm.Coded() {
		dp.manual = true // nobody knows how the API shows it
	}
	val, ok := perm.Value(raw)
	if !ok {
		if dp.manual {
			dp.manualValue = raw
			return dp, true
		}
		p.errorf(valueNode, "%s.%s: unknown value %q (known: %s)%s", where, perm.Label, raw, strings.Join(perm.ValueLabels(), ", "), didYouMean(raw, perm.ValueLabels()))
		return docPermission{}, false
	}
	if val.Rank == 0 {
		p.errorf(valueNode, "%s.%s: %q is the lowest value, which every role has: nothing to require", where, perm.Label, raw)
		return docPermission{}, false
	}
	dp.value = val
	if dp.manual {
		dp.manualValue = val.Label
		return dp, true
	}
	if perm.Code == "SA" {
		p.errorf(lk, "%s: the administrator flag is set with role.administrator (never, during-setup or documented), not as a permission", where)
		return docPermission{}, false
	}
	if dp.above == "" {
		dp.above = "pass"
		if val.Rank < perm.Top().Rank {
			dp.above = "warn"
		}
	}
	return dp, true
}

func (p *docParser) categories(n *yaml.Node, d *document) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "categories must be a list of {list, value}")
		return
	}
	seen := map[string]bool{}
	for i, c := range n.Content {
		where := fmt.Sprintf("categories[%d]", i)
		cat := docCategory{list: 1}
		p.fields(c, where, []string{"list", "value"}, func(key string, _, v *yaml.Node) {
			switch key {
			case "list":
				s := p.required(v, where+".list")
				m := categoryRE.FindStringSubmatch(s)
				if m == nil {
					p.errorf(v, "%s.list: %q is not Category 1, Category 2, Category 3 or Category 4", where, s)
					return
				}
				cat.list = int(m[1][0] - '0')
			case "value":
				cat.value = p.required(v, where+".value")
			}
		})
		if cat.value == "" {
			if c.Kind == yaml.MappingNode {
				p.errorf(c, "%s has no value", where)
			}
			continue
		}
		if seen[slug(cat.value)] {
			p.errorf(c, "%s: %q given twice", where, cat.value)
			continue
		}
		seen[slug(cat.value)] = true
		d.categories = append(d.categories, cat)
	}
}

func (p *docParser) settings(n *yaml.Node, d *document) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "settings must be a list of {label, value}")
		return
	}
	for i, c := range n.Content {
		where := fmt.Sprintf("settings[%d]", i)
		var s docSetting
		var label, value string
		var valueNode *yaml.Node
		p.fields(c, where, []string{"label", "value"}, func(key string, _, v *yaml.Node) {
			switch key {
			case "label":
				label = p.required(v, where+".label")
				st, ok := p.vocab.Setting(label)
				if !ok && label != "" {
					p.errorf(v, "%s: unknown setting %q%s", where, label, didYouMean(label, p.vocab.SettingLabels()))
				}
				s.setting = st
			case "value":
				valueNode = v
				value = p.required(v, where+".value")
			}
		})
		if s.setting == nil || valueNode == nil {
			if c.Kind == yaml.MappingNode && valueNode == nil {
				p.errorf(c, "%s needs a label and a value (Yes or No)", where)
			}
			continue
		}
		switch vocabulary.Normalize(value) {
		case "yes", "true", "ticked", "selected":
			s.want = true
		case "no", "false", "unticked", "not selected":
			s.want = false
		default:
			p.errorf(valueNode, "%s.value: %q is not Yes or No", where, value)
			continue
		}
		d.settings = append(d.settings, s)
	}
}

func (p *docParser) manualEntries(n *yaml.Node, d *document) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "manual must be a list of {id, title, look}")
		return
	}
	seen := map[string]bool{}
	for i, c := range n.Content {
		where := fmt.Sprintf("manual[%d]", i)
		var m docManual
		p.fields(c, where, []string{"id", "title", "look"}, func(key string, _, v *yaml.Node) {
			switch key {
			case "id":
				m.id = p.required(v, where+".id")
				if m.id != "" && !manualIDRE.MatchString(m.id) {
					p.errorf(v, "%s.id %q: lower-case letters and digits, words joined by '-'", where, m.id)
				}
			case "title":
				m.title = p.required(v, where+".title")
			case "look":
				m.look = p.required(v, where+".look")
			}
		})
		if m.id == "" || m.title == "" || m.look == "" {
			if c.Kind == yaml.MappingNode {
				p.errorf(c, "%s needs an id, a title and where to look", where)
			}
			continue
		}
		if seen[m.id] {
			p.errorf(c, "%s: id %q given twice", where, m.id)
			continue
		}
		seen[m.id] = true
		d.manual = append(d.manual, m)
	}
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// slug is a check ID segment for free text: "Cove Data Protection" is
// cove-data-protection.
func slug(s string) string {
	return strings.Trim(slugRE.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// sortedKeys returns a map's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
