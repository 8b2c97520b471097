package certify

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/processes/broken"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// TestScenariosAtOnceGiveTheReportOfOneAtATime: scenarios run at once,
// each in a world of its own, and the report is the one the same run gives
// one scenario at a time, byte for byte: for a passing implementation, a
// broken one, one whose huge replies are clipped, and one too slow for the
// run's work bound, whose scenarios the bound must stop where it stops
// them one at a time, whatever ran beside what.
func TestScenariosAtOnceGiveTheReportOfOneAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("certifies MIP-01's scenarios eight times; -short runs TestScenariosAtOnceComeBackInOrder (steps) instead")
	}
	old := runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(old)
	hijack, err := broken.Load("domain-hijack")
	require.NoError(t, err)
	storm, err := os.ReadFile("testdata/forgedstorm.lua")
	require.NoError(t, err)
	huge := processes.Domain + `
Handlers.prepend("huge", function(msg) return msg.Action == "Register" and "break" or false end, function(msg)
  msg.reply({ Action = ("A"):rep(2^20), Data = ("D"):rep(2^20) })
end)`
	for _, c := range []struct {
		name, src string
		factor    int
		stopped   bool
	}{
		{"reference", processes.Domain, 0, false},
		{"broken", hijack.Source, 0, false},
		{"huge replies", huge, 0, false},
		{"too slow", string(storm), 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			report := func(parallel int) (string, int) {
				var mu sync.Mutex
				open, peak := 0, 0
				target := targets.Lua(c.name, targets.Sources{steps.RoleDomain: c.src})
				target.Engine.Parallel = parallel
				inner := target.NewWorld
				target.NewWorld = func() (adapters.World, error) {
					w, err := inner()
					if err != nil {
						return nil, err
					}
					mu.Lock()
					open++
					peak = max(peak, open)
					mu.Unlock()
					return &countedWorld{World: w, closed: func() { mu.Lock(); open--; mu.Unlock() }}, nil
				}
				run, err := Run(context.Background(), Config{
					Target: target, MIPs: []string{"01"}, Date: fixedDate, RunWorkFactor: c.factor,
					Implementation: reports.Implementation{Name: c.name, Target: c.name},
				})
				require.NoError(t, err)
				require.Equal(t, c.name == "reference", run.Summary.OK, "only the reference passes")
				require.Equal(t, c.stopped, run.Header.Stopped != "", "stopped: %q", run.Header.Stopped)
				var b bytes.Buffer
				require.NoError(t, reports.WriteJSONL(&b, withoutTimings(run)))
				return b.String(), peak
			}
			one, peakOne := report(1)
			many, peakMany := report(8)
			require.Equal(t, 1, peakOne, "one at a time")
			require.Greater(t, peakMany, 1, "the scenarios did not run at once")
			if one != many {
				a, b := strings.Split(one, "\n"), strings.Split(many, "\n")
				for i := 0; i < min(len(a), len(b)); i++ {
					if a[i] != b[i] {
						t.Fatalf("line %d differs:\n one at a time: %.400s\n at once:       %.400s", i+1, a[i], b[i])
					}
				}
				t.Fatalf("the reports differ in length: %d and %d lines", len(a), len(b))
			}
		})
	}
}

// countedWorld tells when its world is closed, and counts work as its
// world does (the run's work bound reads it).
type countedWorld struct {
	adapters.World
	closed func()
}

func (w *countedWorld) WorkDone() int64 {
	if c, ok := w.World.(adapters.WorkCounter); ok {
		return c.WorkDone()
	}
	return 0
}

func (w *countedWorld) Close() error {
	w.closed()
	return w.World.Close()
}
