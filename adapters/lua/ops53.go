package lua

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	glua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// The Lua 5.3 operators that gopher-lua has no instruction for. parse53
// turns each into a call of a Go function below, bound at the top of every
// chunk as a local whose name holds a space (no Lua source can write or
// shadow it), taken from strings' metatable as `(concat)` is (concat.go),
// so a chunk that `load` gives another environment keeps them. `%` is also
// compiled as a call: gopher-lua's `%` computes a - floor(a/b)*b in
// floats, which differs from Lua 5.3's for integers (`7 % 0` is an error)
// and for some floats (Lua 5.3 uses C's fmod).
//
// Numbers are float64 (gopher-lua's only number type). An integer result
// is exact while it stays within ±(2^53-1); a bitwise operation or an
// integer `//` or `%` whose operand or result lies beyond cannot be
// computed as Lua 5.3 would (which wraps 64-bit integers around), so it
// raises an error naming its line instead of giving a different number.
type op53 int

const (
	opIdiv op53 = iota
	opMod
	opBand
	opBor
	opBxor
	opShl
	opShr
	opBnot
	// The comparisons (compare.go): compiled as calls when neither operand
	// is a constant, so that comparing long strings is charged.
	opLt
	opLe
	opGt
	opGe
	opEq
	opNe
	// `...` where it gives all its values (compare.go).
	opVarargs
	// The keys of table accesses and the operand of `#` (tablecost.go).
	opKey
	opSetKey
	opNewKey
	opLenArg
	numOps53
)

var ops53 = [numOps53]struct{ sym, event string }{
	opIdiv: {"//", "__idiv"},
	opMod:  {"%", "__mod"},
	opBand: {"&", "__band"},
	opBor:  {"|", "__bor"},
	opBxor: {"~", "__bxor"},
	opShl:  {"<<", "__shl"},
	opShr:  {">>", "__shr"},
	opBnot: {"~", "__bnot"},
	opLt:   {"<", "__lt"},
	opLe:   {"<=", "__le"},
	opGt:   {">", "__gt"},
	opGe:   {">=", "__ge"},
	opEq:   {"==", "__eq"},
	opNe:   {"~=", "__ne"},
	// Not events: the key only names the local.
	opVarargs: {"...", "__varargs"},
	opKey:     {"[]", "__key"},
	opSetKey:  {"[]=", "__setkey"},
	opNewKey:  {"{[]=}", "__newkey"},
	opLenArg:  {"#", "__lenarg"},
}

var binaryOps53 = map[string]op53{"//": opIdiv, "%": opMod, "&": opBand, "|": opBor, "~": opBxor, "<<": opShl, ">>": opShr}

// local is the name of the chunk's local bound to the operator's function
// (and its key in the string library).
func (o op53) local() string { return "(op " + ops53[o].event + ")" }

// opsUsed records which operators a chunk uses, so only those are bound.
type opsUsed map[op53]bool

// maxExact is the largest magnitude at which every integer has an exact
// float64 and no rounding can have produced it.
const maxExact = 1<<53 - 1

// installOps53 puts the operators' functions in t, the table the string
// library falls back to (shims.go).
func installOps53(L *glua.LState, t *glua.LTable) {
	for o := op53(0); o < numOps53; o++ {
		o := o
		var fn glua.LGFunction
		switch o {
		case opIdiv, opMod:
			fn = func(L *glua.LState) int { return arith53(L, o) }
		case opBnot:
			fn = func(L *glua.LState) int { return bitwise53(L, o, L.Get(1), L.Get(1)) }
		case opLt, opLe, opGt, opGe, opEq, opNe:
			fn = func(L *glua.LState) int { return compare(L, o) }
		case opVarargs:
			fn = chargedVarargs
		case opKey:
			fn = chargedKey
		case opSetKey:
			fn = chargedSetKey
		case opNewKey:
			fn = chargedNewKey
		case opLenArg:
			fn = chargedLenArg
		default:
			fn = func(L *glua.LState) int { return bitwise53(L, o, L.Get(1), L.Get(2)) }
		}
		t.RawSetString(o.local(), L.NewFunction(fn))
	}
}

// bindOps binds, after `(concat)`, the operators a chunk uses:
//
//	local (op __idiv) = ("")["(op __idiv)"]
func bindOps(chunk []ast.Stmt, used opsUsed) []ast.Stmt {
	var names []string
	var exprs []ast.Expr
	for o := op53(0); o < numOps53; o++ {
		if !used[o] {
			continue
		}
		obj := &ast.StringExpr{Value: ""}
		key := &ast.StringExpr{Value: o.local()}
		get := &ast.AttrGetExpr{Object: obj, Key: key}
		for _, n := range []ast.PositionHolder{obj, key, get} {
			n.SetLine(1)
			n.SetLastLine(1)
		}
		names = append(names, o.local())
		exprs = append(exprs, get)
	}
	if len(names) == 0 {
		return chunk
	}
	local := &ast.LocalAssignStmt{Names: names, Exprs: exprs}
	local.SetLine(1)
	local.SetLastLine(1)
	return append([]ast.Stmt{local}, chunk...)
}

// unsupported53 raises an error for an operation whose Lua 5.3 result the
// engine cannot reproduce, and marks the evaluation's error as
// ErrorUnsupported.
func unsupported53(L *glua.LState, format string, args ...any) {
	if b := budgetOf(L); b != nil {
		b.unsupported = true
	}
	L.RaiseError("%s (Lua 5.3 has 64-bit integers; this engine's numbers are float64, exact only to 2^53)", fmt.Sprintf(format, args...))
}

// chargeLongStrings charges for reading (as numerals) or copying strings
// longer than maxFreeKey (shims.go): each byte is read.
func chargeLongStrings(L *glua.LState, vs ...glua.LValue) {
	for _, v := range vs {
		if n := longStringWork(v); n > 0 {
			spend(L, n)
		}
	}
}

// luaNumber converts an operand as Lua 5.3's arithmetic does: numbers as
// they are, strings that hold a numeral.
func luaNumber(v glua.LValue) (float64, bool) {
	switch x := v.(type) {
	case glua.LNumber:
		return float64(x), true
	case glua.LString:
		return stringToNumber(string(x))
	}
	return 0, false
}

// stringToNumber reads a string as Lua 5.3's tonumber does: a numeral with
// an optional minus sign and surrounding spaces.
func stringToNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t\n\r\f\v")
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "+-") {
		s = s[1:]
	}
	if s == "" || !(isDigit10(s[0]) || s[0] == '.') {
		return 0, false
	}
	v, _, _, ok := luaNumeral(s)
	if neg {
		v = -v
	}
	return v, ok
}

// arith53 is `//` or `%`. Two integral numbers are taken as Lua 5.3
// integers (this engine cannot tell 3 from 3.0); anything else, strings
// included (Lua 5.3 converts them to floats here), follows the float rules.
func arith53(L *glua.LState, o op53) int {
	a, b := L.Get(1), L.Get(2)
	chargeLongStrings(L, a, b)
	x, okx := luaNumber(a)
	y, oky := luaNumber(b)
	if !okx || !oky {
		offender := b
		if !okx {
			offender = a
		}
		return metaOr(L, o, a, b, "attempt to perform arithmetic on a "+offender.Type().String()+" value")
	}
	_, sa := a.(glua.LString)
	_, sb := b.(glua.LString)
	// A divisor of -0 is a float in Lua 5.3 (integers have no negative zero).
	if !sa && !sb && isInt(x) && isInt(y) && !(y == 0 && math.Signbit(y)) {
		if y == 0 {
			// Lua 5.3.6's texts (lvm.c: luaV_div, luaV_mod).
			if o == opIdiv {
				L.RaiseError("attempt to divide by zero")
			}
			L.RaiseError("%s", "attempt to perform 'n%0'")
		}
		if math.Abs(x) > maxExact || math.Abs(y) > maxExact {
			unsupported53(L, "an integer '%s' on %s and %s", ops53[o].sym, strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(y, 'g', -1, 64))
		}
		i, j := int64(x), int64(y)
		q, r := i/j, i%j
		if r != 0 && (r < 0) != (j < 0) {
			q--
			r += j
		}
		if o == opIdiv {
			L.Push(glua.LNumber(q))
		} else {
			L.Push(glua.LNumber(r))
		}
		return 1
	}
	if o == opIdiv {
		L.Push(glua.LNumber(math.Floor(x / y)))
		return 1
	}
	m := math.Mod(x, y)
	if m != 0 && (m < 0) != (y < 0) {
		m += y
	}
	L.Push(glua.LNumber(m))
	return 1
}

// toInteger53 converts an operand of a bitwise operation as Lua 5.3 does:
// a number or a numeral string with a whole value.
func toInteger53(v glua.LValue) (int64, bool) {
	x, ok := luaNumber(v)
	if !ok || !isInt(x) {
		return 0, false
	}
	return int64(x), true
}

// bitwise53 is one of Lua 5.3's bitwise operators on 64-bit integers.
func bitwise53(L *glua.LState, o op53, a, b glua.LValue) int {
	chargeLongStrings(L, a, b)
	i, okA := toInteger53(a)
	j, okB := toInteger53(b)
	if !okA || !okB {
		msg := "number has no integer representation"
		if _, ok := luaNumber(a); !ok {
			msg = "attempt to perform bitwise operation on a " + a.Type().String() + " value"
		} else if _, ok := luaNumber(b); !ok {
			msg = "attempt to perform bitwise operation on a " + b.Type().String() + " value"
		}
		return metaOr(L, o, a, b, msg)
	}
	for _, v := range []int64{i, j} {
		if v > maxExact || v < -maxExact {
			unsupported53(L, "the bitwise operator '%s' on %d, beyond 2^53", ops53[o].sym, v)
		}
	}
	var r int64
	switch o {
	case opBand:
		r = i & j
	case opBor:
		r = i | j
	case opBxor:
		r = i ^ j
	case opBnot:
		r = ^i
	case opShl:
		r = shiftLeft(i, j)
	case opShr:
		r = shiftLeft(i, -j)
	}
	if r > maxExact || r < -maxExact {
		unsupported53(L, "the bitwise operator '%s' gives %d, beyond 2^53", ops53[o].sym, r)
	}
	L.Push(glua.LNumber(r))
	return 1
}

// shiftLeft is Lua 5.3's shift: logical, by a negative amount to the
// right, and zero once every bit is shifted out.
func shiftLeft(x, n int64) int64 {
	switch {
	case n <= -64 || n >= 64:
		return 0
	case n >= 0:
		return int64(uint64(x) << uint(n))
	default:
		return int64(uint64(x) >> uint(-n))
	}
}

// metaOr calls the operator's metamethod from either operand, or raises
// the operator's own error, msg.
func metaOr(L *glua.LState, o op53, a, b glua.LValue, msg string) int {
	mm := L.GetMetaField(a, ops53[o].event)
	if mm == glua.LNil {
		mm = L.GetMetaField(b, ops53[o].event)
	}
	if mm == glua.LNil {
		L.RaiseError("%s", msg)
	}
	L.Push(mm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	return 1
}

// gopher-lua's arithmetic instructions read a string operand as a numeral
// in the instruction itself, so `s + 1` on a numeral of 4 MiB (leading
// zeros) read 4 MiB for the price of one unit of work, and a loop of it
// ran for hours. They call a string's metamethod before they convert it,
// so strings' metatable gets one per arithmetic event gopher-lua has an
// instruction for (`%` is a call already): stringArith charges the bytes,
// then converts and computes as Lua 5.3 does, or calls the other
// operand's metamethod, or raises Lua 5.3's error. (Lua 5.4 puts the same
// metamethods on strings.) They are the engine's: getmetatable("") is
// another table, whose changes reach these only as strmeta.go says, so a
// process cannot take them away.
var stringArithEvents = []struct {
	event string
	apply func(x, y float64) float64
}{
	{"__add", func(x, y float64) float64 { return x + y }},
	{"__sub", func(x, y float64) float64 { return x - y }},
	{"__mul", func(x, y float64) float64 { return x * y }},
	{"__div", func(x, y float64) float64 { return x / y }},
	{"__pow", math.Pow},
	{"__unm", func(x, _ float64) float64 { return -x }},
}

// installStringArith puts the arithmetic metamethods in strings'
// metatable meta, in a fixed order (pairs shows them).
func installStringArith(L *glua.LState, meta *glua.LTable) {
	for _, e := range stringArithEvents {
		meta.RawSetString(e.event, L.NewFunction(func(L *glua.LState) int { return stringArith(L, e.event, e.apply) }))
	}
}

// stringArith is an arithmetic event with a string operand.
func stringArith(L *glua.LState, event string, apply func(x, y float64) float64) int {
	a, b := L.Get(1), L.Get(2)
	if event == "__unm" {
		b = a // Lua 5.3 passes the operand twice
	}
	chargeLongStrings(L, a, b)
	x, okx := luaNumber(a)
	y, oky := luaNumber(b)
	if okx && oky {
		L.Push(glua.LNumber(apply(x, y)))
		return 1
	}
	// The engine's metamethod was found first; Lua 5.3 tries the
	// operands' metamethods in order, a string's being the one the process
	// set in getmetatable("") (strmeta.go), if any.
	for _, v := range []glua.LValue{a, b} {
		var mm glua.LValue
		if _, isString := v.(glua.LString); isString {
			mm = userArith(L, event)
		} else {
			mm = L.GetMetaField(v, event)
		}
		if mm != glua.LNil {
			L.Push(mm)
			L.Push(a)
			L.Push(b)
			L.Call(2, 1)
			return 1
		}
	}
	offender := a
	if okx {
		offender = b
	}
	L.RaiseError("attempt to perform arithmetic on a %s value", offender.Type().String())
	return 0
}
