package mutate

import (
	"fmt"
	"strings"
)

// token is one Lua token with where it sits in the source: the mutations
// are text edits, so they need byte offsets, which the syntax tree does not
// keep.
type token struct {
	kind       tokKind
	text       string // the token as written
	start, end int    // byte offsets in the source
	line       int
}

type tokKind int

const (
	tkName tokKind = iota
	tkKeyword
	tkNumber
	tkString
	tkOp
)

var keywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "goto": true, "if": true, "in": true,
	"local": true, "nil": true, "not": true, "or": true, "repeat": true, "return": true,
	"then": true, "true": true, "until": true, "while": true,
}

// tokenize splits a Lua 5.3 source into tokens, skipping comments. It is
// only as strict as finding the tokens needs: the source has been parsed
// before, so it is well formed.
func tokenize(src string) ([]token, error) {
	var out []token
	var err error
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case strings.HasPrefix(src[i:], "--"):
			i += 2
			if _, ok := longOpen(src[i:]); ok {
				if i, err = skipLong(src, i, &line); err != nil {
					return nil, err
				}
				continue
			}
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		start, startLine := i, line
		kind := tkOp
		switch {
		case isNameStart(c):
			for i < len(src) && (isNameStart(src[i]) || isDigit(src[i])) {
				i++
			}
			kind = tkName
			if keywords[src[start:i]] {
				kind = tkKeyword
			}
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			i = numberEnd(src, i)
			kind = tkNumber
		case c == '"' || c == '\'':
			i++
			for i < len(src) && src[i] != c {
				if src[i] == '\\' {
					i++
					if i < len(src) && src[i] == '\n' {
						line++
					}
				}
				i++
			}
			if i >= len(src) {
				return nil, fmt.Errorf("line %d: unfinished string", startLine)
			}
			i++
			kind = tkString
		case c == '[':
			if _, ok := longOpen(src[i:]); ok {
				if i, err = skipLong(src, i, &line); err != nil {
					return nil, err
				}
				kind = tkString
				break
			}
			i++
		default:
			i++
			for _, op := range []string{"...", "..", "==", "~=", "<=", ">=", "//", "<<", ">>", "::"} {
				if strings.HasPrefix(src[start:], op) {
					i = start + len(op)
					break
				}
			}
		}
		out = append(out, token{kind: kind, text: src[start:i], start: start, end: i, line: startLine})
	}
	return out, nil
}

func isNameStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool     { return '0' <= c && c <= '9' }

// numberEnd is where the numeral that starts at i ends (Lua 5.3 §3.1:
// decimal or hexadecimal, with a fraction and an exponent).
func numberEnd(src string, i int) int {
	exp := "eE"
	if strings.HasPrefix(src[i:], "0x") || strings.HasPrefix(src[i:], "0X") {
		i += 2
		exp = "pP"
	}
	for i < len(src) {
		c := src[i]
		switch {
		case strings.IndexByte(exp, c) >= 0 && i+1 < len(src) && (src[i+1] == '+' || src[i+1] == '-'):
			i += 2
		case isDigit(c) || isNameStart(c) || c == '.':
			i++
		default:
			return i
		}
	}
	return i
}

// longOpen reports whether s starts a long bracket, [[ or [==[, and its level.
func longOpen(s string) (int, bool) {
	if len(s) < 2 || s[0] != '[' {
		return 0, false
	}
	n := 1
	for n < len(s) && s[n] == '=' {
		n++
	}
	if n < len(s) && s[n] == '[' {
		return n - 1, true
	}
	return 0, false
}

// skipLong steps over the long bracket (a long string or comment) that
// opens at i, counting its lines, and returns the offset past it.
func skipLong(src string, i int, line *int) (int, error) {
	lvl, _ := longOpen(src[i:])
	end, err := longClose(src, i, lvl)
	if err != nil {
		return 0, fmt.Errorf("line %d: %w", *line, err)
	}
	*line += strings.Count(src[i:end], "\n")
	return end, nil
}

// longClose is the offset just past the long bracket of that level that
// opens at i.
func longClose(src string, i, lvl int) (int, error) {
	closer := "]" + strings.Repeat("=", lvl) + "]"
	j := strings.Index(src[i+lvl+2:], closer)
	if j < 0 {
		return 0, fmt.Errorf("unfinished long bracket")
	}
	return i + lvl + 2 + j + len(closer), nil
}
