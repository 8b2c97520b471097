package mutate_test

import (
	"context"
	"testing"
	"time"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/mutate"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// TestReferenceDomainHasNoSurvivors is the gate of the suite's own
// strength: every mutant of the reference domain that is not reviewed as
// equivalent (equivalent.txt) is killed by the scenarios. A survivor is a
// gap of the suite: give it a scenario that kills it, or review it as
// equivalent with its reason. (The profile's and the session's mutants are
// not reviewed yet.)
func TestReferenceDomainHasNoSurvivors(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every mutant of the reference domain (about 130, a minute or two on two cores): run without -short")
	}
	mutants, err := mutate.Mutants(roles.Domain, processes.Domain)
	if err != nil {
		t.Fatal(err)
	}
	equivalent, err := mutate.Equivalents()
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	run := func(ctx context.Context, m mutate.Mutant) (reports.Run, error) {
		return certify.Run(ctx, certify.Config{
			Target: targets.Lua(m.ID, targets.Sources{roles.Domain: m.Source}),
			MIPs:   []string{roles.MIPOf(roles.Domain)},
			Date:   date,
		})
	}
	results, err := mutate.Run(context.Background(), mutants, run, 0, equivalent, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		switch r.Status {
		case mutate.Survived:
			t.Errorf("%s survived (%s): the suite does not see it", r.Mutant.ID, r.Mutant.Description)
		case mutate.Stale:
			t.Errorf("%s is listed as equivalent but is killed by %v: remove it from equivalent.txt", r.Mutant.ID, r.Killers)
		}
	}
	s := mutate.Summarize(results)
	t.Logf("%d mutants: %d killed, %d equivalent, %d timeout; median %.1f failing MUSTs per kill", s.Total, s.Killed, s.Equivalent, s.Timeout, s.MedianBlame)
}
