package lua

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// numberString writes a number as Lua 5.3's tostring does, as far as a
// float64 allows: a whole number within 64 bits is taken for an integer
// and written in full (Lua 5.3 writes a float with a whole value as
// "5.0": this engine cannot tell 10/2 from 5); any other number is
// certainly a float in Lua 5.3 and is written as it writes floats, "%.14g"
// with ".0" added when that looks like an integer, and inf, -inf, nan,
// -nan. Negative zero is written "0": an integer operation gives it here
// (-7 * 0), where Lua 5.3 gives the integer 0. gopher-lua's own tostring writes 17 digits, "+Inf", "NaN".
func numberString(v float64) string {
	switch {
	case math.IsNaN(v):
		if math.Signbit(v) {
			return "-nan"
		}
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case isInt(v):
		return strconv.FormatInt(int64(v), 10)
	}
	s := formatG14(v)
	if !strings.ContainsAny(s, ".en") {
		s += ".0"
	}
	return s
}

// formatG14 is C's "%.14g".
func formatG14(v float64) string {
	exp := 0
	if v != 0 {
		// The exponent after rounding to 14 significant digits decides
		// between fixed and exponent notation.
		e := strconv.FormatFloat(v, 'e', 13, 64)
		exp, _ = strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	}
	if exp < -4 || exp >= 14 {
		s := strconv.FormatFloat(v, 'e', 13, 64)
		mant, ex, _ := strings.Cut(s, "e")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		sign := ex[0]
		digits := strings.TrimLeft(ex[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(v, 'f', 13-exp, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// toString53 converts a string or a number as Lua 5.3 does where a string
// is expected (tostring, `..`, table.concat, string.format's %s).
func toString53(v glua.LValue) string {
	if n, ok := v.(glua.LNumber); ok {
		return numberString(float64(n))
	}
	return v.String()
}

// shimToNumber is Lua 5.3's tonumber: a numeral as Lua 5.3 reads it
// (hexadecimal floats, exponents, a sign before "0x"); with a base from 2
// to 36, a string of that base's digits (letters for 10 to 35), with an
// optional minus sign and surrounding spaces.
func shimToNumber(L *glua.LState) int {
	if L.GetTop() < 1 {
		argError53(L, 1, "value expected")
	}
	if L.Get(2) == glua.LNil {
		switch v := L.Get(1).(type) {
		case glua.LNumber:
			L.Push(v)
		case glua.LString:
			if x, ok := stringToNumber(string(v)); ok {
				L.Push(glua.LNumber(x))
			} else {
				L.Push(glua.LNil)
			}
		default:
			L.Push(glua.LNil)
		}
		return 1
	}
	base := checkInteger53(L, 2)
	s, ok := L.Get(1).(glua.LString)
	if !ok {
		argError53(L, 1, "string expected, got "+argTypeName(L, 1))
	}
	if base < 2 || base > 36 {
		argError53(L, 2, "base out of range")
	}
	if x, ok := parseInBase(string(s), base); ok {
		L.Push(glua.LNumber(x))
	} else {
		L.Push(glua.LNil)
	}
	return 1
}

// parseInBase reads s as tonumber(s, base) does: the digits wrap around
// in 64-bit integers as Lua 5.3's do.
func parseInBase(s string, base int64) (float64, bool) {
	s = strings.Trim(s, " \t\n\r\f\v")
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int64
		switch {
		case '0' <= c && c <= '9':
			d = int64(c - '0')
		case 'a' <= c && c <= 'z':
			d = int64(c-'a') + 10
		case 'A' <= c && c <= 'Z':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		n = n*base + d
	}
	if neg {
		n = -n
	}
	return float64(n), true
}

// format53Arg checks string.format's argument n for the directive spec
// (from % to the conversion) as Lua 5.3 does before gopher-lua formats it:
// %d, %i, %c, %x, %X and %o need a number with an integer value. It
// formats here (ok) what gopher-lua would format differently: %s of a
// number (as tostring), %x, %X and %o of a negative number (as the 64-bit
// two's complement), %q of a number (a literal that reads back the same).
func format53Arg(L *glua.LState, spec string, n int) (text string, ok bool) {
	v := L.Get(n)
	switch c := spec[len(spec)-1]; c {
	case 'a', 'A':
		// C's hexadecimal float; Go's fmt has no %a.
		if x, ok := luaNumber(v); ok && (spec == "%a" || spec == "%A") {
			return hexFloat(x, c == 'A'), true
		}
	case 'd', 'i', 'c', 'x', 'X', 'o':
		x, ok := luaNumber(v)
		if !ok && n <= L.GetTop() && v.Type() != glua.LTString {
			// gopher-lua would print the Go value of a table or userdata.
			L.ArgError(n, "number expected, got "+v.Type().String())
		}
		if ok && !isInt(x) {
			L.ArgError(n, "number has no integer representation")
		}
		if ok && x < 0 && (c == 'x' || c == 'X' || c == 'o') {
			return fmt.Sprintf(spec, uint64(int64(x))), true
		}
	case 's':
		// As Lua 5.3's luaL_tolstring: a number as tostring writes it, a
		// value with __tostring what that gives (a bint its digits), a
		// table its __name; gopher-lua wrote Go's text of the value.
		if _, isString := v.(glua.LString); !isString {
			return fmt.Sprintf(spec, tolstring53(L, v)), true
		}
	case 'q':
		// Lua 5.3.6 takes %q with a width or flags as %q.
		switch x := v.(type) {
		case glua.LNumber:
			return quoteNumber(float64(x)), true
		case glua.LString:
			return quoteString(string(x)), true
		case glua.LBool:
			return x.String(), true
		default:
			if v == glua.LNil {
				return "nil", true
			}
			L.ArgError(n, "value has no literal form")
		}
	}
	return "", false
}

// hexFloat is C's %a (%A when upper) of x: Go's 'x' format with the
// exponent written without leading zeros.
func hexFloat(x float64, upper bool) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		s := numberString(x)
		if upper {
			s = strings.ToUpper(s)
		}
		return s
	}
	s := strconv.FormatFloat(x, 'x', -1, 64)
	if i := strings.LastIndexAny(s, "+-"); i > 0 {
		exp := strings.TrimLeft(s[i+1:], "0")
		if exp == "" {
			exp = "0"
		}
		s = s[:i+1] + exp
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// quoteString is %q of a string in Lua 5.3.6: between double quotes, a
// quote, a backslash and a newline escaped with a backslash, every other
// control byte (0 to 31, and 127) as \ and its decimal code (three digits
// when a digit follows, so that it reads back the same), every other byte
// as itself. gopher-lua writes Go's escapes (\x00, \n, \xc8) instead.
func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 32 || c == 127:
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				fmt.Fprintf(&b, "\\%03d", c)
			} else {
				fmt.Fprintf(&b, "\\%d", c)
			}
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// quoteNumber is %q of a number in Lua 5.3.6: an integer in decimal, a
// float in hexadecimal ("%a").
func quoteNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || isInt(v) {
		return numberString(v) // what C's "%a" writes for inf and nan
	}
	// Go writes the exponent with at least two digits, C with one.
	s := strconv.FormatFloat(v, 'x', -1, 64)
	mant, exp, _ := strings.Cut(s, "p")
	digits := strings.TrimLeft(exp[1:], "0")
	if digits == "" {
		digits = "0"
	}
	return mant + "p" + exp[:1] + digits
}
