package lua

import (
	"math"
	"math/bits"
	"sort"
	"strconv"
	"strings"

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
	case *glua.LUserData:
		// A bint is a table of 32-bit words on aos, which json.encode
		// writes as an array of them.
		words, ok := bintWords(v)
		if !ok {
			return "unexpected type '" + v.Type().String() + "'"
		}
		b.WriteByte('[')
		for i, w := range words {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatUint(uint64(w), 10))
		}
		b.WriteByte(']')
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
		// ForEach and Len also step over the nils of the array part.
		e.work += int64(n) + 2*slotsWork(len(arrayOf(t))-n)
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

// Decoding follows what aos's json.decode does (TestJSONDecodeIsAos in
// adapters/wasm checks each rule against real aos 2.0.4 and 2.0.6), which
// is more lenient than JSON:
//   - a comma may end an array or an object: [1,] and {"a":1,} decode;
//   - a number is the text up to the next space, ',', ']' or '}', read as
//     Lua's tonumber reads it: 01, 1., 0x10 and 0x1p4 are numbers, 1e400
//     is infinity, and an integer is exact only up to 2^53 here (numbers
//     are float64 on this engine);
//   - true, false and null are read the same way, so truex is an invalid
//     literal, not true followed by garbage;
//   - \uXXXX escapes become UTF-8 bytes as they are, a lone surrogate
//     included; a high surrogate followed by any \uXXXX is read as a pair,
//     and a pair past U+10FFFF is an error;
//   - a later duplicate key wins, null removes the key;
//   - nesting is bounded by maxJSONDepth, lower than aos's (Lua's stack).
// Errors carry aos's wording and place ("... at line L col C").

func luaJSONDecode(L *glua.LState) int {
	arg := L.Get(1)
	s, ok := arg.(glua.LString)
	if !ok {
		L.RaiseError("expected argument of type string, got %s", arg.Type().String())
		return 0
	}
	spend(L, int64(len(s))/8+1)
	d := jsonDecoder{L: L, s: string(s)}
	d.space()
	v := d.value(0)
	d.space()
	if d.err == "" && d.i < len(d.s) {
		d.fail("trailing garbage")
	}
	if d.err != "" {
		L.RaiseError("%s", d.err)
		return 0
	}
	L.Push(v)
	return 1
}

// maxJSONDepth bounds how many arrays and objects may nest, so hostile
// Data cannot exhaust the Go stack. Real aos goes on until Lua's stack is
// full, 166,656 arrays from a handler (TestJSONDecodeNestingOnRealAos),
// a bound that moves with the caller's use of the stack.
const maxJSONDepth = 10000

type jsonDecoder struct {
	L   *glua.LState
	s   string
	i   int
	err string
}

// fail records the first error, placed at byte i.
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

// failAt records the first error, placed at byte at.
func (d *jsonDecoder) failAt(at int, what string) {
	d.i = at
	d.fail(what)
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

// char is the byte at i as text, "" past the end.
func (d *jsonDecoder) char() string {
	if d.i >= len(d.s) {
		return ""
	}
	return d.s[d.i : d.i+1]
}

// token is the text from i up to the next space, ',', ']' or '}': what
// aos reads as one number or literal.
func (d *jsonDecoder) token() string {
	j := d.i
	for j < len(d.s) && strings.IndexByte(" \t\r\n,]}", d.s[j]) < 0 {
		j++
	}
	return d.s[d.i:j]
}

func (d *jsonDecoder) value(depth int) glua.LValue {
	if depth >= maxJSONDepth {
		d.fail("too deeply nested")
		return glua.LNil
	}
	switch c := d.char(); {
	case c == "{":
		return d.object(depth)
	case c == "[":
		return d.array(depth)
	case c == `"`:
		s, ok := d.str()
		if !ok {
			return glua.LNil
		}
		return glua.LString(s)
	case c == "-" || (c != "" && c[0] >= '0' && c[0] <= '9'):
		word := d.token()
		f, ok := luaToNumber(word)
		if !ok {
			d.fail("invalid number '" + word + "'")
			return glua.LNil
		}
		d.i += len(word)
		return glua.LNumber(f)
	case c == "t" || c == "f" || c == "n":
		word := d.token()
		var v glua.LValue
		switch word {
		case "true":
			v = glua.LTrue
		case "false":
			v = glua.LFalse
		case "null":
			v = glua.LNil
		default:
			d.fail("invalid literal '" + word + "'")
			return glua.LNil
		}
		d.i += len(word)
		return v
	default:
		d.fail("unexpected character '" + c + "'")
		return glua.LNil
	}
}

func (d *jsonDecoder) object(depth int) glua.LValue {
	// NewTable would reserve 32 array slots and a 32-entry map for every
	// object; most objects are small, and the map grows when they are not.
	t := d.L.CreateTable(0, 1)
	d.i++
	for d.err == "" {
		d.space()
		// An empty object, or a comma before the end (aos allows it).
		if d.char() == "}" {
			d.i++
			break
		}
		if d.char() != `"` {
			d.fail("expected string for key")
			break
		}
		k, ok := d.str()
		if !ok {
			break
		}
		d.space()
		if d.char() != ":" {
			d.fail("expected ':' after key")
			break
		}
		d.i++
		d.space()
		v := d.value(depth + 1)
		t.RawSetString(k, v)
		if !d.next('}', "expected '}' or ','") {
			break
		}
	}
	return t
}

func (d *jsonDecoder) array(depth int) glua.LValue {
	// A small start, as for objects: the array grows as items come.
	t := d.L.CreateTable(1, 0)
	d.i++
	n := 0
	for d.err == "" {
		d.space()
		// An empty array, or a comma before the end (aos allows it).
		if d.char() == "]" {
			d.i++
			break
		}
		v := d.value(depth + 1)
		n++
		t.RawSetInt(n, v)
		if !d.next(']', "expected ']' or ','") {
			break
		}
	}
	return t
}

// next reads what follows an item: the closing byte (false: the container
// ends) or a comma (true: another item or the closing byte follows).
func (d *jsonDecoder) next(closing byte, what string) bool {
	if d.err != "" {
		return false
	}
	d.space()
	c := d.char()
	d.i++
	if c == string(closing) {
		return false
	}
	if c != "," {
		d.failAt(d.i-1, what)
		return false
	}
	return true
}

// luaToNumber reads s as Lua 5.3's tonumber reads a string: an integer
// (decimal, or hexadecimal wrapping around 2^64), else a float as C's
// strtod reads it (hexadecimal floats included, "inf" and "nan" not),
// with spaces allowed around it.
func luaToNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t\n\v\f\r")
	if n, ok := luaToInteger(s); ok {
		return float64(n), true
	}
	if s == "" || strings.ContainsAny(s, "nN_") {
		return 0, false
	}
	body := strings.TrimPrefix(s, "-")
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		if !strings.ContainsAny(body, "pP") {
			// strtod reads 0x1.8 as 1.5; Go wants the exponent.
			s += "p0"
		}
	} else if body == "" || body[0] < '0' || body[0] > '9' {
		// strtod wants a digit first (after the sign); Go would take "+1".
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}

// luaToInteger reads s as Lua 5.3 reads an integer: an optional minus,
// then decimal digits that fit 64 bits, or 0x and hex digits (which wrap).
func luaToInteger(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var a uint64
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		for _, c := range []byte(s[2:]) {
			v, ok := hexDigit(c)
			if !ok {
				return 0, false
			}
			a = a<<4 | uint64(v)
		}
	} else {
		if s == "" {
			return 0, false
		}
		for _, c := range []byte(s) {
			if c < '0' || c > '9' {
				return 0, false
			}
			next := a*10 + uint64(c-'0')
			// Past the int64 range the text is a float (-2^63 included, as
			// Lua does: it reads the magnitude first).
			if a > math.MaxInt64/10 || next > math.MaxInt64 {
				return 0, false
			}
			a = next
		}
	}
	if neg {
		a = -a
	}
	return int64(a), true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// str reads the string whose opening quote is at i.
func (d *jsonDecoder) str() (string, bool) {
	open := d.i
	d.i++
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
			if !d.escape(&b) {
				return "", false
			}
		default:
			b.WriteByte(c)
			d.i++
		}
	}
	d.failAt(open, "expected closing quote for string")
	return "", false
}

// escape reads the escape whose backslash is at i; errors are placed at
// the backslash.
func (d *jsonDecoder) escape(b *strings.Builder) bool {
	at := d.i
	if at+1 >= len(d.s) {
		d.fail("invalid escape char '' in string")
		return false
	}
	e := d.s[at+1]
	if e != 'u' {
		k := strings.IndexByte(`"\/bfnrt`, e)
		if k < 0 {
			d.fail("invalid escape char '" + string(e) + "' in string")
			return false
		}
		b.WriteByte("\"\\/\b\f\n\r\t"[k])
		d.i += 2
		return true
	}
	hi, ok := hex4(d.s, at+2)
	if !ok {
		d.fail("invalid unicode escape in string")
		return false
	}
	d.i += 6
	n := hi
	// A high surrogate followed by any \uXXXX is taken as a pair, as aos
	// does, even when the second is no low surrogate.
	if hi >= 0xd800 && hi < 0xdc00 && strings.HasPrefix(d.s[d.i:], `\u`) {
		if lo, ok := hex4(d.s, d.i+2); ok {
			n = (hi-0xd800)*0x400 + (lo - 0xdc00) + 0x10000
			d.i += 6
		}
	}
	if n > 0x10ffff {
		// aos raises this one without a place.
		d.err = "invalid unicode codepoint '" + strconv.FormatInt(int64(n), 16) + "'"
		return false
	}
	writeCodepoint(b, n)
	return true
}

// hex4 reads the four hex digits at s[i:].
func hex4(s string, i int) (int, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s[i : i+4]) {
		v, ok := hexDigit(c)
		if !ok {
			return 0, false
		}
		n = n<<4 | int(v)
	}
	return n, true
}

// writeCodepoint writes n as UTF-8 bytes without judging it: a surrogate
// gets its three bytes, as aos writes it (Go's WriteRune would write
// U+FFFD).
func writeCodepoint(b *strings.Builder, n int) {
	switch {
	case n < 0x80:
		b.WriteByte(byte(n))
	case n < 0x800:
		b.WriteByte(byte(0xc0 | n>>6))
		b.WriteByte(byte(0x80 | n&0x3f))
	case n < 0x10000:
		b.WriteByte(byte(0xe0 | n>>12))
		b.WriteByte(byte(0x80 | n>>6&0x3f))
		b.WriteByte(byte(0x80 | n&0x3f))
	default:
		b.WriteByte(byte(0xf0 | n>>18))
		b.WriteByte(byte(0x80 | n>>12&0x3f))
		b.WriteByte(byte(0x80 | n>>6&0x3f))
		b.WriteByte(byte(0x80 | n&0x3f))
	}
}
