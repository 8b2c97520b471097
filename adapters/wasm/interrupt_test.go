package wasm

import (
	"bytes"
	"testing"

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
		if _, ok := w.processes[pid].inst.ExportedGlobal(g).(api.MutableGlobal); !ok {
			t.Fatalf("a process's instance does not export the mutable global %s", g)
		}
	}
	if _, err := withLoopChecks([]byte("not wasm")); err == nil {
		t.Fatal("a text that is not wasm was rewritten")
	}
}
