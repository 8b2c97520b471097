package mutate_test

import (
	"context"
	"testing"
	"time"

	"github.com/mostao/conformance/certify"
	"github.com/mostao/conformance/mutate"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/targets"
)

// shortStride thins the profile's and the session's mutants under -short:
// every shortStride-th reviewed one is gated (about 45 mutants, a minute or
// two of CPU), so the quick run still fails when a fixed sample of the
// suite's strength is lost; the full run gates every reviewed one.
const shortStride = 20

// reviewedThrough is the last source line of each reference process whose
// mutants have been reviewed: each is killed, or listed in equivalent.txt.
// The mutants past it are not gated yet (docs/cli.md says how far the
// review got); the line moves down as the review goes on, to the end.
// Every source is now reviewed to its end (1 << 30): a source that grows
// brings its new mutants under the gate at once.
var reviewedThrough = map[string]int{
	roles.Domain:  1 << 30,
	roles.Profile: 1 << 30,
	roles.Session: 1 << 30,
}

// gate certifies mutants of the reference source of role and fails the test
// for every one that survives without being reviewed as equivalent
// (equivalent.txt), and for every listed one that is killed.
func gate(t *testing.T, role string, keep func(i int) bool) {
	t.Helper()
	all, err := mutate.Mutants(role, roles.References()[role])
	if err != nil {
		t.Fatal(err)
	}
	var mutants []mutate.Mutant
	for i, m := range all {
		if m.Line <= reviewedThrough[role] && keep(i) {
			mutants = append(mutants, m)
		}
	}
	if len(mutants) == 0 {
		t.Fatalf("no reviewed mutant of the %s to gate", role)
	}
	equivalent, err := mutate.Equivalents()
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	// Both loadings: some lines of the reference run only when aos's boot
	// loader brings the code (mutate.BothLoadings).
	run := mutate.BothLoadings(func(ctx context.Context, m mutate.Mutant, boot bool) (reports.Run, error) {
		return certify.Run(ctx, certify.Config{
			Target: targets.LuaWith(m.ID, targets.Sources{role: m.Source}, targets.Options{BootFromWeave: boot}),
			MIPs:   []string{roles.MIPOf(role)},
			Date:   date,
		})
	})
	// A kill under the boot loader's loading must be the mutation's: the
	// reference passes under it unmutated.
	base, err := certify.Run(context.Background(), certify.Config{
		Target: targets.LuaWith(role, targets.Sources{role: roles.References()[role]}, targets.Options{BootFromWeave: true}),
		MIPs:   []string{roles.MIPOf(role)},
		Date:   date,
	})
	if err != nil || !base.Summary.OK {
		t.Fatalf("the reference %s does not pass the suite loaded by aos's boot loader (err %v)", role, err)
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
	t.Logf("%d of %d mutants of the %s: %d killed, %d SHOULD only, %d equivalent, %d timeout; median %.1f failing MUSTs per kill",
		s.Total, len(all), role, s.Killed, s.Should, s.Equivalent, s.Timeout, s.MedianBlame)
}

// every keeps all the mutants.
func every(int) bool { return true }

// sampled keeps every shortStride-th mutant under -short and all of them
// otherwise: the sample is fixed by the source, not drawn at random.
func sampled() func(int) bool {
	if !testing.Short() {
		return every
	}
	return func(i int) bool { return i%shortStride == 0 }
}

// TestReferenceDomainHasNoSurvivors is the gate of the suite's own
// strength on the domain: every mutant of the reference domain that is not
// reviewed as equivalent is killed by the scenarios. A survivor is a gap of
// the suite: give it a scenario that kills it, or review it as equivalent
// with its reason.
func TestReferenceDomainHasNoSurvivors(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies every mutant of the reference domain (about 130, a minute or two on two cores): run without -short")
	}
	gate(t, roles.Domain, every)
}

// TestReferenceProfileHasNoSurvivors is the same gate on the reviewed
// mutants of the reference profile; under -short it gates a fixed sample
// of them.
func TestReferenceProfileHasNoSurvivors(t *testing.T) {
	gate(t, roles.Profile, sampled())
}

// TestReferenceSessionHasNoSurvivors is the same gate on the reviewed
// mutants of the reference session; under -short it gates a fixed sample
// of them.
func TestReferenceSessionHasNoSurvivors(t *testing.T) {
	gate(t, roles.Session, sampled())
}
