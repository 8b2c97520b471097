package certify

import (
	"fmt"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/steps"
)

// DefaultRunWorkFactor is how many times the work the reference processes
// spend on a run the implementation may spend on it, all worlds together,
// before the run stops as "too slow to certify" (Config.RunWorkFactor).
//
// The per-message budget (lua.DefaultMaxWork) stops a message that loops,
// and the per-world budget a scenario that is slow on every message; this
// bound keeps a process that is slow everywhere, but under both, from
// holding a certification for minutes: with it, a domain that loops on every
// request is stopped after about 20 such requests. Ten times the reference
// leaves room for an implementation written differently (a larger source to
// compile, a less direct data layout) and still stops a runaway within
// seconds.
const DefaultRunWorkFactor = 10

// What the reference processes spend, in work units (see docs/engine.md),
// measured with `mostao certify` and rounded up: per scenario, by the role
// the scenario exercises, and per generated sequence of the default 50
// requests, by MIP. TestReferenceFitsItsRunWorkEstimates keeps the
// reference under twice these, so a slower reference is noticed here, not by
// users.
var (
	scenarioWork = map[string]int64{
		roles.Domain:  150_000, // measured about 137,000 (221 scenarios, MIP-00 and MIP-01)
		roles.Profile: 700_000, // about 604,000 (132 scenarios): most spawn sessions too
		roles.Session: 350_000, // about 312,000 (102 scenarios)
	}
	sequenceWork = map[string]int64{
		"01": 400_000,   // about 382,000
		"02": 4_000_000, // about 3,130,000 in the chat property (each request crosses several processes, and the chat lists it may have changed are read back), 660,000 in the other
		"03": 700_000,   // about 619,000 (436,000 when first measured; the session has grown)
	}
	// otherWork is the estimate for a scenario of no single role.
	otherWork int64 = 500_000
)

// minPhaseWork is the least the scenarios, or the shrinking of a failure,
// may spend, whatever their size: one world's budget
// (lua.DefaultMaxWorldWork). A run of one scenario is bounded by its
// world's own budget rather than by a share smaller than it.
const minPhaseWork int64 = 100_000_000

// scenarioAllowance is the run work the scenarios of the plan may spend,
// in the units of an engine of the given scale (adapters.Engine.WorkScale).
func scenarioAllowance(pl []planned, factor, scale int64) int64 {
	var sum int64
	for _, p := range pl {
		w, ok := scenarioWork[steps.ScenarioRole(p.Tags)]
		if !ok {
			w = otherWork
		}
		sum += w
	}
	return max(sum*factor, minPhaseWork) * scale
}

// propertyWork is what each generated sequence of a MIP's properties may
// spend while searching, and what a shard may spend shrinking a failure it
// found. Shrinking replays many shorter sequences, which the reference
// (which never fails) does not spend: it gets a hundred sequences' worth, at
// least one world's budget, so that a fast implementation's failure shrinks
// as far as it would unbounded and a slow one's still ends. Both are in the
// units of an engine of the given scale (adapters.Engine.WorkScale).
func propertyWork(mip string, stepsPerSequence int, factor, scale int64) (search, shrink int64) {
	if stepsPerSequence <= 0 {
		stepsPerSequence = 50
	}
	per, ok := sequenceWork[mip]
	if !ok {
		// A MIP with properties but no figure yet: the largest figure,
		// never no bound.
		for _, w := range sequenceWork {
			per = max(per, w)
		}
	}
	search = per * int64(max(stepsPerSequence, 10)) / 50 * factor
	return search * scale, max(100*search, minPhaseWork) * scale
}

// PropertyWork is what `mostao bench` gives each sequence and each shrink
// on an engine: the bounds of a certification at the default factor.
func PropertyWork(e adapters.Engine, mip string, stepsPerSequence int) (search, shrink int64) {
	return propertyWork(mip, stepsPerSequence, DefaultRunWorkFactor, e.Scale())
}

// MaxRunWorkFactor bounds Config.RunWorkFactor: past it the products of
// the bounds could overflow, and no real implementation needs it.
const MaxRunWorkFactor = 1000

// stoppedText says, in words that do not depend on the machine, why the run
// stopped and where.
func stoppedText(where string, factor int64) string {
	return fmt.Sprintf("the run's work bound (%d times what the reference processes spend on the same scenarios and checks) was spent during %s; "+
		"what had not run is untested: the implementation is too slow to certify (--run-work-factor raises the bound)", factor, where)
}

// untestedProperties stands for the properties of a MIP that did not run to
// their end because the run stopped.
func untestedProperties(mip, why string) reports.Check {
	return reports.Check{
		Kind:   reports.Property,
		Name:   fmt.Sprintf("MIP-%s properties", mip),
		URI:    "models:" + mip,
		Status: "untested",
		Error:  why,
	}
}
