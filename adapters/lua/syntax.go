package lua

import "github.com/yuin/gopher-lua/ast"

// Parse parses a Lua 5.3 source as this engine does and returns its syntax
// tree (gopher-lua's, with each statement's first and last line), for tools
// that look at a source's structure, such as the mutation tester. A source
// this engine refuses is an error here too.
func Parse(src, name string) ([]ast.Stmt, error) {
	chunk, _, err := parse53(src, name, 0)
	return chunk, err
}
