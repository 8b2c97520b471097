package lua

import (
	glua "github.com/yuin/gopher-lua"
)

// aos replaces math.random on a process's first message with its own
// function over .chance (runtime/aosglobals.lua), before any of the
// process's code runs, so Lua 5.3's math.random is never reached. What stays
// Lua 5.3's is math.randomseed: it seeds the C library's generator, which
// nothing a process can call draws from, so here it only checks its
// argument as lmathlib.c does.

// openRandom53 replaces gopher-lua's math.randomseed, and removes its
// math.random (Go's global generator, not deterministic) until aos's is
// set: were anything to call it before, it would fail, not draw.
func openRandom53(L *glua.LState) {
	m, ok := L.G.Global.RawGetString("math").(*glua.LTable)
	if !ok {
		return
	}
	m.RawSetString("random", glua.LNil)
	m.RawSetString("randomseed", L.NewFunction(randomseed53))
}

// raise53 raises msg as luaL_error does in a C function of Lua 5.3's
// library: with the position of the Lua code that called it.
func raise53(L *glua.LState, msg string) {
	L.RaiseError("%s", msg)
}

// randomseed53 is lmathlib.c's math_randomseed with nothing left to seed:
// a number or a numeral string, else the error Lua 5.3 gives.
func randomseed53(L *glua.LState) int {
	if _, ok := luaNumber(L.Get(1)); !ok {
		typ := L.Get(1).Type().String()
		if L.GetTop() == 0 {
			typ = "no value"
		}
		raise53(L, "bad argument #1 to 'randomseed' (number expected, got "+typ+")")
	}
	return 0
}
