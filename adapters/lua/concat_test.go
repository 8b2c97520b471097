package lua

import (
	"strings"
	"testing"
)

// TestConcatKeepsLuaSemantics: the bounded `..` gives what gopher-lua's
// operator gives for strings and numbers, calls __concat for anything else,
// fails with the operator's error naming the line, and works in a chunk
// that load gave another environment.
func TestConcatKeepsLuaSemantics(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`print(1 .. "", 1.5 .. "x", "a" .. "b" .. "c", 10/4 .. "")`, "1\t1.5x\tabc\t2.5"},
		{`local t = setmetatable({}, {__concat = function(a, b) return "meta" end}) print(t .. "z", "z" .. t)`, "meta\tmeta"},
		{`local t = setmetatable({}, {__concat = function(a, b) return {} end}) print(type(t .. "z"))`, "table"},
		{`local f = load("local s = 'q' return s .. s", "x", "t", {}) print(f())`, "qq"},
		{`print(pcall(function() local n; return "a" .. n end))`, "false\t"},
	} {
		if got := eval(t, w, alice, pid, c.code); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s\n got  %q\n want %q...", c.code, got, c.want)
		}
	}
	got := eval(t, w, alice, pid, `print(select(2, pcall(function() local n; return "a" .. n end)))`)
	if !strings.Contains(got, "attempt to concatenate a nil value") || !strings.Contains(got, ":1:") {
		t.Errorf("the error of a nil operand is %q, want Lua's text with the line", got)
	}
}
