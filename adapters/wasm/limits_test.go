package wasm

import (
	"context"
	"errors"
	"math"
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

// libraryLoops are handlers whose work is done inside the C library, where
// no Lua instruction runs: each loop iteration of the module is a unit of
// work, so they end as compute limits too.
const libraryLoops = `
Handlers.add("backtrack", "Backtrack", function()
  -- certify/testdata/backtrack.lua: hours of backtracking in Lua's matcher.
  string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")
end)
Handlers.add("rep", "Rep", function()
  -- One call of each, in C: a MiB built a byte at a time, then every
  -- byte replaced, again and again.
  while true do
    local s = string.rep("x", 2^20)
    s:gsub(".", "yy")
  end
end)
Handlers.add("copy", "Copy", function()
  -- A few Lua instructions per 4 MiB copied: the work is memcpy's.
  local s = string.rep("0123456789abcdef", 2^18)
  for i = 1, 1e6 do local t = s .. i end
end)
Handlers.add("ping", "Ping", function(msg) msg.reply({ Data = "pong" }) end)
`

// TestLoopsInLibraryCodeStopWithComputeLimit: work done in C (a pattern
// that backtracks, string.rep and gsub, copies) is counted as work done in
// Lua is: each ends with a compute-limit verdict after exactly the same
// count on every run, long before the wall-clock net, and the process
// still answers.
func TestLoopsInLibraryCodeStopWithComputeLimit(t *testing.T) {
	const budget = 5_000_000
	counts := map[string][]int64{}
	for run := 0; run < 2; run++ {
		w, alice, pid := newTestWorld(t, libraryLoops, func(o *Options, m *Module) {
			o.Limits.MaxWork = budget
			o.Limits.EvalTimeout = 5 * time.Minute
		})
		for _, action := range []string{"Backtrack", "Rep", "Copy"} {
			before := w.WorkDone()
			tr := send(t, w, alice, pid, action, "")
			d := tr.Deliveries[0]
			require.Equal(t, adapters.ErrorComputeLimit, d.Result.ErrorKind, "%s: %s", action, d.Result.Error)
			require.Contains(t, d.Result.Error, "MaxWork")
			counts[action] = append(counts[action], w.WorkDone()-before)
		}
		tr := send(t, w, alice, pid, "Ping", "")
		require.Len(t, tr.ToWallets, 1)
		require.Equal(t, "pong", tr.ToWallets[0].Data)
	}
	for action, c := range counts {
		require.Equal(t, c[0], c[1], "%s: the count differs between two runs", action)
		require.GreaterOrEqual(t, c[0], int64(budget), "%s stopped before its budget", action)
		require.LessOrEqual(t, c[0], int64(budget)+loopTicks, "%s ran past its budget", action)
	}
}

// TestWorkCountIsTheSameOnEveryRun: an evaluation that ends normally counts
// the same work in two worlds, and a deadline that ends the call still
// gives ErrTooSlow (the net stays for the time a unit can take).
func TestWorkCountIsTheSameOnEveryRun(t *testing.T) {
	var counts []int64
	for run := 0; run < 2; run++ {
		w, alice, pid := newTestWorld(t, `
Handlers.add("work", "Work", function(msg)
  local t = {}
  for i = 1, 2000 do t[i] = string.format("%05d", i) end
  table.sort(t, function(a, b) return a > b end)
  msg.reply({ Data = table.concat(t, ","):sub(1, 11) })
end)`)
		before := w.WorkDone()
		tr := send(t, w, alice, pid, "Work", "")
		require.Equal(t, "02000,01999", tr.ToWallets[0].Data)
		counts = append(counts, w.WorkDone()-before)
	}
	require.Equal(t, counts[0], counts[1])
	require.Greater(t, counts[0], int64(2000))

	w, alice, pid := newTestWorld(t, looper, func(o *Options, m *Module) {
		o.Limits.MaxWork = 1 << 50
		o.Limits.EvalTimeout = 200 * time.Millisecond
	})
	_, err := w.Send(context.Background(), adapters.Message{From: alice, Target: pid, Tags: adapters.Tags{{Name: "Action", Value: "Loop"}}})
	require.ErrorIs(t, err, adapters.ErrTooSlow)
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

// spawnOnBudget spawns a process of the module testdata/file with a work
// budget of maxWork units, which must fail, and returns its spawn's result.
func spawnOnBudget(t *testing.T, file string, maxWork int64) (*World, adapters.Result) {
	t.Helper()
	bin, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	w, err := New(Options{Binary: bin, Modules: map[string]Module{testModuleID: {Name: file}},
		Limits: Limits{MaxWork: maxWork, EvalTimeout: 5 * time.Minute}})
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	alice, _ := w.Wallet("alice")
	_, err = w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.ErrorIs(t, err, ErrSpawnFailed)
	return w, w.Trace().Deliveries[0].Result
}

// TestMemoryInitLoopStopsWithComputeLimit: a module whose handle copies a
// passive data segment with memory.init a million times, a gigabyte in a
// million loop iterations (testdata/meminit.wat), is stopped by a budget
// of ten million units with a compute-limit verdict: memory.init is
// charged by its length, as memory.copy is.
func TestMemoryInitLoopStopsWithComputeLimit(t *testing.T) {
	w, res := spawnOnBudget(t, "meminit.wasm", 10_000_000)
	require.Equal(t, adapters.ErrorComputeLimit, res.ErrorKind, res.Error)
	require.Contains(t, res.Error, "work budget of 10000000 units (MaxWork)")
	require.Equal(t, int64(10_000_000), w.WorkDone())
}

// TestWritesAreChargedByLength: fd_write is one host call whatever the
// length it is given, so it charges a unit per iovec and per
// copyBytesPerUnit bytes: a module whose handle writes 60,000 bytes to
// stdout a hundred thousand times (testdata/fdwrite.wat; six gigabytes in
// as many loop iterations) stops at a budget of ten million units.
func TestWritesAreChargedByLength(t *testing.T) {
	_, res := spawnOnBudget(t, "fdwrite.wasm", 10_000_000)
	require.Equal(t, adapters.ErrorComputeLimit, res.ErrorKind, res.Error)
	require.Contains(t, res.Error, "work budget of 10000000 units (MaxWork)")
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

// A budget in the Lua engine's units becomes this engine's: the Lua
// engine's default gives the default here, an explicit MaxWork wins, and a
// budget too large to scale saturates instead of wrapping negative.
func TestLuaMaxWorkIsScaledToTheEngine(t *testing.T) {
	require.Equal(t, int64(DefaultMaxWork), int64(10_000_000*WorkScale))
	require.Equal(t, int64(ForeignMaxWork), int64(10_000_000*ForeignWorkScale))
	for _, tc := range []struct {
		limits Limits
		want   int64
	}{
		{Limits{LuaMaxWork: 10_000_000}, DefaultMaxWork},
		{Limits{LuaMaxWork: 7}, 7 * WorkScale},
		{Limits{LuaMaxWork: 7, MaxWork: 3}, 3},
		{Limits{LuaMaxWork: math.MaxInt64 / 2}, math.MaxInt64},
	} {
		w, err := New(Options{Limits: tc.limits})
		require.NoError(t, err)
		require.Equal(t, tc.want, w.limits.MaxWork, "%+v", tc.limits)
		require.NoError(t, w.Close())
	}
}
