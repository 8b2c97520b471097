package lua

import (
	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// gopher-lua's `..` builds its result in one instruction, whatever its
// size: a loop that doubles a string would reach gigabytes for a few units
// of work and exhaust the host's memory before any check ran. The rewriter
// therefore turns every `a .. b` into a call of concatName, a Go function
// that refuses a result past MaxStringBytes before building it and charges
// work in proportion to the bytes it copies, so that a loop that appends to
// a long string is stopped by the work budget, the same on any machine.
//
// concatName is a local that every compiled chunk binds first, from the
// table the string library falls back to (shims.go), where the
// engine puts the function under the same key: reached through a string's
// metatable, it is there whatever environment
// `load` gave the chunk. The name holds a space, so no Lua source can write
// it or shadow it.
const concatName = "(concat)"

// withConcat binds concatName at the top of a chunk:
//
//	local (concat) = ("")["(concat)"]
func withConcat(chunk []ast.Stmt) []ast.Stmt {
	obj := &ast.StringExpr{Value: ""}
	key := &ast.StringExpr{Value: concatName}
	get := &ast.AttrGetExpr{Object: obj, Key: key}
	local := &ast.LocalAssignStmt{Names: []string{concatName}, Exprs: []ast.Expr{get}}
	for _, n := range []interface {
		SetLine(int)
		SetLastLine(int)
	}{obj, key, get, local} {
		n.SetLine(1)
		n.SetLastLine(1)
	}
	return append([]ast.Stmt{local}, chunk...)
}

// concatCall is the call the rewriter puts in place of `lhs .. rhs`.
func concatCall(x *ast.StringConcatOpExpr) ast.Expr {
	fn := &ast.IdentExpr{Value: concatName}
	fn.SetLine(x.Line())
	fn.SetLastLine(x.LastLine())
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{x.Lhs, x.Rhs}, AdjustRet: true}
	call.SetLine(x.Line())
	call.SetLastLine(x.LastLine())
	return call
}

// boundedConcat is `a .. b` with its size bounded and its copying charged.
// Strings and numbers concatenate as gopher-lua's own operator does (it is
// called for the result); anything else goes through the __concat
// metamethod or fails with the operator's own error.
func boundedConcat(L *glua.LState) int {
	a, b := L.Get(1), L.Get(2)
	if glua.LVCanConvToString(a) && glua.LVCanConvToString(b) {
		sa, sb := toString53(a), toString53(b)
		size := len(sa) + len(sb)
		checkSize(L, float64(size), "the .. operator")
		spend(L, bytesWork(size))
		L.Push(glua.LString(sa + sb))
		return 1
	}
	mm := L.GetMetaField(a, "__concat")
	if mm == glua.LNil {
		mm = L.GetMetaField(b, "__concat")
	}
	if mm == glua.LNil {
		L.RaiseError("attempt to concatenate a %s value", concatOffender(a, b).Type().String())
	}
	L.Push(mm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	return 1
}

// concatOffender is the operand that cannot be a string, as Lua names it.
func concatOffender(a, b glua.LValue) glua.LValue {
	if !glua.LVCanConvToString(a) {
		return a
	}
	return b
}
