package lua

import (
	"strings"
	"testing"
)

// Hostile or odd code must end in a result, never an engine panic, and the
// process must keep working.
func TestOddCodeNeverBreaksTheEngine(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	for _, code := range []string{
		`return os.date("*t", 1e300)`,
		`return string.format("%d", 1e300)`,
		`return select(-5, 1)`,
		`local co = coroutine.running() return coroutine.resume(co)`,
		`return string.find(string.rep("a", 2000), string.rep("a?", 1000) .. string.rep("a", 1000))`,
		`return debug.getinfo(100)`,
		`return setmetatable({}, {__index = function(t, k) return t[k] end}).x`,
		`return tostring(setmetatable({}, {__tostring = function() return {} end}))`,
		`return ("%s"):format(nil)`,
		`return table.insert({}, 5, 1, 2)`,
		`error()`,
		`error(nil)`,
		`return coroutine.wrap(function() error("in wrap") end)()`,
		`return getmetatable("").__index.nope()`,
	} {
		d := send(t, w, alice, pid, "Eval", code).Deliveries[0]
		if strings.Contains(d.Result.Error, "engine panic") {
			t.Errorf("%s: %s", code, d.Result.Error)
		}
	}
	if got := eval(t, w, alice, pid, "return 'alive'"); got != "alive" {
		t.Fatalf("after odd code: %q", got)
	}
}
