package lua

import (
	"fmt"
	"strings"
)

// Lua 5.3 syntax that gopher-lua cannot parse. When a source fails to
// compile, find53 looks for one of these so the error can name the
// construct and its line instead of a bare parse error.
var constructs53 = []struct{ op, what string }{
	{"//", "integer division operator '//'"},
	{"<<", "left shift operator '<<'"},
	{">>", "right shift operator '>>'"},
	{"&", "bitwise and operator '&'"},
	{"|", "bitwise or operator '|'"},
	{"~", "bitwise xor/not operator '~'"},
}

// find53 scans src (skipping strings and comments) for the first Lua 5.3
// operator and returns a description and its line.
func find53(src string) (what string, line int, found bool) {
	line = 1
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line++
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			if lvl, ok := longBracket(src[i+2:]); ok {
				end := strings.Index(src[i+2:], "]"+strings.Repeat("=", lvl)+"]")
				if end < 0 {
					return "", 0, false
				}
				line += strings.Count(src[i:i+2+end], "\n")
				i += 2 + end + lvl + 1
				continue
			}
			for i < len(src) && src[i] != '\n' {
				i++
			}
			line++
		case c == '[':
			if lvl, ok := longBracket(src[i:]); ok {
				end := strings.Index(src[i:], "]"+strings.Repeat("=", lvl)+"]")
				if end < 0 {
					return "", 0, false
				}
				line += strings.Count(src[i:i+end], "\n")
				i += end + lvl + 1
			}
		case c == '"' || c == '\'':
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' {
					i++
				}
				if i < len(src) && src[i] == '\n' {
					line++
				}
			}
		default:
			for _, k := range constructs53 {
				if strings.HasPrefix(src[i:], k.op) {
					if k.op == "~" && strings.HasPrefix(src[i:], "~=") {
						break
					}
					return k.what, line, true
				}
			}
		}
	}
	return "", 0, false
}

// longBracket reports whether s starts a long bracket "[[" or "[==[" and its level.
func longBracket(s string) (int, bool) {
	if len(s) < 2 || s[0] != '[' {
		return 0, false
	}
	lvl := 0
	for lvl+1 < len(s) && s[lvl+1] == '=' {
		lvl++
	}
	if lvl+1 < len(s) && s[lvl+1] == '[' {
		return lvl, true
	}
	return 0, false
}

// unsupportedError is a compile failure caused by Lua 5.3 syntax.
type unsupportedError struct {
	chunk, what string
	line        int
}

// unsupportedMarker is in every unsupportedError text. It is wording only:
// the engine classifies a failed load by a flag set where the load failed,
// never by searching error text, which a process controls.
const unsupportedMarker = "is Lua 5.3 syntax, which this engine (gopher-lua, Lua 5.1) does not support"

func (e *unsupportedError) Error() string {
	return fmt.Sprintf("%s:%d: the %s %s; rewrite it (see docs/engine.md) or use the wasm engine", e.chunk, e.line, e.what, unsupportedMarker)
}

// describeCompileError returns the text for a failed compile: the Lua 5.3
// construct when there is one, else the parser's message.
func describeCompileError(src, name string, err error) string {
	if what, line, ok := find53(src); ok {
		return (&unsupportedError{chunk: name, what: what, line: line}).Error()
	}
	return err.Error()
}
