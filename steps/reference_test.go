package steps_test

import (
	"context"
	"testing"

	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestReference runs every feature against the bundled reference processes:
// the reference must pass its own suite. Each scenario is a subtest, so a
// failure names the scenario and its failing step.
func TestReference(t *testing.T) {
	res, err := steps.Run(context.Background(), steps.Options{Target: targets.Reference(), TestingT: t})
	if err != nil {
		t.Fatalf("the suite could not run: %v", err)
	}
	if len(res.Scenarios) == 0 {
		t.Fatal("no scenario ran: the features are missing or were all filtered out")
	}
	for _, sc := range res.Scenarios {
		if sc.Status != steps.StatusPassed {
			t.Errorf("%s (%s): %s at step %q: %s", sc.Name, sc.URI, sc.Status, sc.FailedStep, sc.Error)
		}
	}
	if res.Status != 0 {
		t.Errorf("godog exit status %d, want 0", res.Status)
	}
}
