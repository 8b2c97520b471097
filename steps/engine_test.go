package steps_test

import (
	"context"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestCostlyWorldsAreShared: for an engine whose worlds are costly, the
// scenarios run one after another in one world, each spawning processes of
// its own, and pass as they do in fresh worlds; the world is closed at the
// end. (The Lua engine's worlds are cheap; here it plays a costly engine,
// with a world budget that lasts the whole run, as a costly engine's must.)
func TestCostlyWorldsAreShared(t *testing.T) {
	target := targets.ReferenceWith(targets.Options{Limits: lua.Limits{MaxWorldWork: 1 << 40}})
	target.Engine.CostlyWorlds = true
	inner := target.NewWorld
	made, closed := 0, 0
	target.NewWorld = func() (adapters.World, error) {
		made++
		w, err := inner()
		return closeCounter{World: w, closed: &closed}, err
	}
	res, err := steps.Run(context.Background(), steps.Options{Target: target, Tags: "@MIP-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scenarios) < 10 {
		t.Fatalf("ran %d scenarios", len(res.Scenarios))
	}
	for _, r := range res.Scenarios {
		if r.Status != steps.StatusPassed {
			t.Errorf("%s (%s): %s: %s", r.Name, r.URI, r.Status, r.Error)
		}
	}
	if made != 1 || closed != 1 {
		t.Errorf("made %d worlds and closed %d for %d scenarios, want one of each", made, closed, len(res.Scenarios))
	}
}

type closeCounter struct {
	adapters.World
	closed *int
}

func (c closeCounter) Close() error { *c.closed++; return c.World.Close() }
