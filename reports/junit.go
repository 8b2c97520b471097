package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The JUnit XML elements, in the shape CI test tabs read (the Ant/Surefire
// dialect: testsuites > testsuite > testcase > failure | skipped).
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
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Time      string `xml:"time,attr"`
	// Properties name the role that earned the verdict (JUnit readers
	// such as GitLab's and Jenkins' show testcase properties).
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitMessage   `xml:"failure,omitempty"`
	Skipped    *junitMessage   `xml:"skipped,omitempty"`
	SystemOut  *cdata          `xml:"system-out,omitempty"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	// Text is written as CDATA so the exchange reads as it prints.
	Text string `xml:",cdata"`
}

// seconds prints nanoseconds as JUnit's decimal seconds.
func seconds(ns int64) string { return strconv.FormatFloat(float64(ns)/1e9, 'f', 3, 64) }

// WriteJUnit writes JUnit XML: one testsuite per MIP, one testcase per
// requirement. A failed MUST and a stale expectation are failures (they fail
// the run); an untested requirement and an expected failure are skipped
// (with the reason); a SHOULD or MAY warning passes with the details in
// system-out, since it does not fail the run either.
//
// The run is bounded first (Bound with DefaultLimits). A requirement's role
// is the last part of the testcase's classname (mostao.MIP-01.domain) and a
// "role" property.
func WriteJUnit(w io.Writer, run Run) error {
	run = Bound(run, DefaultLimits)
	root := junitSuites{Name: "MostAO conformance: " + run.Header.Implementation.Name}
	var total int64
	for _, g := range groupByMIP(run) {
		suite := junitSuite{Name: g.Label, Timestamp: strings.TrimSuffix(run.Header.Date, "Z"), Properties: junitProperties(run.Header)}
		var suiteTime int64
		for _, r := range g.Requirements {
			c := junitCase{Name: Printable(r.ID + ": " + r.Title), Classname: "mostao." + g.Label}
			if r.Role != "" {
				c.Classname += "." + Printable(r.Role)
				c.Properties = []junitProperty{{"role", Printable(r.Role)}}
			}
			var d int64
			for _, ch := range r.Checks {
				d += checkDuration(ch)
			}
			suiteTime += d
			c.Time = seconds(d)
			switch r.Verdict {
			case Fail:
				c.Failure = &junitMessage{Message: firstError(r), Type: string(r.Level), Text: xmlSafe(requirementText(r))}
				suite.Failures++
			case UnexpectedPass:
				c.Failure = &junitMessage{Message: "passed, but the expectations file lists it as failing: remove it from the list",
					Type: "unexpected-pass", Text: xmlSafe(requirementText(r))}
				suite.Failures++
			case Untested:
				c.Skipped = &junitMessage{Message: "untested: no check of this run covers it"}
				suite.Skipped++
			case ExpectedFail:
				c.Skipped = &junitMessage{Message: "expected failure: " + r.Expected, Text: xmlSafe(requirementText(r))}
				suite.Skipped++
			case Warn:
				c.SystemOut = &cdata{xmlSafe("WARNING (" + levelWord(r.Level) + " not met)\n" + requirementText(r))}
			case Pass:
			default:
				// A verdict this version does not know: better a visible
				// failure than a silent pass.
				c.Failure = &junitMessage{Message: fmt.Sprintf("unknown verdict %q", r.Verdict), Type: "unknown"}
				suite.Failures++
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, c)
		}
		if run.Header.Stopped != "" {
			// A stopped run fails, whatever its rows say: a CI job that
			// reads only the JUnit file must see it.
			suite.Cases = append(suite.Cases, junitCase{Name: "run stopped: too slow to certify", Classname: "mostao." + g.Label,
				Failure: &junitMessage{Message: xmlSafe(Printable(run.Header.Stopped)), Type: "stopped"}})
			suite.Tests++
			suite.Failures++
		}
		suite.Time = seconds(suiteTime)
		total += suiteTime
		root.Tests += suite.Tests
		root.Failures += suite.Failures
		root.Skipped += suite.Skipped
		root.Suites = append(root.Suites, suite)
	}
	root.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitProperties records what was certified, so a CI tab shows it.
func junitProperties(h Header) []junitProperty {
	props := []junitProperty{
		{"implementation", h.Implementation.Name},
		{"implementation.version", h.Implementation.Version},
		{"target", h.Implementation.Target},
		{"engine", h.Engine},
		{"seed", strconv.FormatInt(h.Seed, 10)},
		{"spec.version", h.SpecVersion},
		{"spec.hash", h.SpecHash},
		{"suite.version", h.SuiteVersion},
		{"clipped", h.Clipped.String()},
		{"stopped", h.Stopped},
	}
	out := props[:0]
	for _, p := range props {
		if p.Value != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstError is the one-line reason of a failed requirement: the error of
// its first failing check.
func firstError(r Requirement) string {
	for _, c := range failedChecks(r) {
		msg := c.Error
		if msg == "" {
			msg = statusWord(c)
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return Printable(clip(c.Name+": "+msg, 300))
	}
	return string(r.Verdict)
}

// xmlSafe replaces what XML 1.0 cannot hold (invalid UTF-8, control
// characters) with U+FFFD: CDATA is written as is, and an implementation's
// output may contain anything.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
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
