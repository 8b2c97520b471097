package lua

import (
	glua "github.com/yuin/gopher-lua"
)

// Strings' metatable, as a process sees it and as the engine uses it.
//
// gopher-lua's arithmetic instructions look a string operand's metamethod
// up in strings' metatable, and the engine puts charged ones there
// (stringArith, ops53.go). A process that removed them from
// getmetatable("") got gopher-lua's uncharged conversion back, and a loop
// of `s + 1` on a long numeral ran into the wall-clock safety net instead
// of its work budget. So the process and the engine see two tables:
//
//   - the engine's (the registry's vmStringMeta), which gopher-lua's
//     instructions read: __index, the charged arithmetic, and __metatable
//     set to the process's table, so that getmetatable("") and
//     debug.getmetatable("") return that one;
//   - the process's (visibleStringMeta): {__index = string}, as on aos.
//     It is an empty table in front of its contents (stringMetaContents),
//     so that every write reaches its __newindex and is applied to the
//     engine's table at once; pairs, next, rawget and rawset see the
//     contents, and getmetatable shows it has no metatable, as on aos.
//
// An arithmetic event the process sets (`__add`, ...) is kept in a table
// of its own (userStringArith), which stringArith calls when an operand is
// a string that is not a numeral, as Lua 5.3 does; the engine's charged
// metamethods stay. An __index other than the string library is reached
// behind the engine's own names (concatName, ...), which every chunk finds
// through a string. All these tables live in the registry, so snapshots
// (dryruns, rollbacks) cover them.
const (
	vmStringMeta      = "(string metatable)"
	visibleStringMeta = "(visible string metatable)"
	userStringArith   = "(string arithmetic)"
	// stringLibrary and engineOpsKey are the string library and the
	// engine's operators, which an __index of the process's stands in
	// front of.
	stringLibrary = "(string library)"
	engineOpsKey  = "(engine operators)"
	// stringMetaContents holds what the process's table shows.
	stringMetaContents = "(string metatable contents)"
)

// installStringMetatable sets strings' metatable up as above, with the
// string library strlib and the engine's operators ops behind __index.
func installStringMetatable(L *glua.LState, strlib, ops *glua.LTable) {
	reg := L.G.Registry
	vm := L.NewTable()
	vm.RawSetString("__index", strlib)
	installStringArith(L, vm)
	contents := L.NewTable()
	contents.RawSetString("__index", strlib)
	visible := L.NewTable()
	vm.RawSetString("__metatable", visible)
	reg.RawSetString(vmStringMeta, vm)
	reg.RawSetString(visibleStringMeta, visible)
	reg.RawSetString(stringMetaContents, contents)
	reg.RawSetString(userStringArith, L.NewTable())
	reg.RawSetString(stringLibrary, strlib)
	reg.RawSetString(engineOpsKey, ops)
	front := L.NewTable()
	front.RawSetString("__index", contents)
	front.RawSetString("__newindex", L.NewFunction(func(L *glua.LState) int {
		setStringMeta(L, L.CheckAny(2), L.Get(3))
		return 0
	}))
	visible.Metatable = front
	L.SetMetatable(glua.LString(""), vm)

	// The process's table has no metatable of its own, as on aos.
	g := L.G.Global
	hide := func(name string, tbl *glua.LTable) {
		f, ok := tbl.RawGetString(name).(*glua.LFunction)
		if !ok || !f.IsG {
			return
		}
		tbl.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
			if L.Get(1) == L.G.Registry.RawGetString(visibleStringMeta) {
				L.Push(glua.LNil)
				return 1
			}
			return f.GFunction(L)
		}))
	}
	hide("getmetatable", g)
	if dbg, ok := g.RawGetString("debug").(*glua.LTable); ok {
		hide("getmetatable", dbg)
		if set, ok := dbg.RawGetString("setmetatable").(*glua.LFunction); ok && set.IsG {
			dbg.RawSetString("setmetatable", L.NewFunction(func(L *glua.LState) int {
				if _, isString := L.Get(1).(glua.LString); isString || L.Get(1) == L.G.Registry.RawGetString(visibleStringMeta) {
					unsupportedf(L, "debug.setmetatable of strings' metatable (set its fields instead: getmetatable(\"\").__index = ...)")
				}
				return set.GFunction(L)
			}))
		}
	}
}

// setStringMeta sets one key of the process's string metatable, and of
// the engine's as it stands for it.
func setStringMeta(L *glua.LState, k, v glua.LValue) {
	reg := L.G.Registry
	vm, ok1 := reg.RawGetString(vmStringMeta).(*glua.LTable)
	user, ok2 := reg.RawGetString(userStringArith).(*glua.LTable)
	contents, ok3 := reg.RawGetString(stringMetaContents).(*glua.LTable)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	if k == glua.LNil {
		L.RaiseError("table index is nil")
	}
	contents.RawSet(k, v)
	name, _ := k.(glua.LString)
	if isStringArithEvent(string(name)) {
		user.RawSet(k, v)
		return
	}
	switch name {
	case "__index":
		vm.RawSetString("__index", stringIndex(L, v))
	case "__metatable":
		if v == glua.LNil {
			v = reg.RawGetString(visibleStringMeta)
		}
		vm.RawSetString("__metatable", v)
	default:
		vm.RawSet(k, v)
	}
}

// stringIndex is the engine's __index for the process's __index v: the
// string library itself, else a function that finds the engine's
// operators first and then looks in v (a table, through its own
// metamethods) or calls it.
func stringIndex(L *glua.LState, v glua.LValue) glua.LValue {
	reg := L.G.Registry
	if v == reg.RawGetString(stringLibrary) {
		return v
	}
	ops := reg.RawGetString(engineOpsKey)
	if v == glua.LNil {
		return ops
	}
	return L.NewFunction(func(L *glua.LState) int {
		s, k := L.Get(1), L.Get(2)
		if t, ok := ops.(*glua.LTable); ok {
			if op := t.RawGet(k); op != glua.LNil {
				L.Push(op)
				return 1
			}
		}
		if fn, ok := v.(*glua.LFunction); ok {
			L.Push(fn)
			L.Push(s)
			L.Push(k)
			L.Call(2, 1)
			return 1
		}
		L.Push(L.GetTable(v, k))
		return 1
	})
}

// seeStringMetaContents makes next, rawget and rawset (as g has them
// now, charged) and pairs see the process's string metatable's contents
// rather than the empty table in front of them.
func seeStringMetaContents(L *glua.LState, g *glua.LTable) {
	reg := L.G.Registry
	visible, ok1 := reg.RawGetString(visibleStringMeta).(*glua.LTable)
	contents, ok2 := reg.RawGetString(stringMetaContents).(*glua.LTable)
	if !ok1 || !ok2 {
		return
	}
	for _, name := range []string{"next", "rawget"} {
		f, ok := g.RawGetString(name).(*glua.LFunction)
		if !ok || !f.IsG {
			continue
		}
		g.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
			if L.Get(1) == visible {
				L.Replace(1, contents)
			}
			return f.GFunction(L)
		}))
	}
	if f, ok := g.RawGetString("rawset").(*glua.LFunction); ok && f.IsG {
		g.RawSetString("rawset", L.NewFunction(func(L *glua.LState) int {
			if L.Get(1) == visible {
				setStringMeta(L, L.CheckAny(2), L.CheckAny(3))
				L.SetTop(1)
				return 1
			}
			return f.GFunction(L)
		}))
	}
	next := g.RawGetString("next")
	visible.Metatable.(*glua.LTable).RawSetString("__pairs", L.NewFunction(func(L *glua.LState) int {
		L.Push(next)
		L.Push(contents)
		L.Push(glua.LNil)
		return 3
	}))
}

// unsupportedf raises an error for what the engine does not reproduce,
// and marks the evaluation's error as ErrorUnsupported.
func unsupportedf(L *glua.LState, format string, args ...any) {
	if b := budgetOf(L); b != nil {
		b.unsupported = true
	}
	L.RaiseError("unsupported by this engine: "+format, args...)
}

// isStringArithEvent says whether an event is one the engine charges on
// strings (stringArithEvents).
func isStringArithEvent(name string) bool {
	for _, e := range stringArithEvents {
		if e.event == name {
			return true
		}
	}
	return false
}

// userArith returns the process's own metamethod for an arithmetic event
// on strings, or nil.
func userArith(L *glua.LState, event string) glua.LValue {
	if user, ok := L.G.Registry.RawGetString(userStringArith).(*glua.LTable); ok {
		return user.RawGetString(event)
	}
	return glua.LNil
}
