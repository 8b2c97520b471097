package lua

import (
	"unsafe"

	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// gopher-lua compares two strings in one instruction, whatever their
// length: a loop comparing two distinct 64 MiB strings would spend a few
// units of work per turn while each turn copies nothing but reads 64 MiB,
// so it would run for hours inside its budget and only the wall-clock
// safety net (a suite error, not a verdict) would end it. The rewriter
// therefore compiles a comparison as a call of compare (bound like the
// Lua 5.3 operators, ops53.go), which charges a unit per 16 bytes it may
// have to read and calls metamethods as Lua 5.3 does. An equality with a
// constant (nil, a boolean, a number, a short string), and a comparison of
// two constants, cost at most the constant's length and stay an
// instruction.

// Copying the values of `...` is one instruction too, however many there
// are (up to the registry's size), and so is the SETLIST that stores them
// in a table. Where `...` gives all its values (last in a list of
// arguments, results, assigned values or table items), the rewriter makes
// it a call of chargedVarargs, which charges the copy. The other sources of
// many values on the stack (table.unpack, string.byte, select) are library
// functions that charge their own work.

// freeVarargs is how many values `...` copies for the price of its
// instruction; beyond, each value costs a unit: a value is 16 bytes, and
// library functions pay a unit per 16 bytes they build (bytesWork).
const freeVarargs = 16

// varargsCall is what the rewriter puts in place of the last expression e
// of a list: `(op __varargs)(...)` when e is a `...` that gives all its
// values, e itself otherwise.
func varargsCall(e ast.Expr, used opsUsed) ast.Expr {
	v, ok := e.(*ast.Comma3Expr)
	if !ok || v.AdjustRet {
		return e
	}
	used[opVarargs] = true
	fn := &ast.IdentExpr{Value: opVarargs.local()}
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{v}}
	for _, n := range []ast.PositionHolder{fn, call} {
		n.SetLine(v.Line())
		n.SetLastLine(v.LastLine())
	}
	return call
}

// chargedVarargs returns its arguments, charging their copy.
func chargedVarargs(L *glua.LState) int {
	n := L.GetTop()
	if n > freeVarargs {
		spend(L, int64(n))
	}
	return n
}

// maxFreeConstant is the longest string constant a comparison may have and
// stay an instruction: reading it costs no more than an instruction does.
const maxFreeConstant = 64

// compareCall is what the rewriter puts in place of a comparison: the
// comparison itself when both operands are cheap constants, or when it is
// == or ~= and one is, otherwise a call of the operator's function with the
// operands in source order. An order comparison with a constant is a call
// too: gopher-lua's instruction refuses two values of different types,
// where Lua 5.3 calls either one's __lt or __le (a bint < 5).
func compareCall(x *ast.RelationalOpExpr, used opsUsed) ast.Expr {
	if cheapConstant(x.Lhs) && cheapConstant(x.Rhs) {
		return x
	}
	if (x.Operator == "==" || x.Operator == "~=") && (cheapConstant(x.Lhs) || cheapConstant(x.Rhs)) {
		// Lua 5.3 calls __eq only between two tables or two userdata: a
		// constant is never equal to another type's value.
		return x
	}
	var o op53
	switch x.Operator {
	case "<":
		o = opLt
	case "<=":
		o = opLe
	case ">":
		o = opGt
	case ">=":
		o = opGe
	case "==":
		o = opEq
	case "~=":
		o = opNe
	default:
		return x
	}
	used[o] = true
	fn := &ast.IdentExpr{Value: o.local()}
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{x.Lhs, x.Rhs}, AdjustRet: true}
	for _, n := range []ast.PositionHolder{fn, call} {
		n.SetLine(x.Line())
		n.SetLastLine(x.LastLine())
	}
	return call
}

// cheapConstant reports whether comparing with e costs no more than an
// instruction.
func cheapConstant(e ast.Expr) bool {
	switch c := e.(type) {
	case *ast.NilExpr, *ast.TrueExpr, *ast.FalseExpr, *ast.NumberExpr:
		return true
	case *ast.StringExpr:
		return len(c.Value) <= maxFreeConstant
	}
	return false
}

// compare is a comparison operator with Lua 5.3's rules (`a > b` is
// `b < a`, as Lua compiles it, so its error names the operands in that
// order), with the bytes it may read from two strings charged first:
// numbers and strings compare directly; two tables (or two userdata) are
// equal when they are the same or when the first's __eq, or else the
// second's, says so; `<` calls the first operand's __lt or else the
// second's, and `<=` __le, or else not (b < a) by __lt. gopher-lua (Lua
// 5.1) called a metamethod only when both operands shared it.
func compare(L *glua.LState, o op53) int {
	a, b := L.Get(1), L.Get(2)
	if o == opGt || o == opGe {
		a, b = b, a
	}
	chargeStringCompare(L, o, a, b)
	var r bool
	switch o {
	case opEq:
		r = equal53(L, a, b)
	case opNe:
		r = !equal53(L, a, b)
	case opLt, opGt:
		r = lessThan53(L, a, b)
	case opLe, opGe:
		r = lessEqual(L, a, b)
	}
	L.Push(glua.LBool(r))
	return 1
}

// equal53 is Lua 5.3's `==`.
func equal53(L *glua.LState, a, b glua.LValue) bool {
	if a == b {
		return true
	}
	ta, tb := a.Type(), b.Type()
	if ta != tb || ta != glua.LTTable && ta != glua.LTUserData {
		return L.Equal(a, b)
	}
	if r, ok := metaCompare(L, a, b, "__eq"); ok {
		return r
	}
	return false
}

// lessThan53 is Lua 5.3's `<`.
func lessThan53(L *glua.LState, a, b glua.LValue) bool {
	switch x := a.(type) {
	case glua.LNumber:
		if y, ok := b.(glua.LNumber); ok {
			return x < y
		}
	case glua.LString:
		if y, ok := b.(glua.LString); ok {
			return x < y
		}
	}
	if r, ok := metaCompare(L, a, b, "__lt"); ok {
		return r
	}
	compareError(L, a, b)
	return false
}

// lessEqual is Lua 5.3's `<=`.
func lessEqual(L *glua.LState, a, b glua.LValue) bool {
	switch x := a.(type) {
	case glua.LNumber:
		if y, ok := b.(glua.LNumber); ok {
			return x <= y
		}
	case glua.LString:
		if y, ok := b.(glua.LString); ok {
			return x <= y
		}
	}
	if r, ok := metaCompare(L, a, b, "__le"); ok {
		return r
	}
	if r, ok := metaCompare(L, b, a, "__lt"); ok {
		return !r
	}
	compareError(L, a, b)
	return false
}

// compareError is Lua 5.3's error for two values that do not compare.
func compareError(L *glua.LState, a, b glua.LValue) {
	t1, t2 := luaTypeName(a), luaTypeName(b)
	if t1 == t2 {
		L.RaiseError("attempt to compare two %s values", t1)
	}
	L.RaiseError("attempt to compare %s with %s", t1, t2)
}

// metaCompare calls the event's metamethod of a, or else of b, with a and
// b, and reports its result as a boolean.
func metaCompare(L *glua.LState, a, b glua.LValue, event string) (result, ok bool) {
	m := L.GetMetaField(a, event)
	if m == glua.LNil {
		m = L.GetMetaField(b, event)
	}
	if m == glua.LNil {
		return false, false
	}
	L.Push(m)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	r := glua.LVAsBool(L.Get(-1))
	L.Pop(1)
	return r, true
}

// chargeStringCompare charges what comparing two strings may read. Two
// strings of different lengths are never equal, and one string compared
// with itself is equal, without reading a byte.
func chargeStringCompare(L *glua.LState, o op53, a, b glua.LValue) {
	sa, ok := a.(glua.LString)
	if !ok {
		return
	}
	sb, ok := b.(glua.LString)
	if !ok {
		return
	}
	n := min(len(sa), len(sb))
	if o == opEq || o == opNe {
		if len(sa) != len(sb) || unsafe.StringData(string(sa)) == unsafe.StringData(string(sb)) {
			return
		}
	}
	spend(L, bytesWork(n))
}
