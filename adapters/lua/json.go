package lua

import (
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	glua "github.com/yuin/gopher-lua"
)

// The json module processes get from require("json"). It lives in Go because
// it is hot (every JSON message goes through it) and its rules are easy to
// state exactly: they follow the json.lua that aos ships.
//   - numbers print with %.14g; NaN and infinities are errors;
//   - an empty table encodes as [];
//   - a table whose key 1 is set is an array and must be dense;
//   - any other table is an object and every key must be a string;
//   - object keys are written in sorted order, so output is deterministic;
//   - null decodes to nil, so it disappears from tables.

func openJSON(L *glua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(luaJSONEncode))
	mod.RawSetString("decode", L.NewFunction(luaJSONDecode))
	L.Push(mod)
	return 1
}

func luaJSONEncode(L *glua.LState) int {
	e := jsonEncoder{L: L, seen: map[*glua.LTable]bool{}, maxBytes: defaultMaxString}
	if b := budgetOf(L); b != nil {
		e.maxBytes = b.maxString
	}
	if err := e.encode(L.Get(1)); err != "" {
		if e.tooDeep {
			refuse(L, err)
		}
		L.RaiseError("%s", err)
		return 0
	}
	e.settle()
	checkSize(L, float64(e.b.Len()), "json.encode")
	noteBuilt(L, e.b.Len())
	L.Push(glua.LString(e.b.String()))
	return 1
}

// maxJSONEncodeDepth bounds the nesting json.encode follows, so a table
// nested millions deep cannot exhaust the Go stack.
const maxJSONEncodeDepth = 1000

// jsonEncoder writes JSON. With an L it charges the evaluation's budget one
// unit per value and per 64 bytes written, and stops past maxBytes of
// output: a table that shares its sub-tables (t = {t, t}, sixty times over)
// is a tree of 2^60 values.
type jsonEncoder struct {
	L        *glua.LState // nil: encode for the engine itself (no budget)
	b        strings.Builder
	seen     map[*glua.LTable]bool
	depth    int
	tooDeep  bool
	work     int64 // units not charged yet
	maxBytes int
}

// settle charges the work not charged yet.
func (e *jsonEncoder) settle() {
	if e.L != nil && e.work > 0 {
		spend(e.L, e.work)
	}
	e.work = 0
}

// count charges one value (and the bytes written so far), and refuses
// output past maxBytes.
func (e *jsonEncoder) count() string {
	e.work++
	if e.work >= 256 {
		e.work += int64(e.b.Len()) / bytesPerUnit
		e.settle()
	}
	if e.b.Len() > e.maxBytes {
		if e.L != nil {
			checkSize(e.L, float64(e.b.Len()), "json.encode")
		}
		return "json.encode: the result would be more than " + strconv.Itoa(e.maxBytes) + " bytes (MaxStringBytes)"
	}
	return ""
}

// encodeJSON encodes v for the engine itself (an Output table), bounded by
// maxBytes of output.
func encodeJSON(b *strings.Builder, v glua.LValue, maxBytes int) string {
	e := jsonEncoder{seen: map[*glua.LTable]bool{}, maxBytes: maxBytes}
	if err := e.encode(v); err != "" {
		return err
	}
	b.WriteString(e.b.String())
	return ""
}

func (e *jsonEncoder) encode(v glua.LValue) string {
	if err := e.count(); err != "" {
		return err
	}
	b := &e.b
	switch v := v.(type) {
	case *glua.LNilType:
		b.WriteString("null")
	case glua.LBool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case glua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "unexpected number value '" + formatNumber(f) + "'"
		}
		b.WriteString(formatNumber(f))
	case glua.LString:
		if err := e.count(); err != "" {
			return err
		}
		e.work += int64(len(v)) / bytesPerUnit
		encodeJSONString(b, string(v))
	case *glua.LTable:
		return e.table(v)
	default:
		return "unexpected type '" + v.Type().String() + "'"
	}
	return ""
}

func (e *jsonEncoder) table(t *glua.LTable) string {
	if e.seen[t] {
		return "circular reference"
	}
	if e.depth >= maxJSONEncodeDepth {
		e.tooDeep = true
		return "json.encode: tables nested more than " + strconv.Itoa(maxJSONEncodeDepth) + " deep"
	}
	e.seen[t] = true
	e.depth++
	defer func() { delete(e.seen, t); e.depth-- }()
	b := &e.b
	first, _ := t.Next(glua.LNil)
	if t.RawGetInt(1) != glua.LNil || first == glua.LNil {
		// An array: every key a positive integer, no holes.
		n, bad := 0, false
		t.ForEach(func(k, _ glua.LValue) {
			num, ok := k.(glua.LNumber)
			if !ok || float64(num) != math.Floor(float64(num)) || num < 1 {
				bad = true
				return
			}
			n++
		})
		e.work += int64(n)
		if bad {
			return "invalid table: mixed or invalid key types"
		}
		if n != t.Len() {
			return "invalid table: sparse array"
		}
		b.WriteByte('[')
		for i := 1; i <= n; i++ {
			if i > 1 {
				b.WriteByte(',')
			}
			if err := e.encode(t.RawGetInt(i)); err != "" {
				return err
			}
		}
		b.WriteByte(']')
		return ""
	}
	keys := make([]string, 0, 8)
	bad := false
	t.ForEach(func(k, _ glua.LValue) {
		s, ok := k.(glua.LString)
		if !ok {
			bad = true
			return
		}
		keys = append(keys, string(s))
	})
	e.work += int64(len(keys)) * int64(1+bits.Len(uint(len(keys))))
	if bad {
		return "invalid table: mixed or invalid key types"
	}
	sort.Strings(keys)
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		encodeJSONString(b, k)
		b.WriteByte(':')
		if err := e.encode(t.RawGetString(k)); err != "" {
			return err
		}
	}
	b.WriteByte('}')
	return ""
}

// formatNumber prints a number the way C's %.14g does.
func formatNumber(f float64) string {
	if math.IsInf(f, 1) {
		return "inf"
	}
	if math.IsInf(f, -1) {
		return "-inf"
	}
	if math.IsNaN(f) {
		return "nan"
	}
	if f == 0 {
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	// %g: exponent form when exp < -4 or exp >= precision; trailing zeros removed.
	s := strconv.FormatFloat(f, 'e', 13, 64)
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 14 {
		mant = trimZeros(mant)
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		e := strconv.Itoa(exp)
		if len(e) < 2 {
			e = "0" + e
		}
		return mant + "e" + sign + e
	}
	return trimZeros(strconv.FormatFloat(f, 'f', 13-exp, 64))
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func encodeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

func luaJSONDecode(L *glua.LState) int {
	s := L.CheckString(1)
	spend(L, int64(len(s))/8+1)
	d := jsonDecoder{L: L, s: s}
	d.space()
	v := d.value(0)
	d.space()
	if d.err == "" && d.i < len(s) {
		d.fail("trailing garbage")
	}
	if d.err != "" {
		L.RaiseError("%s", d.err)
		return 0
	}
	L.Push(v)
	return 1
}

// maxJSONDepth bounds nesting so hostile Data cannot exhaust the Go stack.
const maxJSONDepth = 200

type jsonDecoder struct {
	L   *glua.LState
	s   string
	i   int
	err string
}

func (d *jsonDecoder) fail(what string) {
	if d.err != "" {
		return
	}
	line, col := 1, 1
	for j := 0; j < d.i && j < len(d.s); j++ {
		if d.s[j] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	d.err = what + " at line " + strconv.Itoa(line) + " col " + strconv.Itoa(col)
}

func (d *jsonDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value(depth int) glua.LValue {
	if depth > maxJSONDepth {
		d.fail("too deeply nested")
		return glua.LNil
	}
	if d.i >= len(d.s) {
		d.fail("unexpected end of input")
		return glua.LNil
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		s, ok := d.str()
		if !ok {
			return glua.LNil
		}
		return glua.LString(s)
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	default:
		for _, lit := range []struct {
			word string
			v    glua.LValue
		}{{"true", glua.LTrue}, {"false", glua.LFalse}, {"null", glua.LNil}} {
			if strings.HasPrefix(d.s[d.i:], lit.word) {
				d.i += len(lit.word)
				return lit.v
			}
		}
		d.fail("unexpected character '" + string(c) + "'")
		return glua.LNil
	}
}

func (d *jsonDecoder) object(depth int) glua.LValue {
	t := d.L.NewTable()
	d.i++
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return t
	}
	for d.err == "" {
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			d.fail("expected string for key")
			break
		}
		k, ok := d.str()
		if !ok {
			break
		}
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			d.fail("expected ':' after key")
			break
		}
		d.i++
		d.space()
		v := d.value(depth + 1)
		t.RawSetString(k, v)
		d.space()
		if d.i >= len(d.s) {
			d.fail("expected '}' or ','")
			break
		}
		if d.s[d.i] == '}' {
			d.i++
			break
		}
		if d.s[d.i] != ',' {
			d.fail("expected '}' or ','")
			break
		}
		d.i++
	}
	return t
}

func (d *jsonDecoder) array(depth int) glua.LValue {
	t := d.L.NewTable()
	d.i++
	d.space()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return t
	}
	n := 0
	for d.err == "" {
		d.space()
		v := d.value(depth + 1)
		n++
		t.RawSetInt(n, v)
		d.space()
		if d.i >= len(d.s) {
			d.fail("expected ']' or ','")
			break
		}
		if d.s[d.i] == ']' {
			d.i++
			break
		}
		if d.s[d.i] != ',' {
			d.fail("expected ']' or ','")
			break
		}
		d.i++
	}
	return t
}

func (d *jsonDecoder) number() glua.LValue {
	start := d.i
	for d.i < len(d.s) && strings.IndexByte("+-0123456789.eE", d.s[d.i]) >= 0 {
		d.i++
	}
	f, err := strconv.ParseFloat(d.s[start:d.i], 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		text := d.s[start:d.i]
		d.i = start
		d.fail("invalid number '" + text + "'")
		return glua.LNil
	}
	return glua.LNumber(f)
}

func (d *jsonDecoder) str() (string, bool) {
	d.i++ // opening quote
	var b strings.Builder
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return b.String(), true
		case c < 0x20:
			d.fail("control character in string")
			return "", false
		case c == '\\':
			if d.i+1 >= len(d.s) {
				d.fail("unexpected end of input in string")
				return "", false
			}
			e := d.s[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", false
				}
				if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(d.s[d.i:], `\u`) {
					d.i += 2
					lo, ok := d.hex4()
					if !ok {
						return "", false
					}
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
				}
				b.WriteRune(r)
			default:
				d.i--
				d.fail("invalid escape char '" + string(e) + "' in string")
				return "", false
			}
		default:
			b.WriteByte(c)
			d.i++
		}
	}
	d.fail("expected closing quote for string")
	return "", false
}

func (d *jsonDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.s) {
		d.fail("invalid unicode escape in string")
		return 0, false
	}
	n, err := strconv.ParseUint(d.s[d.i:d.i+4], 16, 32)
	if err != nil {
		d.fail("invalid unicode escape in string")
		return 0, false
	}
	d.i += 4
	r := rune(n)
	if !utf8.ValidRune(r) && !(r >= 0xd800 && r < 0xe000) {
		return utf8.RuneError, true
	}
	return r, true
}
