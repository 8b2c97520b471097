package lua

import (
	"math"
	"math/big"
	"regexp"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// require(".bint") as aos gives it: a function of a bit width returning a
// module of fixed-width signed integers (aos tokens use
// require(".bint")(256)). Values wrap modulo 2^bits (two's complement), as
// in aos's bint, the lua-bint library. Written in Go with math/big: the
// engine's numbers are float64, which cannot carry 64-bit words.
//
// A bint is a userdata holding a *big.Int whose metatable is the module
// table, as in lua-bint: getmetatable(x) == bint, and methods such as
// x:iszero() work through __index. A *big.Int is never changed once made
// (userdata may share one); lua-bint's in-place operations (x:_add(y))
// give the userdata a new one, which state snapshots record. The operators that take numbers
// (+ - * % < <=) fall back to float arithmetic when one operand is not an
// integer, and / and ^ always give floats, as lua-bint documents.

// openBint is the preload of ".bint": the factory function, whose modules
// are cached by bit width (in a Lua table, so snapshots see it).
func openBint(L *glua.LState) int {
	cache := L.NewTable()
	L.Push(L.NewClosure(bintFactory, cache))
	return 1
}

func bintFactory(L *glua.LState) int {
	// A numeral string is a width too, as Lua 5.3's arithmetic reads it.
	bits := 256
	if v := L.Get(1); v != glua.LNil {
		chargeLongStrings(L, v)
		f, ok := luaNumber(v)
		if !ok || !isInt(f) || f < 64 || f > 1<<16 || int(f)%32 != 0 {
			L.ArgError(1, "bit size must be a multiple of 32, at least 64")
		}
		bits = int(f)
	}
	cache := L.CheckTable(glua.UpvalueIndex(1))
	if m, ok := cache.RawGetInt(bits).(*glua.LTable); ok {
		L.Push(m)
		return 1
	}
	m := newBintModule(L, uint(bits))
	sortKeysFrom(m) // its functions come from a Go map (tablescan.go)
	cache.RawSetInt(bits, m)
	L.Push(m)
	return 1
}

// bintCtx is what every function of one module shares.
type bintCtx struct {
	bits     uint
	mod      *big.Int // 2^bits
	min, max *big.Int
}

func newBintModule(L *glua.LState, bits uint) *glua.LTable {
	c := &bintCtx{bits: bits, mod: new(big.Int).Lsh(big.NewInt(1), bits)}
	c.max = new(big.Int).Sub(new(big.Int).Rsh(c.mod, 1), big.NewInt(1))
	c.min = new(big.Int).Neg(new(big.Int).Rsh(c.mod, 1))
	m := L.NewTable()
	fns := map[string]func(*glua.LState, *glua.LTable) int{
		"zero":        func(L *glua.LState, m *glua.LTable) int { return c.push(L, m, new(big.Int)) },
		"one":         func(L *glua.LState, m *glua.LTable) int { return c.push(L, m, big.NewInt(1)) },
		"maxinteger":  func(L *glua.LState, m *glua.LTable) int { return c.push(L, m, c.max) },
		"mininteger":  func(L *glua.LState, m *glua.LTable) int { return c.push(L, m, c.min) },
		"new":         c.luaNew,
		"tobint":      c.luaToBint,
		"parse":       c.luaParse,
		"fromstring":  c.luaFromString,
		"frombase":    c.luaFromBase,
		"frominteger": c.luaFromInteger,
		// A negative integer is read as unsigned 64-bit, as lua-bint does.
		"fromuinteger": func(L *glua.LState, m *glua.LTable) int {
			if n, ok := luaInteger(L.Get(1)); ok && n < 0 {
				return c.push(L, m, new(big.Int).SetUint64(uint64(n)))
			}
			return c.luaFromInteger(L, m)
		},
		"frombe":     func(L *glua.LState, m *glua.LTable) int { return c.luaFromBytes(L, m, false) },
		"fromle":     func(L *glua.LState, m *glua.LTable) int { return c.luaFromBytes(L, m, true) },
		"tobe":       func(L *glua.LState, m *glua.LTable) int { return c.luaToBytes(L, m, false) },
		"tole":       func(L *glua.LState, m *glua.LTable) int { return c.luaToBytes(L, m, true) },
		"tonumber":   c.luaToNumber,
		"tointeger":  c.luaToInteger,
		"touinteger": c.luaToInteger,
		"tobase":     c.luaToBase,
		// Called directly, __tostring takes no number: it reads a bint.
		"__tostring": func(L *glua.LState, m *glua.LTable) int {
			x := c.ownArg(L, m, 1)
			L.Push(glua.LString(x.Text(10)))
			return 1
		},
		"brol":  func(L *glua.LState, m *glua.LTable) int { return c.rotate(L, m, 1) },
		"bror":  func(L *glua.LState, m *glua.LTable) int { return c.rotate(L, m, -1) },
		"bwrap": c.luaBwrap,
		"isbint": func(L *glua.LState, m *glua.LTable) int {
			_, ok := c.own(L.Get(1), m)
			L.Push(glua.LBool(ok))
			return 1
		},
		"isintegral": func(L *glua.LState, m *glua.LTable) int {
			_, own := c.own(L.Get(1), m)
			n, isNum := L.Get(1).(glua.LNumber)
			L.Push(glua.LBool(own || isNum && isInt(float64(n))))
			return 1
		},
		"isnumeric": func(L *glua.LState, m *glua.LTable) int {
			_, own := c.own(L.Get(1), m)
			_, isNum := L.Get(1).(glua.LNumber)
			L.Push(glua.LBool(own || isNum))
			return 1
		},
		"type": func(L *glua.LState, m *glua.LTable) int {
			if _, own := c.own(L.Get(1), m); own {
				L.Push(glua.LString("bint"))
			} else if n, ok := L.Get(1).(glua.LNumber); ok {
				if isInt(float64(n)) {
					L.Push(glua.LString("integer"))
				} else {
					L.Push(glua.LString("float"))
				}
			} else {
				L.Push(glua.LNil)
			}
			return 1
		},
		"iszero":     c.test(func(x *big.Int) bool { return x.Sign() == 0 }, numEquals(0)),
		"isone":      c.test(func(x *big.Int) bool { return x.IsInt64() && x.Int64() == 1 }, numEquals(1)),
		"isminusone": c.test(func(x *big.Int) bool { return x.IsInt64() && x.Int64() == -1 }, numEquals(-1)),
		"isneg":      c.test(func(x *big.Int) bool { return x.Sign() < 0 }, numCompare(func(f float64) bool { return f < 0 })),
		"ispos":      c.test(func(x *big.Int) bool { return x.Sign() > 0 }, numCompare(func(f float64) bool { return f > 0 })),
		"iseven":     c.test(func(x *big.Int) bool { return x.Bit(0) == 0 }, numModTwo(0)),
		"isodd":      c.test(func(x *big.Int) bool { return x.Bit(0) == 1 }, numModTwo(1)),
		"inc":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Add(x, big.NewInt(1)) }, func(f float64) float64 { return f + 1 }),
		"dec":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Sub(x, big.NewInt(1)) }, func(f float64) float64 { return f - 1 }),
		"abs":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Abs(x) }, math.Abs),
		// Called directly, - and ~ take no number: they read a bint.
		"__unm":   c.ownUnary(func(x *big.Int) *big.Int { return new(big.Int).Neg(x) }),
		"__bnot":  c.ownUnary(func(x *big.Int) *big.Int { return new(big.Int).Not(x) }),
		"floor":   c.rounding(math.Floor),
		"ceil":    c.rounding(math.Ceil),
		"trunc":   c.rounding(math.Trunc),
		"__add":   c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }, func(x, y float64) float64 { return x + y }),
		"__sub":   c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Sub(x, y) }, func(x, y float64) float64 { return x - y }),
		"__mul":   c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }, func(x, y float64) float64 { return x * y }),
		"__band":  c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).And(x, y) }),
		"__bor":   c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).Or(x, y) }),
		"__bxor":  c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).Xor(x, y) }),
		"__shl":   func(L *glua.LState, m *glua.LTable) int { return c.shift(L, m, 1) },
		"__shr":   func(L *glua.LState, m *glua.LTable) int { return c.shift(L, m, -1) },
		"__idiv":  c.division(true, false),
		"__mod":   c.division(false, true),
		"idivmod": c.division(true, true),
		"tdiv":    c.truncDivision(true, false),
		"tmod":    c.truncDivision(false, true),
		"tdivmod": c.truncDivision(true, true),
		"udiv":    c.unsignedDivision(true, false),
		"umod":    c.unsignedDivision(false, true),
		"udivmod": c.unsignedDivision(true, true),
		"__div": func(L *glua.LState, m *glua.LTable) int {
			L.Push(glua.LNumber(c.float(L, m, 1) / c.float(L, m, 2)))
			return 1
		},
		"__pow": func(L *glua.LState, m *glua.LTable) int {
			L.Push(glua.LNumber(math.Pow(c.float(L, m, 1), c.float(L, m, 2))))
			return 1
		},
		"ipow":    c.luaIPow,
		"upowmod": c.luaUPowMod,
		"__eq":    c.eqAcrossWidths(c.compare(func(s int) bool { return s == 0 }, func(x, y float64) bool { return x == y })),
		"eq":      c.luaEq,
		"__lt":    c.compare(func(s int) bool { return s < 0 }, func(x, y float64) bool { return x < y }),
		"__le":    c.compare(func(s int) bool { return s <= 0 }, func(x, y float64) bool { return x <= y }),
		"ult":     c.unsignedCompare(func(s int) bool { return s < 0 }),
		"ule":     c.unsignedCompare(func(s int) bool { return s <= 0 }),
		"max":     c.pick(1),
		"min":     c.pick(-1),
		// lua-bint's in-place operations: they change their first operand, a
		// bint, and return it.
		"_assign":   c.inPlace(func(_, y *big.Int) *big.Int { return y }),
		"_add":      c.inPlace(func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }),
		"_sub":      c.inPlace(func(x, y *big.Int) *big.Int { return new(big.Int).Sub(x, y) }),
		"_band":     c.inPlace(func(x, y *big.Int) *big.Int { return new(big.Int).And(c.unsigned(x), c.unsigned(y)) }),
		"_bor":      c.inPlace(func(x, y *big.Int) *big.Int { return new(big.Int).Or(c.unsigned(x), c.unsigned(y)) }),
		"_bxor":     c.inPlace(func(x, y *big.Int) *big.Int { return new(big.Int).Xor(c.unsigned(x), c.unsigned(y)) }),
		"_unm":      c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Neg(x) }),
		"_abs":      c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Abs(x) }),
		"_inc":      c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Add(x, big.NewInt(1)) }),
		"_dec":      c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Sub(x, big.NewInt(1)) }),
		"_bnot":     c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Not(x) }),
		"_shlone":   c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Lsh(c.unsigned(x), 1) }),
		"_shrone":   c.inPlaceUnary(func(x *big.Int) *big.Int { return new(big.Int).Rsh(c.unsigned(x), 1) }),
		"_shlwords": c.inPlaceWords(1),
		"_shrwords": c.inPlaceWords(-1),
	}
	for name, fn := range fns {
		fn := fn
		m.RawSetString(name, L.NewClosure(func(L *glua.LState) int {
			chargeNumeralArgs(L)
			return fn(L, L.CheckTable(glua.UpvalueIndex(1)))
		}, m))
	}
	m.RawSetString("bits", glua.LNumber(bits))
	m.RawSetString("__index", m)
	meta := L.NewTable()
	meta.RawSetString("__call", L.NewClosure(func(L *glua.LState) int {
		L.Remove(1) // the module itself
		chargeNumeralArgs(L)
		return c.luaNew(L, L.CheckTable(glua.UpvalueIndex(1)))
	}, m))
	L.SetMetatable(m, meta)
	return m
}

// wrap brings x into the signed range of the module (two's complement).
func (c *bintCtx) wrap(x *big.Int) *big.Int {
	if x.Cmp(c.min) >= 0 && x.Cmp(c.max) <= 0 {
		return x
	}
	r := new(big.Int).Mod(x, c.mod)
	if r.Cmp(c.max) > 0 {
		r.Sub(r, c.mod)
	}
	return r
}

// unsigned is the value of x read as an unsigned integer of the module.
func (c *bintCtx) unsigned(x *big.Int) *big.Int {
	if x.Sign() >= 0 {
		return x
	}
	return new(big.Int).Add(x, c.mod)
}

func (c *bintCtx) push(L *glua.LState, m *glua.LTable, x *big.Int) int {
	L.Push(c.value(L, m, x))
	return 1
}

func (c *bintCtx) value(L *glua.LState, m *glua.LTable, x *big.Int) *glua.LUserData {
	u := L.NewUserData()
	u.Value = c.wrap(x)
	u.Metatable = m
	return u
}

// own returns the integer of a bint of this module.
func (c *bintCtx) own(v glua.LValue, m *glua.LTable) (*big.Int, bool) {
	u, ok := v.(*glua.LUserData)
	if !ok || u.Metatable != m {
		return nil, false
	}
	x, ok := u.Value.(*big.Int)
	return x, ok
}

// convert is lua-bint's tobint: a bint, an integral number, or a string in
// decimal, 0x hex or 0b binary; anything else is not convertible.
func (c *bintCtx) convert(v glua.LValue, m *glua.LTable) (*big.Int, bool) {
	if x, ok := c.own(v, m); ok {
		return x, true
	}
	switch x := v.(type) {
	case glua.LNumber:
		f := float64(x)
		if f != math.Trunc(f) || math.IsInf(f, 0) || f < -(1<<63) || f >= 1<<63 {
			return nil, false
		}
		return c.wrap(big.NewInt(int64(f))), true
	case glua.LString:
		return c.fromString(string(x))
	}
	return nil, false
}

// The numerals fromstring takes: decimal, or 0x hex or 0b binary digits
// after an optional sign, nothing around them.
var (
	bintDecimal = regexp.MustCompile(`^[+-]?[0-9]+$`)
	bintHex     = regexp.MustCompile(`^[+-]?0[xX][0-9a-fA-F]+$`)
	bintBinary  = regexp.MustCompile(`^[+-]?0[bB][01]+$`)
	// frombase's: Lua's %s (space, \t\n\v\f\r) around, a sign, then
	// letters and digits.
	bintDigits = regexp.MustCompile("^[ \t\n\v\f\r]*([+-]?)([0-9a-z]+)[ \t\n\v\f\r]*$")
)

func (c *bintCtx) fromString(s string) (*big.Int, bool) {
	switch {
	case bintDecimal.MatchString(s):
		return c.fromBase(s, 10)
	case bintHex.MatchString(s):
		return c.fromBase(stripPrefix(s), 16)
	case bintBinary.MatchString(s):
		return c.fromBase(stripPrefix(s), 2)
	}
	return nil, false
}

// stripPrefix removes the 0x or 0b after the sign.
func stripPrefix(s string) string {
	i := strings.IndexByte(s, '0')
	return s[:i] + s[i+2:]
}

// fromBase reads [+-]digits in base (2 to 36), as lua-bint's frombase,
// with spaces around allowed, wrapping past the width.
func (c *bintCtx) fromBase(s string, base int) (*big.Int, bool) {
	if base < 2 || base > 36 {
		return nil, false
	}
	g := bintDigits.FindStringSubmatch(strings.ToLower(s))
	if g == nil {
		return nil, false
	}
	x, ok := new(big.Int).SetString(g[2], base)
	if !ok {
		return nil, false
	}
	if g[1] == "-" {
		x.Neg(x)
	}
	return c.wrap(x), true
}

func (c *bintCtx) must(L *glua.LState, m *glua.LTable, n int) *big.Int {
	x, ok := c.convert(L.Get(n), m)
	if !ok {
		L.RaiseError("value has not integer representation")
	}
	return x
}

// float is lua-bint's tonumber of an operand: a bint as a float, else the
// operand as Lua converts it to a number.
func (c *bintCtx) float(L *glua.LState, m *glua.LTable, n int) float64 {
	v := L.Get(n)
	if x, ok := c.own(v, m); ok {
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	}
	if f, ok := luaNumber(v); ok {
		return f
	}
	L.RaiseError("attempt to perform arithmetic on a %s value", v.Type().String())
	return 0
}

// ownArg is argument n, which must be a bint of this module.
func (c *bintCtx) ownArg(L *glua.LState, m *glua.LTable, n int) *big.Int {
	x, ok := c.own(L.Get(n), m)
	if !ok {
		L.RaiseError("attempt to index a %s value", L.Get(n).Type().String())
	}
	return x
}

// luaInteger is an integral number, or a numeral string of one, as a Go
// integer (lua-bint's reading of a Lua integer).
func luaInteger(v glua.LValue) (int64, bool) {
	f, ok := luaNumber(v)
	if !ok || !isInt(f) {
		return 0, false
	}
	return int64(f), true
}

// luaNew is bint.new and bint(x): a copy of a bint, a number or string
// converted, and, as aos's, any other value but nil and false given back
// as it is.
func (c *bintCtx) luaNew(L *glua.LState, m *glua.LTable) int {
	v := L.Get(1)
	_, own := c.own(v, m)
	switch v.(type) {
	case glua.LNumber, glua.LString:
		own = true
	}
	if own {
		x, ok := c.convert(v, m)
		if !ok {
			L.RaiseError("value cannot be represented by a bint")
		}
		return c.push(L, m, x)
	}
	if !glua.LVAsBool(v) {
		L.RaiseError("value cannot be represented by a bint")
	}
	L.Push(v)
	return 1
}

// luaToBint is bint.tobint(x, clone): the bint itself (a new one when
// clone is true), a number or numeral converted, or nothing.
func (c *bintCtx) luaToBint(L *glua.LState, m *glua.LTable) int {
	if _, ok := c.own(L.Get(1), m); ok && !L.ToBool(2) {
		L.Push(L.Get(1))
		return 1
	}
	if x, ok := c.convert(L.Get(1), m); ok {
		return c.push(L, m, x)
	}
	return 0
}

func (c *bintCtx) luaParse(L *glua.LState, m *glua.LTable) int {
	if x, ok := c.convert(L.Get(1), m); ok {
		return c.push(L, m, x)
	}
	if f, ok := luaNumber(L.Get(1)); ok {
		L.Push(glua.LNumber(f))
	} else {
		L.Push(glua.LNil)
	}
	return 1
}

// pushParsed pushes the bint a string argument reads as, or nothing.
func (c *bintCtx) pushParsed(L *glua.LState, m *glua.LTable, parse func(string) (*big.Int, bool)) int {
	if s, ok := L.Get(1).(glua.LString); ok {
		if x, ok := parse(string(s)); ok {
			return c.push(L, m, x)
		}
	}
	return 0
}

func (c *bintCtx) luaFromString(L *glua.LState, m *glua.LTable) int {
	return c.pushParsed(L, m, c.fromString)
}

func (c *bintCtx) luaFromBase(L *glua.LState, m *glua.LTable) int {
	if _, ok := L.Get(1).(glua.LString); !ok {
		return 0
	}
	base := c.base(L, 2)
	if base < 2 || base > 36 || base != math.Trunc(base) {
		return 0
	}
	return c.pushParsed(L, m, func(s string) (*big.Int, bool) { return c.fromBase(s, int(base)) })
}

// base is the base argument at n, 10 when absent; a value that is not a
// number fails as Lua 5.3's comparison of it with 2 does.
func (c *bintCtx) base(L *glua.LState, n int) float64 {
	switch v := L.Get(n).(type) {
	case *glua.LNilType:
		return 10
	case glua.LNumber:
		return float64(v)
	default:
		L.RaiseError("attempt to compare number with %s", v.Type().String())
		return 0
	}
}

// luaFromInteger is bint.frominteger: an integral number or numeral
// (tonumber's reading, hex included), else nothing.
func (c *bintCtx) luaFromInteger(L *glua.LState, m *glua.LTable) int {
	n, ok := luaInteger(L.Get(1))
	if !ok {
		return 0
	}
	return c.push(L, m, big.NewInt(n))
}

func (c *bintCtx) bytesLen() int { return int(c.bits / 8) }

func (c *bintCtx) luaFromBytes(L *glua.LState, m *glua.LTable, little bool) int {
	s, ok := L.Get(1).(glua.LString)
	if !ok {
		L.RaiseError("attempt to get length of a %s value", L.Get(1).Type().String())
	}
	b := []byte(s)
	if little {
		b = reversed(b)
	}
	if n := c.bytesLen(); len(b) > n {
		b = b[len(b)-n:]
	}
	return c.push(L, m, new(big.Int).SetBytes(b))
}

func (c *bintCtx) luaToBytes(L *glua.LState, m *glua.LTable, little bool) int {
	x := c.must(L, m, 1)
	b := c.unsigned(x).FillBytes(make([]byte, c.bytesLen()))
	if L.ToBool(2) {
		// As aos's, a zero keeps one byte.
		for len(b) > 1 && b[0] == 0 {
			b = b[1:]
		}
	}
	if little {
		b = reversed(b)
	}
	L.Push(glua.LString(b))
	return 1
}

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i, v := range b {
		out[len(b)-1-i] = v
	}
	return out
}

func (c *bintCtx) luaToNumber(L *glua.LState, m *glua.LTable) int {
	v := L.Get(1)
	if x, ok := c.own(v, m); ok {
		f, _ := new(big.Float).SetInt(x).Float64()
		L.Push(glua.LNumber(f))
		return 1
	}
	if f, ok := luaNumber(v); ok {
		L.Push(glua.LNumber(f))
	} else {
		L.Push(glua.LNil)
	}
	return 1
}

// luaToInteger wraps a bint to a 64-bit integer, as lua-bint does (signed
// or not, the same Lua 5.3 integer); a number or numeral stays itself when
// integral, else nothing. The engine's numbers are floats, so values past
// 2^53 are rounded.
func (c *bintCtx) luaToInteger(L *glua.LState, m *glua.LTable) int {
	v := L.Get(1)
	x, ok := c.own(v, m)
	if !ok {
		if n, isInt := luaInteger(v); isInt {
			L.Push(glua.LNumber(n))
			return 1
		}
		return 0
	}
	L.Push(glua.LNumber(float64(c.low64(x))))
	return 1
}

// low64 is x's low 64 bits read as a signed integer.
func (c *bintCtx) low64(x *big.Int) int64 {
	return int64(new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64())
}

func (c *bintCtx) luaToBase(L *glua.LState, m *glua.LTable) int {
	x, ok := c.convert(L.Get(1), m)
	if !ok {
		return 0
	}
	fb := c.base(L, 2)
	if fb < 2 || fb > 36 || fb != math.Trunc(fb) {
		return 0
	}
	base := int(fb)
	unsigned := base != 10
	if L.GetTop() >= 3 && L.Get(3) != glua.LNil {
		unsigned = L.ToBool(3)
	}
	if unsigned {
		x = c.unsigned(x)
	}
	L.Push(glua.LString(x.Text(base)))
	return 1
}

// test is a predicate: on a bint of the module its own, on any other
// value the Lua expression aos's evaluates (x == 0, x < 0, x % 2 == 1...).
func (c *bintCtx) test(pred func(*big.Int) bool, other func(*glua.LState, glua.LValue) bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		if x, ok := c.own(L.Get(1), m); ok {
			L.Push(glua.LBool(pred(x)))
		} else {
			L.Push(glua.LBool(other(L, L.Get(1))))
		}
		return 1
	}
}

// numEquals is v == n, by Lua's rules (a string is never equal to a number).
func numEquals(n float64) func(*glua.LState, glua.LValue) bool {
	return func(_ *glua.LState, v glua.LValue) bool {
		f, ok := v.(glua.LNumber)
		return ok && float64(f) == n
	}
}

// numCompare is a comparison of v with 0, which fails on any value but a
// number.
func numCompare(ok func(float64) bool) func(*glua.LState, glua.LValue) bool {
	return func(L *glua.LState, v glua.LValue) bool {
		f, isNum := v.(glua.LNumber)
		if !isNum {
			L.RaiseError("attempt to compare number with %s", v.Type().String())
		}
		return ok(float64(f))
	}
}

// numModTwo is v % 2 == r, with Lua's arithmetic on numbers and numerals.
func numModTwo(r float64) func(*glua.LState, glua.LValue) bool {
	return func(L *glua.LState, v glua.LValue) bool {
		f, ok := luaNumber(v)
		if !ok {
			L.RaiseError("attempt to perform arithmetic on a %s value", v.Type().String())
		}
		m := math.Mod(f, 2)
		if m < 0 {
			m += 2
		}
		return m == r
	}
}

// unary is inc, dec and abs: on what converts to a bint, a bint; on any
// other number, the float result.
func (c *bintCtx) unary(op func(*big.Int) *big.Int, fop func(float64) float64) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		if x, ok := c.convert(L.Get(1), m); ok {
			return c.push(L, m, op(x))
		}
		L.Push(glua.LNumber(fop(c.float(L, m, 1))))
		return 1
	}
}

func (c *bintCtx) ownUnary(op func(*big.Int) *big.Int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		return c.push(L, m, op(c.ownArg(L, m, 1)))
	}
}

// count is a shift or rotation count: a bint's low 64 bits, or an
// integral number or numeral.
func (c *bintCtx) count(L *glua.LState, m *glua.LTable, n int) int64 {
	if x, ok := c.own(L.Get(n), m); ok {
		return c.low64(x)
	}
	k, ok := luaInteger(L.Get(n))
	if !ok {
		L.RaiseError("attempt to compare nil with number")
	}
	return k
}

// rotate is brol (dir 1) and bror (dir -1): the unsigned value rotated,
// the count taken modulo the width.
func (c *bintCtx) rotate(L *glua.LState, m *glua.LTable, dir int64) int {
	x := c.unsigned(c.must(L, m, 1))
	k := (c.count(L, m, 2) * dir) % int64(c.bits)
	if k < 0 {
		k += int64(c.bits)
	}
	l := new(big.Int).Lsh(x, uint(k))
	l.Or(l, new(big.Int).Rsh(x, c.bits-uint(k)))
	return c.push(L, m, l)
}

// luaBwrap is bint.bwrap(x, y): x's low y bits.
func (c *bintCtx) luaBwrap(L *glua.LState, m *glua.LTable) int {
	x := c.unsigned(c.must(L, m, 1))
	k := c.count(L, m, 2)
	switch {
	case k <= 0:
		return c.push(L, m, new(big.Int))
	case k >= int64(c.bits):
		return c.push(L, m, x)
	}
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(k)), big.NewInt(1))
	return c.push(L, m, new(big.Int).And(x, mask))
}

// eqAcrossWidths is __eq, which Lua 5.3 calls from the first operand's
// metatable whatever the second is: a bint of another width is read at
// this one's (so require(".bint")(64)(5) == bint(5), as on aos).
func (c *bintCtx) eqAcrossWidths(eq func(*glua.LState, *glua.LTable) int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		for n := 1; n <= 2; n++ {
			if u, ok := L.Get(n).(*glua.LUserData); ok && u.Metatable != m {
				if x, ok := u.Value.(*big.Int); ok {
					L.Replace(n, c.value(L, m, c.wrap(x)))
				}
			}
		}
		return eq(L, m)
	}
}

// luaEq is bint.eq: bints compared when both convert, else what
// bint.tonumber makes of each (nil and nil are equal).
func (c *bintCtx) luaEq(L *glua.LState, m *glua.LTable) int {
	x, okx := c.convert(L.Get(1), m)
	y, oky := c.convert(L.Get(2), m)
	if okx && oky {
		L.Push(glua.LBool(x.Cmp(y) == 0))
		return 1
	}
	num := func(n int) (float64, bool) {
		if v, own := c.own(L.Get(n), m); own {
			f, _ := new(big.Float).SetInt(v).Float64()
			return f, true
		}
		return luaNumber(L.Get(n))
	}
	a, oka := num(1)
	b, okb := num(2)
	L.Push(glua.LBool(oka == okb && (!oka || a == b)))
	return 1
}

// rounding is floor, ceil and trunc: the identity on integers, the rounded
// float made a bint otherwise.
func (c *bintCtx) rounding(op func(float64) float64) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		if x, ok := c.convert(L.Get(1), m); ok {
			return c.push(L, m, x)
		}
		f := op(c.float(L, m, 1))
		x, ok := c.convert(glua.LNumber(f), m)
		if !ok {
			L.RaiseError("value cannot be represented by a bint")
		}
		return c.push(L, m, x)
	}
}

func (c *bintCtx) arith(op func(x, y *big.Int) *big.Int, fop func(x, y float64) float64) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, okx := c.convert(L.Get(1), m)
		y, oky := c.convert(L.Get(2), m)
		if okx && oky {
			return c.push(L, m, op(x, y))
		}
		L.Push(glua.LNumber(fop(c.float(L, m, 1), c.float(L, m, 2))))
		return 1
	}
}

func (c *bintCtx) bitwise(op func(x, y *big.Int) *big.Int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		return c.push(L, m, op(c.unsigned(c.must(L, m, 1)), c.unsigned(c.must(L, m, 2))))
	}
}

// shift is a logical shift of the unsigned value; a negative count shifts
// the other way.
func (c *bintCtx) shift(L *glua.LState, m *glua.LTable, dir int) int {
	x := c.unsigned(c.must(L, m, 1))
	n := c.must(L, m, 2)
	if !n.IsInt64() {
		return c.push(L, m, new(big.Int))
	}
	k := n.Int64() * int64(dir)
	switch {
	case k >= int64(c.bits) || -k >= int64(c.bits):
		return c.push(L, m, new(big.Int))
	case k >= 0:
		return c.push(L, m, new(big.Int).Lsh(x, uint(k)))
	default:
		return c.push(L, m, new(big.Int).Rsh(x, uint(-k)))
	}
}

func (c *bintCtx) divisor(L *glua.LState, y *big.Int) {
	if y.Sign() == 0 {
		L.RaiseError("attempt to divide by zero")
	}
}

// division is floor division and modulo (//, %, idivmod): bints when both
// operands are integers, floats otherwise.
func (c *bintCtx) division(quot, rem bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, okx := c.convert(L.Get(1), m)
		y, oky := c.convert(L.Get(2), m)
		if !(okx && oky) {
			a, b := c.float(L, m, 1), c.float(L, m, 2)
			q := math.Floor(a / b)
			r := a - q*b
			if b != 0 && !math.IsInf(b, 0) {
				r = math.Mod(a, b)
				if r != 0 && (r < 0) != (b < 0) {
					r += b
				}
			}
			return pushPair(L, glua.LNumber(q), glua.LNumber(r), quot, rem)
		}
		c.divisor(L, y)
		q, r := new(big.Int).QuoRem(x, y, new(big.Int))
		if r.Sign() != 0 && (r.Sign() < 0) != (y.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
			r.Add(r, y)
		}
		return pushPair(L, c.value(L, m, q), c.value(L, m, r), quot, rem)
	}
}

// truncDivision is tdiv, tmod and tdivmod: truncated toward zero, the
// remainder taking the dividend's sign; the lowest value divided by -1
// fails as aos's does; an operand that is not an integer gives floats.
func (c *bintCtx) truncDivision(quot, rem bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, okx := c.convert(L.Get(1), m)
		y, oky := c.convert(L.Get(2), m)
		if !(okx && oky) {
			a, b := c.float(L, m, 1), c.float(L, m, 2)
			q := math.Floor(math.Abs(a) / math.Abs(b))
			r := math.Mod(math.Abs(a), math.Abs(b))
			if (a < 0) != (b < 0) {
				q = -q
			}
			if a < 0 {
				r = -r
			}
			return pushPair(L, glua.LNumber(q), glua.LNumber(r), quot, rem)
		}
		c.divisor(L, y)
		if x.Cmp(c.min) == 0 && y.IsInt64() && y.Int64() == -1 {
			L.RaiseError("division overflow")
		}
		q, r := new(big.Int).QuoRem(x, y, new(big.Int))
		return pushPair(L, c.value(L, m, q), c.value(L, m, r), quot, rem)
	}
}

func (c *bintCtx) unsignedDivision(quot, rem bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, y := c.unsigned(c.must(L, m, 1)), c.unsigned(c.must(L, m, 2))
		c.divisor(L, y)
		q, r := new(big.Int).QuoRem(x, y, new(big.Int))
		return pushPair(L, c.value(L, m, q), c.value(L, m, r), quot, rem)
	}
}

func pushPair(L *glua.LState, q, r glua.LValue, quot, rem bool) int {
	n := 0
	if quot {
		L.Push(q)
		n++
	}
	if rem {
		L.Push(r)
		n++
	}
	return n
}

// luaIPow is integer power modulo 2^bits; a negative exponent is read as
// unsigned, as lua-bint does.
func (c *bintCtx) luaIPow(L *glua.LState, m *glua.LTable) int {
	x := c.unsigned(c.must(L, m, 1))
	y := c.unsigned(c.must(L, m, 2))
	return c.push(L, m, new(big.Int).Exp(x, y, c.mod))
}

// luaUPowMod is x^y modulo m, all read as unsigned, by squaring. As in
// aos's bint, each product is taken modulo 2^bits before it is reduced
// modulo m, so a modulus past 2^(bits/2) can give what exact arithmetic
// would not.
func (c *bintCtx) luaUPowMod(L *glua.LState, m *glua.LTable) int {
	x := c.unsigned(c.must(L, m, 1))
	y := c.unsigned(c.must(L, m, 2))
	mod := c.unsigned(c.must(L, m, 3))
	c.divisor(L, mod)
	mulmod := func(a, b *big.Int) *big.Int {
		p := new(big.Int).Mul(a, b)
		p.Mod(p, c.mod)
		return p.Mod(p, mod)
	}
	z := new(big.Int).Mod(big.NewInt(1), mod)
	base := new(big.Int).Mod(x, mod)
	for i := 0; i < y.BitLen(); i++ {
		if y.Bit(i) == 1 {
			z = mulmod(z, base)
		}
		base = mulmod(base, base)
	}
	return c.push(L, m, z)
}

// compare is ==, < and <=: signed comparison when both operands are
// integers, float comparison otherwise.
func (c *bintCtx) compare(ok func(int) bool, fok func(x, y float64) bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, okx := c.convert(L.Get(1), m)
		y, oky := c.convert(L.Get(2), m)
		if okx && oky {
			L.Push(glua.LBool(ok(x.Cmp(y))))
			return 1
		}
		L.Push(glua.LBool(fok(c.float(L, m, 1), c.float(L, m, 2))))
		return 1
	}
}

func (c *bintCtx) unsignedCompare(ok func(int) bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, y := c.unsigned(c.must(L, m, 1)), c.unsigned(c.must(L, m, 2))
		L.Push(glua.LBool(ok(x.Cmp(y))))
		return 1
	}
}

// pick is max (want 1) and min (want -1): a bint when both operands are
// integers, else the float, as lua-bint's max and min.
func (c *bintCtx) pick(want int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, okx := c.convert(L.Get(1), m)
		y, oky := c.convert(L.Get(2), m)
		if okx && oky {
			if x.Cmp(y) == -want {
				x = y
			}
			return c.push(L, m, x)
		}
		fa, fb := c.float(L, m, 1), c.float(L, m, 2)
		if (fb > fa) == (want > 0) && fa != fb {
			fa = fb
		}
		L.Push(glua.LNumber(fa))
		return 1
	}
}

// inPlace is an in-place operation of two operands: the first, a bint of
// the module, takes the result.
func (c *bintCtx) inPlace(op func(x, y *big.Int) *big.Int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x := c.ownArg(L, m, 1)
		L.Get(1).(*glua.LUserData).Value = c.wrap(op(x, c.must(L, m, 2)))
		L.Push(L.Get(1))
		return 1
	}
}

func (c *bintCtx) inPlaceUnary(op func(x *big.Int) *big.Int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x := c.ownArg(L, m, 1)
		L.Get(1).(*glua.LUserData).Value = c.wrap(op(x))
		L.Push(L.Get(1))
		return 1
	}
}

// inPlaceWords is _shlwords (dir 1) and _shrwords (dir -1): a shift by
// 32-bit words, as lua-bint's words are.
func (c *bintCtx) inPlaceWords(dir int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x := c.unsigned(c.ownArg(L, m, 1))
		k := c.count(L, m, 2) * 32
		var r *big.Int
		switch {
		case k >= int64(c.bits) || k < 0:
			r = new(big.Int)
		case dir > 0:
			r = new(big.Int).Lsh(x, uint(k))
		default:
			r = new(big.Int).Rsh(x, uint(k))
		}
		L.Get(1).(*glua.LUserData).Value = c.wrap(r)
		L.Push(L.Get(1))
		return 1
	}
}

// bintWords are the 32-bit words, least significant first, of a bint
// (a userdata of a .bint module), which is how aos's bint holds it.
func bintWords(u *glua.LUserData) ([]uint32, bool) {
	x, ok := u.Value.(*big.Int)
	m, isTable := u.Metatable.(*glua.LTable)
	if !ok || !isTable {
		return nil, false
	}
	bits, ok := m.RawGetString("bits").(glua.LNumber)
	if !ok || bits < 64 || int(bits)%32 != 0 {
		return nil, false
	}
	v := x
	if v.Sign() < 0 {
		v = new(big.Int).Add(v, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	}
	words := make([]uint32, int(bits)/32)
	mask := big.NewInt(0xffffffff)
	for i := range words {
		words[i] = uint32(new(big.Int).And(new(big.Int).Rsh(v, uint(32*i)), mask).Uint64())
	}
	return words, true
}
