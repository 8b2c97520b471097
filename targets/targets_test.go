package targets

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
	"github.com/mostao/conformance/processes"
	"github.com/mostao/conformance/roles"
)

// echoDomain replies to every Ping with Pong, so a test can see that the
// role really runs the source it was given.
const echoDomain = `
Handlers.add("Ping", "Ping", function(msg)
  msg.reply({ Action = "Pong", Data = "pong:" .. (msg.Data or "") })
end)
`

func spawn(t *testing.T, target adapters.Target, role string) (adapters.World, string, string) {
	t.Helper()
	w, err := target.NewWorld()
	if err != nil {
		t.Fatalf("NewWorld: %v", err)
	}
	t.Cleanup(func() { _ = w.Close() })
	alice, err := w.Wallet("alice")
	if err != nil {
		t.Fatalf("Wallet: %v", err)
	}
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: target.Modules[role], From: alice})
	if err != nil {
		t.Fatalf("spawning the %s: %v", role, err)
	}
	return w, alice, pid
}

func TestReferenceDomainReceivesMessages(t *testing.T) {
	target := Reference()
	for _, role := range []string{roles.Domain, roles.Profile, roles.Session, roles.Puppet} {
		if target.Modules[role] == "" {
			t.Fatalf("reference target has no module for role %q", role)
		}
	}
	w, alice, pid := spawn(t, target, roles.Domain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "shop",
		Tags: adapters.Tags{{Name: "Action", Value: "QueryDomain"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(tr.Deliveries) == 0 || tr.Deliveries[0].Message.Target != pid {
		t.Fatalf("the message was not delivered to the domain %s: %+v", pid, tr)
	}
}

func TestLuaRunsTheGivenSourceAndFallsBack(t *testing.T) {
	target := Lua("lua:echo", Sources{roles.Domain: echoDomain})
	if got, want := target.Modules[roles.Domain], ModuleID(roles.Domain, echoDomain); got != want {
		t.Fatalf("domain module id = %q, want %q", got, want)
	}
	if got, want := target.Modules[roles.Profile], ModuleID(roles.Profile, processes.Profile); got != want {
		t.Fatalf("a role left out must fall back to the reference: profile module id = %q, want %q", got, want)
	}
	if got, want := target.Modules[roles.Puppet], ModuleID(roles.Puppet, roles.PuppetSource); got != want {
		t.Fatalf("puppet module id = %q, want %q", got, want)
	}

	w, alice, pid := spawn(t, target, roles.Domain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "x",
		Tags: adapters.Tags{{Name: "Action", Value: "Ping"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	replies := tr.RepliesTo(alice)
	if len(replies) != 1 || replies[0].Action() != "Pong" || replies[0].Data != "pong:x" {
		t.Fatalf("want one Pong reply with data pong:x, got %+v", replies)
	}
}

func TestModuleIDsDependOnRoleAndSource(t *testing.T) {
	a := ModuleID("domain", "x")
	if len(a) != 43 {
		t.Fatalf("module id %q is not 43 characters", a)
	}
	if a != ModuleID("domain", "x") {
		t.Fatal("module id is not deterministic")
	}
	if a == ModuleID("domain", "y") || a == ModuleID("profile", "x") {
		t.Fatal("different role or source gave the same module id")
	}
}

func TestWorldsAreIndependentAndDeterministic(t *testing.T) {
	target := Lua("lua:echo", Sources{roles.Domain: echoDomain})
	_, _, pid1 := spawn(t, target, roles.Domain)
	_, _, pid2 := spawn(t, target, roles.Domain)
	if pid1 != pid2 {
		t.Fatalf("two fresh worlds gave different process ids for the same spawn: %s, %s", pid1, pid2)
	}
}

func TestOptionsReachTheEngine(t *testing.T) {
	loop := `Handlers.add("spin", "Spin", function(msg) while true do end end)`
	target := LuaWith("lua:loop", Sources{roles.Domain: loop}, Options{
		FileNames: map[string]string{roles.Domain: "my/loop.lua"},
		Limits:    lua.Limits{MaxWork: 1_000_000},
	})
	w, alice, pid := spawn(t, target, roles.Domain)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Spin"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(tr.Deliveries) != 1 || tr.Deliveries[0].Result.ErrorKind != adapters.ErrorComputeLimit {
		t.Fatalf("want the loop ended by the compute limit, got %+v", tr.Deliveries)
	}

	broken := LuaWith("lua:broken", Sources{roles.Domain: "Handlers.add("}, Options{
		FileNames: map[string]string{roles.Domain: "my/broken.lua"},
	})
	w2, err := broken.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	bob, _ := w2.Wallet("bob")
	_, err = w2.Spawn(context.Background(), adapters.SpawnRequest{Module: broken.Modules[roles.Domain], From: bob})
	if err == nil || !strings.Contains(err.Error(), "my/broken.lua") {
		t.Fatalf("a source that does not compile must fail its spawn naming its file, got %v", err)
	}
}

// TestTargetsDoesNotImportSteps: building a target needs the engine and the
// role registry, never the scenarios' step definitions (an engine adapter
// that needs targets must not pull in godog and the features).
func TestTargetsDoesNotImportSteps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "github.com/mostao/conformance/steps" || strings.HasPrefix(pkg, "github.com/cucumber/") {
			t.Errorf("targets depends on %s", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/mostao/conformance/roles") {
		t.Error("go list did not list the role registry: the check looked at nothing")
	}
}

// TestLuaTargetsNameTheirEngine: the engine travels with the target, named
// after the runtime profile its supplied sources run under, and the Lua
// engine asks for nothing (cheap worlds, shrinking, every core).
func TestLuaTargetsNameTheirEngine(t *testing.T) {
	if got := Reference().Engine; got != (adapters.Engine{Name: "lua (gopher-lua, aos-current)"}) {
		t.Errorf("the reference's engine is %+v", got)
	}
	sq := LuaWith("lua:x", Sources{roles.Domain: echoDomain}, Options{Profile: lua.ProfileAOSSQLite})
	if sq.Engine.Name != "lua (gopher-lua, "+string(lua.ProfileAOSSQLite)+")" {
		t.Errorf("engine %q", sq.Engine.Name)
	}
}

// countDomain runs a loop of Data iterations and replies: its work grows
// with Data and always ends, so a budget decides alone whether it succeeds.
const countDomain = `
Handlers.add("count", "Count", function(msg)
  local n = 0
  for i = 1, tonumber(msg.Data) do n = n + i end
  msg.reply({ Data = tostring(n) })
end)
`

// countOn sends Count to a fresh domain of target and returns the
// delivery's result and the work the world counted for it.
func countOn(t *testing.T, target adapters.Target) (adapters.Result, int64) {
	t.Helper()
	w, alice, pid := spawn(t, target, roles.Domain)
	counter, ok := w.(adapters.WorkCounter)
	if !ok {
		t.Fatalf("a %s world counts no work", target.Engine.Name)
	}
	before := counter.WorkDone()
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "100000",
		Tags: adapters.Tags{{Name: "Action", Value: "Count"}}})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if len(tr.Deliveries) != 1 {
		t.Fatalf("want one delivery, got %+v", tr.Deliveries)
	}
	return tr.Deliveries[0].Result, counter.WorkDone() - before
}

// The work budget (--max-work) reaches the wasm engine, in the Lua
// engine's units scaled by the engine's WorkScale: a budget a tenth of the
// evaluation's wasm work in those units lets it through, half of that
// stops it at the compute limit.
func TestWasmTakesTheWorkBudgetInLuaUnits(t *testing.T) {
	res, work := countOn(t, Wasm("wasm:count", nil, Sources{roles.Domain: countDomain}, Options{}))
	if res.Failed() || work <= 0 {
		t.Fatalf("with the default budget the count must succeed and be counted: %+v, work %d", res, work)
	}
	scale := wasm.Engine().Scale()
	room := work / scale
	fits := Options{Limits: lua.Limits{MaxWork: room + room/10}}
	if res, _ := countOn(t, Wasm("wasm:count", nil, Sources{roles.Domain: countDomain}, fits)); res.Failed() {
		t.Errorf("--max-work %d (x%d = %d wasm units) must let an evaluation of %d units through: %+v",
			fits.Limits.MaxWork, scale, fits.Limits.MaxWork*scale, work, res)
	}
	short := Options{Limits: lua.Limits{MaxWork: room / 2}}
	if res, _ := countOn(t, Wasm("wasm:count", nil, Sources{roles.Domain: countDomain}, short)); res.ErrorKind != adapters.ErrorComputeLimit {
		t.Errorf("--max-work %d (x%d = %d wasm units) must stop an evaluation of %d units at the compute limit: %+v",
			short.Limits.MaxWork, scale, short.Limits.MaxWork*scale, work, res)
	}
}

// TestWasmTakesTheEvalTimeout: --eval-timeout reaches the wasm engine as it
// reaches the Lua engine. A source that loops as it loads, with a work
// budget it cannot spend, is ended by the given safety net (a millisecond)
// and the error names it; without it the loop would run to the engine's
// default of 30 s.
func TestWasmTakesTheEvalTimeout(t *testing.T) {
	target := Wasm("wasm:loop", nil, Sources{roles.Domain: `while true do end`}, Options{
		Limits: lua.Limits{MaxWork: 1 << 50, EvalTimeout: time.Millisecond},
	})
	w, err := target.NewWorld()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	_, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: target.Modules[roles.Domain], From: alice})
	if !errors.Is(err, adapters.ErrTooSlow) || !strings.Contains(err.Error(), "ran for 1ms") {
		t.Fatalf("want the loop stopped by the 1ms safety net (ErrTooSlow), got %v", err)
	}
}

// TestWasmTakesTheRuntimeProfile: --runtime reaches the wasm engine as it
// reaches the Lua engine: a supplied source runs under the profile given,
// the reference processes of the other roles under the default.
func TestWasmTakesTheRuntimeProfile(t *testing.T) {
	probe := `Handlers.add("p", "P", function(msg) msg.reply({ Data = tostring(ao.profile) }) end)`
	for _, tc := range []struct {
		profile lua.Profile
		want    string
	}{{lua.ProfileAOS204, "aos-2.0.4"}, {"", "aos-current"}} {
		target := Wasm("wasm:probe", nil, Sources{roles.Domain: probe}, Options{Profile: tc.profile})
		w, alice, pid := spawn(t, target, roles.Domain)
		tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "P"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.ToWallets) != 1 || tr.ToWallets[0].Data != tc.want {
			t.Errorf("--runtime %q: the process runs under %+v, want %s", tc.profile, tr.ToWallets, tc.want)
		}
	}
}
