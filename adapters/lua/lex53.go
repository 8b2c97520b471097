package lua

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Lua 5.3 lexer that feeds parse53. gopher-lua's own lexer is Lua 5.1:
// it has no `//`, `&`, `|`, `~`, `<<`, `>>`, no `\x`, `\u{...}` or `\z`
// escapes, and it takes any `\c` as c where Lua 5.3 refuses an unknown
// escape. The rules here are the Lua 5.3 manual's (§3.1).

// Token kinds beyond single characters, which stand for themselves.
const (
	tkEOF = iota + 256
	tkName
	tkString
	tkNumber
	tkKeyword // Str holds the word
	tkOp      // Str holds a multi-character operator: == ~= <= >= // << >> .. ... ::
)

type token53 struct {
	kind int
	str  string // name, keyword, operator or string contents
	num  float64
	line int
}

func (t token53) is(op string) bool {
	switch t.kind {
	case tkKeyword, tkOp:
		return t.str == op
	case tkEOF, tkName, tkString, tkNumber:
		return false
	}
	return len(op) == 1 && t.kind == int(op[0])
}

// text is the token as an error message quotes it.
func (t token53) text() string {
	switch t.kind {
	case tkEOF:
		return "<eof>"
	case tkName, tkKeyword, tkOp:
		return t.str
	case tkString:
		return t.str
	case tkNumber:
		return strconv.FormatFloat(t.num, 'g', -1, 64)
	}
	return string(rune(t.kind))
}

var keywords53 = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "goto": true, "if": true, "in": true,
	"local": true, "nil": true, "not": true, "or": true, "repeat": true, "return": true,
	"then": true, "true": true, "until": true, "while": true,
}

// syntaxError is a Lua 5.3 source that does not parse.
type syntaxError struct {
	chunk string
	line  int
	msg   string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.chunk, e.line, e.msg) }

type lexer53 struct {
	src     string
	pos     int
	line    int
	chunk   string
	inexact int // line of the first integer literal beyond 2^53, 0 if none
	// longName is the line of the first name longer than maxNameBytes,
	// 0 if none.
	longName int
}

func (lx *lexer53) fail(line int, format string, args ...any) {
	panic(&syntaxError{chunk: lx.chunk, line: line, msg: fmt.Sprintf(format, args...)})
}

func (lx *lexer53) peekByte(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

// newline consumes a line break (\n, \r, \n\r or \r\n) at pos.
func (lx *lexer53) newline() {
	c := lx.src[lx.pos]
	lx.pos++
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') && lx.src[lx.pos] != c {
		lx.pos++
	}
	lx.line++
}

func isNameStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit10(c byte) bool   { return '0' <= c && c <= '9' }
func isHexDigit(c byte) bool  { return isDigit10(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func (lx *lexer53) next() token53 {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n' || c == '\r':
			lx.newline()
		case c == ' ' || c == '\t' || c == '\f' || c == '\v':
			lx.pos++
		case c == '-' && lx.peekByte(1) == '-':
			lx.pos += 2
			if lx.peekByte(0) == '[' {
				if lvl, ok := longBracket(lx.src[lx.pos:]); ok {
					lx.longString(lvl, "comment")
					continue
				}
			}
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
				lx.pos++
			}
		default:
			return lx.token()
		}
	}
	return token53{kind: tkEOF, line: lx.line}
}

func (lx *lexer53) token() token53 {
	c := lx.src[lx.pos]
	line := lx.line
	switch {
	case isNameStart(c):
		start := lx.pos
		for lx.pos < len(lx.src) && (isNameStart(lx.src[lx.pos]) || isDigit10(lx.src[lx.pos])) {
			lx.pos++
		}
		word := lx.src[start:lx.pos]
		if len(word) > maxNameBytes && lx.longName == 0 {
			lx.longName = line
		}
		if keywords53[word] {
			return token53{kind: tkKeyword, str: word, line: line}
		}
		return token53{kind: tkName, str: word, line: line}
	case isDigit10(c) || c == '.' && isDigit10(lx.peekByte(1)):
		return lx.number()
	case c == '"' || c == '\'':
		return token53{kind: tkString, str: lx.shortString(c), line: line}
	case c == '[':
		if lvl, ok := longBracket(lx.src[lx.pos:]); ok {
			return token53{kind: tkString, str: lx.longString(lvl, "string"), line: line}
		}
		if lx.peekByte(1) == '=' {
			lx.fail(line, "invalid long string delimiter near '[='")
		}
	}
	for _, op := range []string{"...", "..", "==", "~=", "<=", ">=", "//", "<<", ">>", "::"} {
		if strings.HasPrefix(lx.src[lx.pos:], op) {
			lx.pos += len(op)
			return token53{kind: tkOp, str: op, line: line}
		}
	}
	if strings.IndexByte("+-*/%^#&~|<>=(){}[];:,.", c) >= 0 {
		lx.pos++
		return token53{kind: int(c), line: line}
	}
	lx.fail(line, "unexpected symbol near '%s'", printable(string(c)))
	return token53{}
}

// printable quotes a byte a message cannot show as Lua does: <\N>.
func printable(s string) string {
	if len(s) == 1 && (s[0] < 32 || s[0] > 126) {
		return fmt.Sprintf("<\\%d>", s[0])
	}
	return s
}

// number reads a numeral the way Lua 5.3 does: the longest run of
// alphanumerics, dots and exponent signs, then converted as a whole.
func (lx *lexer53) number() token53 {
	line := lx.line
	start := lx.pos
	expo := "Ee"
	if lx.src[lx.pos] == '0' && (lx.peekByte(1) == 'x' || lx.peekByte(1) == 'X') {
		expo = "Pp"
		lx.pos += 2
	}
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if strings.IndexByte(expo, c) >= 0 && (lx.peekByte(1) == '+' || lx.peekByte(1) == '-') {
			lx.pos += 2
			continue
		}
		if isHexDigit(c) || c == '.' || isNameStart(c) || isDigit10(c) {
			lx.pos++
			continue
		}
		break
	}
	text := lx.src[start:lx.pos]
	v, n, isInt, ok := luaNumeral(text)
	if !ok {
		lx.fail(line, "malformed number near '%s'", text)
	}
	if isInt && (n > 1<<53 || n < -(1<<53)) && lx.inexact == 0 {
		lx.inexact = line
	}
	return token53{kind: tkNumber, num: v, line: line}
}

// luaNumeral converts a Lua 5.3 numeral: decimal or hexadecimal, integer
// or float. A decimal integer too large for 64 bits is a float; a
// hexadecimal one wraps around modulo 2^64, as in Lua 5.3.
func luaNumeral(s string) (v float64, n int64, isInt, ok bool) {
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		h := s[2:]
		if h != "" && !strings.ContainsAny(h, ".pP") {
			var u uint64
			for i := 0; i < len(h); i++ {
				if !isHexDigit(h[i]) {
					return 0, 0, false, false
				}
				d, _ := strconv.ParseUint(h[i:i+1], 16, 8)
				u = u<<4 | d
			}
			return float64(int64(u)), int64(u), true, true
		}
		if !strings.ContainsAny(h, "pP") {
			s += "p0" // Go requires the exponent of a hexadecimal float
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, 0, false, err == nil || isRangeErr(err)
	}
	for i := 0; i < len(s); i++ {
		if !isDigit10(s[i]) && strings.IndexByte(".eE+-", s[i]) < 0 {
			return 0, 0, false, false
		}
	}
	if !strings.ContainsAny(s, ".eE") {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return float64(n), n, true, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, 0, false, err == nil || isRangeErr(err)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// shortString reads a quoted string with Lua 5.3's escapes.
func (lx *lexer53) shortString(quote byte) string {
	line := lx.line
	lx.pos++
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) {
			lx.fail(line, "unfinished string near <eof>")
		}
		c := lx.src[lx.pos]
		switch {
		case c == quote:
			lx.pos++
			return b.String()
		case c == '\n' || c == '\r':
			lx.fail(lx.line, "unfinished string near '%s'", string(quote)+b.String())
		case c == '\\':
			lx.escape(&b)
		default:
			b.WriteByte(c)
			lx.pos++
		}
	}
}

func (lx *lexer53) escape(b *strings.Builder) {
	lx.pos++ // the backslash
	if lx.pos >= len(lx.src) {
		lx.fail(lx.line, "unfinished string near <eof>")
	}
	c := lx.src[lx.pos]
	if i := strings.IndexByte("abfnrtv\\\"'", c); i >= 0 {
		b.WriteByte("\a\b\f\n\r\t\v\\\"'"[i])
		lx.pos++
		return
	}
	switch {
	case c == '\n' || c == '\r':
		b.WriteByte('\n')
		lx.newline()
	case c == 'x':
		if lx.pos+2 >= len(lx.src) || !isHexDigit(lx.src[lx.pos+1]) || !isHexDigit(lx.src[lx.pos+2]) {
			lx.fail(lx.line, "hexadecimal digit expected")
		}
		v, _ := strconv.ParseUint(lx.src[lx.pos+1:lx.pos+3], 16, 8)
		b.WriteByte(byte(v))
		lx.pos += 3
	case c == 'z':
		lx.pos++
		for lx.pos < len(lx.src) {
			switch lx.src[lx.pos] {
			case '\n', '\r':
				lx.newline()
			case ' ', '\t', '\f', '\v':
				lx.pos++
			default:
				return
			}
		}
	case c == 'u':
		lx.pos++
		if lx.peekByte(0) != '{' {
			lx.fail(lx.line, "missing '{' in \\u{xxxx}")
		}
		lx.pos++
		var r uint64
		n := 0
		for ; isHexDigit(lx.peekByte(0)); n++ {
			d, _ := strconv.ParseUint(lx.src[lx.pos:lx.pos+1], 16, 8)
			r = r<<4 | d
			if r > 0x10FFFF {
				lx.fail(lx.line, "UTF-8 value too large")
			}
			lx.pos++
		}
		if n == 0 {
			lx.fail(lx.line, "hexadecimal digit expected")
		}
		if lx.peekByte(0) != '}' {
			lx.fail(lx.line, "missing '}' in \\u{xxxx}")
		}
		lx.pos++
		b.WriteString(utf8Encode(rune(r)))
	case isDigit10(c):
		v := 0
		for i := 0; i < 3 && isDigit10(lx.peekByte(0)); i++ {
			v = v*10 + int(lx.src[lx.pos]-'0')
			lx.pos++
		}
		if v > 255 {
			lx.fail(lx.line, "decimal escape too large")
		}
		b.WriteByte(byte(v))
	default:
		lx.fail(lx.line, "invalid escape sequence '\\%s'", printable(string(c)))
	}
}

// utf8Encode writes a code point as Lua 5.3 does, surrogates included
// (Go's encoder would replace them).
func utf8Encode(r rune) string {
	if r >= 0xD800 && r <= 0xDFFF {
		return string([]byte{0xED, byte(0x80 | (r>>6)&0x3F), byte(0x80 | r&0x3F)})
	}
	var buf [4]byte
	n := utf8.EncodeRune(buf[:], r)
	return string(buf[:n])
}

// longString reads [[...]] or [==[...]==] at pos; a first newline is
// skipped and line breaks become "\n".
func (lx *lexer53) longString(lvl int, what string) string {
	line := lx.line
	lx.pos += lvl + 2
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') {
		lx.newline()
	}
	closing := "]" + strings.Repeat("=", lvl) + "]"
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) {
			lx.fail(line, "unfinished long %s near <eof>", what)
		}
		c := lx.src[lx.pos]
		switch {
		case c == ']' && strings.HasPrefix(lx.src[lx.pos:], closing):
			lx.pos += len(closing)
			return b.String()
		case c == '\n' || c == '\r':
			b.WriteByte('\n')
			lx.newline()
		default:
			b.WriteByte(c)
			lx.pos++
		}
	}
}
