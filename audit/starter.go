package audit

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// PlaceholderReason is the reason StarterAcceptList writes: an acceptance
// that still has it works, and every audit says so in a notice until a
// person writes why.
const PlaceholderReason = "TODO: why this finding is accepted, and who reviewed it"

// NoticeAcceptancePlaceholder is the kind of that notice.
const NoticeAcceptancePlaceholder = "acceptance-placeholder"

// StarterAcceptList writes an accept list for every fail and warn result of
// a report, each pinned to its object's ID and name, with the placeholder
// reason and the given expiry: adopting the gate on a tenant that has
// findings today takes one command, and each entry is then the MSP's to
// justify or fix.
func StarterAcceptList(r *Report, file string, expires Date, by string) ([]byte, error) {
	var entries []Acceptance
	seen := map[string]bool{}
	for _, res := range r.Results {
		if !finding(res) {
			continue
		}
		a := Acceptance{Check: res.ID, Reason: PlaceholderReason, Expires: expires, By: by}
		if res.Object.Type != ObjectTenant {
			a.Object = string(res.Object.Type) + "/" + res.Object.Name
			a.ObjectID = res.Object.ID
		}
		key := a.Check + "\x00" + a.Object + "\x00" + a.ObjectID
		if !seen[key] {
			seen[key] = true
			entries = append(entries, a)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Written by halolint accept from %s (%s, collected %s):\n", file, r.Source.URL, r.Source.CollectedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "# every fail and warn it holds (%d), accepted until %s with a placeholder reason.\n", len(entries), expires)
	b.WriteString("# Replace each reason with why the finding is accepted (every audit lists the\n")
	b.WriteString("# placeholders until then), shorten the dates of what will be fixed, and paste\n")
	b.WriteString("# the list into halolint.yaml.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Accept []Acceptance `yaml:"accept"`
	}{entries}); err != nil {
		return nil, fmt.Errorf("write the accept list: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write the accept list: %w", err)
	}
	return b.Bytes(), nil
}

// placeholderNotices names the acceptances that still have the placeholder
// reason.
func placeholderNotices(accept []Acceptance, file string) []Notice {
	var out []Notice
	for _, a := range accept {
		if strings.HasPrefix(a.Reason, "TODO") {
			out = append(out, Notice{Kind: NoticeAcceptancePlaceholder, Endpoint: a.where(file),
				Message: fmt.Sprintf("the acceptance of %s has no reason yet (%q): write why it is accepted", a.describe(), a.Reason)})
		}
	}
	return out
}
