package lua

import (
	"math"
	"math/big"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// require(".bint") as aos gives it: a function of a bit width returning a
// module of fixed-width signed integers (aos tokens use
// require(".bint")(256)). Values wrap modulo 2^bits (two's complement), as
// in aos's bint, the lua-bint library. Written in Go with math/big: the
// engine's numbers are float64, which cannot carry 64-bit words.
//
// A bint is a userdata holding an immutable *big.Int (so state snapshots,
// which record a userdata's metatable, never miss a change) whose metatable
// is the module table, as in lua-bint: getmetatable(x) == bint, and methods
// such as x:iszero() work through __index. The operators that take numbers
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
	bits := L.OptInt(1, 256)
	if bits < 64 || bits%32 != 0 || bits > 1<<16 {
		L.ArgError(1, "bit size must be a multiple of 32, at least 64")
	}
	cache := L.CheckTable(glua.UpvalueIndex(1))
	if m, ok := cache.RawGetInt(bits).(*glua.LTable); ok {
		L.Push(m)
		return 1
	}
	m := newBintModule(L, uint(bits))
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
			if n, ok := L.Get(1).(glua.LNumber); ok && n < 0 && isInt(float64(n)) {
				return c.push(L, m, new(big.Int).SetUint64(uint64(int64(n))))
			}
			return c.luaFromInteger(L, m)
		},
		"frombe":     func(L *glua.LState, m *glua.LTable) int { return c.luaFromBytes(L, m, false) },
		"fromle":     func(L *glua.LState, m *glua.LTable) int { return c.luaFromBytes(L, m, true) },
		"tobe":       func(L *glua.LState, m *glua.LTable) int { return c.luaToBytes(L, m, false) },
		"tole":       func(L *glua.LState, m *glua.LTable) int { return c.luaToBytes(L, m, true) },
		"tonumber":   c.luaToNumber,
		"tointeger":  func(L *glua.LState, m *glua.LTable) int { return c.luaToInteger(L, m, true) },
		"touinteger": func(L *glua.LState, m *glua.LTable) int { return c.luaToInteger(L, m, false) },
		"tobase":     c.luaToBase,
		"__tostring": c.luaToBase,
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
		"iszero":     c.test(func(x *big.Int) bool { return x.Sign() == 0 }),
		"isone":      c.test(func(x *big.Int) bool { return x.IsInt64() && x.Int64() == 1 }),
		"isminusone": c.test(func(x *big.Int) bool { return x.IsInt64() && x.Int64() == -1 }),
		"isneg":      c.test(func(x *big.Int) bool { return x.Sign() < 0 }),
		"ispos":      c.test(func(x *big.Int) bool { return x.Sign() > 0 }),
		"iseven":     c.test(func(x *big.Int) bool { return x.Bit(0) == 0 }),
		"isodd":      c.test(func(x *big.Int) bool { return x.Bit(0) == 1 }),
		"inc":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Add(x, big.NewInt(1)) }),
		"dec":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Sub(x, big.NewInt(1)) }),
		"abs":        c.unary(func(x *big.Int) *big.Int { return new(big.Int).Abs(x) }),
		"__unm":      c.unary(func(x *big.Int) *big.Int { return new(big.Int).Neg(x) }),
		"__bnot":     c.unary(func(x *big.Int) *big.Int { return new(big.Int).Not(x) }),
		"floor":      c.rounding(math.Floor),
		"ceil":       c.rounding(math.Ceil),
		"trunc":      c.rounding(math.Trunc),
		"__add":      c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }, func(x, y float64) float64 { return x + y }),
		"__sub":      c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Sub(x, y) }, func(x, y float64) float64 { return x - y }),
		"__mul":      c.arith(func(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }, func(x, y float64) float64 { return x * y }),
		"__band":     c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).And(x, y) }),
		"__bor":      c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).Or(x, y) }),
		"__bxor":     c.bitwise(func(x, y *big.Int) *big.Int { return new(big.Int).Xor(x, y) }),
		"__shl":      func(L *glua.LState, m *glua.LTable) int { return c.shift(L, m, 1) },
		"__shr":      func(L *glua.LState, m *glua.LTable) int { return c.shift(L, m, -1) },
		"__idiv":     c.division(true, false),
		"__mod":      c.division(false, true),
		"idivmod":    c.division(true, true),
		"tdiv":       c.truncDivision(true, false),
		"tmod":       c.truncDivision(false, true),
		"tdivmod":    c.truncDivision(true, true),
		"udiv":       c.unsignedDivision(true, false),
		"umod":       c.unsignedDivision(false, true),
		"udivmod":    c.unsignedDivision(true, true),
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
		"__eq":    c.compare(func(s int) bool { return s == 0 }, func(x, y float64) bool { return x == y }),
		"eq":      c.compare(func(s int) bool { return s == 0 }, func(x, y float64) bool { return x == y }),
		"__lt":    c.compare(func(s int) bool { return s < 0 }, func(x, y float64) bool { return x < y }),
		"__le":    c.compare(func(s int) bool { return s <= 0 }, func(x, y float64) bool { return x <= y }),
		"ult":     c.unsignedCompare(func(s int) bool { return s < 0 }),
		"ule":     c.unsignedCompare(func(s int) bool { return s <= 0 }),
		"max":     c.pick(1),
		"min":     c.pick(-1),
	}
	for name, fn := range fns {
		fn := fn
		m.RawSetString(name, L.NewClosure(func(L *glua.LState) int {
			return fn(L, L.CheckTable(glua.UpvalueIndex(1)))
		}, m))
	}
	m.RawSetString("bits", glua.LNumber(bits))
	m.RawSetString("__index", m)
	meta := L.NewTable()
	meta.RawSetString("__call", L.NewClosure(func(L *glua.LState) int {
		L.Remove(1) // the module itself
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

func (c *bintCtx) fromString(s string) (*big.Int, bool) {
	sign, body := "", s
	if strings.HasPrefix(body, "+") || strings.HasPrefix(body, "-") {
		sign, body = body[:1], body[1:]
	}
	base := 10
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		base, body = 16, body[2:]
	} else if len(body) > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B') {
		base, body = 2, body[2:]
	}
	return c.fromBase(sign+body, base)
}

// fromBase reads [+-]digits in base (2 to 36), as lua-bint's frombase.
func (c *bintCtx) fromBase(s string, base int) (*big.Int, bool) {
	if base < 2 || base > 36 {
		return nil, false
	}
	neg := false
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return nil, false
		}
	}
	x, ok := new(big.Int).SetString(strings.ToLower(s), base)
	if !ok {
		return nil, false
	}
	if neg {
		x.Neg(x)
	}
	return c.wrap(x), true
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
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
	switch x := v.(type) {
	case glua.LNumber:
		return float64(x)
	case glua.LString:
		if f, err := parseNumber(strings.TrimSpace(string(x))); err == nil {
			return f
		}
	}
	L.RaiseError("attempt to perform arithmetic on a %s value", v.Type().String())
	return 0
}

func (c *bintCtx) luaNew(L *glua.LState, m *glua.LTable) int {
	x, ok := c.convert(L.Get(1), m)
	if !ok {
		L.RaiseError("value cannot be represented by a bint")
	}
	return c.push(L, m, x)
}

func (c *bintCtx) luaToBint(L *glua.LState, m *glua.LTable) int {
	if _, ok := c.own(L.Get(1), m); ok {
		L.Push(L.Get(1))
		return 1
	}
	if x, ok := c.convert(L.Get(1), m); ok {
		return c.push(L, m, x)
	}
	L.Push(glua.LNil)
	return 1
}

func (c *bintCtx) luaParse(L *glua.LState, m *glua.LTable) int {
	if x, ok := c.convert(L.Get(1), m); ok {
		return c.push(L, m, x)
	}
	switch v := L.Get(1).(type) {
	case glua.LNumber:
		L.Push(v)
	case glua.LString:
		if f, err := parseNumber(strings.TrimSpace(string(v))); err == nil {
			L.Push(glua.LNumber(f))
		} else {
			L.Push(glua.LNil)
		}
	default:
		L.Push(glua.LNil)
	}
	return 1
}

// pushParsed pushes the bint a string argument reads as, or nil.
func (c *bintCtx) pushParsed(L *glua.LState, m *glua.LTable, parse func(string) (*big.Int, bool)) int {
	if s, ok := L.Get(1).(glua.LString); ok {
		if x, ok := parse(string(s)); ok {
			return c.push(L, m, x)
		}
	}
	L.Push(glua.LNil)
	return 1
}

func (c *bintCtx) luaFromString(L *glua.LState, m *glua.LTable) int {
	return c.pushParsed(L, m, c.fromString)
}

func (c *bintCtx) luaFromBase(L *glua.LState, m *glua.LTable) int {
	base := L.OptInt(2, 10)
	return c.pushParsed(L, m, func(s string) (*big.Int, bool) { return c.fromBase(s, base) })
}

func (c *bintCtx) luaFromInteger(L *glua.LState, m *glua.LTable) int {
	n, ok := L.Get(1).(glua.LNumber)
	if !ok {
		if s, isStr := L.Get(1).(glua.LString); isStr {
			f, err := parseNumber(strings.TrimSpace(string(s)))
			n, ok = glua.LNumber(f), err == nil
		}
	}
	if ok {
		if x, conv := c.convert(n, m); conv {
			return c.push(L, m, x)
		}
	}
	L.Push(glua.LNil)
	return 1
}

func (c *bintCtx) bytesLen() int { return int(c.bits / 8) }

func (c *bintCtx) luaFromBytes(L *glua.LState, m *glua.LTable, little bool) int {
	b := []byte(L.CheckString(1))
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
		for len(b) > 0 && b[0] == 0 {
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
	switch x := v.(type) {
	case glua.LNumber:
		L.Push(x)
	case glua.LString:
		if f, err := parseNumber(strings.TrimSpace(string(x))); err == nil {
			L.Push(glua.LNumber(f))
			return 1
		}
		L.Push(glua.LNil)
	default:
		L.Push(glua.LNil)
	}
	return 1
}

// luaToInteger wraps a bint to a 64-bit integer (signed or unsigned), as
// lua-bint does; the engine's numbers are floats, so values past 2^53 are
// rounded.
func (c *bintCtx) luaToInteger(L *glua.LState, m *glua.LTable, signed bool) int {
	v := L.Get(1)
	x, ok := c.own(v, m)
	if !ok {
		if n, isNum := v.(glua.LNumber); isNum && isInt(float64(n)) {
			L.Push(n)
		} else {
			L.Push(glua.LNil)
		}
		return 1
	}
	low := new(big.Int).And(x, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	if signed {
		L.Push(glua.LNumber(float64(int64(low))))
	} else {
		L.Push(glua.LNumber(float64(low)))
	}
	return 1
}

func (c *bintCtx) luaToBase(L *glua.LState, m *glua.LTable) int {
	x, ok := c.convert(L.Get(1), m)
	if !ok {
		L.Push(glua.LNil)
		return 1
	}
	base := L.OptInt(2, 10)
	if base < 2 || base > 36 {
		L.ArgError(2, "base is out of range")
	}
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

func (c *bintCtx) test(pred func(*big.Int) bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		L.Push(glua.LBool(pred(c.must(L, m, 1))))
		return 1
	}
}

func (c *bintCtx) unary(op func(*big.Int) *big.Int) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		return c.push(L, m, op(c.must(L, m, 1)))
	}
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

func (c *bintCtx) truncDivision(quot, rem bool) func(*glua.LState, *glua.LTable) int {
	return func(L *glua.LState, m *glua.LTable) int {
		x, y := c.must(L, m, 1), c.must(L, m, 2)
		c.divisor(L, y)
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

func (c *bintCtx) luaUPowMod(L *glua.LState, m *glua.LTable) int {
	x := c.unsigned(c.must(L, m, 1))
	y := c.unsigned(c.must(L, m, 2))
	mod := c.unsigned(c.must(L, m, 3))
	c.divisor(L, mod)
	return c.push(L, m, new(big.Int).Exp(x, y, mod))
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
