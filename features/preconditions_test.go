package features_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
)

// evalSmokeStep is the step that makes a scenario untested, rather than
// failed, when the session module under test has no aos Eval.
const evalSmokeStep = "the session module accepts Eval from its owner"

// profileEvalSmoke is the same check for a profile's own Eval: it covers
// the Eval sent to that profile only.
var profileEvalSmoke = regexp.MustCompile(`^the profile ("[^"]*") accepts Eval from its owner$`)

// evalWithoutSmoke returns the scenarios that send Eval without first
// checking that the target accepts it: on a session module (or a profile)
// without Eval they would fail, and blame the profile, for a precondition
// no document asks of an implementation.
func evalWithoutSmoke(fsys fs.FS) ([]string, error) {
	var out []string
	err := eachPickle(fsys, func(path string, _ *messages.GherkinDocument, p *messages.Pickle) {
		checked := map[string]bool{}
		for _, st := range p.Steps {
			if st.Text == evalSmokeStep {
				return
			}
			if m := profileEvalSmoke.FindStringSubmatch(st.Text); m != nil {
				checked[`sends "Eval" to `+m[1]] = true
				continue
			}
			if strings.Contains(st.Text, `sends "Eval"`) && !checkedEval(checked, st.Text) {
				out = append(out, fmt.Sprintf("%s: scenario %q sends Eval before the step %q", path, p.Name, evalSmokeStep))
				return
			}
		}
	})
	return out, err
}

// checkedEval tells whether an Eval step goes to a profile whose Eval was
// checked.
func checkedEval(checked map[string]bool, step string) bool {
	for prefix := range checked {
		if strings.Contains(step, prefix+" ") {
			return true
		}
	}
	return false
}

// TestScenariosThatUseEvalCheckItFirst keeps every scenario that relies on
// aos Eval behind the smoke step.
func TestScenariosThatUseEvalCheckItFirst(t *testing.T) {
	bad, err := evalWithoutSmoke(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// TestEvalCheckFindsAScenarioWithoutTheSmokeStep: the check above can fail.
func TestEvalCheckFindsAScenarioWithoutTheSmokeStep(t *testing.T) {
	fsys := fstest.MapFS{"x.feature": {Data: []byte("Feature: x\n\n" +
		"  @MUST\n  Scenario: forged\n    Given a session process \"S\" owned by wallet \"m\"\n" +
		"    When wallet \"m\" sends \"Eval\" to \"S\" with data \"1\"\n\n" +
		"  @MUST\n  Scenario: guarded\n    Given " + evalSmokeStep + "\n" +
		"    When wallet \"m\" sends \"Eval\" to \"S\" with data \"1\"\n\n" +
		"  @MUST\n  Scenario: profile guarded\n    Given the profile \"P\" accepts Eval from its owner\n" +
		"    When wallet \"m\" sends \"Eval\" to \"P\" with data \"1\"\n\n" +
		"  @MUST\n  Scenario: other profile\n    Given the profile \"P\" accepts Eval from its owner\n" +
		"    When wallet \"m\" sends \"Eval\" to \"Q\" with data \"1\"\n")}}
	bad, err := evalWithoutSmoke(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 2 || !strings.Contains(bad[0], "forged") || !strings.Contains(bad[1], "other profile") {
		t.Fatalf("want the two unguarded scenarios, got %q", bad)
	}
}

// spawnsOf finds the steps that create a process of each role.
var spawnsOf = map[string]*regexp.Regexp{
	"domain":  regexp.MustCompile(`\ba domain process\b`),
	"profile": regexp.MustCompile(`\ba profile process\b|\bhas a profile\b`),
	"session": regexp.MustCompile(`\bspawns a (dm |group )?session\b|\ba session process\b`),
}

// mip00OffRole returns the MIP-00 scenarios that do not exercise the role
// they are tagged with: a scenario that makes no process of its role, or
// one tagged @domain that makes a profile or a session, would credit the
// role for what another process (often the reference) did.
func mip00OffRole(fsys fs.FS) ([]string, error) {
	var out []string
	err := eachPickle(fsys, func(path string, _ *messages.GherkinDocument, p *messages.Pickle) {
		role, mip00 := "", false
		for _, t := range p.Tags {
			switch name := strings.TrimPrefix(t.Name, "@"); name {
			case "MIP-00":
				mip00 = true
			case "domain", "profile", "session":
				role = name
			}
		}
		if !mip00 || role == "" {
			return
		}
		made := map[string]bool{}
		for _, st := range p.Steps {
			for r, re := range spawnsOf {
				if re.MatchString(st.Text) {
					made[r] = true
				}
			}
		}
		switch {
		case !made[role]:
			out = append(out, fmt.Sprintf("%s: scenario %q is tagged @%s but makes no %s process", path, p.Name, role, role))
		case role == "domain" && (made["profile"] || made["session"]):
			out = append(out, fmt.Sprintf("%s: scenario %q is tagged @domain but makes a profile or a session", path, p.Name))
		}
	})
	return out, err
}

// TestMIP00ScenariosExerciseTheirRole keeps each MIP-00 verdict on the
// role whose process the scenario actually exercised.
func TestMIP00ScenariosExerciseTheirRole(t *testing.T) {
	bad, err := mip00OffRole(features.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// TestRoleCheckFindsAMislabelledScenario: the check above can fail.
func TestRoleCheckFindsAMislabelledScenario(t *testing.T) {
	fsys := fstest.MapFS{"x.feature": {Data: []byte("@MIP-00 @domain\nFeature: x\n\n" +
		"  @MIP00-NUM-1 @MUST\n  Scenario: a profile's number\n    Given a profile process \"P\" owned by wallet \"alice\"\n\n" +
		"  @MIP00-REP-1 @MUST\n  Scenario: a domain's reply\n    Given a domain process \"D\"\n")}}
	bad, err := mip00OffRole(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.Contains(bad[0], "a profile's number") {
		t.Fatalf("want the one mislabelled scenario, got %q", bad)
	}
}
