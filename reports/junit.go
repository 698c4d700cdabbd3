package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/halolint/halolint/audit"
)

// junitCollectionSuite is the name of the extra suite that lists the
// collection errors, one test case each.
const junitCollectionSuite = "halolint.collection"

// junitRenderer writes JUnit XML in the shape the common CI readers take
// (GitLab, Jenkins, GitHub test reporters, Azure DevOps): a <testsuites>
// root, one <testsuite> per profile, one <testcase> per result.
//
//   - fail is a <failure>, error an <error>, manual <skipped> with the
//     reason, pass a plain test case;
//   - warn is a <failure> only under --fail-on warn, otherwise a passing
//     test case whose <system-out> says what was found;
//   - collection errors form one more suite, "halolint.collection": an
//     <error> when a selected check needed the data, <skipped> otherwise.
type junitRenderer struct {
	opts Options
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is element text kept as CDATA, so that multi-line details stay
// readable in the file.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (j *junitRenderer) Render(w io.Writer, in *audit.Report) error {
	r, err := normalize(in)
	if err != nil {
		return err
	}
	props := []junitProperty{
		{Name: "phase", Value: string(r.Phase)},
		{Name: "profiles", Value: strings.Join(r.Profiles, ",")},
		{Name: "source.kind", Value: r.Source.Kind},
		{Name: "source.url", Value: r.Source.URL},
	}
	if r.Source.File != "" {
		props = append(props, junitProperty{Name: "source.file", Value: r.Source.File})
	}
	props = append(props,
		junitProperty{Name: "fail_on", Value: string(j.opts.FailOn)},
		junitProperty{Name: "tool.version", Value: r.Tool.Version},
	)
	stamp := ""
	if !r.Source.CollectedAt.IsZero() {
		// The JUnit (Ant) schema's timestamp has no time zone: UTC.
		stamp = r.Source.CollectedAt.UTC().Format("2006-01-02T15:04:05")
	}

	doc := junitSuites{Name: toolName(r), Time: "0"}
	for _, g := range groupByProfile(r) {
		suite := junitSuite{Name: g.Profile, Time: "0", Timestamp: stamp, Properties: props, Cases: []junitCase{}}
		for _, res := range g.Results {
			suite.Cases = append(suite.Cases, j.testCase(res))
		}
		doc.Suites = append(doc.Suites, suite)
	}
	if len(r.CollectionErrors) > 0 {
		suite := junitSuite{Name: junitCollectionSuite, Time: "0", Timestamp: stamp, Properties: props}
		for _, e := range r.CollectionErrors {
			c := junitCase{Name: "GET " + e.Endpoint, Classname: junitCollectionSuite, Time: "0"}
			if e.Needed {
				c.Error = &junitProblem{Message: collectionErrorText(e), Type: "collection_error",
					Body: xmlSafe(collectionErrorText(e) + "\nA selected check needed this data and reports error.\n")}
			} else {
				c.Skipped = &junitSkipped{Message: collectionErrorText(e) + " (no selected check needed it)"}
			}
			suite.Cases = append(suite.Cases, c)
		}
		doc.Suites = append(doc.Suites, suite)
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Tests = len(s.Cases)
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}

	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// testCase is one result as a test case.
func (j *junitRenderer) testCase(res audit.Result) junitCase {
	c := junitCase{
		Name:      res.ID + " " + objectLabel(res.Object),
		Classname: res.Profile,
		Time:      "0",
	}
	if a := res.Accepted; a != nil {
		c.Skipped = &junitSkipped{Message: "accepted " + acceptedText(a)}
		return c
	}
	switch res.Status {
	case audit.StatusFail:
		c.Failure = &junitProblem{Message: res.Message, Type: string(res.Status), Body: xmlSafe(junitDetails(res))}
	case audit.StatusWarn:
		if j.opts.FailOn == audit.FailOnWarn {
			c.Failure = &junitProblem{Message: res.Message, Type: string(res.Status), Body: xmlSafe(junitDetails(res))}
		} else {
			c.SystemOut = &junitText{Text: xmlSafe(fmt.Sprintf("warn: %s\n%s", res.Message, junitDetails(res)))}
		}
	case audit.StatusError:
		c.Error = &junitProblem{Message: res.Message, Type: string(res.Status), Body: xmlSafe(junitDetails(res))}
	case audit.StatusManual:
		c.Skipped = &junitSkipped{Message: "manual: " + res.Message}
	}
	return c
}

// junitDetails is the body of a failure or error: what a person needs to
// act on it.
func junitDetails(res audit.Result) string {
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, value)
		}
	}
	if res.Title != "" {
		line("check", res.ID+" ("+res.Title+")")
	} else {
		line("check", res.ID)
	}
	line("object", objectLabel(res.Object)+idSuffix(res.Object))
	line("severity", string(res.Severity))
	line("expected", formatValue(res.Expected))
	line("actual", formatValue(res.Actual))
	line("granted by", res.GrantedBy)
	line("remediation", res.Remediation)
	line("source", res.Source)
	line("source url", res.SourceURL)
	return b.String()
}

// idSuffix is " (id 5c1e...)" when the object has an ID.
func idSuffix(o audit.Object) string {
	if o.ID == "" || o.ID == o.Name {
		return ""
	}
	return " (id " + o.ID + ")"
}

// xmlSafe replaces the characters XML 1.0 cannot hold (most control
// characters) with U+FFFD. Attributes get this from encoding/xml; CDATA
// sections do not.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
