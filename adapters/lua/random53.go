package lua

import (
	"math"
	"strconv"

	glua "github.com/yuin/gopher-lua"
)

// Lua 5.3.6's math.random and math.randomseed as the compiled module has
// them, so that both engines draw the same numbers for the same seed.
//
// Lua 5.3 draws from the C library: random() when built with LUA_USE_POSIX,
// rand() otherwise. The module is built without it (emcc -O2
// -DLUA_COMPAT_5_2, no LUA_USE_LINUX; scripts/build-wasm-module.sh), so its
// generator is rand() of emscripten's libc, which is musl's: a 64-bit
// linear congruential generator whose state starts at 0, srand(s) sets it to
// s-1, and rand() advances it (state*6364136223846793005+1) and returns its
// top 31 bits; RAND_MAX is 2^31-1.
//
// The state lives in a Lua table (an upvalue of both functions) as two
// 32-bit halves, so the engine's snapshots and rollbacks cover it.

const (
	lcgMultiplier = 6364136223846793005
	// randScale is 1 / (RAND_MAX + 1), as lmathlib.c computes it.
	randScale = 1.0 / 2147483648.0
)

// openRandom53 replaces gopher-lua's math.random and math.randomseed.
func openRandom53(L *glua.LState) {
	m, ok := L.G.Global.RawGetString("math").(*glua.LTable)
	if !ok {
		return
	}
	state := L.CreateTable(0, 2)
	storeRand(state, 0)
	m.RawSetString("random", L.NewClosure(random53, state))
	m.RawSetString("randomseed", L.NewClosure(randomseed53, state))
}

func loadRand(t *glua.LTable) uint64 {
	hi, _ := t.RawGetString("hi").(glua.LNumber)
	lo, _ := t.RawGetString("lo").(glua.LNumber)
	return uint64(hi)<<32 | uint64(lo)
}

func storeRand(t *glua.LTable, s uint64) {
	t.RawSetString("hi", glua.LNumber(s>>32))
	t.RawSetString("lo", glua.LNumber(s&0xffffffff))
}

// cRand is musl's rand().
func cRand(L *glua.LState) uint32 {
	t := L.CheckTable(glua.UpvalueIndex(1))
	s := loadRand(t)*lcgMultiplier + 1
	storeRand(t, s)
	return uint32(s >> 33)
}

// raise53 raises msg as luaL_error does in a C function of Lua 5.3's
// library: with the position of the Lua code that called it.
func raise53(L *glua.LState, msg string) {
	L.RaiseError("%s", msg)
}

// checkInteger53 is luaL_checkinteger: a number or numeral string with a
// whole value.
func checkInteger53(L *glua.LState, n int) int64 {
	v := L.Get(n)
	x, ok := luaNumber(v)
	if !ok {
		typ := v.Type().String()
		if n > L.GetTop() {
			typ = "no value"
		}
		raise53(L, "bad argument #"+strconv.Itoa(n)+" to 'random' (number expected, got "+typ+")")
	}
	if !isInt(x) {
		raise53(L, "bad argument #"+strconv.Itoa(n)+" to 'random' (number has no integer representation)")
	}
	return int64(x)
}

// random53 is lmathlib.c's math_random: it draws before it looks at its
// arguments, so a call that errors still uses up a number.
func random53(L *glua.LState) int {
	r := float64(cRand(L)) * randScale
	var low, up int64
	switch L.GetTop() {
	case 0:
		L.Push(glua.LNumber(r))
		return 1
	case 1:
		low, up = 1, checkInteger53(L, 1)
	case 2:
		low, up = checkInteger53(L, 1), checkInteger53(L, 2)
	default:
		raise53(L, "wrong number of arguments")
	}
	if low > up {
		raise53(L, "bad argument #1 to 'random' (interval is empty)")
	}
	if low < 0 && up > math.MaxInt64+low {
		raise53(L, "bad argument #1 to 'random' (interval too large)")
	}
	r *= float64(up-low) + 1.0
	L.Push(glua.LNumber(float64(int64(r) + low)))
	return 1
}

// randomseed53 is lmathlib.c's math_randomseed: srand with the number cast
// to a 64-bit integer and then to a 32-bit unsigned one, and one draw
// thrown away.
func randomseed53(L *glua.LState) int {
	x, ok := luaNumber(L.Get(1))
	if !ok {
		typ := L.Get(1).Type().String()
		if L.GetTop() == 0 {
			typ = "no value"
		}
		raise53(L, "bad argument #1 to 'randomseed' (number expected, got "+typ+")")
	}
	t := L.CheckTable(glua.UpvalueIndex(1))
	storeRand(t, uint64(uint32(int64(x))-1))
	cRand(L)
	return 0
}
