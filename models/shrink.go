package models

import (
	"context"
	"time"

	"github.com/mostao/conformance/adapters"
)

// minimizeBudget bounds the step-level shrinking that follows rapid's.
const minimizeBudget = 20 * time.Second

// minimize shrinks a failure further at the level of requests: rapid
// shrinks the random choices behind a sequence, which can leave requests
// that do not matter (its time is bounded and its moves are blind to what
// a request means). This pass replays the sequence without one request (and
// the state checks that follow it) at a time, and keeps every removal after
// which the target still diverges on the same requirement. The result is
// 1-minimal: removing any one remaining request loses the failure.
func minimize(ctx context.Context, target adapters.Target, f *Failure) *Failure {
	if f == nil || len(f.Divergence.Requirements) == 0 || f.Divergence.Step < 0 {
		return f
	}
	deadline := time.Now().Add(minimizeBudget)
	same := func(g *Failure) bool {
		return g != nil && len(g.Divergence.Requirements) > 0 && g.Divergence.Requirements[0] == f.Divergence.Requirements[0]
	}
	best := f
	try := func(steps []Step) bool {
		seq := best.Sequence
		seq.Steps = steps
		g, err := Replay(ctx, target, seq)
		if err != nil || !same(g) {
			return false
		}
		g.Replay = best.Replay
		best = g
		return true
	}
	// Checks that are not where the target diverged only observe: drop
	// them all at once first.
	var lean []Step
	for i, s := range best.Sequence.Steps {
		if !s.Check || i == best.Divergence.Step {
			lean = append(lean, s)
		}
	}
	if len(lean) < len(best.Sequence.Steps) {
		try(lean)
	}
	for changed := true; changed && time.Now().Before(deadline); {
		changed = false
		groups := groupSteps(best.Sequence.Steps)
		for i := range groups {
			if len(groups) == 1 || time.Now().After(deadline) {
				break
			}
			var without []Step
			for j, g := range groups {
				if j != i {
					without = append(without, g...)
				}
			}
			if try(without) {
				changed = true
				break
			}
		}
	}
	return best
}

// groupSteps cuts a sequence into requests, each with the state checks
// that follow it.
func groupSteps(steps []Step) [][]Step {
	var out [][]Step
	for _, s := range steps {
		if s.Check && len(out) > 0 {
			out[len(out)-1] = append(out[len(out)-1], s)
			continue
		}
		out = append(out, []Step{s})
	}
	return out
}
