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

// string.format's %s writes what __tostring gives, as Lua 5.3's
// luaL_tolstring does (a bint its digits, not an address), and %d of a
// table or userdata fails instead of printing its Go value.
func TestFormatUsesToString(t *testing.T) {
	w, alice, pid := newTestWorld(t, `bint = require(".bint")(256)`)
	evalCases(t, w, alice, pid, []struct{ code, want string }{
		{`return string.format("%s|%4s|%s", bint(5), setmetatable({}, {__tostring = function() return "T" end}), 7)`, "5|   T|7"},
		{`return tostring(pcall(string.format, "%d", bint(5))) .. tostring(pcall(string.format, "%d", {}))`, "falsefalse"},
		{`return (string.format("%s", {}):gsub("0x%x+", "ADDR"))`, "table: ADDR"},
	})
}
