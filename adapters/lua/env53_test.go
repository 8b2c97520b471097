package lua

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// _ENV is Lua 5.3's: the chunk's environment when read, and inside the
// scope of a local or parameter _ENV every free name is an index of it.
func TestEnvIsLua53s(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`return load("return _ENV")() == _G`, "true"},
		{`return type(_ENV) .. " " .. tostring(_ENV == _G)`, "table true"},
		{`local env = {} load("x = 5", "c", "t", env)() return env.x .. " " .. tostring(x)`, "5 nil"},
		{`return load("return _ENV", "c", "t", {k = 1})().k`, "1"},
		{`local _ENV = {y = 3} return y`, "3"},
		{`local function f(_ENV) return a end return f({a = 7})`, "7"},
		{`local t = {} do local _ENV = t z = 2 end return t.z .. " " .. tostring(z)`, "2 nil"},
		{`local _ENV = {} return tostring`, ""},
		{`local _ENV = {v = 4} local function g() return v end return g()`, "4"},
		{`local _ENV = setmetatable({}, {__index = _G}) q = 1 return tostring(q) .. " " .. tostring(_G.q)`, "1 nil"},
		{`local _ENV = {n = 1} function f() return n end return f()`, "1"},
		{`local mt = {} local _ENV = {mt = mt} function mt:m() return self == mt end return mt:m()`, "true"},
		{`local s = 0 for _ENV = 1, 3 do s = s + 1 end return s`, "3"},
		{`return "_ENV" .. " is only text here"`, "_ENV is only text here"},
	} {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got  %q\n want %q", c.code, got, c.want)
		}
	}
	// Assigning the chunk's _ENV changes every function of the chunk in
	// Lua 5.3; an environment per function cannot: refused, with its line.
	d := send(t, w, alice, pid, "Eval", "local x = 1\n_ENV = {}").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorUnsupported || !strings.Contains(d.Result.Error, `[string "aos"]:2: assigning the chunk's _ENV`) {
		t.Fatalf("%+v", d.Result)
	}
	if got := eval(t, w, alice, pid, `local _ENV = {} _ENV = {w = 2} return w`); got != "2" {
		t.Fatalf("assigning a local _ENV: %q", got)
	}
}
