package lua

import (
	"unsafe"

	glua "github.com/yuin/gopher-lua"
)

// A snapshot records the contents of every mutable object reachable from a
// process's roots: tables (entries and metatable), closures (environment and
// upvalues) and userdata (metatable and environment). Restoring writes those
// contents back into the same objects, so identities are kept: a closure
// that held a table still holds that table, with its old entries. Objects
// made after the snapshot become unreachable from the restored state.
// Function prototypes and strings are immutable and are not copied.
//
// Coroutines are the exception: a suspended coroutine's stack cannot be
// copied from outside gopher-lua. The process therefore takes snapshots only
// while no handler waits in Receive (see process.eval).
type snapshot struct {
	tables []tableSnap
	upvals []upvalSnap
	funcs  []funcSnap
	udata  []udataSnap
	// states are what stateful userdata (an lsqlite3 database) keep
	// outside Lua.
	states []stateSnap
	// entries and bytes measure the reachable state, for the memory bound.
	entries int
	bytes   int64
	// typeMetas are the metatables of the types (process.typeSamples),
	// set back by restoring.
	typeMetas []glua.LValue
	// addresses is the mark of the process's address book.
	addresses uint64
	// buf backs the windows arr and kv of the tables, so that a snapshot
	// that is done with can lend its storage to the next one.
	buf []glua.LValue
}

type tableSnap struct {
	t    *glua.LTable
	meta glua.LValue
	// arr holds the values at 1..len(arr); kv the other entries as key,
	// value, key, value... Both are windows of one slice shared by the whole
	// snapshot, to keep allocations few.
	arr []glua.LValue
	kv  []glua.LValue
}

type upvalSnap struct {
	uv *glua.Upvalue
	v  glua.LValue
}

type funcSnap struct {
	f   *glua.LFunction
	env *glua.LTable
}

type udataSnap struct {
	u    *glua.LUserData
	meta glua.LValue
	env  *glua.LTable
	// value is the Go value, which a bint's in-place operations (x:_add(y))
	// replace.
	value any
}

// stateful is a userdata value that holds state outside Lua (an lsqlite3
// database and its statements). Values with the same stateKey share one
// state, saved once per snapshot. saveState is called after the walk, with
// a test of which userdata the state reaches, so that it can drop what
// nothing reaches instead of recording it; the bytes it reports count
// toward the state's size.
type stateful interface {
	stateKey() any
	saveState(reached func(*glua.LUserData) bool) (saved any, bytes int64)
	restoreState(saved any)
}

type stateSnap struct {
	key   any
	obj   stateful
	saved any
}

// walker holds scratch space reused between snapshots of one process.
type walker struct {
	// seen holds the objects visited, by address: a pointer key hashes
	// much faster than an interface key, and the walk is mostly lookups.
	seen map[unsafe.Pointer]struct{}
	// states holds the keys of the stateful userdata states visited.
	states map[any]struct{}
	stack  []glua.LValue
	size   int // values in the last snapshot, to size the next one
	// spare is a snapshot no longer needed, whose storage the next take
	// reuses: a snapshot per dryrun would otherwise be most of what the
	// engine allocates.
	spare *snapshot
}

// recycle hands the walker a snapshot that nothing will restore any more.
func (wk *walker) recycle(s *snapshot) {
	if s == nil {
		return
	}
	// Drop the references, so that recycled storage keeps nothing alive.
	clear(s.buf[:cap(s.buf)])
	clear(s.tables[:cap(s.tables)])
	clear(s.upvals[:cap(s.upvals)])
	clear(s.funcs[:cap(s.funcs)])
	clear(s.udata[:cap(s.udata)])
	s.states = nil
	wk.spare = s
}

// hashStart returns the key to give LTable.Next to iterate the entries after
// the array part 1..n (Next(0) would skip the first hash key).
func hashStart(n int) glua.LValue {
	if n == 0 {
		return glua.LNil
	}
	return glua.LNumber(n)
}

// take walks the object graph from roots.
func (wk *walker) take(roots ...glua.LValue) *snapshot {
	s := &snapshot{}
	if old := wk.spare; old != nil {
		wk.spare = nil
		s = &snapshot{tables: old.tables[:0], upvals: old.upvals[:0], funcs: old.funcs[:0], udata: old.udata[:0], buf: old.buf[:0]}
	}
	if wk.seen == nil {
		wk.seen = make(map[unsafe.Pointer]struct{}, 256)
		wk.states = map[any]struct{}{}
	} else {
		clear(wk.seen)
		clear(wk.states)
	}
	seen := wk.seen
	// first marks an object seen and says whether this is its first visit.
	first := func(p unsafe.Pointer) bool {
		if _, ok := seen[p]; ok {
			return false
		}
		seen[p] = struct{}{}
		return true
	}
	stack := wk.stack[:0]
	all := s.buf
	if cap(all) < wk.size+64 {
		all = make([]glua.LValue, 0, wk.size+64)
	}
	visit := func(v glua.LValue) {
		switch x := v.(type) {
		case glua.LString:
			s.bytes += int64(len(x))
		case *glua.LTable:
			if first(unsafe.Pointer(x)) {
				stack = append(stack, x)
			}
		case *glua.LFunction:
			if x.IsG && len(x.Upvalues) == 0 {
				return // a Go function without upvalues holds no Lua state
			}
			if first(unsafe.Pointer(x)) {
				stack = append(stack, x)
			}
		case *glua.LUserData:
			if first(unsafe.Pointer(x)) {
				stack = append(stack, x)
			}
		case *glua.LState:
			// A coroutine: its stack cannot be recorded (see above).
		}
	}
	for _, r := range roots {
		visit(r)
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch x := v.(type) {
		case *glua.LTable:
			visit(x.Metatable)
			n := x.MaxN()
			start := len(all)
			for i := 1; i <= n; i++ {
				val := x.RawGetInt(i)
				all = append(all, val)
				visit(val)
			}
			mid := len(all)
			if keysFound {
				// forEachHash's loop, written out: a closure call per entry
				// is a noticeable part of a walk that visits thousands.
				for _, k := range *(*[]glua.LValue)(unsafe.Add(unsafe.Pointer(x), keysOffset)) {
					val := x.RawGetH(k)
					if val == glua.LNil {
						continue
					}
					all = append(all, k, val)
					// Strings are only counted and numbers and booleans
					// hold nothing: visit is called for the others.
					for _, e := range [2]glua.LValue{k, val} {
						switch x := e.(type) {
						case glua.LString:
							s.bytes += int64(len(x))
						case glua.LNumber, glua.LBool:
						default:
							visit(e)
						}
					}
				}
			} else {
				forEachHash(x, func(k, val glua.LValue) {
					all = append(all, k, val)
					visit(k)
					visit(val)
				})
			}
			s.entries += (mid - start) + (len(all)-mid)/2
			s.tables = append(s.tables, tableSnap{t: x, meta: x.Metatable,
				arr: all[start:mid:mid], kv: all[mid:len(all):len(all)]})
		case *glua.LFunction:
			s.funcs = append(s.funcs, funcSnap{f: x, env: x.Env})
			if x.Env != nil {
				visit(x.Env)
			}
			for _, uv := range x.Upvalues {
				if uv == nil {
					continue
				}
				if !first(unsafe.Pointer(uv)) {
					continue
				}
				val := uv.Value()
				s.upvals = append(s.upvals, upvalSnap{uv: uv, v: val})
				visit(val)
			}
		case *glua.LUserData:
			s.udata = append(s.udata, udataSnap{u: x, meta: x.Metatable, env: x.Env, value: x.Value})
			if st, ok := x.Value.(stateful); ok {
				if _, dup := wk.states[st.stateKey()]; !dup {
					wk.states[st.stateKey()] = struct{}{}
					s.states = append(s.states, stateSnap{key: st.stateKey(), obj: st})
				}
			}
			visit(x.Metatable)
			if x.Env != nil {
				visit(x.Env)
			}
		}
	}
	reached := func(u *glua.LUserData) bool {
		_, ok := seen[unsafe.Pointer(u)]
		return ok
	}
	for i := range s.states {
		saved, n := s.states[i].obj.saveState(reached)
		s.states[i].saved = saved
		s.bytes += n
	}
	// Windows taken before a reallocation of all still point at the old
	// backing array, which stays valid: the values are the same.
	wk.stack = stack[:0]
	wk.size = len(all)
	s.buf = all
	return s
}

// restore writes the recorded contents back. Tables whose contents did not
// change are left alone, so a restore costs little more than a comparison.
func (s *snapshot) restore() {
	var keys []glua.LValue
	for i := range s.tables {
		ts := &s.tables[i]
		t := ts.t
		if t.Metatable != ts.meta {
			t.Metatable = ts.meta
		}
		if ts.unchanged() {
			continue
		}
		keys = keys[:0]
		n := t.MaxN()
		forEachHash(t, func(k, _ glua.LValue) { keys = append(keys, k) })
		for _, k := range keys {
			t.RawSetH(k, glua.LNil)
		}
		for i := n; i > len(ts.arr); i-- {
			t.RawSetInt(i, glua.LNil)
		}
		for i, v := range ts.arr {
			t.RawSetInt(i+1, v)
		}
		for j := 0; j < len(ts.kv); j += 2 {
			t.RawSet(ts.kv[j], ts.kv[j+1])
		}
	}
	for _, u := range s.upvals {
		if u.uv.Value() != u.v {
			u.uv.SetValue(u.v)
		}
	}
	for _, f := range s.funcs {
		f.f.Env = f.env
	}
	for _, u := range s.udata {
		u.u.Metatable = u.meta
		u.u.Env = u.env
		u.u.Value = u.value
	}
	for _, st := range s.states {
		st.obj.restoreState(st.saved)
	}
}

// holds reports whether the snapshot recorded the state with this key.
func (s *snapshot) holds(key any) bool {
	for _, st := range s.states {
		if st.key == key {
			return true
		}
	}
	return false
}

// unchanged reports whether the table holds exactly the recorded entries:
// the same array part, every recorded key bound to its recorded value, and
// no other key (checked by counting the hash entries).
func (ts *tableSnap) unchanged() bool {
	t := ts.t
	n := t.MaxN()
	if n != len(ts.arr) {
		return false
	}
	for i, v := range ts.arr {
		if t.RawGetInt(i+1) != v {
			return false
		}
	}
	for j := 0; j < len(ts.kv); j += 2 {
		if t.RawGet(ts.kv[j]) != ts.kv[j+1] {
			return false
		}
	}
	return hashCount(t) == len(ts.kv)/2
}

// hashCount returns the number of entries outside the array part 1..MaxN.
func hashCount(t *glua.LTable) int {
	if mapsFound {
		// Keys past the array part that live in the array slice (trailing
		// nils excluded by MaxN) are not in the maps; none exist, because
		// MaxN is the last non-nil array index.
		return len(*(*map[string]glua.LValue)(unsafe.Add(unsafe.Pointer(t), strdictOffset))) +
			len(*(*map[glua.LValue]glua.LValue)(unsafe.Add(unsafe.Pointer(t), dictOffset)))
	}
	count := 0
	forEachHash(t, func(glua.LValue, glua.LValue) { count++ })
	return count
}
