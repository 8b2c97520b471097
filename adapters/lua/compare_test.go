package lua

import (
	"strings"
	"testing"
)

// TestComparisonsKeepLuaSemantics: a comparison compiled as a call gives
// what Lua 5.3 gives: results, metamethods (the first operand's or else the
// second's), the order in which its operands are evaluated, and its errors
// with their line.
func TestComparisonsKeepLuaSemantics(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`local a, b = 1, 2 print(a < b, a <= b, a > b, a >= b, a == b, a ~= b)`, "true\ttrue\tfalse\tfalse\tfalse\ttrue"},
		{`local a, b = "ab", "b" print(a < b, a <= b, a > b, a >= b, a == b, a ~= b)`, "true\ttrue\tfalse\tfalse\tfalse\ttrue"},
		{`local a, b = "x", "x" print(a < b, a <= b, a > b, a >= b, a == b, a ~= b)`, "false\ttrue\tfalse\ttrue\ttrue\tfalse"},
		{`local a, b = "\200", "a" print(a < b, b < a)`, "false\ttrue"},
		{`local a, b = 1, "1" print(a == b, a ~= b)`, "false\ttrue"},
		{`local a, b = {}, {} print(a == b, a ~= b, a == a)`, "false\ttrue\ttrue"},
		{`local mt = {__lt = function(x, y) return x.v < y.v end, __le = function(x, y) return x.v <= y.v end, __eq = function() return true end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a < b, a <= b, a > b, a >= b, a == b, a ~= b)`, "true\ttrue\tfalse\tfalse\ttrue\tfalse"},
		{`local mt = {__lt = function(x, y) return x.v < y.v end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a <= b, b <= a)`, "true\tfalse"},
		{`local log = {} local function f(x) log[#log + 1] = x return x end
local r = f(2) > f(1) print(r, table.concat(log, ","))`, "true\t2,1"},
		{`print(pcall(function() local a, b = 1, "x" return a < b end))`, "false\t"},
		// Lua 5.3 calls either operand's metamethod; Lua 5.1 (gopher-lua's
		// instruction) only one both share.
		{`local a, b = setmetatable({}, {__lt = function() return true end}), {} print(a < b, b > a)`, "true\ttrue"},
		{`local a, b = {}, setmetatable({}, {__le = function() return false end}) print(a <= b)`, "false"},
		{`local a, b = setmetatable({}, {__eq = function() return true end}), setmetatable({}, {__eq = function() return false end}) print(a == b, b == a)`, "true\tfalse"},
		{`local a, b = setmetatable({}, {__eq = function() return true end}), 1 print(a == b)`, "false"},
		{`local function f(...) return select("#", ...) end print(f(nil, nil), f(), f(1, nil, 3))`, "2\t0\t3"},
		{`local function f(...) local t = {...} return #t, t[3] end print(f(1, 2, 3))`, "3\t3"},
		{`local function f(...) local t = {0, ...} return #t end print(f(1, 2))`, "3"},
		{`local function f(...) return ... end print(f(1, nil, 3))`, "1\tnil\t3"},
		{`local function f(...) return (...) end print(f(1, 2, 3))`, "1"},
		{`local function f(...) local a, b, c = ... return c end print(f(1, 2, 3))`, "3"},
		{`local function f(...) for _, v in ... do return v end end print(f(pairs({7})))`, "7"},
	} {
		if got := eval(t, w, alice, pid, c.code); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s\n got  %q\n want %q...", c.code, got, c.want)
		}
	}
	for code, want := range map[string]string{
		`local a, b = 1, "x" return a < b`:  "attempt to compare number with string",
		`local a, b = 1, "x" return a > b`:  "attempt to compare string with number",
		`local a, b = {}, {} return a <= b`: "attempt to compare two table values",
		`local a, b = {}, 1 return a >= b`:  "attempt to compare number with table",
	} {
		got := eval(t, w, alice, pid, `print(select(2, pcall(function() `+code+` end)))`)
		if !strings.Contains(got, want) || !strings.Contains(got, ":1:") {
			t.Errorf("%s: error %q, want %q with the line", code, got, want)
		}
	}
}
