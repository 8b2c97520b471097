package lua

import (
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Lua 5.3 reads a free name x as _ENV.x, where _ENV is the innermost
// local of that name or else the chunk's environment; gopher-lua (Lua 5.1)
// reads it from the function's environment and knows no _ENV. A chunk
// that names _ENV is therefore rewritten before it is compiled: inside
// the scope of a local (or parameter) _ENV, every free name is an index
// of that local; outside, a read of _ENV itself is a call of envName,
// which gives the environment of the function that reads it (so
// load("return _ENV")() == _G, and load's env argument is the _ENV its
// chunk sees). Assigning the chunk's own _ENV would change the environment
// of every function of the chunk, which gopher-lua cannot do: it is
// refused when compiled, naming its line (ErrorUnsupported). A chunk that
// does not name _ENV is not touched.

// envName is the local every chunk that reads the chunk's _ENV binds from
// the table the string library falls back to (shims.go), as the operators
// are bound (ops53.go); a space keeps it out of reach of Lua source.
const envName = "(env)"

// envError is an assignment to the chunk's _ENV.
type envError struct {
	chunk string
	line  int
}

func (e *envError) Error() string {
	return e.chunk + ":" + strconv.Itoa(e.line) + ": assigning the chunk's _ENV, which this engine (gopher-lua: an environment per function) cannot do"
}

// callerEnv is envName's function: the environment of the Lua function
// that called it.
func callerEnv(L *glua.LState) int {
	if dbg, ok := L.GetStack(1); ok {
		if fn, err := L.GetInfo("f", dbg, glua.LNil); err == nil {
			if f, ok := fn.(*glua.LFunction); ok && f.Env != nil {
				L.Push(f.Env)
				return 1
			}
		}
	}
	L.Push(L.G.Global)
	return 1
}

// bindEnv rewrites a chunk that names _ENV as above and returns it.
func bindEnv(src, chunk string, stmts []ast.Stmt) ([]ast.Stmt, error) {
	if !strings.Contains(src, "_ENV") {
		return stmts, nil
	}
	b := &envBinder{chunk: chunk}
	b.push()
	b.block(stmts)
	if b.err != nil {
		return nil, b.err
	}
	if !b.readsChunkEnv {
		return stmts, nil
	}
	obj := &ast.StringExpr{Value: ""}
	key := &ast.StringExpr{Value: envName}
	get := &ast.AttrGetExpr{Object: obj, Key: key}
	local := &ast.LocalAssignStmt{Names: []string{envName}, Exprs: []ast.Expr{get}}
	for _, n := range []ast.PositionHolder{obj, key, get, local} {
		n.SetLine(1)
		n.SetLastLine(1)
	}
	return append([]ast.Stmt{local}, stmts...), nil
}

type envBinder struct {
	chunk         string
	scopes        []map[string]bool
	readsChunkEnv bool
	err           error
}

func (b *envBinder) push() { b.scopes = append(b.scopes, map[string]bool{}) }
func (b *envBinder) pop()  { b.scopes = b.scopes[:len(b.scopes)-1] }
func (b *envBinder) declare(names ...string) {
	for _, n := range names {
		b.scopes[len(b.scopes)-1][n] = true
	}
}

func (b *envBinder) local(name string) bool {
	for i := len(b.scopes) - 1; i >= 0; i-- {
		if b.scopes[i][name] {
			return true
		}
	}
	return false
}

func (b *envBinder) block(stmts []ast.Stmt) {
	b.push()
	defer b.pop()
	b.stmts(stmts)
}

func (b *envBinder) stmts(stmts []ast.Stmt) {
	for _, s := range stmts {
		b.stmt(s)
	}
}

func (b *envBinder) stmt(s ast.Stmt) {
	switch x := s.(type) {
	case *ast.AssignStmt:
		for i, e := range x.Lhs {
			if id, ok := e.(*ast.IdentExpr); ok && id.Value == "_ENV" && !b.local("_ENV") && b.err == nil {
				b.err = &envError{chunk: b.chunk, line: id.Line()}
			}
			x.Lhs[i] = b.expr(e)
		}
		b.exprs(x.Rhs)
	case *ast.LocalAssignStmt:
		if len(x.Names) == 1 && len(x.Exprs) == 1 {
			if _, ok := x.Exprs[0].(*ast.FunctionExpr); ok {
				// local function f: f is in scope in its own body.
				b.declare(x.Names...)
			}
		}
		b.exprs(x.Exprs)
		b.declare(x.Names...)
	case *ast.FuncCallStmt:
		x.Expr = b.expr(x.Expr)
	case *ast.DoBlockStmt:
		b.block(x.Stmts)
	case *ast.WhileStmt:
		x.Condition = b.expr(x.Condition)
		b.block(x.Stmts)
	case *ast.RepeatStmt:
		// The condition sees the body's locals.
		b.push()
		b.stmts(x.Stmts)
		x.Condition = b.expr(x.Condition)
		b.pop()
	case *ast.IfStmt:
		x.Condition = b.expr(x.Condition)
		b.block(x.Then)
		b.block(x.Else)
	case *ast.NumberForStmt:
		x.Init = b.expr(x.Init)
		x.Limit = b.expr(x.Limit)
		x.Step = b.expr(x.Step)
		b.push()
		b.declare(x.Name)
		b.block(x.Stmts)
		b.pop()
	case *ast.GenericForStmt:
		b.exprs(x.Exprs)
		b.push()
		b.declare(x.Names...)
		b.block(x.Stmts)
		b.pop()
	case *ast.FuncDefStmt:
		var self []string
		if x.Name != nil {
			x.Name.Func = b.expr(x.Name.Func)
			x.Name.Receiver = b.expr(x.Name.Receiver)
			if x.Name.Func == nil {
				self = []string{"self"} // function a:m(): gopher-lua's compiler adds it
			}
		}
		b.function(x.Func, self...)
	case *ast.ReturnStmt:
		b.exprs(x.Exprs)
	}
}

func (b *envBinder) exprs(es []ast.Expr) {
	for i, e := range es {
		es[i] = b.expr(e)
	}
}

// expr resolves the free names of an expression and returns what takes
// its place.
func (b *envBinder) expr(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case nil:
		return nil
	case *ast.IdentExpr:
		return b.name(x)
	case *ast.FunctionExpr:
		b.function(x)
	case *ast.AttrGetExpr:
		x.Object = b.expr(x.Object)
		x.Key = b.expr(x.Key)
	case *ast.TableExpr:
		for _, f := range x.Fields {
			f.Key = b.expr(f.Key)
			f.Value = b.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		x.Func = b.expr(x.Func)
		x.Receiver = b.expr(x.Receiver)
		b.exprs(x.Args)
	case *ast.LogicalOpExpr:
		x.Lhs = b.expr(x.Lhs)
		x.Rhs = b.expr(x.Rhs)
	case *ast.RelationalOpExpr:
		x.Lhs = b.expr(x.Lhs)
		x.Rhs = b.expr(x.Rhs)
	case *ast.StringConcatOpExpr:
		x.Lhs = b.expr(x.Lhs)
		x.Rhs = b.expr(x.Rhs)
	case *ast.ArithmeticOpExpr:
		x.Lhs = b.expr(x.Lhs)
		x.Rhs = b.expr(x.Rhs)
	case *ast.UnaryMinusOpExpr:
		x.Expr = b.expr(x.Expr)
	case *ast.UnaryNotOpExpr:
		x.Expr = b.expr(x.Expr)
	case *ast.UnaryLenOpExpr:
		x.Expr = b.expr(x.Expr)
	}
	return e
}

// function resolves the free names of a function's body, its parameters
// (and extra, such as a method's self) in scope.
func (b *envBinder) function(fn *ast.FunctionExpr, extra ...string) {
	b.push()
	b.declare(extra...)
	if fn.ParList != nil {
		b.declare(fn.ParList.Names...)
	}
	b.block(fn.Stmts)
	b.pop()
}

// name resolves one name: a local stays; a free name inside the scope of
// a local _ENV is an index of it; the chunk's _ENV is a call of envName.
func (b *envBinder) name(id *ast.IdentExpr) ast.Expr {
	if b.local(id.Value) {
		return id
	}
	if b.local("_ENV") {
		env := &ast.IdentExpr{Value: "_ENV"}
		key := &ast.StringExpr{Value: id.Value}
		get := &ast.AttrGetExpr{Object: env, Key: key}
		for _, n := range []ast.PositionHolder{env, key, get} {
			n.SetLine(id.Line())
			n.SetLastLine(id.LastLine())
		}
		return get
	}
	if id.Value != "_ENV" {
		return id
	}
	b.readsChunkEnv = true
	fn := &ast.IdentExpr{Value: envName}
	call := &ast.FuncCallExpr{Func: fn, AdjustRet: true}
	for _, n := range []ast.PositionHolder{fn, call} {
		n.SetLine(id.Line())
		n.SetLastLine(id.LastLine())
	}
	return call
}
