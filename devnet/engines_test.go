package devnet

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
	"github.com/mostao/conformance/adapters/wasm"
)

// TestWasmDevnetTakesTheWorkBudgetInLuaUnits: --max-work means the same on
// both engines, a budget in the Lua engine's units, which the wasm world
// scales by the module's own factor: ForeignWorkScale on a module without
// our setup export (here testdata/meminit.wat of the wasm engine, whose
// handle copies until a budget stops it), not the bundled module's
// WorkScale.
func TestWasmDevnetTakesTheWorkBudgetInLuaUnits(t *testing.T) {
	bin, err := os.ReadFile("../adapters/wasm/testdata/meminit.wasm")
	if err != nil {
		t.Fatal(err)
	}
	w, err := newWorld(Options{Wasm: bin, Limits: lua.Limits{MaxWork: 100_000}}, "base")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	const owner = "alice-wallet-address-0000000000000000000000"
	w.Admit(owner)
	_, tr, err := w.SpawnTraced(context.Background(), adapters.SpawnRequest{Module: "base", From: owner}, "")
	if !w.spawnFailed(err) || len(tr.Deliveries) == 0 {
		t.Fatalf("the copying spawn must fail, got %v (%d deliveries)", err, len(tr.Deliveries))
	}
	res := tr.Deliveries[0].Result
	want := fmt.Sprintf("work budget of %d units", 100_000*wasm.ForeignWorkScale)
	if res.ErrorKind != adapters.ErrorComputeLimit || !strings.Contains(res.Error, want) {
		t.Fatalf("want a compute limit after %s, got %s: %s", want, res.ErrorKind, res.Error)
	}
}
