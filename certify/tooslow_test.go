package certify

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/roles"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestTheWallClockSafetyNetIsASuiteError: when the engine's wall-clock
// safety net fires before its work budget (here a loop with an unbounded
// budget and a safety net of a millisecond), the run is a suite error
// ("the machine is too slow"), never a verdict against the implementation.
func TestTheWallClockSafetyNetIsASuiteError(t *testing.T) {
	src, err := os.ReadFile("testdata/loop.lua")
	if err != nil {
		t.Fatal(err)
	}
	target := targets.LuaWith("lua:testdata/loop.lua", targets.Sources{roles.Domain: string(src)},
		targets.Options{Limits: lua.Limits{MaxWork: 1 << 50, MaxWorldWork: 1 << 52, EvalTimeout: time.Millisecond}})
	cfg := Config{Target: target, MIPs: []string{"01"}, Date: fixedDate, Scenario: firstScenarioOf(t, "01")}
	run, err := Run(context.Background(), cfg)
	if err == nil {
		t.Fatalf("want a suite error, got a run: %+v", run.Summary)
	}
	if !strings.Contains(err.Error(), adapters.ErrTooSlow.Error()) {
		t.Errorf("the suite error does not say the machine was too slow: %v", err)
	}
}

// TestTheFirstSuiteErrorEndsTheRun: once a scenario meets the safety net,
// the scenarios after it are cancelled instead of each running into it
// too (at the default net, a minute a scenario): only the scenarios that
// ran at the same time (one per core) may report the machine too slow.
func TestTheFirstSuiteErrorEndsTheRun(t *testing.T) {
	src, err := os.ReadFile("testdata/loop.lua")
	if err != nil {
		t.Fatal(err)
	}
	target := targets.LuaWith("lua:testdata/loop.lua", targets.Sources{roles.Domain: string(src)},
		targets.Options{Limits: lua.Limits{MaxWork: 1 << 50, MaxWorldWork: 1 << 52, EvalTimeout: 20 * time.Millisecond}})
	tooSlow, scenarios := 0, 0
	cfg := Config{Target: target, MIPs: []string{"01"}, Date: fixedDate, OnScenario: func(r steps.ScenarioResult) {
		scenarios++
		if strings.Contains(r.SuiteError, adapters.ErrTooSlow.Error()) {
			tooSlow++
		}
	}}
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), adapters.ErrTooSlow.Error()) {
		t.Fatalf("want the suite error of the safety net, got %v", err)
	}
	if at := scenarioParallel(target.Engine); scenarios < 2 || tooSlow < 1 || tooSlow > at || scenarios-tooSlow < 2 {
		t.Fatalf("%d of %d scenarios met the safety net, want at most the %d that ran at once, and the others cancelled", tooSlow, scenarios, at)
	}
}
