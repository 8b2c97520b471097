package lua

import (
	"strconv"

	"github.com/yuin/gopher-lua/ast"
)

// gopher-lua compiles a multiple assignment as a sequence of single
// assignments, so `a, b = b, a` leaves both equal (gopher-lua issue 440).
// Lua evaluates every right-hand expression first. fixMultipleAssignments
// rewrites each multiple assignment in the parsed chunk into
//
//	do local <t1>, <t2> = <rhs...>; <lhs...> = <t1>, <t2> end
//
// which gopher-lua compiles correctly: the temporaries are fresh registers.
// (Index expressions on the left, as in `a[i], i = 1, 2`, are still
// evaluated late; docs/engine.md lists it.)
//
// The same walk measures the tree: past maxDepth levels (0: no bound) it
// stops descending and returns the line where the tree got too deep, so a
// hostile source costs a bounded recursion here and never reaches
// gopher-lua's recursive compiler.
//
// It also compiles the comparisons of two non-constant operands as calls
// (compareCall), and the keys of table accesses and the operand of `#` as
// charged calls (tablecost.go), recording in used the operators it calls.
func fixMultipleAssignments(stmts []ast.Stmt, maxDepth int, used opsUsed) (tooDeep int) {
	r := rewriter{max: maxDepth, used: used}
	r.block(stmts)
	return r.deep
}

type rewriter struct {
	n          int
	depth, max int
	deep       int // the line where depth first passed max
	used       opsUsed
}

// enter counts one more level of the tree; it reports false (and records
// the line) when the level is past the bound.
func (r *rewriter) enter(line int) bool {
	r.depth++
	if r.max > 0 && r.depth > r.max {
		if r.deep == 0 {
			r.deep = max(line, 1)
		}
		return false
	}
	return true
}

func (r *rewriter) block(stmts []ast.Stmt) {
	for i, s := range stmts {
		stmts[i] = r.stmt(s)
	}
}

func (r *rewriter) stmt(s ast.Stmt) ast.Stmt {
	defer func() { r.depth-- }()
	if !r.enter(s.Line()) {
		return s
	}
	switch x := s.(type) {
	case *ast.AssignStmt:
		var objects []ast.Stmt
		for i, lhs := range x.Lhs {
			x.Lhs[i], objects = r.target(lhs, objects)
		}
		r.exprs(x.Rhs)
		if len(x.Lhs) < 2 {
			if len(objects) == 0 {
				return x
			}
			do := &ast.DoBlockStmt{Stmts: append(objects, x)}
			do.SetLine(x.Line())
			do.SetLastLine(x.LastLine())
			return do
		}
		names := make([]string, len(x.Lhs))
		temps := make([]ast.Expr, len(x.Lhs))
		for i := range x.Lhs {
			r.n++
			// A space cannot appear in a Lua name, so no clash is possible.
			names[i] = "(assign " + strconv.Itoa(r.n) + ")"
			id := &ast.IdentExpr{Value: names[i]}
			id.SetLine(x.Line())
			id.SetLastLine(x.LastLine())
			temps[i] = id
		}
		local := &ast.LocalAssignStmt{Names: names, Exprs: x.Rhs}
		local.SetLine(x.Line())
		local.SetLastLine(x.LastLine())
		assign := &ast.AssignStmt{Lhs: x.Lhs, Rhs: temps}
		assign.SetLine(x.Line())
		assign.SetLastLine(x.LastLine())
		stmts := append(append([]ast.Stmt{local}, objects...), assign)
		do := &ast.DoBlockStmt{Stmts: stmts}
		do.SetLine(x.Line())
		do.SetLastLine(x.LastLine())
		return do
	case *ast.LocalAssignStmt:
		r.exprs(x.Exprs)
	case *ast.FuncCallStmt:
		x.Expr = r.expr(x.Expr)
	case *ast.DoBlockStmt:
		r.block(x.Stmts)
	case *ast.WhileStmt:
		x.Condition = r.expr(x.Condition)
		r.block(x.Stmts)
	case *ast.RepeatStmt:
		x.Condition = r.expr(x.Condition)
		r.block(x.Stmts)
	case *ast.IfStmt:
		x.Condition = r.expr(x.Condition)
		r.block(x.Then)
		r.block(x.Else)
	case *ast.NumberForStmt:
		x.Init = r.expr(x.Init)
		x.Limit = r.expr(x.Limit)
		x.Step = r.expr(x.Step)
		r.block(x.Stmts)
	case *ast.GenericForStmt:
		r.exprs(x.Exprs)
		r.block(x.Stmts)
	case *ast.FuncDefStmt:
		if x.Name != nil {
			x.Name.Func = r.expr(x.Name.Func)
			x.Name.Receiver = r.expr(x.Name.Receiver)
		}
		r.expr(x.Func) // a *ast.FunctionExpr, never replaced
	case *ast.ReturnStmt:
		r.exprs(x.Exprs)
	}
	return s
}

// target walks the left-hand side of an assignment. An index whose key
// is not free to store under (freeWriteKey) becomes
// `(o N)[(op __setkey)((o N), key)]`, with `local (o N) = object` appended
// to objects, so that the object is evaluated once, before the key, as
// it was.
func (r *rewriter) target(e ast.Expr, objects []ast.Stmt) (ast.Expr, []ast.Stmt) {
	x, ok := e.(*ast.AttrGetExpr)
	if !ok {
		return r.expr(e), objects
	}
	x.Object = r.expr(x.Object)
	x.Key = r.expr(x.Key)
	if freeWriteKey(x.Key) {
		return x, objects
	}
	r.n++
	name := "(o " + strconv.Itoa(r.n) + ")"
	local := &ast.LocalAssignStmt{Names: []string{name}, Exprs: []ast.Expr{x.Object}}
	local.SetLine(x.Line())
	local.SetLastLine(x.LastLine())
	ident := func() ast.Expr {
		id := &ast.IdentExpr{Value: name}
		id.SetLine(x.Line())
		id.SetLastLine(x.LastLine())
		return id
	}
	x.Object = ident()
	x.Key = opCall(opSetKey, r.used, x.Key, ident(), x.Key)
	return x, append(objects, local)
}

func (r *rewriter) exprs(es []ast.Expr) {
	for i, e := range es {
		es[i] = r.expr(e)
	}
	if n := len(es); n > 0 {
		es[n-1] = varargsCall(es[n-1], r.used)
	}
}

// expr walks an expression and returns what takes its place: itself, or
// for `a .. b` the bounded call (see concatCall), for a comparison the
// charged call (see compareCall).
func (r *rewriter) expr(e ast.Expr) ast.Expr {
	if e == nil {
		return nil
	}
	defer func() { r.depth-- }()
	if !r.enter(e.Line()) {
		return e
	}
	switch x := e.(type) {
	case *ast.FunctionExpr:
		r.block(x.Stmts)
	case *ast.AttrGetExpr:
		x.Object = r.expr(x.Object)
		x.Key = r.expr(x.Key)
		if !cheapConstant(x.Key) {
			x.Key = opCall(opKey, r.used, x.Key, x.Key)
		}
	case *ast.TableExpr:
		for _, f := range x.Fields {
			f.Key = r.expr(f.Key)
			f.Value = r.expr(f.Value)
			if f.Key != nil && !freeWriteKey(f.Key) {
				f.Key = opCall(opNewKey, r.used, f.Key, f.Key)
			}
		}
		if n := len(x.Fields); n > 0 && x.Fields[n-1].Key == nil {
			x.Fields[n-1].Value = varargsCall(x.Fields[n-1].Value, r.used)
		}
	case *ast.FuncCallExpr:
		x.Func = r.expr(x.Func)
		x.Receiver = r.expr(x.Receiver)
		r.exprs(x.Args)
	case *ast.LogicalOpExpr:
		x.Lhs = r.expr(x.Lhs)
		x.Rhs = r.expr(x.Rhs)
	case *ast.RelationalOpExpr:
		x.Lhs = r.expr(x.Lhs)
		x.Rhs = r.expr(x.Rhs)
		return compareCall(x, r.used)
	case *ast.StringConcatOpExpr:
		x.Lhs = r.expr(x.Lhs)
		x.Rhs = r.expr(x.Rhs)
		return concatCall(x)
	case *ast.ArithmeticOpExpr:
		x.Lhs = r.expr(x.Lhs)
		x.Rhs = r.expr(x.Rhs)
	case *ast.UnaryMinusOpExpr:
		x.Expr = r.expr(x.Expr)
	case *ast.UnaryNotOpExpr:
		x.Expr = r.expr(x.Expr)
	case *ast.UnaryLenOpExpr:
		x.Expr = r.expr(x.Expr)
		if _, ok := x.Expr.(*ast.StringExpr); !ok {
			x.Expr = opCall(opLenArg, r.used, x.Expr, x.Expr)
		}
	}
	return e
}
