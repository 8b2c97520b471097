package certify

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestReferenceFitsItsRunWorkEstimates: the run's work bound is a multiple
// of what the reference processes spend, written down per scenario and per
// sequence in runwork.go. Those figures are averages, and one shard of a
// few sequences can spend more than its average: the reference must fit
// twice them (the default gives ten), so a reference grown slower is
// caught here rather than leaving users a smaller margin than documented.
func TestReferenceFitsItsRunWorkEstimates(t *testing.T) {
	referenceFitsTwiceItsEstimates(t, targets.Reference())
}

// TestReferenceFitsItsRunWorkEstimatesOnWasm: the same on the wasm engine,
// whose unit (a loop iteration of the module) is smaller than the Lua
// engine's: its WorkScale must bring the estimates to its units.
func TestReferenceFitsItsRunWorkEstimatesOnWasm(t *testing.T) {
	referenceFitsTwiceItsEstimates(t, targets.Wasm("wasm:", nil, nil, targets.Options{}))
}

func referenceFitsTwiceItsEstimates(t *testing.T, target adapters.Target) {
	checks := 10
	if testing.Short() {
		checks = 2
	}
	cfg := Config{Target: target, Checks: checks, Date: fixedDate, RunWorkFactor: 2}
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if run.Header.Stopped != "" {
		t.Fatalf("the reference spent more than the estimates of runwork.go: %s", run.Header.Stopped)
	}
	if !run.Summary.OK {
		t.Fatalf("the reference failed: %s", firstErrors(run, 3))
	}
}

// TestALoopingDomainIsStoppedByTheRunBound: a domain that loops on every
// request spends its per-message budget on each; the run's bound stops the
// certification after a few dozen such requests (seconds, not minutes).
// Scenarios that ran before keep their verdicts, the rest are untested, and
// the run certifies nothing.
func TestALoopingDomainIsStoppedByTheRunBound(t *testing.T) {
	src, err := os.ReadFile("testdata/loop.lua")
	if err != nil {
		t.Fatal(err)
	}
	target := targets.Lua("lua:testdata/loop.lua", targets.Sources{steps.RoleDomain: string(src)})
	run, err := Run(context.Background(), Config{Target: target, MIPs: []string{"01"}, Date: fixedDate})
	if err != nil {
		t.Fatalf("a looping domain must get a verdict, not a suite error: %v", err)
	}
	if !strings.Contains(run.Header.Stopped, "too slow to certify") || !strings.Contains(run.Header.Stopped, "during the scenarios") {
		t.Fatalf("the run was not stopped during the scenarios: %q", run.Header.Stopped)
	}
	if run.Summary.OK || len(run.Summary.Certified) > 0 {
		t.Fatalf("a stopped run passed or certified %v", run.Summary.Certified)
	}
	var ran, stopped int
	failed := map[string]bool{}
	for _, r := range run.Requirements {
		if r.Verdict == reports.Fail {
			failed[r.Key()] = true
		}
		for _, c := range r.Checks {
			if strings.Contains(c.Error, adapters.ErrRunWork.Error()) {
				stopped++
				if c.Status != "untested" || c.Passed {
					t.Errorf("%s: a scenario cut short by the bound is %s", c.Name, c.Status)
				}
			} else {
				ran++
			}
		}
	}
	if !failed["MIP00-INP-2/domain"] {
		t.Errorf("the scenarios that ran before the stop do not fail MIP00-INP-2 as the domain: %v", failed)
	}
	if stopped == 0 || ran == 0 {
		t.Errorf("want scenarios judged before the stop and untested after it; got %d and %d", ran, stopped)
	}
}

// TestAStopInThePropertiesIsTheSameOnAnyMachine: a domain that is correct
// but slow on every message passes the scenarios within its share and
// spends the properties' share. Their shards run in parallel, so which
// sequence met the bound depends on the machine, but the verdict may not:
// the MIP's properties are untested, whatever the cores.
func TestAStopInThePropertiesIsTheSameOnAnyMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("two certifications of a slow domain: run without -short")
	}
	src := slowDomain(100_000)
	cfg := Config{
		Target: targets.Lua("lua:slow.lua", targets.Sources{steps.RoleDomain: src}),
		MIPs:   []string{"01"}, Checks: 20, Date: fixedDate,
	}
	jsonl := func() (string, reports.Run) {
		run, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := reports.WriteJSONL(&b, withoutTimings(run)); err != nil {
			t.Fatal(err)
		}
		return b.String(), run
	}
	twoCores, run := jsonl()
	if !strings.Contains(run.Header.Stopped, "during the MIP-01 properties") {
		t.Fatalf("want a stop in the MIP-01 properties, got %q (%s)", run.Header.Stopped, firstErrors(run, 3))
	}
	if run.Summary.OK || run.Summary.Failed > 0 {
		t.Errorf("a correct but slow domain: want no failure and no pass, got %+v", run.Summary)
	}
	old := runtime.GOMAXPROCS(1)
	oneCore, _ := jsonl()
	runtime.GOMAXPROCS(old)
	if twoCores != oneCore {
		t.Fatalf("the stopped run's report differs between %d cores and one", old)
	}
}
