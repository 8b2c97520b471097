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

// shimToString is tostring with Lua 5.3's number format.
func shimToString(orig *glua.LFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		if n, ok := L.Get(1).(glua.LNumber); ok {
			L.Push(glua.LString(numberString(float64(n))))
			return 1
		}
		return orig.GFunction(L)
	}
}

// shimToNumber is tonumber reading numerals as Lua 5.3 does (hexadecimal
// floats, exponents, a sign before "0x"); with a base it is gopher-lua's.
func shimToNumber(orig *glua.LFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		if s, ok := L.Get(1).(glua.LString); ok && L.GetTop() == 1 {
			if v, ok := stringToNumber(string(s)); ok {
				L.Push(glua.LNumber(v))
			} else {
				L.Push(glua.LNil)
			}
			return 1
		}
		return orig.GFunction(L)
	}
}

// format53Arg checks string.format's argument n for the directive spec
// (from % to the conversion) as Lua 5.3 does before gopher-lua formats it:
// %d, %i, %c, %x, %X and %o need a number with an integer value. It
// formats here (ok) what gopher-lua would format differently: %s of a
// number (as tostring), %x, %X and %o of a negative number (as the 64-bit
// two's complement), %q of a number (a literal that reads back the same).
func format53Arg(L *glua.LState, spec string, n int) (text string, ok bool) {
	v := L.Get(n)
	num, isNum := v.(glua.LNumber)
	switch c := spec[len(spec)-1]; c {
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
		if isNum && n <= L.GetTop() {
			return fmt.Sprintf(spec, numberString(float64(num))), true
		}
		// As Lua 5.3's luaL_tolstring, %s of a value with __tostring writes
		// what that gives (a bint its digits); gopher-lua wrote the address.
		if L.GetMetaField(v, "__tostring") != glua.LNil {
			return fmt.Sprintf(spec, L.ToStringMeta(v).String()), true
		}
	case 'q':
		if n > L.GetTop() || spec != "%q" {
			break // gopher-lua's own error for a missing argument
		}
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
