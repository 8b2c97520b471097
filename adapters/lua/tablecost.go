package lua

import (
	"reflect"
	"strconv"
	"unsafe"

	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Three costs hide inside single gopher-lua instructions, where the work
// budget (one unit an instruction) cannot see them:
//
//   - indexing a table with a string held in a register hashes the whole
//     string (a Go map lookup), so `t[s]` on a 4 MiB s reads 4 MiB;
//   - storing an integer key past the end of a table's array part fills
//     the gap with nils, up to glua.MaxArrayIndex (2^26) slots: `t[6e7] = 1`
//     on an empty table writes 1 GiB;
//   - `#t` steps back over the nils left at the end of the array part one
//     by one, and `next` steps over nils in the array part and over keys
//     that were deleted (gopher-lua keeps them in its key order).
//
// A loop of any of them ran for hours on a few units a turn. The rewriter
// therefore compiles the key of an index whose key is not a cheap constant
// as a call of a Go function that charges what the instruction will do and
// returns the key unchanged (`t[(op __key)(k)]`), an assignment to such an
// index as a call that also sees the table (`(op __setkey)(t, k)`, the
// table held in a local so that it is evaluated once), the key of a table
// constructor's `[k] = v` field likewise (`(op __newkey)(k)`), and the
// operand of `#` as a call that charges the nils `#` will step over
// (`#(op __lenarg)(x)`). The instructions themselves still run, so
// metamethods, results and error messages are gopher-lua's own. `next`
// (and so `pairs`) charges the slots it skipped (chargedNext).

// maxFreeGap is how many nils an assignment may add to a table's array
// part (or `#` and `next` step over) for the price of an instruction;
// past it each slot costs a unit, the rate library functions pay for the
// 16 bytes of a value (bytesWork).
const maxFreeGap = 64

// The array part of a table, read directly as the key slice is
// (tablescan.go). Without it (another gopher-lua layout) the charges
// assume the array part is empty, which overcharges and never misses a
// cost.
var arrayOffset, arrayFound = tableField("array", reflect.TypeOf([]glua.LValue(nil)))

// arrayOf is t's array part (nil when its layout is unknown).
func arrayOf(t *glua.LTable) []glua.LValue {
	if !arrayFound {
		return nil
	}
	return *(*[]glua.LValue)(unsafe.Add(unsafe.Pointer(t), arrayOffset))
}

// slotsWork is the work of n slots stepped over or filled.
func slotsWork(n int) int64 {
	if n <= maxFreeGap {
		return 0
	}
	return int64(n)
}

// gapWork is the work of storing key in a table whose array part holds
// alen slots: the nils RawSet appends before it.
func gapWork(alen int, key glua.LValue) int64 {
	n, ok := key.(glua.LNumber)
	if !ok || n < 1 || n >= glua.LNumber(glua.MaxArrayIndex) || float64(n) != float64(int64(n)) {
		return 0
	}
	return slotsWork(int(n) - 1 - alen)
}

// chargedKey is `(op __key)(k)`: k, after charging for hashing it.
func chargedKey(L *glua.LState) int {
	k := L.Get(1)
	if n := longStringWork(k); n > 0 {
		spend(L, n)
	}
	L.Push(k)
	return 1
}

// chargedSetKey is `(op __setkey)(t, k)`: k, after charging for hashing it
// and for the nils storing it in t will add. A table whose __newindex
// would be called instead is charged as if it were not: the charge may
// exceed the work, never fall short of it.
func chargedSetKey(L *glua.LState) int {
	k := L.Get(2)
	n := longStringWork(k)
	if t, ok := L.Get(1).(*glua.LTable); ok {
		n += gapWork(len(arrayOf(t)), k)
	}
	if n > 0 {
		spend(L, n)
	}
	L.Push(k)
	return 1
}

// chargedNewKey is `(op __newkey)(k)` in a table constructor: k, after
// charging for hashing it and for the nils it may add (the array part of a
// table being built is at most its positional items, so the whole gap is
// charged).
func chargedNewKey(L *glua.LState) int {
	k := L.Get(1)
	if n := longStringWork(k) + gapWork(0, k); n > 0 {
		spend(L, n)
	}
	L.Push(k)
	return 1
}

// chargedLenArg is `(op __lenarg)(x)`: x, after charging for the nils at
// the end of its array part that `#` will step over (gopher-lua's
// LTable.Len). A table with a __len metamethod is charged too: the charge
// may exceed the work, never fall short of it. A value `#` cannot measure
// raises Lua 5.3's error here (gopher-lua's instruction says "__len
// undefined").
func chargedLenArg(L *glua.LState) int {
	x := L.Get(1)
	switch v := x.(type) {
	case *glua.LTable:
		chargedLen(L, v)
	case glua.LString:
	default:
		if L.GetMetaField(x, "__len") == glua.LNil {
			L.RaiseError("attempt to get length of a %s value", x.Type().String())
		}
	}
	L.Push(x)
	return 1
}

// chargedLen is t.Len(), charging the nils it stepped over.
func chargedLen(L *glua.LState, t *glua.LTable) int {
	n := t.Len()
	if w := slotsWork(len(arrayOf(t)) - n); w > 0 {
		spend(L, w)
	}
	return n
}

// chargedNext is gopher-lua's next with the slots it stepped over charged:
// the nils of the array part and the deleted keys between key and the key
// it returns. Positions are counted as LTable.Next walks: the array part,
// then the hash keys in their order. Its results are gopher-lua's
// (baseNext's: the key and value, or a single nil at the end); next itself
// is called for anything but a table, for its error.
func chargedNext(next glua.LGFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		t, ok := L.Get(1).(*glua.LTable)
		if !ok {
			return next(L)
		}
		from := L.Get(2)
		if n := longStringWork(from); n > 0 {
			spend(L, n)
		}
		start := 0
		if from != glua.LNil {
			start = slotOf(t, from)
		}
		k, v := t.Next(from)
		end := len(arrayOf(t)) + 1 + hashKeys(t) // past the last
		if k != glua.LNil {
			end = slotOf(t, k)
		}
		if w := slotsWork(end - start - 1); w > 0 {
			spend(L, w)
		}
		if k == glua.LNil {
			L.Push(glua.LNil)
			return 1
		}
		L.Push(k)
		L.Push(v)
		return 2
	}
}

// slotOf is the place of a key in LTable.Next's walk over t: 1 to
// len(array) in the array part, then the hash keys in their order. A key
// Next would not find is placed where Next starts looking after it.
func slotOf(t *glua.LTable, key glua.LValue) int {
	array := arrayOf(t)
	if n, ok := key.(glua.LNumber); ok && n >= 1 && float64(n) == float64(int64(n)) && int(n) <= len(array) {
		return int(n)
	}
	if !keysFound || !k2iFound {
		return len(array)
	}
	k2i := *(*map[glua.LValue]int)(unsafe.Add(unsafe.Pointer(t), k2iOffset))
	return len(array) + 1 + k2i[key]
}

// hashKeys is the length of t's hash key order, deleted keys included.
func hashKeys(t *glua.LTable) int {
	if !keysFound {
		return 0
	}
	return len(*(*[]glua.LValue)(unsafe.Add(unsafe.Pointer(t), keysOffset)))
}

// The rewriter's side (rewrite.go): which keys and operands need a call.

// A key costs no more than an instruction to read when it is a cheap
// constant (compare.go): a number, or a string of at most maxFreeKey bytes.
// freeWriteKey reports whether it also costs no more to store: a cheap
// constant that is not an integer far enough past the start of the array
// part to leave a gap worth charging.
func freeWriteKey(e ast.Expr) bool {
	if !cheapConstant(e) {
		return false
	}
	if x, ok := e.(*ast.NumberExpr); ok {
		n, err := strconv.ParseFloat(x.Value, 64)
		if err != nil || gapWork(0, glua.LNumber(n)) > 0 {
			return false
		}
	}
	return true
}

// opCall is `(op name)(args...)` at e's place in the source.
func opCall(o op53, used opsUsed, at ast.Expr, args ...ast.Expr) ast.Expr {
	used[o] = true
	fn := &ast.IdentExpr{Value: o.local()}
	call := &ast.FuncCallExpr{Func: fn, Args: args}
	for _, n := range []ast.PositionHolder{fn, call} {
		n.SetLine(at.Line())
		n.SetLastLine(at.LastLine())
	}
	return call
}
