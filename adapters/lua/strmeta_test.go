package lua

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// TestStringsMetatableIsAos: getmetatable("") is aos's {__index = string}
// (no metamethods of the engine's, no metatable of its own), and what a
// process sets in it works as in Lua 5.3: in the same evaluation for a key
// it adds, from the next for a key it changes.
func TestStringsMetatableIsAos(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`local ks = {} for k in pairs(getmetatable("")) do ks[#ks + 1] = k end print(table.concat(ks, ","), getmetatable("").__index == string, getmetatable(getmetatable("")), debug.getmetatable("") == getmetatable(""))`,
			"__index\ttrue\tnil\ttrue"},
		{`getmetatable("").__mod = function(f, args) return f:format(table.unpack(args)) end print("%d items" % {5})`, "5 items"},
		{`print("%s and %s" % {"a", "b"}, "10" + 1)`, "a and b\t11"},
		{`getmetatable("").__add = function(a, b) return "added" end print("x" + 1, "5" + 1, 1 + "y")`, "added\t6\tadded"},
		{`getmetatable("").__add = nil print(pcall(function() return "x" + 1 end))`, "false\t"},
		{`getmetatable("").__index = function(s, k) if type(k) == "number" then return s:sub(k, k) end return string[k] end`, ""},
		{`print(("hello")[2], ("a") .. "b", ("x"):rep(3))`, "e\tab\txxx"},
		{`getmetatable("").__index = string print(("hello")[2], ("y"):upper())`, "nil\tY"},
	} {
		if got := eval(t, w, alice, pid, c.code); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s\n got  %q\n want %q...", c.code, got, c.want)
		}
	}
	d := send(t, w, alice, pid, "Eval", `debug.setmetatable("", {})`).Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorUnsupported || !strings.Contains(d.Result.Error, "debug.setmetatable of strings' metatable") {
		t.Errorf("debug.setmetatable of a string: %s %q, want unsupported", d.Result.ErrorKind, d.Result.Error)
	}
}

// TestStringsMetatableFollowsDryruns: a dryrun that changes getmetatable("")
// leaves strings as they were.
func TestStringsMetatableFollowsDryruns(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	res := dry(t, w, alice, pid, `getmetatable("").__mod = function() return "dry" end getmetatable("").__index = function() return function() return "dry" end end print("%d" % {1}, ("x"):upper())`)
	if res.Output != "dry\tdry" {
		t.Fatalf("the dryrun printed %q", res.Output)
	}
	if got := eval(t, w, alice, pid, `print(pcall(function() return "%d" % {1} end), ("x"):upper(), getmetatable("").__mod)`); !strings.HasPrefix(got, "false") || !strings.HasSuffix(got, "X\tnil") {
		t.Fatalf("after the dryrun: %q", got)
	}
}
