package lua

import (
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
// copied from outside gopher-lua, so a coroutine waiting in Receive is not
// rolled back (its upvalues and the tables it reaches are).
type snapshot struct {
	tables  []tableSnap
	upvals  []upvalSnap
	funcs   []funcSnap
	udata   []udataSnap
	threads []*glua.LState
	// entries and bytes measure the reachable state, for the memory bound.
	entries int
	bytes   int64
}

type tableSnap struct {
	t    *glua.LTable
	meta glua.LValue
	kv   []glua.LValue // key, value, key, value...
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
}

// takeSnapshot walks the object graph from roots.
func takeSnapshot(roots ...glua.LValue) *snapshot {
	s := &snapshot{}
	seen := make(map[any]struct{}, 256)
	var stack []glua.LValue
	visit := func(v glua.LValue) {
		switch x := v.(type) {
		case glua.LString:
			s.bytes += int64(len(x))
		case *glua.LTable:
			if _, ok := seen[x]; !ok {
				seen[x] = struct{}{}
				stack = append(stack, x)
			}
		case *glua.LFunction:
			if x.IsG && len(x.Upvalues) == 0 {
				return // a Go function without upvalues holds no Lua state
			}
			if _, ok := seen[x]; !ok {
				seen[x] = struct{}{}
				stack = append(stack, x)
			}
		case *glua.LUserData:
			if _, ok := seen[x]; !ok {
				seen[x] = struct{}{}
				stack = append(stack, x)
			}
		case *glua.LState:
			if _, ok := seen[x]; !ok {
				seen[x] = struct{}{}
				s.threads = append(s.threads, x)
			}
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
			ts := tableSnap{t: x, meta: x.Metatable}
			visit(x.Metatable)
			x.ForEach(func(k, val glua.LValue) {
				ts.kv = append(ts.kv, k, val)
				visit(k)
				visit(val)
			})
			s.entries += len(ts.kv) / 2
			s.tables = append(s.tables, ts)
		case *glua.LFunction:
			s.funcs = append(s.funcs, funcSnap{f: x, env: x.Env})
			if x.Env != nil {
				visit(x.Env)
			}
			for _, uv := range x.Upvalues {
				if uv == nil {
					continue
				}
				if _, ok := seen[uv]; ok {
					continue
				}
				seen[uv] = struct{}{}
				val := uv.Value()
				s.upvals = append(s.upvals, upvalSnap{uv: uv, v: val})
				visit(val)
			}
		case *glua.LUserData:
			s.udata = append(s.udata, udataSnap{u: x, meta: x.Metatable, env: x.Env})
			visit(x.Metatable)
			if x.Env != nil {
				visit(x.Env)
			}
		}
	}
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
		if tableUnchanged(t, ts.kv) {
			continue
		}
		keys = keys[:0]
		t.ForEach(func(k, _ glua.LValue) { keys = append(keys, k) })
		for _, k := range keys {
			t.RawSet(k, glua.LNil)
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
	}
}

func tableUnchanged(t *glua.LTable, kv []glua.LValue) bool {
	n := 0
	t.ForEach(func(_, _ glua.LValue) { n++ })
	if n != len(kv)/2 {
		return false
	}
	for j := 0; j < len(kv); j += 2 {
		if t.RawGet(kv[j]) != kv[j+1] {
			return false
		}
	}
	return true
}
