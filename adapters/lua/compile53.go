package lua

import "errors"

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

// unsupportedCompile reports whether a compile failed because the source
// holds what Lua 5.3 runs but this engine cannot run exactly (an integer
// literal beyond 2^53, an assignment to the chunk's _ENV, a name longer
// than maxNameBytes), rather than a syntax error. The engine classifies
// a failed load by this flag, never by searching error text, which a
// process controls.
func unsupportedCompile(err error) bool {
	var inexact *inexactError
	var env *envError
	var long *longNameError
	return errors.As(err, &inexact) || errors.As(err, &env) || errors.As(err, &long)
}
