package certify

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
)

// TestAnUntestableCallIsNeitherVerdictNorSuiteError: a world that cannot
// carry a send out in a way that says anything of the implementation
// (adapters.ErrUntestable) leaves the scenario and the properties
// untested, with the reason in the report: the run is no suite error, and
// nothing passes or fails on what did not run.
func TestAnUntestableCallIsNeitherVerdictNorSuiteError(t *testing.T) {
	calls := 0
	why := fmt.Errorf("process X asked to spawn module Y: %w", adapters.ErrUntestable)
	run, err := Run(context.Background(), Config{Target: failing(why, &calls), MIPs: []string{"01"}, Date: fixedDate, Checks: 4, Steps: 5})
	if err != nil {
		t.Fatalf("a suite error: %v", err)
	}
	if calls == 0 {
		t.Fatal("no send reached the world: the check looked at nothing")
	}
	for _, r := range run.Requirements {
		if r.Verdict == reports.Fail || r.Verdict == reports.Warn {
			t.Errorf("%s: %s on what did not run", r.ID, r.Verdict)
		}
		for _, c := range r.Checks {
			if c.Status == reports.StatusUntested && !strings.Contains(c.Error, "asked to spawn module Y") {
				t.Errorf("%s: untested without the reason: %q", c.Name, c.Error)
			}
		}
	}
	if run.Summary.OK {
		t.Error("the run passed on what did not run")
	}
	if len(run.Header.Untested) != 1 || !strings.Contains(run.Header.Untested[0], "MIP-01 properties") || !strings.Contains(run.Header.Untested[0], "asked to spawn module Y") {
		t.Errorf("the header does not say why the properties are missing: %q", run.Header.Untested)
	}
}
