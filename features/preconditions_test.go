package features_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/mostao/conformance/features"
)

// evalSmokeStep is the step that makes a scenario untested, rather than
// failed, when the session module under test has no aos Eval.
const evalSmokeStep = "the session module accepts Eval from its owner"

// evalWithoutSmoke returns the scenarios that send Eval without first
// checking that the target accepts it: on a session module without Eval
// they would fail, and blame the profile, for a precondition no document
// asks of an implementation.
func evalWithoutSmoke(fsys fs.FS) ([]string, error) {
	var out []string
	err := eachPickle(fsys, func(path string, _ *messages.GherkinDocument, p *messages.Pickle) {
		for _, st := range p.Steps {
			if st.Text == evalSmokeStep {
				return
			}
			if strings.Contains(st.Text, `sends "Eval"`) {
				out = append(out, fmt.Sprintf("%s: scenario %q sends Eval before the step %q", path, p.Name, evalSmokeStep))
				return
			}
		}
	})
	return out, err
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
		"    When wallet \"m\" sends \"Eval\" to \"S\" with data \"1\"\n")}}
	bad, err := evalWithoutSmoke(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.Contains(bad[0], "forged") {
		t.Fatalf("want the one unguarded scenario, got %q", bad)
	}
}
