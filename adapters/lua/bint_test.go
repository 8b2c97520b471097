package lua

import (
	"strconv"
	"testing"
)

// lua-bint's in-place operations change a bint's value, which the Lua
// engine keeps in Go: a failed message's rollback (the last snapshot, then
// the messages after it replayed) gives it back as it was.
func TestBintInPlaceOperationsRollBack(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
local bint = require(".bint")(256)
X = bint(0)
Handlers.add("Add", "Add", function() X:_add(1) end)
Handlers.add("Fail", "Fail", function() X:_add(1000); X:_shlone(); error("x") end)
Handlers.add("Show", "Show", function() print(tostring(X)) end)`)
	for i := 0; i < checkpointEvery+5; i++ {
		send(t, w, alice, pid, "Add", "")
	}
	if d := send(t, w, alice, pid, "Fail", "").Deliveries[0]; !d.Result.Failed() {
		t.Fatalf("Fail did not fail: %+v", d.Result)
	}
	want := strconv.Itoa(checkpointEvery + 5)
	if got := send(t, w, alice, pid, "Show", "").Deliveries[0].Result.Output; got != want {
		t.Fatalf("after rollback %q, want %q", got, want)
	}
}
