package lua

import (
	"reflect"
	"slices"
	"strings"
	"unsafe"

	glua "github.com/yuin/gopher-lua"
)

// gopher-lua keeps a table's hash keys in insertion order in an unexported
// slice, and LTable.Next finds its place in it with a map lookup per step
// before looking the value up: two hash lookups an entry. Snapshots walk
// every entry of a process's state, so they read that slice directly (read
// only, found by reflection) and look each value up once: the same entries
// in the same order as Next gives, deleted keys (nil values) skipped as Next
// skips them. If a gopher-lua version changes the layout, the walk falls
// back to Next.
var keysOffset, keysFound = tableField("keys", reflect.TypeOf([]glua.LValue(nil)))

// tableField is the offset of LTable's unexported field name, and whether
// it exists with type typ.
func tableField(name string, typ reflect.Type) (uintptr, bool) {
	f, ok := reflect.TypeOf(glua.LTable{}).FieldByName(name)
	if !ok || f.Type != typ {
		return 0, false
	}
	return f.Offset, true
}

// forEachHash calls fn with each entry of t's hash part (the entries after
// the array part 1..t.MaxN()) in the order LTable.Next gives them. fn must
// not change t.
func forEachHash(t *glua.LTable, fn func(k, v glua.LValue)) {
	if !keysFound {
		for k, v := t.Next(hashStart(t.MaxN())); k != glua.LNil; k, v = t.Next(k) {
			fn(k, v)
		}
		return
	}
	keys := *(*[]glua.LValue)(unsafe.Add(unsafe.Pointer(t), keysOffset))
	for _, k := range keys {
		if v := t.RawGetH(k); v != glua.LNil {
			fn(k, v)
		}
	}
}

// The sizes of a table's two hash maps (string keys, other keys) tell
// whether a restore must rewrite it (hashCount): read directly, as the key
// slice is, since reflection costs more than the rest of the comparison of
// a small table.
var strdictOffset, dictOffset, mapsFound = tableMapOffsets()

func tableMapOffsets() (uintptr, uintptr, bool) {
	typ := reflect.TypeOf(glua.LTable{})
	s, ok1 := typ.FieldByName("strdict")
	d, ok2 := typ.FieldByName("dict")
	if !ok1 || !ok2 || s.Type != reflect.TypeOf(map[string]glua.LValue(nil)) || d.Type != reflect.TypeOf(map[glua.LValue]glua.LValue(nil)) {
		return 0, 0, false
	}
	return s.Offset, d.Offset, true
}

// gopher-lua creates a table's key slice and key-index map empty at its
// first hash key and grows them one doubling at a time: the message table
// of every evaluation grows each several times. Tables the engine builds
// for a known number of keys get both at that size up front (found by
// reflection, as the key slice above; CreateTable alone when the layout
// differs). Capacities are invisible to Lua: the table holds exactly what
// CreateTable's would.
var k2iOffset, k2iFound = tableField("k2i", reflect.TypeOf(map[glua.LValue]int(nil)))

// newKeyedTable is L.CreateTable(acap, keys) with room for keys hash keys.
func newKeyedTable(L *glua.LState, acap, keys int) *glua.LTable {
	t := L.CreateTable(acap, keys)
	if keysFound && k2iFound && keys > 0 {
		*(*[]glua.LValue)(unsafe.Add(unsafe.Pointer(t), keysOffset)) = make([]glua.LValue, 0, keys)
		*(*map[glua.LValue]int)(unsafe.Add(unsafe.Pointer(t), k2iOffset)) = make(map[glua.LValue]int, keys)
	}
	return t
}

// sortLibraryKeys puts the hash keys of every table reachable from the
// globals in name order. gopher-lua fills its libraries by ranging over
// Go maps, whose order changes from run to run, and pairs gives the
// order keys were set in: without this, `for k in pairs(string)` listed
// the functions in another order in every process. Strings come first,
// in byte order; keys of other types keep their order after them. (The
// key order lives in two unexported fields, found as the key slice is;
// without them nothing is sorted.)
func sortLibraryKeys(L *glua.LState) {
	roots := []glua.LValue{L.G.Global}
	if loaded, ok := L.G.Registry.RawGetString("_LOADED").(*glua.LTable); ok {
		roots = append(roots, loaded)
	}
	sortKeysFrom(roots...)
}

// sortedModule is a module's open function whose tables come out with
// their keys in name order, as sortLibraryKeys leaves the libraries: the
// engine's Go modules are built from Go maps too.
func sortedModule(open glua.LGFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		n := open(L)
		if n > 0 {
			sortKeysFrom(L.Get(-n))
		}
		return n
	}
}

// sortKeysFrom sorts the hash keys of every table reachable from roots
// through table values.
func sortKeysFrom(roots ...glua.LValue) {
	if !keysFound || !k2iFound {
		return
	}
	seen := map[*glua.LTable]bool{}
	var walk func(v glua.LValue)
	walk = func(v glua.LValue) {
		t, ok := v.(*glua.LTable)
		if !ok || seen[t] {
			return
		}
		seen[t] = true
		sortHashKeys(t)
		forEachHash(t, func(_, v glua.LValue) { walk(v) })
	}
	for _, r := range roots {
		walk(r)
	}
}

// sortHashKeys rewrites t's key order: live string keys in byte order,
// then the other live keys in the order they had. Deleted keys are left
// out, as Next skips them anyway.
func sortHashKeys(t *glua.LTable) {
	keysPtr := (*[]glua.LValue)(unsafe.Add(unsafe.Pointer(t), keysOffset))
	if len(*keysPtr) < 2 {
		return
	}
	var strs, others []glua.LValue
	for _, k := range *keysPtr {
		if t.RawGetH(k) == glua.LNil {
			continue
		}
		if _, ok := k.(glua.LString); ok {
			strs = append(strs, k)
		} else {
			others = append(others, k)
		}
	}
	slices.SortFunc(strs, func(a, b glua.LValue) int { return strings.Compare(string(a.(glua.LString)), string(b.(glua.LString))) })
	keys := append(strs, others...)
	k2i := make(map[glua.LValue]int, len(keys))
	for i, k := range keys {
		k2i[k] = i
	}
	*keysPtr = keys
	*(*map[glua.LValue]int)(unsafe.Add(unsafe.Pointer(t), k2iOffset)) = k2i
}
