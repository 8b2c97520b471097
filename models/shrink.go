package models

import (
	"context"
	"time"

	"github.com/mostao/conformance/adapters"
)

// minimizeReplays bounds the replays of the step-level shrinking. It is a
// count, not a time: a failure shrinks to the same sequence on an idle
// machine and on a loaded one, so the report is the same on both.
const minimizeReplays = 400

// minimize shrinks a failure further at the level of requests: rapid
// shrinks the random choices behind a sequence, blind to what a request
// means, which can leave requests that do not matter. This pass replays the
// sequence without one request (and the state checks that follow it) at a
// time, or two when no single one can go, and keeps every removal after
// which the target still diverges on the same requirement. The result is
// 1-minimal: removing any one remaining request loses the failure.
func minimize(ctx context.Context, target adapters.Target, f *Failure, timeout time.Duration) *Failure {
	if f == nil || len(f.Divergence.Requirements) == 0 || f.Divergence.Step < 0 {
		return f
	}
	replays := 0
	same := func(g *Failure) bool {
		return g != nil && len(g.Divergence.Requirements) > 0 && g.Divergence.Requirements[0] == f.Divergence.Requirements[0]
	}
	best := f
	try := func(steps []Step) bool {
		replays++
		seq := best.Sequence
		seq.Steps = steps
		g, err := replay(ctx, target, seq, timeout)
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
	// Remove one request at a time; when none can go alone, try two at a
	// time (message ids and cursors renumber when requests go, so a pair
	// can go where neither can alone).
	for changed := true; changed && replays < minimizeReplays; {
		changed = false
		groups := groupSteps(best.Sequence.Steps)
		for i := 0; i < len(groups) && !changed && len(groups) > 1 && replays < minimizeReplays; i++ {
			changed = try(withoutGroups(groups, i, -1))
		}
		for i := 0; i < len(groups) && !changed && len(groups) > 2 && replays < minimizeReplays; i++ {
			for j := i + 1; j < len(groups) && !changed && replays < minimizeReplays; j++ {
				changed = try(withoutGroups(groups, i, j))
			}
		}
	}
	return best
}

// withoutGroups joins the groups but the i-th and j-th (j < 0: only i).
func withoutGroups(groups [][]Step, i, j int) []Step {
	var out []Step
	for k, g := range groups {
		if k != i && k != j {
			out = append(out, g...)
		}
	}
	return out
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
