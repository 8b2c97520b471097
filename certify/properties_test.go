package certify

import (
	"context"
	"strings"
	"testing"

	"github.com/mostao/conformance/models"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/targets"
)

// A property that ran no sequence is untested: it neither passes nor
// vouches for any requirement.
func TestPropertyThatRanNothingIsUntested(t *testing.T) {
	c := propertyCheck(models.Outcome{MIP: "01", Property: "domain-registry"})
	if c.Passed || c.Status != "untested" || len(c.Requirements) != 0 {
		t.Errorf("a property of 0 sequences became %+v; want untested, covering nothing", c)
	}
}

// The properties' requirements are those their requests checked: a run of
// one short sequence does not vouch for the whole of MIP-00.
func TestPropertiesCreditOnlyWhatTheyChecked(t *testing.T) {
	cfg := Config{Target: targets.Reference(), MIPs: []string{"01"}, Checks: 1, Steps: 1, Scenario: ""}
	checks, stopped, err := runProperties(context.Background(), cfg, []string{"00", "01"}, DefaultRunWorkFactor)
	if stopped != "" {
		t.Fatalf("the reference's properties stopped: %s", stopped)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) == 0 {
		t.Fatal("--checks 1 ran no property")
	}
	for _, c := range checks {
		if c.Kind != reports.Property || !c.Passed || c.Status != "passed" {
			t.Errorf("the reference: %+v", c)
		}
		if len(c.Requirements) == 0 {
			t.Errorf("%s passed one sequence but covers nothing", c.Name)
		}
		for _, id := range c.Requirements {
			if !strings.HasPrefix(id, "MIP00-") && !strings.HasPrefix(id, "MIP01-") {
				t.Errorf("%s covers %s, outside the MIPs it checks", c.Name, id)
			}
		}
	}
}
