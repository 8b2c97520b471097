package processes_test

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// domainTags selects the MIP-00 and MIP-01 scenarios (a comma is "or").
const domainTags = "@MIP-00,@MIP-01"

// brokenDomains lists the broken Domain fixtures and the requirements whose
// scenarios must catch each: the proof that the suite finds the defects of
// the one public implementation rather than pass whatever it is given.
var brokenDomains = []struct {
	file    string
	catches []string
}{
	{"domain-hijack", []string{"MIP01-REG-3"}},
	{"domain-renounce-noop", []string{"MIP01-REN-1"}},
	{"domain-crash-on-malformed", []string{"MIP00-INP-1", "MIP00-INP-2"}},
	{"domain-no-validation", []string{"MIP01-NAME-1"}},
	{"domain-double-reply", []string{"MIP00-REP-1"}},
	{"domain-ignores-reply-to", []string{"MIP00-REP-2"}},
	// Requirements that rested on a single scenario.
	{"domain-query-without-name", []string{"MIP01-QRY-1"}},
	{"domain-domains-by-length", []string{"MIP01-GET-1"}},
}

var requirementID = regexp.MustCompile(`^MIP[0-9]{2}-[A-Z]+-[0-9]+$`)

// runDomain runs the MIP-00 and MIP-01 scenarios against a target and
// returns the requirement IDs of the scenarios that did not pass, each with
// the first such scenario and its error.
func runDomain(t *testing.T, target steps.Target) (caught map[string]string, ran int) {
	t.Helper()
	res, err := steps.Run(context.Background(), steps.Options{Target: target, Tags: domainTags})
	if err != nil {
		t.Fatalf("the suite could not run on %s: %v", target.Name, err)
	}
	if len(res.Scenarios) == 0 {
		t.Fatalf("no scenario is tagged %s", domainTags)
	}
	caught = map[string]string{}
	for _, sc := range res.Scenarios {
		if sc.Status == steps.StatusPassed {
			continue
		}
		for _, tag := range sc.Tags {
			if requirementID.MatchString(tag) {
				if _, seen := caught[tag]; !seen {
					first, _, _ := strings.Cut(sc.Error, "\n")
					caught[tag] = sc.Name + ": " + first
				}
			}
		}
	}
	return caught, len(res.Scenarios)
}

// TestReferenceDomainPasses: the reference Domain passes every MIP-00 and
// MIP-01 scenario, so that a failure on a fixture is the fixture's defect.
func TestReferenceDomainPasses(t *testing.T) {
	caught, ran := runDomain(t, targets.Reference())
	ids := sortedKeys(caught)
	for _, id := range ids {
		t.Errorf("the reference fails %s: %s", id, caught[id])
	}
	t.Logf("%d scenarios ran", ran)
}

// TestBrokenDomains runs the MIP-00 and MIP-01 scenarios against each broken
// fixture: the scenarios tagged with each expected requirement must fail.
func TestBrokenDomains(t *testing.T) {
	for _, b := range brokenDomains {
		t.Run(b.file, func(t *testing.T) {
			v, err := broken.Load(b.file)
			if err != nil {
				t.Fatal(err)
			}
			src := v.Source
			target := targets.Lua("broken:"+b.file, targets.Sources{steps.RoleDomain: src})
			caught, ran := runDomain(t, target)
			for _, id := range b.catches {
				if _, ok := caught[id]; !ok {
					t.Errorf("%s passes every scenario tagged %s (%d scenarios ran): the suite misses its defect", b.file, id, ran)
				}
			}
			var lines []string
			for _, id := range sortedKeys(caught) {
				lines = append(lines, id+" by "+caught[id])
			}
			t.Logf("%s is caught by %d requirements:\n  %s", b.file, len(caught), strings.Join(lines, "\n  "))
		})
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
