package mutate

import (
	"fmt"

	"github.com/yuin/gopher-lua/ast"
)

// stmtFinder walks the syntax tree for the statements whose deletion is a
// mutant: a call (a reply, a send, a notice), an assignment (a state write),
// a return right after a call (the return after an error reply: without it
// the handler goes on and replies twice), and a guard (an if with no else
// whose body ends in a return: an authorization check, a validation).
type stmtFinder struct {
	src   string
	toks  []token
	found []candidate
}

func (s *stmtFinder) block(stmts []ast.Stmt) {
	for i, st := range stmts {
		s.consider(stmts, i)
		s.stmt(st)
	}
}

// consider adds the deletion of stmts[i] when it is one of the kinds above
// and deletable as whole lines.
func (s *stmtFinder) consider(stmts []ast.Stmt, i int) {
	st := stmts[i]
	var op, lead string
	switch st := st.(type) {
	case *ast.FuncCallStmt:
		op = "delete-call"
	case *ast.AssignStmt:
		op = "delete-assign"
	case *ast.ReturnStmt:
		if i == 0 {
			return
		}
		if _, afterCall := stmts[i-1].(*ast.FuncCallStmt); !afterCall {
			return
		}
		op, lead = "delete-return", "return"
	case *ast.IfStmt:
		if len(st.Else) > 0 || len(st.Then) == 0 {
			return
		}
		if _, ret := st.Then[len(st.Then)-1].(*ast.ReturnStmt); !ret {
			return
		}
		op, lead = "delete-guard", "if"
	default:
		return
	}
	first, last := st.Line(), st.LastLine()
	if last < first {
		last = first
	}
	// No other statement of the block may share those lines.
	for j, other := range stmts {
		if j != i && other.Line() <= last && other.LastLine() >= first {
			return
		}
	}
	start, end, ok := s.wholeLines(first, last, lead)
	if !ok {
		return
	}
	desc := fmt.Sprintf("delete the %s on line %d", describe(op), first)
	if last > first {
		desc = fmt.Sprintf("delete the %s on lines %d-%d", describe(op), first, last)
	}
	s.found = append(s.found, candidate{op: op, line: first, desc: desc, edits: []edit{{start, end, ""}}})
}

func describe(op string) string {
	switch op {
	case "delete-call":
		return "call"
	case "delete-assign":
		return "assignment"
	case "delete-return":
		return "return after a call"
	}
	return "guard"
}

// wholeLines is the byte range of lines first..last when those lines hold
// one statement and nothing else: the first token of the first line is the
// statement's leading keyword (lead, or for a call or an assignment no
// keyword), and the tokens of the lines close every block and bracket they
// open (so the range is not the inside of a one-line `if ... end`).
func (s *stmtFinder) wholeLines(first, last int, lead string) (int, int, bool) {
	var lineToks []token
	for _, t := range s.toks {
		if t.line >= first && t.line <= last {
			lineToks = append(lineToks, t)
		}
	}
	if len(lineToks) == 0 || lineToks[0].line != first {
		return 0, 0, false
	}
	head := lineToks[0]
	if lead != "" && head.text != lead || lead == "" && head.kind == tkKeyword {
		return 0, 0, false
	}
	depth := 0
	for _, t := range lineToks {
		switch {
		case t.text == "(" || t.text == "[" || t.text == "{":
			depth++
		case t.text == ")" || t.text == "]" || t.text == "}":
			depth--
		case t.kind == tkKeyword:
			switch t.text {
			case "function", "if", "do", "repeat":
				depth++
			case "end", "until":
				depth--
			case "else", "elseif":
				if depth == 0 {
					return 0, 0, false
				}
			}
		}
		if depth < 0 {
			return 0, 0, false
		}
	}
	if depth != 0 {
		return 0, 0, false
	}
	// The text from the start of the first line to the end of the last,
	// with its newline. A line that starts inside a multi-line token is
	// not a whole line.
	start := head.start
	for start > 0 && s.src[start-1] != '\n' {
		start--
	}
	end := lineToks[len(lineToks)-1].end
	for end < len(s.src) && s.src[end] != '\n' {
		end++
	}
	if end < len(s.src) {
		end++
	}
	return start, end, true
}

// stmt walks into the blocks and the functions of a statement.
func (s *stmtFinder) stmt(st ast.Stmt) {
	switch st := st.(type) {
	case *ast.AssignStmt:
		s.exprs(st.Lhs)
		s.exprs(st.Rhs)
	case *ast.LocalAssignStmt:
		s.exprs(st.Exprs)
	case *ast.FuncCallStmt:
		s.expr(st.Expr)
	case *ast.DoBlockStmt:
		s.block(st.Stmts)
	case *ast.WhileStmt:
		s.expr(st.Condition)
		s.block(st.Stmts)
	case *ast.RepeatStmt:
		s.block(st.Stmts)
		s.expr(st.Condition)
	case *ast.IfStmt:
		s.expr(st.Condition)
		s.block(st.Then)
		s.block(st.Else)
	case *ast.NumberForStmt:
		s.expr(st.Init)
		s.expr(st.Limit)
		s.expr(st.Step)
		s.block(st.Stmts)
	case *ast.GenericForStmt:
		s.exprs(st.Exprs)
		s.block(st.Stmts)
	case *ast.FuncDefStmt:
		s.expr(st.Func)
	case *ast.ReturnStmt:
		s.exprs(st.Exprs)
	}
}

func (s *stmtFinder) exprs(es []ast.Expr) {
	for _, e := range es {
		s.expr(e)
	}
}

// expr walks an expression for the functions it defines.
func (s *stmtFinder) expr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.FunctionExpr:
		s.block(e.Stmts)
	case *ast.AttrGetExpr:
		s.expr(e.Object)
		s.expr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			s.expr(f.Key)
			s.expr(f.Value)
		}
	case *ast.FuncCallExpr:
		s.expr(e.Func)
		s.expr(e.Receiver)
		s.exprs(e.Args)
	case *ast.LogicalOpExpr:
		s.expr(e.Lhs)
		s.expr(e.Rhs)
	case *ast.RelationalOpExpr:
		s.expr(e.Lhs)
		s.expr(e.Rhs)
	case *ast.StringConcatOpExpr:
		s.expr(e.Lhs)
		s.expr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		s.expr(e.Lhs)
		s.expr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		s.expr(e.Expr)
	case *ast.UnaryNotOpExpr:
		s.expr(e.Expr)
	case *ast.UnaryLenOpExpr:
		s.expr(e.Expr)
	}
}
