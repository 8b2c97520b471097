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

// counted instantiates testdata/file with the work count added, and
// returns a function that calls fn with args on a budget of units and
// says how many units it used, and the call's error.
func counted(t *testing.T, file string) func(units uint64, fn string, args ...uint64) (uint64, error) {
	t.Helper()
	bin, err := os.ReadFile("testdata/" + file)
	require.NoError(t, err)
	out, err := withLoopChecks(bin)
	require.NoError(t, err)
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	mod, err := r.Instantiate(ctx, out)
	require.NoError(t, err)
	tick := mod.ExportedGlobal(workTickGlobal).(api.MutableGlobal)
	left := mod.ExportedGlobal(workLeftGlobal).(api.MutableGlobal)
	return func(units uint64, fn string, args ...uint64) (uint64, error) {
		tick.Set(0)
		left.Set(units)
		_, err := mod.ExportedFunction(fn).Call(ctx, args...)
		return units - left.Get() - uint64(uint32(tick.Get())), err
	}
}

// TestBulkCopiesAreChargedByLength: memory.copy and memory.fill are one
// instruction whatever their length; the rewrite charges them a unit per
// copyBytesPerUnit bytes, exactly, and traps past the budget, so a module
// built with bulk memory cannot copy for free (testdata/bulkcopy.wat).
func TestBulkCopiesAreChargedByLength(t *testing.T) {
	call := counted(t, "bulkcopy.wasm")
	used, err := call(100_000, "copies", 10, 60_000)
	require.NoError(t, err)
	// 11 loop heads (the last one leaves), 10 copies and 10 fills of 3,750 units.
	require.Equal(t, uint64(11+20*60_000/copyBytesPerUnit), used)

	used, err = call(100_000, "copies", 1000, 60_000)
	require.Error(t, err, "a thousand copies of 60,000 bytes ran within 100,000 units")
	require.Equal(t, uint64(100_000), used)
}

// TestBulkInitsAndTablesAreChargedByLength: memory.init is charged as a
// copy, a unit per copyBytesPerUnit bytes, and table.init, table.copy,
// table.fill and table.grow a unit per tableEntriesPerUnit entries, exactly,
// trapping past the budget (testdata/bulkinit.wat).
func TestBulkInitsAndTablesAreChargedByLength(t *testing.T) {
	call := counted(t, "bulkinit.wasm")
	for _, c := range []struct {
		fn   string
		args []uint64
		want uint64
	}{
		{"inits", []uint64{10, 1024}, 11 + 10*1024/copyBytesPerUnit}, // 11 loop heads, 10 inits of 64 units
		{"tables", []uint64{10, 16}, 11 + 30*16/tableEntriesPerUnit}, // 10 times three instructions of 16 entries
		{"grow", []uint64{1000}, 1000 / tableEntriesPerUnit},
	} {
		used, err := call(100_000, c.fn, c.args...)
		require.NoError(t, err, c.fn)
		require.Equal(t, c.want, used, c.fn)
	}
	for _, c := range []struct {
		fn    string
		args  []uint64
		units uint64
	}{
		{"inits", []uint64{10_000, 1024}, 100_000},
		{"tables", []uint64{1000, 16}, 1000},
	} {
		used, err := call(c.units, c.fn, c.args...)
		require.Error(t, err, "%s%v ran within %d units", c.fn, c.args, c.units)
		require.Equal(t, c.units, used, "%s trapped before its budget was spent", c.fn)
	}
}
