package wasm

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

const looper = `
Count = 0
Handlers.add("loop", "Loop", function() Count = Count + 1; while true do end end)
Handlers.add("spin", "Spin", function()
  -- A loop inside a handler's own pcall: the budget is not a Lua error,
  -- so no pcall can catch it.
  pcall(function() while true do end end)
  Count = 100
end)
Handlers.add("count", "Count", function(msg) msg.reply({ Data = tostring(Count) }) end)
`

func TestLoopingHandlerStopsWithComputeLimit(t *testing.T) {
	w, alice, pid := newTestWorld(t, looper, func(o *Options, m *Module) {
		o.Limits.MaxWork = 2_000_000
		o.Limits.EvalTimeout = time.Minute
	})
	for _, action := range []string{"Loop", "Spin"} {
		start := time.Now()
		tr := send(t, w, alice, pid, action, "")
		elapsed := time.Since(start)
		d := tr.Deliveries[0]
		require.Equal(t, adapters.ErrorComputeLimit, d.Result.ErrorKind, "%s: %s", action, d.Result.Error)
		require.Contains(t, d.Result.Error, "MaxWork")
		require.Less(t, elapsed, 20*time.Second, "%s took %s", action, elapsed)
	}
	// Both stopped evaluations counted their work, deterministically.
	require.Greater(t, w.WorkDone(), int64(2*2_000_000))
	// The state from before the looping messages is kept, and the process
	// still answers.
	tr := send(t, w, alice, pid, "Count", "")
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "0", tr.ToWallets[0].Data)
}

func TestLoopInLibraryCodeHitsTheSafetyNet(t *testing.T) {
	// A pattern that backtracks for a very long time runs in C, where no
	// Lua instruction is counted: the wall-clock net stops it, and the
	// world says so with ErrTooSlow instead of hanging.
	w, alice, pid := newTestWorld(t, `
Handlers.add("slow", "Slow", function()
  string.find(string.rep("a", 200000), ".-.-.-.-.-.-b")
end)
Handlers.add("ping", "Ping", function(msg) msg.reply({ Data = "pong" }) end)
`, func(o *Options, m *Module) { o.Limits.EvalTimeout = 500 * time.Millisecond })
	start := time.Now()
	_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Slow"}}})
	require.ErrorIs(t, err, adapters.ErrTooSlow)
	require.Less(t, time.Since(start), 10*time.Second)
	// The instance was closed by the deadline; the process is rebuilt from
	// its snapshot and answers.
	tr := send(t, w, alice, pid, "Ping", "")
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "pong", tr.ToWallets[0].Data)
}

func TestMemoryLimitTag(t *testing.T) {
	w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "big.lua", Source: `
Handlers.add("big", "Big", function() Big = string.rep("x", 32 * 1024 * 1024) end)
Handlers.add("small", "Small", function(msg) msg.reply({ Data = tostring(Big == nil) }) end)
`}}})
	require.NoError(t, err)
	defer w.Close()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice,
		Tags: adapters.Tags{{Name: "Memory-Limit", Value: "16-mb"}}})
	require.NoError(t, err)
	tr := send(t, w, alice, pid, "Big", "")
	require.Equal(t, adapters.ErrorMemoryLimit, tr.Deliveries[0].Result.ErrorKind, tr.Deliveries[0].Result.Error)
	require.Contains(t, tr.Deliveries[0].Result.Error, "Memory-Limit")
	tr = send(t, w, alice, pid, "Small", "")
	require.Equal(t, "true", tr.ToWallets[0].Data)
}

// fixtureWorld makes a world on a hand-written module from testdata.
func fixtureWorld(t *testing.T, file string) (*World, string) {
	t.Helper()
	bin, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	w, err := New(Options{Binary: bin, Modules: map[string]Module{testModuleID: {Name: file}}})
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	alice, _ := w.Wallet("alice")
	return w, alice
}

func TestTrapIsACrash(t *testing.T) {
	w, alice := fixtureWorld(t, "trap.wasm")
	_, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.ErrorIs(t, err, ErrSpawnFailed)
	d := w.Trace().Deliveries[0]
	require.Equal(t, adapters.ErrorCrash, d.Result.ErrorKind)
	require.Contains(t, d.Result.Error, "trapped")
	require.True(t, strings.Contains(d.Result.Error, "unreachable"), d.Result.Error)
}

func TestMalformedEnvelopeIsACrash(t *testing.T) {
	w, alice := fixtureWorld(t, "badenvelope.wasm")
	_, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.True(t, errors.Is(err, ErrSpawnFailed), "%v", err)
	d := w.Trace().Deliveries[0]
	require.Equal(t, adapters.ErrorCrash, d.Result.ErrorKind)
	require.Contains(t, d.Result.Error, "malformed envelope")
}

func TestEscapedErrorIsOkFalse(t *testing.T) {
	// Invalid JSON Data with a JSON Content-Type makes the module call
	// fail: the envelope says ok = false, a crash, and the state is kept
	// from before.
	w, alice, pid := newTestWorld(t, `Handlers.add("j", "J", function(msg) Seen = msg.Data end)`)
	tr, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Data: "{not json",
		Tags: adapters.Tags{{Name: "Action", Value: "J"}, {Name: "Content-Type", Value: "application/json"}}})
	require.NoError(t, err)
	d := tr.Deliveries[0]
	require.Equal(t, adapters.ErrorCrash, d.Result.ErrorKind)
	require.Contains(t, d.Result.Error, "runtime crash")
	// A handler error is not a crash.
	tr = send(t, w, alice, pid, "Eval", `error("boom")`)
	require.Equal(t, adapters.ErrorHandler, tr.Deliveries[0].Result.ErrorKind)
	require.Contains(t, tr.Deliveries[0].Result.Error, "boom")
}

func TestSourceThatDoesNotCompileBreaksTheProcess(t *testing.T) {
	w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "bad.lua", Source: "Handlers.add(("}}})
	require.NoError(t, err)
	defer w.Close()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.ErrorIs(t, err, ErrSpawnFailed)
	require.Contains(t, err.Error(), "module bad.lua does not compile: bad.lua:1:")
	tr := send(t, w, alice, pid, "Eval", "return 1")
	require.Equal(t, adapters.ErrorCrash, tr.Deliveries[0].Result.ErrorKind)
	require.Contains(t, tr.Deliveries[0].Result.Error, "keeps failing")
}

func TestCancelledSendLeavesTheProcessAsItWas(t *testing.T) {
	w, alice, pid := newTestWorld(t, looper, func(o *Options, m *Module) { o.Limits.MaxWork = 1 << 40 })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := w.Send(ctx, adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Loop"}}})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, time.Since(start), 10*time.Second)
	tr := send(t, w, alice, pid, "Count", "")
	require.Len(t, tr.ToWallets, 1)
	require.Equal(t, "0", tr.ToWallets[0].Data)
}
