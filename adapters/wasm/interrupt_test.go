package wasm

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// The bundled module gets the engine's own interrupt checks (a module that
// did not would run in the slower runtime that closes instances): a
// process's instance exports the global the engine sets, and the loops of
// the code carry the check.
func TestBundledModuleGetsInterruptChecks(t *testing.T) {
	out, err := withLoopChecks(DefaultModule)
	if err != nil {
		t.Fatalf("the bundled module could not be rewritten: %v", err)
	}
	// i32.eqz; if; call: the check's call of refill when the tick is 0.
	call := []byte{0x45, 0x04, 0x40, 0x10}
	if before, after := bytes.Count(DefaultModule, call), bytes.Count(out, call); after-before < 100 {
		t.Fatalf("%d loop checks added", after-before)
	}
	w, _, pid := newTestWorld(t, ``)
	for _, g := range []string{interruptGlobal, workTickGlobal, workLeftGlobal} {
		if _, ok := w.Process(pid).inst.ExportedGlobal(g).(api.MutableGlobal); !ok {
			t.Fatalf("a process's instance does not export the mutable global %s", g)
		}
	}
	if _, err := withLoopChecks([]byte("not wasm")); err == nil {
		t.Fatal("a text that is not wasm was rewritten")
	}
}

// counted instantiates testdata/file with the work count added, and gives
// the functions that set a budget, read what was used of it and what is
// left of it.
func counted(t *testing.T, file string) (mod api.Module, budget func(uint64), used func(uint64) uint64, rest func() uint64) {
	t.Helper()
	bin, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	out, err := withLoopChecks(bin)
	require.NoError(t, err)
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	mod, err = r.Instantiate(ctx, out)
	require.NoError(t, err)
	tick := mod.ExportedGlobal(workTickGlobal).(api.MutableGlobal)
	left := mod.ExportedGlobal(workLeftGlobal).(api.MutableGlobal)
	budget = func(units uint64) { tick.Set(0); left.Set(units) }
	rest = func() uint64 { return left.Get() + uint64(uint32(tick.Get())) }
	used = func(from uint64) uint64 { return from - rest() }
	return mod, budget, used, rest
}

// TestBulkCopiesAreChargedByLength: memory.copy and memory.fill are one
// instruction whatever their length; the rewrite charges them a unit per
// copyBytesPerUnit bytes, exactly, and traps past the budget, so a module
// built with bulk memory cannot copy for free (testdata/bulkcopy.wat).
func TestBulkCopiesAreChargedByLength(t *testing.T) {
	ctx := context.Background()
	mod, budget, used, rest := counted(t, "bulkcopy.wasm")

	budget(100_000)
	_, err := mod.ExportedFunction("copies").Call(ctx, 10, 60_000)
	require.NoError(t, err)
	// 11 loop heads (the last one leaves), 10 copies and 10 fills of 3,750 units.
	require.Equal(t, uint64(11+20*60_000/copyBytesPerUnit), used(100_000))

	budget(100_000)
	_, err = mod.ExportedFunction("copies").Call(ctx, 1000, 60_000)
	require.Error(t, err, "a thousand copies of 60,000 bytes ran within 100,000 units")
	require.Zero(t, rest())
}

// TestBulkInitsAndTablesAreChargedByLength: memory.init is charged as a
// copy, a unit per copyBytesPerUnit bytes, and table.init, table.copy,
// table.fill and table.grow a unit per tableEntriesPerUnit entries, exactly,
// trapping past the budget (testdata/bulkinit.wat).
func TestBulkInitsAndTablesAreChargedByLength(t *testing.T) {
	ctx := context.Background()
	mod, budget, used, rest := counted(t, "bulkinit.wasm")

	budget(100_000)
	_, err := mod.ExportedFunction("inits").Call(ctx, 10, 1024)
	require.NoError(t, err)
	// 11 loop heads, 10 inits of 64 units.
	require.Equal(t, uint64(11+10*1024/copyBytesPerUnit), used(100_000))

	budget(100_000)
	_, err = mod.ExportedFunction("tables").Call(ctx, 10, 16)
	require.NoError(t, err)
	// 11 loop heads, 10 times three instructions of 16 entries.
	require.Equal(t, uint64(11+30*16/tableEntriesPerUnit), used(100_000))

	budget(100_000)
	old, err := mod.ExportedFunction("grow").Call(ctx, 1000)
	require.NoError(t, err)
	require.Equal(t, uint64(64), old[0])
	require.Equal(t, uint64(1000/tableEntriesPerUnit), used(100_000))

	budget(100_000)
	_, err = mod.ExportedFunction("inits").Call(ctx, 10_000, 1024)
	require.Error(t, err, "ten thousand inits of 1,024 bytes ran within 100,000 units")
	require.Zero(t, rest())
	budget(1000)
	_, err = mod.ExportedFunction("tables").Call(ctx, 1000, 16)
	require.Error(t, err, "a thousand table rounds of 16 entries ran within 1,000 units")
	require.Zero(t, rest())
}
