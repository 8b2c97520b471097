package wasm

import "testing"

func TestEvalRunsLua53(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Counter = 0`)
	tr := send(t, w, alice, pid, "Eval", `return math.type(10 // 3) .. " " .. tostring(10 / 2) .. " " .. _VERSION`)
	d := tr.Deliveries[0]
	if d.Result.Failed() {
		t.Fatalf("eval failed: %s", d.Result.Error)
	}
	if d.Result.Output != "integer 5.0 Lua 5.3" {
		t.Fatalf("output %q", d.Result.Output)
	}
}
