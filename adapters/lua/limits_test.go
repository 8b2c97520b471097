package lua

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mostao/conformance/adapters"
)

func withLimits(l Limits) func(*Options, *Module) {
	return func(o *Options, m *Module) { o.Limits = l }
}

func TestEndlessLoopEndsAsComputeLimit(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
Count = 0
Handlers.add("Spin", "Spin", function() Count = 1; while true do end end)
Handlers.add("SpinInPcall", "SpinInPcall", function() while true do pcall(function() while true do end end) end end)`,
		withLimits(Limits{MaxWork: 100_000}))
	for _, action := range []string{"Spin", "SpinInPcall"} {
		d := send(t, w, alice, pid, action, "").Deliveries[0]
		if d.Result.ErrorKind != adapters.ErrorComputeLimit || !strings.Contains(d.Result.Error, "MaxWork") {
			t.Fatalf("%s: %+v", action, d.Result)
		}
	}
	if got := eval(t, w, alice, pid, "return Count"); got != "0" {
		t.Fatalf("state kept after a compute limit: %q", got)
	}
}

func TestMessageStormEndsWithMessageLimit(t *testing.T) {
	w, alice, a := newTestWorld(t, `
Handlers.add("Ping", "Ping", function(msg) Send({ Target = msg.From, Action = "Ping" }) end)`,
		withLimits(Limits{MaxDeliveriesPerSend: 50}))
	b, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: a, Tags: adapters.Tags{{Name: "Action", Value: "Ping"}, {Name: "From-Process", Value: b}}})
	_ = tr
	// The forged From-Process is untrusted, so start the storm from b itself.
	eval(t, w, alice, b, `Handlers.add("Ping", "Ping", function(msg) Send({ Target = msg.From, Action = "Ping" }) end)`)
	tr, err = w.Send(context.Background(), adapters.Message{From: alice, Target: b, Tags: adapters.Tags{{Name: "Action", Value: "Eval"}},
		Data: `Send({ Target = "` + a + `", Action = "Ping" })`})
	if !errors.Is(err, adapters.ErrMessageLimit) || len(tr.Deliveries) != 50 || !strings.Contains(err.Error(), "storm") {
		t.Fatalf("storm: %v, %d deliveries", err, len(tr.Deliveries))
	}
	// The world keeps running.
	if got := eval(t, w, alice, a, "return 1 + 1"); got != "2" {
		t.Fatalf("after storm: %q", got)
	}
}

func TestTooManyMessagesInOneEvaluation(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Flood", "Flood", function(msg) for i = 1, 20 do Send({ Target = msg.From, Data = "x" }) end end)`,
		withLimits(Limits{MaxMessagesPerEval: 10}))
	tr := send(t, w, alice, pid, "Flood", "")
	if r := tr.Deliveries[0].Result; r.ErrorKind != adapters.ErrorComputeLimit || !strings.Contains(r.Error, "MaxMessagesPerEval") || len(tr.ToWallets) != 0 {
		t.Fatalf("%+v", tr)
	}
}

func TestSpawnLimitPerSend(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Many", "Many", function() for i = 1, 5 do Spawn(ao._module, {}) end end)`,
		withLimits(Limits{MaxSpawnsPerSend: 3}))
	_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Many"}}})
	if !errors.Is(err, adapters.ErrMessageLimit) || !strings.Contains(err.Error(), "MaxSpawnsPerSend") {
		t.Fatalf("%v", err)
	}
}

func TestStateEntriesBound(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Big = {}
Handlers.add("Grow", "Grow", function() for i = 1, 2000 do Big[#Big + 1] = i end end)`,
		withLimits(Limits{MaxStateEntries: 5000}))
	var last adapters.Result
	for i := 0; i < checkpointEvery; i++ {
		last = send(t, w, alice, pid, "Grow", "").Deliveries[0].Result
		if last.Failed() {
			break
		}
	}
	if last.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(last.Error, "MaxStateEntries") {
		t.Fatalf("%+v", last)
	}
	// The process stays over its bound: later messages fail the same way.
	d := send(t, w, alice, pid, "Eval", "return #Big").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorMemoryLimit {
		t.Fatalf("after the bound: %+v", d.Result)
	}
}

func TestCancelledContextIsHonoured(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Spin", "Spin", function() while true do end end)`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := w.Send(ctx, adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Spin"}}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("the send did not stop when its context ended")
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := w.DryRun(ctx2, adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Spin"}}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("dryrun: %v", err)
	}
	if _, err := w.Spawn(ctx2, adapters.SpawnRequest{Module: testModuleID, From: alice}); !errors.Is(err, context.Canceled) {
		t.Fatalf("spawn: %v", err)
	}
	if got := eval(t, w, alice, pid, "return 'alive'"); got != "alive" {
		t.Fatalf("after cancel: %q", got)
	}
}

func TestDeepRecursionIsAnError(t *testing.T) {
	w, alice, pid := newTestWorld(t, `local function f(n) return f(n + 1) + 1 end
Handlers.add("Deep", "Deep", function() f(1) end)`)
	d := send(t, w, alice, pid, "Deep", "").Deliveries[0]
	if !d.Result.Failed() {
		t.Fatalf("%+v", d.Result)
	}
	if got := eval(t, w, alice, pid, "return 'alive'"); got != "alive" {
		t.Fatalf("after overflow: %q", got)
	}
}

func TestRunawayAllocationEndsAsMemoryLimit(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Hog", "Hog", function()
  local t = {}
  while true do t[#t + 1] = string.rep("x", 4096) .. #t end
end)`, withLimits(Limits{EvalTimeout: 20 * time.Second, MaxEvalHeapGrowth: 32 << 20}))
	start := time.Now()
	d := send(t, w, alice, pid, "Hog", "").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(d.Result.Error, "MaxEvalHeapGrowth") {
		t.Fatalf("%+v after %s", d.Result, time.Since(start))
	}
}

func TestSpawnCancelledMidwayLeavesNoProcess(t *testing.T) {
	w, err := New(Options{Modules: map[string]Module{testModuleID: {Source: `while true do end`}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	alice, _ := w.Wallet("alice")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	pid, err := w.Spawn(ctx, adapters.SpawnRequest{Module: testModuleID, From: alice})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spawn: %v", err)
	}
	if _, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid}); !errors.Is(err, adapters.ErrUnknownProcess) {
		t.Fatalf("the half-made process is still there: %v", err)
	}
}

func TestStateBytesBound(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Blobs = {}
Handlers.add("Grow", "Grow", function() Blobs[#Blobs + 1] = string.rep("x", 100000) .. #Blobs end)`,
		withLimits(Limits{MaxStateBytes: 1 << 20}))
	var last adapters.Result
	for i := 0; i < checkpointEvery && !last.Failed(); i++ {
		last = send(t, w, alice, pid, "Grow", "").Deliveries[0].Result
	}
	if last.ErrorKind != adapters.ErrorMemoryLimit || !strings.Contains(last.Error, "MaxStateBytes") {
		t.Fatalf("%+v", last)
	}
}
