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
// Lua 5.3 operators, ops53.go) whenever neither operand is a constant,
// and compare charges a unit per 16 bytes it may have to read. A
// comparison with a constant (nil, a boolean, a number, a short string)
// costs at most the constant's length and stays an instruction.

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
// comparison itself when an operand is a cheap constant, otherwise a call
// of the operator's function with the operands in source order.
func compareCall(x *ast.RelationalOpExpr, used opsUsed) ast.Expr {
	if cheapConstant(x.Lhs) || cheapConstant(x.Rhs) {
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

// compare is a comparison operator: the same result, metamethods and
// errors as gopher-lua's instruction (`a > b` is `b < a`, as Lua compiles
// it, so its error names the operands in that order), with the bytes it
// may read from two strings charged first.
func compare(L *glua.LState, o op53) int {
	a, b := L.Get(1), L.Get(2)
	if o == opGt || o == opGe {
		a, b = b, a
	}
	chargeStringCompare(L, o, a, b)
	var r bool
	switch o {
	case opEq:
		r = L.Equal(a, b)
	case opNe:
		r = !L.Equal(a, b)
	case opLt, opGt:
		r = L.LessThan(a, b)
	case opLe, opGe:
		r = lessEqual(L, a, b)
	}
	L.Push(glua.LBool(r))
	return 1
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

// lessEqual is gopher-lua's `<=`: numbers and strings directly, otherwise
// __le, or failing that not (b < a) by __lt.
func lessEqual(L *glua.LState, a, b glua.LValue) bool {
	if x, ok := a.(glua.LNumber); ok {
		if y, ok := b.(glua.LNumber); ok {
			return x <= y
		}
		L.RaiseError("attempt to compare %v with %v", a.Type().String(), b.Type().String())
	}
	if a.Type() != b.Type() {
		L.RaiseError("attempt to compare %v with %v", a.Type().String(), b.Type().String())
	}
	if x, ok := a.(glua.LString); ok {
		return string(x) <= string(b.(glua.LString))
	}
	if r, ok := metaCompare(L, a, b, "__le"); ok {
		return r
	}
	if r, ok := metaCompare(L, b, a, "__lt"); ok {
		return !r
	}
	L.RaiseError("attempt to compare %v with %v", b.Type().String(), a.Type().String())
	return false
}

// metaCompare calls the event's metamethod when both operands share it.
func metaCompare(L *glua.LState, a, b glua.LValue, event string) (result, ok bool) {
	m := L.GetMetaField(a, event)
	if m.Type() != glua.LTFunction || m != L.GetMetaField(b, event) {
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
