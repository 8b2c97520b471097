package certify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/reports"
	"github.com/mostao/conformance/steps"
	"github.com/mostao/conformance/targets"
)

// certifyHostileDomain certifies src as a domain (MIP-01 selected, one
// scenario) under limits, and checks what every hostile implementation must
// get: verdicts, not a suite error; a failed run; a named MIP-01 requirement
// failing with a reason that says which limit stopped it.
func certifyHostileDomain(t *testing.T, name, src string, limits lua.Limits, reason string) reports.Run {
	t.Helper()
	target := targets.LuaWith("lua:testdata/"+name, targets.Sources{steps.RoleDomain: src},
		targets.Options{FileNames: map[string]string{steps.RoleDomain: "testdata/" + name}, Limits: limits})
	cfg := Config{
		Target:         target,
		Implementation: reports.Implementation{Name: name, Target: "lua:testdata/" + name},
		MIPs:           []string{"01"},
		Date:           fixedDate,
		Reproduce:      "go run ./cmd/mostao certify --domain testdata/" + name,
		Scenario:       firstScenarioOf(t, "01"),
	}
	run, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("a hostile implementation must give verdicts, not a suite error: %v", err)
	}
	if run.Summary.OK {
		t.Fatalf("the run passed a hostile domain (%s)", name)
	}
	var failed []string
	for _, r := range run.Requirements {
		if r.Verdict != reports.Fail || r.ID == "" {
			continue
		}
		failed = append(failed, r.ID)
		for _, c := range r.Checks {
			if !c.Passed && strings.Contains(c.Error+exchangeText(c.Exchanges), reason) {
				return run
			}
		}
	}
	if len(failed) == 0 {
		t.Fatal("no requirement failed")
	}
	t.Fatalf("no failing check of %v says %q; first errors:\n%s", failed, reason, firstErrors(run, 3))
	return run
}

// exchangeText is what the failing check's exchanges show of the engine's
// verdicts: the error and output of every evaluation.
func exchangeText(exs []adapters.Exchange) string {
	var b strings.Builder
	for _, ex := range exs {
		b.WriteString(ex.Err)
		var results []adapters.Result
		if ex.Result != nil {
			results = append(results, *ex.Result)
		}
		if ex.Trace != nil {
			for _, d := range ex.Trace.Deliveries {
				results = append(results, d.Result)
			}
		}
		for _, r := range results {
			b.WriteString("\n" + r.Error + "\n" + r.Output)
		}
	}
	return b.String()
}

// small limits keep each certification cheap; the hostile fixtures do not
// need the defaults to show their failure.
var small = lua.Limits{MaxWork: 2_000_000, MaxStringBytes: 4 << 20, MaxOutputBytes: 4096}

// TestHostileFixturesGetAVerdict certifies every hostile fixture of
// testdata: each ends with a failed run, a named requirement and the limit
// that stopped it, in bounded time and memory.
func TestHostileFixturesGetAVerdict(t *testing.T) {
	cases := []struct {
		file   string
		limits lua.Limits
		reason string
	}{
		{"loop.lua", small, "MaxWork"},
		{"patternloop.lua", small, "MaxWork"},
		{"loadloop.lua", small, "MaxWork"},
		{"gcloop.lua", small, "MaxWork"},
		{"repbomb.lua", small, "MaxWork"},
		{"backtrack.lua", small, "MaxWork"},
		{"gsubbomb.lua", lua.Limits{MaxStringBytes: 4 << 20}, "MaxStringBytes"},
		{"concatbomb.lua", small, "MaxStringBytes"},
		{"movebomb.lua", small, "MaxWork"},
		{"packbomb.lua", small, "MaxStringBytes"},
		{"jsonshared.lua", small, "MaxWork"},
		{"jsondeep.lua", small, "MaxWork"},
		{"grow.lua", lua.Limits{MaxWork: 10_000_000, MaxStringBytes: 4 << 20, MaxOutputBytes: 4096}, "MaxStringBytes"},
		{"spawnchain.lua", lua.Limits{MaxQueuedMessages: 2000}, "MaxQueuedMessages"},
		{"print50.lua", lua.Limits{MaxOutputBytes: 1024}, "clipped by the engine"},
		{"bigreply.lua", lua.Limits{}, "MaxOutboxBytes"},
		{"loadbomb.lua", lua.Limits{}, "MaxSourceBytes"},
		{"loaddo.lua", lua.Limits{}, "MaxSourceBytes"},
		{"deepfile.lua", lua.Limits{}, "MaxSourceDepth"},
		{"liar.lua", small, "unknown wallet"},
		{"stormname.lua", lua.Limits{MaxDeliveriesPerSend: 200}, adapters.ErrMessageLimit.Error()},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			certifyHostileDomain(t, c.file, string(src), c.limits, c.reason)
		})
	}
}

// TestCompilerBombInTheFile: a source of a million nested table
// constructors is refused before gopher-lua's recursive compiler sees it.
// (Generated here: two megabytes do not belong in testdata.)
func TestCompilerBombInTheFile(t *testing.T) {
	src := "Deep = " + strings.Repeat("{", 1_000_000) + strings.Repeat("}", 1_000_000)
	certifyHostileDomain(t, "bomb.lua", src, lua.Limits{}, "MaxSourceBytes")
}

// TestSlowButCorrectDomainIsBoundedPerWorld: the reference domain made
// slow (work burnt on every message, under the per-message budget) is
// stopped by the world's work budget, named in the verdict.
func TestSlowButCorrectDomainIsBoundedPerWorld(t *testing.T) {
	certifyHostileDomain(t, "slow.lua", slowDomain(400_000), lua.Limits{MaxWork: 1_500_000, MaxWorldWork: 2_000_000}, "MaxWorldWork")
}

// slowDomain is the reference domain made slow: every message first runs
// a loop of that many iterations (two units of work each), then is handled
// as the reference handles it.
func slowDomain(iterations int) string {
	return processes.Domain + fmt.Sprintf(`
Handlers.prepend("burn", function(msg)
  local n = 0
  for i = 1, %d do n = n + i end
  return "continue"
end, function() end)`, iterations)
}

// TestSameVerdictOnAnyMachine: the same certification gives the same JSON
// Lines, bar timings, beside a CPU hog and on one core.
func TestSameVerdictOnAnyMachine(t *testing.T) {
	cfg := Config{
		Target:         targets.Reference(),
		Implementation: reports.Implementation{Name: "reference", Target: "reference"},
		MIPs:           []string{"01"},
		Checks:         5,
		Seed:           7,
		Date:           fixedDate,
		Reproduce:      "go run ./cmd/mostao certify",
	}
	if testing.Short() {
		cfg.Scenario = firstScenarioOf(t, "01")
	}
	jsonl := func() string {
		run, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !run.Summary.OK {
			t.Fatalf("the reference failed: %s", firstErrors(run, 3))
		}
		var b bytes.Buffer
		if err := reports.WriteJSONL(&b, withoutTimings(run)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}

	// Beside a hog: a goroutine spinning on every core.
	var stop atomic.Bool
	var hogs sync.WaitGroup
	for i := 0; i < runtime.NumCPU(); i++ {
		hogs.Add(1)
		go func() {
			defer hogs.Done()
			n := 0
			for !stop.Load() {
				n++
			}
		}()
	}
	loaded := jsonl()
	stop.Store(true)
	hogs.Wait()

	old := runtime.GOMAXPROCS(1)
	oneCore := jsonl()
	runtime.GOMAXPROCS(old)

	if loaded != oneCore {
		a, b := strings.Split(loaded, "\n"), strings.Split(oneCore, "\n")
		for i := 0; i < len(a) && i < len(b); i++ {
			if a[i] != b[i] {
				t.Fatalf("line %d differs:\n beside a hog: %.300s\n on one core:  %.300s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("the reports differ in length: %d and %d lines", len(a), len(b))
	}
}

// withoutTimings clears the date, the one field of a JSON Lines report that
// may differ between two runs of the same certification.
func withoutTimings(run reports.Run) reports.Run {
	run.Header.Date = ""
	return run
}

// TestHugeRepliesKeepVerdictsSmall: an implementation that answers with
// megabytes in its Action and Error tags gets its verdicts with every
// error text bounded, in scenarios and properties alike: each text is kept
// by every report and was once formatted again for each failed step,
// which made such a run take minutes and gigabytes.
func TestHugeRepliesKeepVerdictsSmall(t *testing.T) {
	src := processes.Domain + `
Handlers.prepend("huge", function(msg) return msg.Action == "Register" and "break" or false end, function(msg)
  msg.reply({ Action = ("A"):rep(2^20), Error = ("E"):rep(2^20), Data = ("D"):rep(2^20) })
end)`
	run, err := Run(context.Background(), Config{
		Target: targets.Lua("huge", targets.Sources{steps.RoleDomain: src}),
		MIPs:   []string{"01"}, Checks: 3, Date: fixedDate,
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.Summary.OK {
		t.Fatal("the run passed a domain that answers every Register with garbage")
	}
	longest, checks := 0, 0
	for _, r := range run.Requirements {
		for _, c := range r.Checks {
			checks++
			longest = max(longest, len(c.Error))
		}
	}
	if checks == 0 {
		t.Fatal("no checks")
	}
	if longest > 8<<10 {
		t.Fatalf("an error text of %d bytes: each should be clipped", longest)
	}
}
