package lua

import (
	"fmt"

	glua "github.com/yuin/gopher-lua"
)

// bit32 is Lua 5.2's bitwise library, which aos keeps: aos is Lua 5.3
// built with LUA_COMPAT_5_2, so `bit32` is a global there and AO code
// written for Lua 5.2 calls it. Every operand is read as Lua 5.3's
// luaL_checkinteger reads it (a number or numeral string with a whole
// value), taken as unsigned and cut to 32 bits; every result is such an
// unsigned 32-bit integer, exact in a float64.

const bit32Ones = 0xFFFFFFFF

func installBit32(L *glua.LState) {
	t := L.NewTable()
	for name, fn := range map[string]glua.LGFunction{
		"arshift": bit32Arshift, "band": bit32Fold(func(r, x uint64) uint64 { return r & x }, bit32Ones),
		"bnot": bit32Bnot, "bor": bit32Fold(func(r, x uint64) uint64 { return r | x }, 0),
		"btest": bit32Btest, "bxor": bit32Fold(func(r, x uint64) uint64 { return r ^ x }, 0),
		"extract": bit32Extract, "lrotate": bit32Rotate(1), "lshift": bit32Shift(1),
		"replace": bit32Replace, "rrotate": bit32Rotate(-1), "rshift": bit32Shift(-1),
	} {
		t.RawSetString(name, L.NewFunction(fn))
	}
	L.G.Global.RawSetString("bit32", t)
	if loaded, ok := L.G.Registry.RawGetString("_LOADED").(*glua.LTable); ok {
		loaded.RawSetString("bit32", t)
	}
}

// checkInteger53 is Lua 5.3's luaL_checkinteger: argument n as an
// integer, or the argument error Lua 5.3 raises.
func checkInteger53(L *glua.LState, n int) int64 {
	if n > L.GetTop() {
		argError53(L, n, "number expected, got no value")
	}
	chargeLongStrings(L, L.Get(n))
	x, ok := luaNumber(L.Get(n))
	if !ok {
		argError53(L, n, "number expected, got "+luaTypeName(L.Get(n)))
	}
	if !isInt(x) {
		argError53(L, n, "number has no integer representation")
	}
	return int64(x)
}

// argError53 raises Lua 5.3's argument error (luaL_argerror), which
// quotes the function's name (gopher-lua's ArgError does not): the name
// the call site gives it, or, called from Go (as by pcall), the name
// package.loaded knows it by.
func argError53(L *glua.LState, n int, msg string) {
	name := "?"
	if dbg, ok := L.GetStack(0); ok {
		if fn, err := L.GetInfo("nf", dbg, glua.LNil); err == nil {
			name = dbg.Name
			if caller, ok := L.GetStack(1); !ok || isGoFrame(L, caller) {
				if global := globalFuncName(L, fn); global != "" {
					name = global
				}
			}
		}
	}
	luaError53(L, fmt.Sprintf("bad argument #%d to '%s' (%s)", n, name, msg))
}

// isGoFrame reports whether a stack level runs a Go function.
func isGoFrame(L *glua.LState, dbg *glua.Debug) bool {
	fn, err := L.GetInfo("f", dbg, glua.LNil)
	f, ok := fn.(*glua.LFunction)
	return err == nil && ok && f.IsG
}

// globalFuncName is the name package.loaded knows fn by ("coroutine.resume",
// or "print" for a base function), as Lua 5.3's pushglobalfuncname.
func globalFuncName(L *glua.LState, fn glua.LValue) string {
	loaded, ok := L.G.Registry.RawGetString("_LOADED").(*glua.LTable)
	if !ok {
		return ""
	}
	found := ""
	loaded.ForEach(func(lib, t glua.LValue) {
		tt, ok := t.(*glua.LTable)
		if !ok || found != "" {
			return
		}
		tt.ForEach(func(k, v glua.LValue) {
			if found == "" && v == fn {
				if lib.String() == "_G" {
					found = k.String()
				} else {
					found = lib.String() + "." + k.String()
				}
			}
		})
	})
	return found
}

// where53 is Lua 5.3's luaL_where: "chunk:line: " of the function at the
// given level (1: the caller of the running Go function), or nothing when
// that is a Go function. gopher-lua's own skips Go functions and names the
// next Lua one.
func where53(L *glua.LState, level int) string {
	dbg, ok := L.GetStack(level)
	if !ok {
		return ""
	}
	if _, err := L.GetInfo("Sl", dbg, glua.LNil); err != nil || dbg.CurrentLine <= 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d: ", dbg.Source, dbg.CurrentLine)
}

// luaError53 is Lua 5.3's luaL_error: msg after the caller's position.
func luaError53(L *glua.LState, msg string) {
	L.Error(glua.LString(where53(L, 1)+msg), 0)
}

// luaTypeName is the type name Lua's argument errors give a value.
func luaTypeName(v glua.LValue) string {
	if v == glua.LNil {
		return "nil"
	}
	return v.Type().String()
}

func pushUnsigned32(L *glua.LState, r uint64) int {
	L.Push(glua.LNumber(r & bit32Ones))
	return 1
}

// bit32Fold is band, bor and bxor: every argument folded into start.
func bit32Fold(op func(r, x uint64) uint64, start uint64) glua.LGFunction {
	return func(L *glua.LState) int {
		r := start
		for n := 1; n <= L.GetTop(); n++ {
			r = op(r, uint64(checkInteger53(L, n)))
		}
		return pushUnsigned32(L, r)
	}
}

func bit32Btest(L *glua.LState) int {
	r := uint64(bit32Ones)
	for n := 1; n <= L.GetTop(); n++ {
		r &= uint64(checkInteger53(L, n))
	}
	L.Push(glua.LBool(r&bit32Ones != 0))
	return 1
}

func bit32Bnot(L *glua.LState) int {
	return pushUnsigned32(L, ^uint64(checkInteger53(L, 1)))
}

// shift32 moves r left by disp bits (right when disp is negative); 32 or
// more bits either way leave nothing.
func shift32(r uint64, disp int64) uint64 {
	r &= bit32Ones
	switch {
	case disp <= -32 || disp >= 32:
		return 0
	case disp < 0:
		return r >> uint(-disp)
	default:
		return (r << uint(disp)) & bit32Ones
	}
}

// bit32Shift is lshift (dir 1) and rshift (dir -1).
func bit32Shift(dir int64) glua.LGFunction {
	return func(L *glua.LState) int {
		r := uint64(checkInteger53(L, 1))
		disp := checkInteger53(L, 2)
		if dir < 0 {
			disp = -disp
		}
		return pushUnsigned32(L, shift32(r, disp))
	}
}

// bit32Arshift shifts right filling with the sign bit (a left shift for a
// negative displacement).
func bit32Arshift(L *glua.LState) int {
	r := uint64(checkInteger53(L, 1)) & bit32Ones
	i := checkInteger53(L, 2)
	if i < 0 || r&(1<<31) == 0 {
		return pushUnsigned32(L, shift32(r, -i))
	}
	if i >= 32 {
		return pushUnsigned32(L, bit32Ones)
	}
	return pushUnsigned32(L, (r>>uint(i))|^(uint64(bit32Ones)>>uint(i)))
}

// bit32Rotate is lrotate (dir 1) and rrotate (dir -1).
func bit32Rotate(dir int64) glua.LGFunction {
	return func(L *glua.LState) int {
		r := uint64(checkInteger53(L, 1)) & bit32Ones
		i := (checkInteger53(L, 2) * dir) & 31
		if i != 0 {
			r = (r << uint(i)) | (r >> uint(32-i))
		}
		return pushUnsigned32(L, r)
	}
}

// bit32Field reads the field and width arguments of extract and replace.
func bit32Field(L *glua.LState, n int) (field, width int64) {
	field = checkInteger53(L, n)
	width = 1
	if L.Get(n+1) != glua.LNil {
		width = checkInteger53(L, n+1)
	}
	if field < 0 {
		argError53(L, n, "field cannot be negative")
	}
	if width <= 0 {
		argError53(L, n+1, "width must be positive")
	}
	if field+width > 32 {
		luaError53(L, "trying to access non-existent bits")
	}
	return field, width
}

// mask32 has the low width bits set (width from 1 to 32).
func mask32(width int64) uint64 {
	return ^((uint64(bit32Ones) << 1) << uint(width-1)) & bit32Ones
}

func bit32Extract(L *glua.LState) int {
	r := uint64(checkInteger53(L, 1)) & bit32Ones
	f, w := bit32Field(L, 2)
	return pushUnsigned32(L, (r>>uint(f))&mask32(w))
}

func bit32Replace(L *glua.LState) int {
	r := uint64(checkInteger53(L, 1)) & bit32Ones
	v := uint64(checkInteger53(L, 2)) & bit32Ones
	f, w := bit32Field(L, 3)
	m := mask32(w)
	return pushUnsigned32(L, (r&^(m<<uint(f)))|((v&m)<<uint(f)))
}
