package reports_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/reports/internal/sample"
)

// The JUnit shape as a CI test tab reads it.
type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []jSuite `xml:"testsuite"`
}

type jSuite struct {
	Name     string  `xml:"name,attr"`
	Tests    int     `xml:"tests,attr"`
	Failures int     `xml:"failures,attr"`
	Errors   int     `xml:"errors,attr"`
	Skipped  int     `xml:"skipped,attr"`
	Cases    []jCase `xml:"testcase"`
}

type jCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Time      string `xml:"time,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
	SystemOut string `xml:"system-out"`
}

func parseJUnit(t *testing.T, run reports.Run) (jSuites, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.WriteJUnit(&buf, run); err != nil {
		t.Fatal(err)
	}
	var s jSuites
	if err := xml.Unmarshal(buf.Bytes(), &s); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, buf.String())
	}
	return s, buf.String()
}

// checkCounts checks that every count attribute agrees with the elements.
func checkCounts(t *testing.T, s jSuites) {
	t.Helper()
	var tests, failures, skipped int
	for _, suite := range s.Suites {
		var f, sk int
		for _, c := range suite.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Skipped != nil {
				sk++
			}
			if c.Failure != nil && c.Skipped != nil {
				t.Errorf("%s: both failure and skipped", c.Name)
			}
		}
		if suite.Tests != len(suite.Cases) || suite.Failures != f || suite.Skipped != sk || suite.Errors != 0 {
			t.Errorf("suite %s says tests=%d failures=%d skipped=%d errors=%d; its elements: %d, %d, %d, 0",
				suite.Name, suite.Tests, suite.Failures, suite.Skipped, suite.Errors, len(suite.Cases), f, sk)
		}
		tests, failures, skipped = tests+len(suite.Cases), failures+f, skipped+sk
	}
	if s.Tests != tests || s.Failures != failures || s.Skipped != skipped {
		t.Errorf("testsuites says tests=%d failures=%d skipped=%d; the suites add up to %d, %d, %d",
			s.Tests, s.Failures, s.Skipped, tests, failures, skipped)
	}
}

func TestJUnitPassingRun(t *testing.T) {
	run := sample.Passing()
	s, _ := parseJUnit(t, run)
	checkCounts(t, s)
	if len(s.Suites) != 2 || s.Suites[0].Name != "MIP-01" || s.Suites[1].Name != "MIP-02" {
		t.Fatalf("want one testsuite per MIP (MIP-01, MIP-02), got %+v", s.Suites)
	}
	if s.Tests != len(run.Requirements) || s.Failures != 0 || s.Skipped != 0 {
		t.Errorf("got tests=%d failures=%d skipped=%d, want %d, 0, 0", s.Tests, s.Failures, s.Skipped, len(run.Requirements))
	}
}

func TestJUnitFailingRun(t *testing.T) {
	run := sample.Failing()
	s, _ := parseJUnit(t, run)
	checkCounts(t, s)
	byID := map[string]jCase{}
	for _, suite := range s.Suites {
		for _, c := range suite.Cases {
			id, _, _ := strings.Cut(c.Name, ":")
			byID[id] = c
			if c.Classname != "mostao."+suite.Name {
				t.Errorf("%s: classname %q", c.Name, c.Classname)
			}
		}
	}
	if len(byID) != len(run.Requirements) {
		t.Fatalf("got %d testcases, want one per requirement (%d)", len(byID), len(run.Requirements))
	}
	// What each verdict becomes.
	reg2 := byID["MIP01-REG-2"]
	if reg2.Failure == nil {
		t.Fatal("the failed MUST MIP01-REG-2 has no <failure>")
	}
	for _, want := range []string{"Name-Taken", "bob -> D  Action=Register", "reply D -> bob  Action=Register-Notice", "reproduce: mostao certify", `<script>alert(1)</script>`} {
		if !strings.Contains(reg2.Failure.Text, want) {
			t.Errorf("failure text of MIP01-REG-2 lacks %q:\n%s", want, reg2.Failure.Text)
		}
	}
	if !strings.Contains(reg2.Failure.Message, "Name-Taken") || reg2.Failure.Type != "MUST" {
		t.Errorf("failure message %q type %q", reg2.Failure.Message, reg2.Failure.Type)
	}
	if c := byID["MIP02-PRO-1"]; c.Failure == nil || !strings.Contains(c.Failure.Message, "expectations") {
		t.Errorf("the unexpected pass MIP02-PRO-1 must be a failure naming the expectations file: %+v", c)
	}
	if c := byID["MIP02-PRO-2"]; c.Skipped == nil || !strings.Contains(c.Skipped.Message, "profile schema") {
		t.Errorf("the expected failure MIP02-PRO-2 must be skipped with its reason: %+v", c)
	}
	if c := byID["MIP01-QRY-2"]; c.Skipped == nil || !strings.Contains(c.Skipped.Message, "untested") {
		t.Errorf("the untested MIP01-QRY-2 must be skipped as untested: %+v", c)
	}
	if c := byID["MIP01-REG-4"]; c.Failure != nil || c.Skipped != nil || !strings.Contains(c.SystemOut, "WARNING") {
		t.Errorf("the SHOULD warning MIP01-REG-4 must pass with a warning in system-out: %+v", c)
	}
	if c := byID["MIP01-REG-1"]; c.Failure != nil || c.Skipped != nil || c.Time == "" {
		t.Errorf("the pass MIP01-REG-1 must be a plain testcase with a time: %+v", c)
	}
	if s.Failures != run.Summary.Failed+run.Summary.UnexpectedPass {
		t.Errorf("failures=%d, want failed+unexpected passes=%d", s.Failures, run.Summary.Failed+run.Summary.UnexpectedPass)
	}
	if s.Skipped != run.Summary.Untested+run.Summary.ExpectedFail {
		t.Errorf("skipped=%d, want untested+expected failures=%d", s.Skipped, run.Summary.Untested+run.Summary.ExpectedFail)
	}
}

// TestJUnitSurvivesHostileText: control characters and markup from an
// implementation still give well-formed XML.
func TestJUnitSurvivesHostileText(t *testing.T) {
	run := sample.Failing()
	for i := range run.Requirements {
		for j := range run.Requirements[i].Checks {
			run.Requirements[i].Checks[j].Error = "bad \x00\x07 byte ]]> </failure> & \xff"
		}
	}
	s, _ := parseJUnit(t, run)
	checkCounts(t, s)
}
