package lua

import (
	"strconv"

	"github.com/yuin/gopher-lua/ast"
)

// parse53 parses Lua 5.3 source into gopher-lua's syntax tree, so that
// gopher-lua's compiler and VM run it. The tree has the shapes and line
// numbers gopher-lua's own (Lua 5.1) parser gives (TestParse53MatchesGopherLua
// compares them on every Lua source of the repository); the Lua 5.3
// operators gopher-lua has no instruction for (`//`, `&`, `|`, `~`, `<<`,
// `>>`, unary `~`) become calls of Go functions bound as locals at the top
// of the chunk (see ops53.go), as `..` already is (concat.go).
//
// maxDepth bounds the nesting of statements and expressions (0: a fixed
// bound of defaultParseDepth); past it the parse stops with a depthError.
func parse53(src, name string, maxDepth int) (chunk []ast.Stmt, used opsUsed, err error) {
	if maxDepth <= 0 {
		maxDepth = defaultParseDepth
	}
	p := &parser53{lx: lexer53{src: src, line: 1, chunk: name}, max: maxDepth}
	chunk, err = p.parseChunk()
	return chunk, p.used, err
}

func (p *parser53) parseChunk() (chunk []ast.Stmt, err error) {
	defer func() {
		if r := recover(); r != nil {
			switch e := r.(type) {
			case *syntaxError:
				chunk, err = nil, e
			case *depthError:
				chunk, err = nil, e
			default:
				panic(r)
			}
		}
	}()
	p.advance()
	chunk = p.block()
	if p.tok.kind != tkEOF {
		p.errorNear("<eof> expected")
	}
	if p.lx.inexact > 0 {
		return nil, &inexactError{chunk: p.lx.chunk, line: p.lx.inexact}
	}
	if p.lx.longName > 0 {
		return nil, &longNameError{chunk: p.lx.chunk, line: p.lx.longName}
	}
	return chunk, nil
}

// defaultParseDepth bounds the recursion of the parser for sources that
// come with no bound (the runtime's own).
const defaultParseDepth = 100_000

// depthError is a source nested deeper than the parser's bound.
type depthError struct{ line int }

func (e *depthError) Error() string { return "too deep at line " + strconv.Itoa(e.line) }

// inexactError is an integer literal with no exact float64: Lua 5.3 keeps
// it as a 64-bit integer, this engine would round it.
type inexactError struct {
	chunk string
	line  int
}

func (e *inexactError) Error() string {
	return e.chunk + ":" + strconv.Itoa(e.line) + ": an integer literal beyond 2^53, which this engine (numbers are float64) cannot hold exactly"
}

// maxNameBytes bounds the length of a name. A global's name and a
// method's are constants that gopher-lua hashes whole in the instruction
// that uses them, where the work budget cannot charge for it: bounded,
// such an instruction costs at most a few units' worth more than its one.
// Lua has no bound; no hand-written name comes near it.
const maxNameBytes = 1024

// longNameError is a name longer than maxNameBytes.
type longNameError struct {
	chunk string
	line  int
}

func (e *longNameError) Error() string {
	return e.chunk + ":" + strconv.Itoa(e.line) + ": a name longer than " + strconv.Itoa(maxNameBytes) + " bytes, which this engine does not run (it could not charge for hashing it)"
}

type parser53 struct {
	lx    lexer53
	tok   token53
	ahead *token53
	depth int
	max   int
	used  opsUsed
	// keepMod leaves `%` as gopher-lua's instruction (for comparing trees
	// with gopher-lua's parser).
	keepMod bool
}

func (p *parser53) advance() {
	if p.ahead != nil {
		p.tok, p.ahead = *p.ahead, nil
		return
	}
	p.tok = p.lx.next()
}

func (p *parser53) peek() token53 {
	if p.ahead == nil {
		t := p.lx.next()
		p.ahead = &t
	}
	return *p.ahead
}

func (p *parser53) enter() {
	p.depth++
	if p.depth > p.max {
		panic(&depthError{line: p.tok.line})
	}
}

func (p *parser53) leave() { p.depth-- }

// errorNear fails with msg near the current token, quoted as Lua 5.3
// quotes it (the end of the source is <eof>, unquoted).
func (p *parser53) errorNear(msg string) {
	if p.tok.kind == tkEOF {
		p.lx.fail(p.tok.line, "%s near <eof>", msg)
	}
	p.lx.fail(p.tok.line, "%s near '%s'", msg, p.tok.text())
}

func (p *parser53) check(op string) token53 {
	if !p.tok.is(op) {
		p.errorNear("'" + op + "' expected")
	}
	t := p.tok
	p.advance()
	return t
}

// checkMatch expects the token closing what opened at line.
func (p *parser53) checkMatch(op, open string, line int) token53 {
	if !p.tok.is(op) {
		if line == p.tok.line {
			p.errorNear("'" + op + "' expected")
		}
		p.errorNear("'" + op + "' expected (to close '" + open + "' at line " + strconv.Itoa(line) + ")")
	}
	t := p.tok
	p.advance()
	return t
}

func (p *parser53) name() token53 {
	if p.tok.kind != tkName {
		p.errorNear("<name> expected")
	}
	t := p.tok
	p.advance()
	return t
}

func (p *parser53) accept(op string) bool {
	if p.tok.is(op) {
		p.advance()
		return true
	}
	return false
}

func blockFollow(t token53, withUntil bool) bool {
	switch {
	case t.kind == tkEOF:
		return true
	case t.kind != tkKeyword:
		return false
	case t.str == "else", t.str == "elseif", t.str == "end":
		return true
	case t.str == "until":
		return withUntil
	}
	return false
}

func (p *parser53) block() []ast.Stmt {
	stmts := []ast.Stmt{}
	for !blockFollow(p.tok, true) {
		if p.tok.is("return") {
			stmts = append(stmts, p.retStat())
			break
		}
		if s := p.statement(); s != nil {
			stmts = append(stmts, s)
		}
	}
	return stmts
}

func (p *parser53) retStat() ast.Stmt {
	line := p.tok.line
	p.advance()
	ret := &ast.ReturnStmt{}
	if !blockFollow(p.tok, true) && !p.tok.is(";") {
		ret.Exprs = p.exprList()
	}
	p.accept(";")
	ret.SetLine(line)
	return ret
}

func (p *parser53) statement() ast.Stmt {
	p.enter()
	defer p.leave()
	line := p.tok.line
	switch {
	case p.tok.is(";"):
		p.advance()
		return nil
	case p.tok.is("if"):
		return p.ifStat()
	case p.tok.is("while"):
		p.advance()
		cond := p.expr()
		p.check("do")
		body := p.block()
		end := p.checkMatch("end", "while", line)
		return placed(&ast.WhileStmt{Condition: cond, Stmts: body}, line, end.line)
	case p.tok.is("do"):
		p.advance()
		body := p.block()
		end := p.checkMatch("end", "do", line)
		return placed(&ast.DoBlockStmt{Stmts: body}, line, end.line)
	case p.tok.is("for"):
		return p.forStat()
	case p.tok.is("repeat"):
		p.advance()
		body := p.block()
		p.checkMatch("until", "repeat", line)
		cond := p.expr()
		return placed(&ast.RepeatStmt{Condition: cond, Stmts: body}, line, cond.Line())
	case p.tok.is("function"):
		p.advance()
		fn := p.funcName()
		body := p.funcBody()
		return placed(&ast.FuncDefStmt{Name: fn, Func: body}, line, body.LastLine())
	case p.tok.is("local"):
		p.advance()
		if p.accept("function") {
			n := p.name()
			body := p.funcBody()
			return placed(&ast.LocalAssignStmt{Names: []string{n.str}, Exprs: []ast.Expr{body}}, line, body.LastLine())
		}
		names := []string{p.name().str}
		for p.accept(",") {
			names = append(names, p.name().str)
		}
		s := &ast.LocalAssignStmt{Names: names, Exprs: []ast.Expr{}}
		if p.accept("=") {
			s.Exprs = p.exprList()
		}
		s.SetLine(line)
		return s
	case p.tok.is("::"):
		p.advance()
		n := p.name()
		p.check("::")
		return placed(&ast.LabelStmt{Name: n.str}, line, 0)
	case p.tok.is("return"):
		p.errorNear("<eof> expected")
	case p.tok.is("break"):
		p.advance()
		return placed(&ast.BreakStmt{}, line, 0)
	case p.tok.is("goto"):
		p.advance()
		n := p.name()
		return placed(&ast.GotoStmt{Label: n.str}, line, 0)
	}
	return p.exprStat()
}

func (p *parser53) ifStat() ast.Stmt {
	line := p.tok.line
	top := p.condBlock()
	cur := top
	for p.tok.is("elseif") {
		s := p.condBlock()
		cur.Else = []ast.Stmt{s}
		cur = s
	}
	if p.accept("else") {
		cur.Else = p.block()
	}
	end := p.checkMatch("end", "if", line)
	top.SetLastLine(end.line)
	return top
}

// condBlock parses `if|elseif cond then block`, at the keyword's line.
func (p *parser53) condBlock() *ast.IfStmt {
	line := p.tok.line
	p.advance()
	cond := p.expr()
	p.check("then")
	return placed(&ast.IfStmt{Condition: cond, Then: p.block()}, line, 0)
}

func (p *parser53) forStat() ast.Stmt {
	line := p.tok.line
	p.advance()
	first := p.name()
	if p.accept("=") {
		s := &ast.NumberForStmt{Name: first.str}
		s.Init = p.expr()
		p.check(",")
		s.Limit = p.expr()
		if p.accept(",") {
			s.Step = p.expr()
		}
		p.check("do")
		s.Stmts = p.block()
		end := p.checkMatch("end", "for", line)
		s.SetLine(line)
		s.SetLastLine(end.line)
		return s
	}
	if !p.tok.is(",") && !p.tok.is("in") {
		p.errorNear("'=' or 'in' expected")
	}
	names := []string{first.str}
	for p.accept(",") {
		names = append(names, p.name().str)
	}
	p.check("in")
	exprs := p.exprList()
	p.check("do")
	body := p.block()
	end := p.checkMatch("end", "for", line)
	return placed(&ast.GenericForStmt{Names: names, Exprs: exprs, Stmts: body}, line, end.line)
}

func (p *parser53) funcName() *ast.FuncName {
	n := p.name()
	id := &ast.IdentExpr{Value: n.str}
	id.SetLine(n.line)
	fn := &ast.FuncName{Func: id}
	for p.accept(".") {
		k := p.name()
		key := &ast.StringExpr{Value: k.str}
		key.SetLine(k.line)
		get := &ast.AttrGetExpr{Object: fn.Func, Key: key}
		get.SetLine(k.line)
		fn = &ast.FuncName{Func: get}
	}
	if p.accept(":") {
		m := p.name()
		fn = &ast.FuncName{Receiver: fn.Func, Method: m.str}
	}
	return fn
}

// funcBody parses `(params) block end`; the expression's line is the
// opening parenthesis', as gopher-lua's parser has it.
func (p *parser53) funcBody() *ast.FunctionExpr {
	open := p.check("(")
	pars := &ast.ParList{Names: []string{}}
	if !p.tok.is(")") {
		for {
			if p.accept("...") {
				pars.HasVargs = true
				break
			}
			pars.Names = append(pars.Names, p.name().str)
			if !p.accept(",") {
				break
			}
		}
	}
	p.check(")")
	body := p.block()
	end := p.checkMatch("end", "function", open.line)
	fn := &ast.FunctionExpr{ParList: pars, Stmts: body}
	fn.SetLine(open.line)
	fn.SetLastLine(end.line)
	return fn
}

func (p *parser53) exprStat() ast.Stmt {
	e := p.suffixedExpr()
	if p.tok.is("=") || p.tok.is(",") {
		lhs := []ast.Expr{e}
		for p.accept(",") {
			lhs = append(lhs, p.suffixedExpr())
		}
		for _, v := range lhs {
			switch v.(type) {
			case *ast.IdentExpr, *ast.AttrGetExpr:
			default:
				p.errorNear("syntax error")
			}
		}
		p.check("=")
		return placed(&ast.AssignStmt{Lhs: lhs, Rhs: p.exprList()}, lhs[0].Line(), 0)
	}
	call, ok := e.(*ast.FuncCallExpr)
	if !ok || call.AdjustRet {
		p.errorNear("syntax error")
	}
	return placed(&ast.FuncCallStmt{Expr: e}, e.Line(), 0)
}

func (p *parser53) exprList() []ast.Expr {
	list := []ast.Expr{p.expr()}
	for p.accept(",") {
		list = append(list, p.expr())
	}
	return list
}

// primaryExpr is a name or a parenthesized expression.
func (p *parser53) primaryExpr() ast.Expr {
	switch {
	case p.tok.kind == tkName:
		id := &ast.IdentExpr{Value: p.tok.str}
		id.SetLine(p.tok.line)
		p.advance()
		return id
	case p.tok.is("("):
		line := p.tok.line
		p.advance()
		e := p.expr()
		p.checkMatch(")", "(", line)
		switch x := e.(type) {
		case *ast.FuncCallExpr:
			// gopher-lua keeps a parenthesized call's own line.
			if !x.AdjustRet {
				x.AdjustRet = true
				return x
			}
		case *ast.Comma3Expr:
			x.AdjustRet = true
		}
		e.SetLine(line)
		return e
	}
	p.errorNear("unexpected symbol")
	return nil
}

func (p *parser53) suffixedExpr() ast.Expr {
	e := p.primaryExpr()
	for {
		switch {
		case p.tok.is("."):
			p.advance()
			k := p.name()
			key := placed(&ast.StringExpr{Value: k.str}, k.line, 0)
			e = placed(&ast.AttrGetExpr{Object: e, Key: key}, e.Line(), 0)
		case p.tok.is("["):
			p.advance()
			key := p.expr()
			p.check("]")
			e = placed(&ast.AttrGetExpr{Object: e, Key: key}, e.Line(), 0)
		case p.tok.is(":"):
			p.advance()
			m := p.name()
			e = placed(&ast.FuncCallExpr{Receiver: e, Method: m.str, Args: p.callArgs()}, e.Line(), 0)
		case p.tok.is("("), p.tok.kind == tkString, p.tok.is("{"):
			e = placed(&ast.FuncCallExpr{Func: e, Args: p.callArgs()}, e.Line(), 0)
		default:
			return e
		}
	}
}

func (p *parser53) callArgs() []ast.Expr {
	switch {
	case p.tok.kind == tkString:
		s := &ast.StringExpr{Value: p.tok.str}
		s.SetLine(p.tok.line)
		p.advance()
		return []ast.Expr{s}
	case p.tok.is("{"):
		return []ast.Expr{p.table()}
	case p.tok.is("("):
		line := p.tok.line
		p.advance()
		args := []ast.Expr{}
		if !p.tok.is(")") {
			args = p.exprList()
		}
		p.checkMatch(")", "(", line)
		return args
	}
	p.errorNear("function arguments expected")
	return nil
}

func (p *parser53) table() ast.Expr {
	line := p.tok.line
	p.check("{")
	t := &ast.TableExpr{Fields: []*ast.Field{}}
	t.SetLine(line)
	for !p.tok.is("}") {
		switch {
		case p.tok.kind == tkName && p.peek().is("="):
			k := &ast.StringExpr{Value: p.tok.str}
			k.SetLine(p.tok.line)
			p.advance()
			p.advance()
			t.Fields = append(t.Fields, &ast.Field{Key: k, Value: p.expr()})
		case p.tok.is("["):
			p.advance()
			k := p.expr()
			p.check("]")
			p.check("=")
			t.Fields = append(t.Fields, &ast.Field{Key: k, Value: p.expr()})
		default:
			t.Fields = append(t.Fields, &ast.Field{Value: p.expr()})
		}
		if !p.accept(",") && !p.accept(";") {
			break
		}
	}
	p.checkMatch("}", "{", line)
	return t
}

func (p *parser53) simpleExpr() ast.Expr {
	t := p.tok
	var e ast.Expr
	switch {
	case t.kind == tkNumber:
		e = &ast.NumberExpr{Value: numberText(t.num)}
	case t.kind == tkString:
		e = &ast.StringExpr{Value: t.str}
	case t.is("nil"):
		e = &ast.NilExpr{}
	case t.is("true"):
		e = &ast.TrueExpr{}
	case t.is("false"):
		e = &ast.FalseExpr{}
	case t.is("..."):
		e = &ast.Comma3Expr{}
	case t.is("{"):
		return p.table()
	case t.is("function"):
		p.advance()
		body := p.funcBody()
		fn := &ast.FunctionExpr{ParList: body.ParList, Stmts: body.Stmts}
		fn.SetLine(t.line)
		fn.SetLastLine(body.LastLine())
		return fn
	default:
		return p.suffixedExpr()
	}
	e.SetLine(t.line)
	p.advance()
	return e
}

// numberText writes a number so that gopher-lua's compiler reads back the
// same float64.
func numberText(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Binary operator priorities (left, right) from Lua 5.3's lparser.c
// table, which the manual's precedence list (§3.4.8) describes.
var binaryPriority = map[string][2]int{
	"or": {1, 1}, "and": {2, 2},
	"<": {3, 3}, ">": {3, 3}, "<=": {3, 3}, ">=": {3, 3}, "~=": {3, 3}, "==": {3, 3},
	"|": {4, 4}, "~": {5, 5}, "&": {6, 6}, "<<": {7, 7}, ">>": {7, 7},
	"..": {9, 8}, "+": {10, 10}, "-": {10, 10},
	"*": {11, 11}, "/": {11, 11}, "//": {11, 11}, "%": {11, 11},
	"^": {14, 13},
}

const unaryPriority = 12

func (p *parser53) binaryOp() (string, bool) {
	t := p.tok
	var op string
	switch t.kind {
	case tkKeyword, tkOp:
		op = t.str
	case tkEOF, tkName, tkString, tkNumber:
		return "", false
	default:
		op = string(rune(t.kind))
	}
	_, ok := binaryPriority[op]
	return op, ok
}

func (p *parser53) expr() ast.Expr { return p.subExpr(0) }

// subExpr parses an expression whose binary operators bind tighter than
// limit (Lua's own algorithm).
func (p *parser53) subExpr(limit int) ast.Expr {
	p.enter()
	defer p.leave()
	var e ast.Expr
	if t := p.tok; t.is("not") || t.is("-") || t.is("#") || t.is("~") {
		p.advance()
		operand := p.subExpr(unaryPriority)
		switch {
		case t.is("not"):
			e = &ast.UnaryNotOpExpr{Expr: operand}
		case t.is("-"):
			e = &ast.UnaryMinusOpExpr{Expr: operand}
		case t.is("#"):
			e = &ast.UnaryLenOpExpr{Expr: operand}
		default:
			e = p.opCall(opBnot, operand)
		}
		e.SetLine(operand.Line())
	} else {
		e = p.simpleExpr()
	}
	for {
		op, ok := p.binaryOp()
		if !ok || binaryPriority[op][0] <= limit {
			return e
		}
		p.advance()
		rhs := p.subExpr(binaryPriority[op][1])
		e = p.binary(op, e, rhs)
	}
}

func (p *parser53) binary(op string, lhs, rhs ast.Expr) ast.Expr {
	var e ast.Expr
	switch op {
	case "or", "and":
		e = &ast.LogicalOpExpr{Operator: op, Lhs: lhs, Rhs: rhs}
	case "<", ">", "<=", ">=", "~=", "==":
		e = &ast.RelationalOpExpr{Operator: op, Lhs: lhs, Rhs: rhs}
	case "..":
		e = &ast.StringConcatOpExpr{Lhs: lhs, Rhs: rhs}
	case "%":
		if p.keepMod {
			e = &ast.ArithmeticOpExpr{Operator: op, Lhs: lhs, Rhs: rhs}
		} else {
			e = p.opCall(opMod, lhs, rhs)
		}
	case "+", "-", "*", "/", "^":
		e = &ast.ArithmeticOpExpr{Operator: op, Lhs: lhs, Rhs: rhs}
	default:
		e = p.opCall(binaryOps53[op], lhs, rhs)
	}
	e.SetLine(lhs.Line())
	return e
}

// opCall is the call that stands for a Lua 5.3 operator gopher-lua lacks.
func (p *parser53) opCall(op op53, args ...ast.Expr) ast.Expr {
	if p.used == nil {
		p.used = opsUsed{}
	}
	p.used[op] = true
	fn := &ast.IdentExpr{Value: op.local()}
	fn.SetLine(args[0].Line())
	return &ast.FuncCallExpr{Func: fn, Args: args, AdjustRet: true}
}

// placed sets a node's first and last lines (0: none, as gopher-lua's
// parser leaves it) and returns it.
func placed[T ast.PositionHolder](n T, line, last int) T {
	n.SetLine(line)
	n.SetLastLine(last)
	return n
}
