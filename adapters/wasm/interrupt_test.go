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
	out, err := withInterruptChecks(DefaultModule)
	if err != nil {
		t.Fatalf("the bundled module could not be rewritten: %v", err)
	}
	// i32.const 0; memory.grow; drop; global.get: the check's way out to Go.
	exit := []byte{0x41, 0x00, 0x40, 0x00, 0x1a, 0x23}
	if before, after := bytes.Count(DefaultModule, exit), bytes.Count(out, exit); after-before < 100 {
		t.Fatalf("%d loop checks added", after-before)
	}
	w, _, pid := newTestWorld(t, ``)
	if _, ok := w.processes[pid].inst.ExportedGlobal(interruptGlobal).(api.MutableGlobal); !ok {
		t.Fatalf("a process's instance does not export the mutable global %s", interruptGlobal)
	}
	if _, err := withInterruptChecks([]byte("not wasm")); err == nil {
		t.Fatal("a text that is not wasm was rewritten")
	}
}
