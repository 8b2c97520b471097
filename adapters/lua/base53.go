package lua

import (
	"math"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// Lua 5.3's base library where gopher-lua's (Lua 5.1's) answers otherwise,
// as real aos answers (TestBaseLibraryIsAos in adapters/wasm holds the
// engine to what real aos 2.0.4 and 2.0.6 gave). Each function names its
// Lua 5.3 behaviour; what gopher-lua did is said where it matters.

func installBase53(L *glua.LState) {
	g := L.G.Global
	g.RawSetString("_VERSION", glua.LString("Lua 5.3"))
	// gopher-lua's setmetatable set a metatable for every number, string
	// or function given one of them, which no snapshot sees: a dryrun
	// could change what all later messages see.
	g.RawSetString("setmetatable", L.NewFunction(baseSetMetatable))
	g.RawSetString("assert", L.NewFunction(baseAssert))
	g.RawSetString("error", L.NewFunction(baseError))
	next := L.NewFunction(ipairsNext)
	g.RawSetString("ipairs", L.NewFunction(func(L *glua.LState) int { return baseIpairs(L, next) }))
	g.RawSetString("pairs", L.NewFunction(basePairs(g.RawGetString("next"))))
	installPcall(L)

	if co, ok := g.RawGetString("coroutine").(*glua.LTable); ok {
		co.RawSetString("running", L.NewFunction(coRunning))
		if resume, ok := co.RawGetString("resume").(*glua.LFunction); ok && resume.IsG {
			resume53 := L.NewFunction(coResume(resume.GFunction))
			co.RawSetString("resume", resume53)
			co.RawSetString("wrap", L.NewFunction(coWrap(co, resume53)))
		}
	}
	if m, ok := g.RawGetString("math").(*glua.LTable); ok {
		m.RawSetString("max", L.NewFunction(mathMinMax(false)))
		m.RawSetString("min", L.NewFunction(mathMinMax(true)))
		m.RawSetString("modf", L.NewFunction(mathModf))
	}
	if t, ok := g.RawGetString("table").(*glua.LTable); ok {
		t.RawSetString("insert", L.NewFunction(tableInsert))
		t.RawSetString("remove", L.NewFunction(tableRemove))
	}
	if s, ok := g.RawGetString("string").(*glua.LTable); ok {
		s.RawSetString("char", L.NewFunction(stringChar))
	}
}

// argTypeName is the type of argument n as Lua's argument errors name it.
func argTypeName(L *glua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return luaTypeName(L.Get(n))
}

// tolstring53 is Lua 5.3's luaL_tolstring: what tostring, print and
// string.format's %s write for a value: __tostring's result (which must be
// a string or a number), or the type (__name when the metatable has one)
// and an address.
func tolstring53(L *glua.LState, v glua.LValue) string {
	if mm := L.GetMetaField(v, "__tostring"); mm != glua.LNil {
		L.Push(mm)
		L.Push(v)
		L.Call(1, 1)
		r := L.Get(-1)
		L.Pop(1)
		switch x := r.(type) {
		case glua.LString:
			return string(x)
		case glua.LNumber:
			return numberString(float64(x))
		}
		luaError53(L, "'__tostring' must return a string")
	}
	switch x := v.(type) {
	case glua.LNumber:
		return numberString(float64(x))
	case glua.LString:
		return string(x)
	}
	s := addressString(L, v)
	if name, ok := L.GetMetaField(v, "__name").(glua.LString); ok {
		if i := strings.Index(s, ": "); i >= 0 {
			return string(name) + s[i:]
		}
	}
	return s
}

// shimToString is Lua 5.3's tostring: luaL_tolstring of its argument.
func shimToString(L *glua.LState) int {
	if L.GetTop() < 1 {
		argError53(L, 1, "value expected")
	}
	L.Push(glua.LString(tolstring53(L, L.Get(1))))
	return 1
}

// baseSetMetatable is Lua 5.3's setmetatable: of a table only.
func baseSetMetatable(L *glua.LState) int {
	t, ok := L.Get(1).(*glua.LTable)
	if !ok {
		argError53(L, 1, "table expected, got "+argTypeName(L, 1))
	}
	mt := L.Get(2)
	switch mt.(type) {
	case *glua.LTable, *glua.LNilType:
	default:
		argError53(L, 2, "nil or table expected")
	}
	if L.GetTop() < 2 {
		argError53(L, 2, "nil or table expected")
	}
	if L.GetMetaField(t, "__metatable") != glua.LNil {
		luaError53(L, "cannot change a protected metatable")
	}
	L.SetMetatable(t, mt)
	L.SetTop(1)
	return 1
}

// baseAssert is Lua 5.3's assert: its arguments when the first is true,
// otherwise an error with its message, whatever its type ("assertion
// failed!" when there is none); a string gets the caller's position.
func baseAssert(L *glua.LState) int {
	if L.GetTop() < 1 {
		argError53(L, 1, "value expected")
	}
	if glua.LVAsBool(L.Get(1)) {
		return L.GetTop()
	}
	msg := glua.LValue(glua.LString("assertion failed!"))
	if L.GetTop() >= 2 {
		msg = L.Get(2)
	}
	if s, ok := msg.(glua.LString); ok {
		chargeLongStrings(L, s) // the message is copied
		msg = glua.LString(where53(L, 1) + string(s))
	}
	L.Error(msg, 0)
	return 0
}

// baseError is Lua 5.3's error: any value, nil included (error() raises
// nil), with the position of the given level added to a string.
func baseError(L *glua.LState) int {
	v := L.Get(1)
	level := 1
	if L.GetTop() >= 2 {
		level = int(checkInteger53(L, 2))
	}
	if s, ok := v.(glua.LString); ok && level > 0 {
		chargeLongStrings(L, s) // the message is copied
		v = glua.LString(where53(L, level) + string(s))
	}
	L.Error(v, 0)
	return 0
}

// baseIpairs is Lua 5.3's ipairs (built with LUA_COMPAT_5_2, as aos is):
// the __ipairs metamethod when there is one; otherwise the values from 1
// to the first nil, read through __index.
func baseIpairs(L *glua.LState, next *glua.LFunction) int {
	return iteration(L, "__ipairs", next, glua.LNumber(0))
}

// iteration is what pairs and ipairs return: what the value's metamethod
// event gives (its first three results), or next, the value and start.
func iteration(L *glua.LState, event string, next, start glua.LValue) int {
	if L.GetTop() < 1 {
		argError53(L, 1, "value expected")
	}
	v := L.Get(1)
	if mm := L.GetMetaField(v, event); mm != glua.LNil {
		L.Push(mm)
		L.Push(v)
		L.Call(1, 3)
		return 3
	}
	L.Push(next)
	L.Push(v)
	L.Push(start)
	return 3
}

func ipairsNext(L *glua.LState) int {
	i := int(L.CheckNumber(2)) + 1
	var v glua.LValue
	if t, ok := L.Get(1).(*glua.LTable); ok && t.Metatable == glua.LNil {
		v = t.RawGetInt(i)
	} else {
		v = L.GetTable(L.Get(1), glua.LNumber(i))
	}
	if v == glua.LNil {
		L.Push(glua.LNil)
		return 1
	}
	L.Push(glua.LNumber(i))
	L.Push(v)
	return 2
}

// basePairs is Lua 5.3's pairs: the __pairs metamethod when there is one,
// otherwise next, the value and nil (next fails on what is not a table).
func basePairs(next glua.LValue) glua.LGFunction {
	return func(L *glua.LState) int { return iteration(L, "__pairs", next, glua.LNil) }
}

// shimCollectGarbage is collectgarbage with Lua 5.3's options and answers;
// it collects nothing: Go's collector is shared by the whole Go process,
// and a process must not be able to run it in a loop.
func shimCollectGarbage(L *glua.LState) int {
	spend(L, 100)
	switch opt := L.OptString(1, "collect"); opt {
	case "collect", "stop", "restart", "setpause", "setstepmul":
		L.Push(glua.LNumber(0))
	case "count":
		L.Push(glua.LNumber(0))
	case "step":
		L.Push(glua.LFalse)
	case "isrunning":
		L.Push(glua.LTrue)
	default:
		argError53(L, 1, "invalid option '"+opt+"'")
	}
	return 1
}

// coRunning is Lua 5.3's coroutine.running: the running coroutine and
// whether it is the main one.
func coRunning(L *glua.LState) int {
	L.Push(L)
	L.Push(glua.LBool(L.Parent == nil))
	return 2
}

// coResume is coroutine.resume with Lua 5.3's texts for a coroutine that
// cannot be resumed.
func coResume(orig glua.LGFunction) glua.LGFunction {
	texts := map[string]string{
		"can not resume a dead thread":    "cannot resume dead coroutine",
		"can not resume a running thread": "cannot resume non-suspended coroutine",
	}
	return func(L *glua.LState) int {
		if _, ok := L.Get(1).(*glua.LState); !ok {
			argError53(L, 1, "thread expected")
		}
		n := orig(L)
		if n == 2 && L.Get(-2) == glua.LFalse {
			if s, ok := L.Get(-1).(glua.LString); ok {
				if t, ok := texts[string(s)]; ok {
					L.Replace(-1, glua.LString(t))
				}
			}
		}
		return n
	}
}

// coWrap is Lua 5.3's coroutine.wrap: a function that resumes a new
// coroutine (made by coroutine.create as it is when called, which the
// runtime replaces to keep a registry of them) and gives back what it
// yields or returns, or raises its error, a string after the position of
// the call. Being Go, the function adds no Lua frame, so that position is
// the caller's line, as in Lua 5.3.
func coWrap(co *glua.LTable, resume *glua.LFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		fn, ok := L.Get(1).(*glua.LFunction)
		if !ok {
			argError53(L, 1, "function expected, got "+argTypeName(L, 1))
		}
		L.Push(co.RawGetString("create"))
		L.Push(fn)
		L.Call(1, 1)
		thread := L.Get(-1)
		L.Pop(1)
		L.Push(L.NewFunction(func(L *glua.LState) int {
			n := L.GetTop()
			L.Push(resume)
			L.Push(thread)
			for i := 1; i <= n; i++ {
				L.Push(L.Get(i))
			}
			L.Call(n+1, glua.MultRet)
			if L.Get(n+1) == glua.LFalse {
				e := L.Get(n + 2)
				if s, ok := e.(glua.LString); ok {
					e = glua.LString(where53(L, 1) + string(s))
				}
				L.Error(e, 0)
			}
			return L.GetTop() - n - 1
		}))
		return 1
	}
}

// mathMinMax is Lua 5.3's math.min (min) or math.max: at least one value,
// compared with Lua's `<` (numbers, strings, __lt).
func mathMinMax(min bool) glua.LGFunction {
	return func(L *glua.LState) int {
		n := L.GetTop()
		if n < 1 {
			argError53(L, 1, "value expected")
		}
		best := 1
		for i := 2; i <= n; i++ {
			if min && L.LessThan(L.Get(i), L.Get(best)) || !min && L.LessThan(L.Get(best), L.Get(i)) {
				best = i
			}
		}
		L.Push(L.Get(best))
		return 1
	}
}

// mathModf is Lua 5.3's math.modf: the fractional part of an infinity is 0.
func mathModf(L *glua.LState) int {
	x := float64(L.CheckNumber(1))
	ip := math.Trunc(x)
	frac := x - ip
	if ip == x {
		frac = 0
	}
	L.Push(glua.LNumber(ip))
	L.Push(glua.LNumber(frac))
	return 2
}

// tableOf is argument 1 of a table function, or Lua 5.3's error.
func tableOf(L *glua.LState) *glua.LTable {
	t, ok := L.Get(1).(*glua.LTable)
	if !ok {
		argError53(L, 1, "table expected, got "+argTypeName(L, 1))
	}
	return t
}

// tableInsert is Lua 5.3's table.insert: at the end, or at a position from
// 1 to #t+1 ("position out of bounds" otherwise), with two or three
// arguments only. Moving the elements after it costs work.
func tableInsert(L *glua.LState) int {
	t := tableOf(L)
	e := chargedLen(L, t) + 1
	switch L.GetTop() {
	case 2:
		t.RawSetInt(e, L.Get(2))
	case 3:
		pos := checkInteger53(L, 2)
		if pos < 1 || pos > int64(e) {
			argError53(L, 2, "position out of bounds")
		}
		spend(L, (int64(e)-pos)/4)
		for i := e; i > int(pos); i-- {
			t.RawSetInt(i, t.RawGetInt(i-1))
		}
		t.RawSetInt(int(pos), L.Get(3))
	default:
		luaError53(L, "wrong number of arguments to 'insert'")
	}
	return 0
}

// tableRemove is Lua 5.3's table.remove: the last element, or the one at a
// position from 1 to #t+1 (any position when the table is empty and it is
// #t), moving the ones after it down.
func tableRemove(L *glua.LState) int {
	t := tableOf(L)
	size := int64(chargedLen(L, t))
	pos := size
	if L.Get(2) != glua.LNil {
		pos = checkInteger53(L, 2)
	}
	if pos != size && (pos < 1 || pos > size+1) {
		argError53(L, 1, "position out of bounds")
	}
	spend(L, (size-pos)/4)
	L.Push(t.RawGetInt(int(pos)))
	for ; pos < size; pos++ {
		t.RawSetInt(int(pos), t.RawGetInt(int(pos+1)))
	}
	t.RawSetInt(int(pos), glua.LNil)
	return 1
}

// stringChar is Lua 5.3's string.char: bytes from 0 to 255.
func stringChar(L *glua.LState) int {
	n := L.GetTop()
	b := make([]byte, n)
	for i := 1; i <= n; i++ {
		c := checkInteger53(L, i)
		if c < 0 || c > 255 {
			argError53(L, i, "value out of range")
		}
		b[i-1] = byte(c)
	}
	L.Push(glua.LString(b))
	return 1
}

// chunkID is how Lua 5.3 names a chunk in messages (luaO_chunkid): a name
// that starts with '=' or '@' as the rest of it, any other as
// [string "its first line"], cut to fit Lua's 60 bytes with "...".
func chunkID(name string) string {
	const idSize = 60 - 1
	if strings.HasPrefix(name, "=") || strings.HasPrefix(name, "@") {
		rest := name[1:]
		if len(rest) > idSize {
			if name[0] == '=' {
				return rest[:idSize]
			}
			return "..." + rest[len(rest)-(idSize-3):]
		}
		return rest
	}
	line, more := name, false
	if i := strings.IndexByte(name, '\n'); i >= 0 {
		line, more = name[:i], true
	}
	room := idSize - len(`[string "`) - len(`..."]`)
	if len(line) > room {
		line, more = line[:room], true
	}
	if more {
		return `[string "` + line + `..."]`
	}
	return `[string "` + line + `"]`
}

// installPcall makes pcall and xpcall Go functions that count how many are
// open in each coroutine: gopher-lua cannot yield across pcall (a yield
// inside one makes it return early), so Receive refuses to wait inside
// one, and require(".insidepcall") is how the runtime asks
// (runtime/gopherlua.lua). Being Go, they add no Lua frame between the
// caller and the function called, so error levels and positions are Lua
// 5.3's (error("x", 2) names the caller's line). xpcall passes its further
// arguments to the function, as Lua 5.3's does.
// caughtErrorWork is what pcall and xpcall charge for an error they catch.
const caughtErrorWork = 64

func installPcall(L *glua.LState) {
	depth := map[*glua.LState]int{}
	enter := func(L *glua.LState) func() {
		depth[L]++
		return func() {
			if depth[L]--; depth[L] <= 0 {
				delete(depth, L)
			}
		}
	}
	failed := func(L *glua.LState, err error) int {
		// A caught error unwound Go's stack and wrote a traceback: some
		// microseconds, where an instruction is a few dozen nanoseconds.
		spend(L, caughtErrorWork)
		L.Push(glua.LFalse)
		if aerr, ok := err.(*glua.ApiError); ok {
			L.Push(aerr.Object)
		} else {
			L.Push(glua.LString(err.Error()))
		}
		return 2
	}
	pcall := func(L *glua.LState) int {
		if L.GetTop() < 1 {
			argError53(L, 1, "value expected")
		}
		v := L.Get(1)
		if v.Type() != glua.LTFunction && L.GetMetaField(v, "__call").Type() != glua.LTFunction {
			L.Push(glua.LFalse)
			L.Push(glua.LString("attempt to call a " + luaTypeName(v) + " value"))
			return 2
		}
		defer enter(L)()
		if err := L.PCall(L.GetTop()-1, glua.MultRet, nil); err != nil {
			return failed(L, err)
		}
		L.Insert(glua.LTrue, 1)
		return L.GetTop()
	}
	xpcall := func(L *glua.LState) int {
		if L.GetTop() < 2 {
			argError53(L, 2, "value expected")
		}
		handler, ok := L.Get(2).(*glua.LFunction)
		if !ok {
			argError53(L, 2, "function expected, got "+argTypeName(L, 2))
		}
		L.Remove(2)
		defer enter(L)()
		if err := L.PCall(L.GetTop()-1, glua.MultRet, handler); err != nil {
			return failed(L, err)
		}
		L.Insert(glua.LTrue, 1)
		return L.GetTop()
	}
	g := L.G.Global
	g.RawSetString("pcall", L.NewFunction(pcall))
	g.RawSetString("xpcall", L.NewFunction(xpcall))
	inside := L.NewFunction(func(L *glua.LState) int {
		L.Push(glua.LBool(L.Parent != nil && depth[L] > 0))
		return 1
	})
	L.PreloadModule(".insidepcall", func(L *glua.LState) int {
		L.Push(inside)
		return 1
	})
}
