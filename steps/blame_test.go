package steps_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// feature is run against the reference domain: each scenario fails on
// purpose, in a way whose blame the test knows.
const feature = `@MIP-01
Feature: blame

  Background:
    Given a domain process "D"

  @MIP01-REG-1 @MIP01-REG-3 @MUST
  Scenario: an annotated step is blamed on its annotation
    When wallet "alice" registers "shop" to process "P1"
    # checks MIP01-REG-1
    Then the reply is a success
    # checks MIP01-REG-3
    Then the reply is an error "NameTaken"

  @MIP01-REG-3 @MUST
  Scenario: a step of a scenario with one tag is blamed on it
    When wallet "alice" registers "shop" to process "P1"
    Then the reply is an error "NameTaken"

  @MIP01-REN-2 @MUST
  Scenario: a failed setup is a precondition, blamed on what it depends on
    Given wallet "alice" has renounced "shop"
    When wallet "alice" renounces "shop"
    Then the reply is an error "NotFound"

  @MIP01-REG-1 @MIP01-REG-3 @MUST
  Scenario Outline: an outline's row names its rule: <case>
    When wallet "alice" registers "<name>" to process "P1"
    # checks <rule>
    Then the reply is an error "InvalidInput"

    Examples:
      | case  | name | rule         |
      | valid | shop | MIP01-REG-4  |

  @MIP01-REG-1 @MUST
  Scenario: a reply count is MIP00-REP-1's, whatever the annotation
    When "bob" dryruns "Nothing" on "D"
    # checks MIP01-REG-1
    Then the reply is a success
`

func TestFailuresAreBlamedOnWhatTheStepChecks(t *testing.T) {
	fsys := fstest.MapFS{"blame.feature": {Data: []byte(feature)}}
	res, err := steps.Run(context.Background(), steps.Options{Target: targets.Reference(), Features: fsys})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status steps.Status
		blame  string
	}{
		"an annotated step is blamed on its annotation":                  {steps.StatusFailed, "MIP01-REG-3 (domain)"},
		"a step of a scenario with one tag is blamed on it":              {steps.StatusFailed, "MIP01-REG-3 (domain)"},
		"a failed setup is a precondition, blamed on what it depends on": {steps.StatusPreconditionFailed, "MIP01-REN-1 (domain)"},
		"an outline's row names its rule: valid":                         {steps.StatusFailed, "MIP01-REG-4 (domain)"},
		"a reply count is MIP00-REP-1's, whatever the annotation":        {steps.StatusFailed, "MIP00-REP-1 (domain)"},
	}
	if len(res.Scenarios) != len(want) {
		t.Fatalf("%d scenarios ran, want %d", len(res.Scenarios), len(want))
	}
	for _, sc := range res.Scenarios {
		w, ok := want[sc.Name]
		if !ok {
			t.Errorf("unexpected scenario %q", sc.Name)
			continue
		}
		if sc.Status != w.status {
			t.Errorf("%s: status %s, want %s (%s)", sc.Name, sc.Status, w.status, sc.Error)
		}
		if len(sc.Blamed) != 1 || sc.Blamed[0].String() != w.blame {
			t.Errorf("%s: blamed %v, want %s (%s)", sc.Name, sc.Blamed, w.blame, sc.Error)
		}
		if !strings.Contains(sc.Error, w.blame+": ") {
			t.Errorf("%s: the error does not say what it is blamed on: %q", sc.Name, sc.Error)
		}
	}
}

func TestAnAnnotationMustNameARequirement(t *testing.T) {
	bad := "Feature: x\n  Scenario: y\n    # checks REG-3\n    When wallet \"a\" sends \"X\" to \"D\"\n"
	if _, err := steps.ReadFeature(fstest.MapFS{"x.feature": {Data: []byte(bad)}}, "x.feature"); err == nil || !strings.Contains(err.Error(), "names no requirement") {
		t.Errorf("err = %v", err)
	}
	row := "Feature: x\n  Scenario Outline: y\n    # checks <rule>\n    When wallet \"a\" sends \"X\" to \"D\"\n\n    Examples:\n      | rule |\n      | oops |\n"
	if _, err := steps.ReadFeature(fstest.MapFS{"x.feature": {Data: []byte(row)}}, "x.feature"); err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("err = %v", err)
	}
}

// TestEverySetupNamesAFoundation: the requirement a setup step depends on
// is a foundation (steps.IsFoundation), which the certify package uses to
// tell a cascade from a defect of its own: a setup that named a
// requirement missing from the list would leave its cascades red.
func TestEverySetupNamesAFoundation(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`\bsetup\("([^"]+)"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			found++
			if !steps.IsFoundation(m[1]) {
				t.Errorf("%s: setup(%q) names a requirement that is not a foundation", f, m[1])
			}
		}
	}
	if found == 0 {
		t.Fatal("no setup(\"...\") call found: the test reads the wrong files")
	}
	for _, id := range []string{"MIP02-SES-2", "MIP02-MSG-1", "MIP02-READ-1"} {
		if !steps.IsFoundation(id) {
			t.Errorf("%s, an owner operation a setup depends on, is not a foundation", id)
		}
	}
	if steps.IsFoundation("MIP01-NAME-1") {
		t.Error("MIP01-NAME-1 is taken for a foundation")
	}
}
