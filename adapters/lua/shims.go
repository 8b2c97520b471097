package lua

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"

	glua "github.com/yuin/gopher-lua"
)

// Lua 5.3 library functions that gopher-lua (Lua 5.1) lacks, written in Go.
// Numbers stay float64: math.type calls every integral value "integer" (so
// 10/2 is an "integer" here, a "float" in Lua 5.3). docs/engine.md lists
// what cannot be papered over.

func installShims(L *glua.LState) {
	g := L.G.Global
	g.RawSetString("rawlen", L.NewFunction(shimRawlen))
	g.RawSetString("tostring", L.NewFunction(shimToString))
	g.RawSetString("tonumber", L.NewFunction(shimToNumber))
	g.RawSetString("load", L.NewFunction(shimLoad))

	// gopher-lua's loadstring compiles without bounds; the aos globals
	// remove it (Lua 5.3 has none), and this keeps it bounded until then.
	g.RawSetString("loadstring", L.NewFunction(shimLoad))
	// A debugging global that writes to the host's stderr; aos has none.
	g.RawSetString("_printregs", glua.LNil)
	// Go's collector is shared by the whole Go process: a process must not
	// be able to run it (collectgarbage() in a loop). "count" reports 0.
	g.RawSetString("collectgarbage", L.NewFunction(shimCollectGarbage))
	// Values pushed and then copied by the instructions that take them
	// cost more than an instruction each.
	charge(L, g, "unpack", func(L *glua.LState) int64 {
		return 8 * int64(L.OptInt(3, chargedLen(L, L.CheckTable(1)))-L.OptInt(2, 1))
	})
	charge(L, g, "select", func(L *glua.LState) int64 { return 8 * int64(L.GetTop()) })
	adoptCoroutines(L)

	mathT := g.RawGetString("math").(*glua.LTable)
	mathT.RawSetString("type", L.NewFunction(shimMathType))
	mathT.RawSetString("tointeger", L.NewFunction(shimMathToInteger))
	mathT.RawSetString("maxinteger", glua.LNumber(math.MaxInt64))
	mathT.RawSetString("mininteger", glua.LNumber(math.MinInt64))
	mathT.RawSetString("ult", L.NewFunction(shimMathUlt))
	mathT.RawSetString("fmod", L.NewFunction(shimMathFmod))
	// gopher-lua's math.huge is the largest float; Lua's is infinity.
	mathT.RawSetString("huge", glua.LNumber(math.Inf(1)))
	mathT.RawSetString("log", L.NewFunction(shimMathLog))
	installBit32(L)

	tableT := g.RawGetString("table").(*glua.LTable)
	tableT.RawSetString("move", L.NewFunction(shimTableMove))
	tableT.RawSetString("concat", L.NewFunction(shimTableConcat))
	// Not in Lua 5.3, and it walks the whole table in Go.
	tableT.RawSetString("maxn", glua.LNil)
	tableT.RawSetString("unpack", g.RawGetString("unpack"))
	tableT.RawSetString("pack", L.NewFunction(shimTablePack))
	if co, ok := g.RawGetString("coroutine").(*glua.LTable); ok {
		co.RawSetString("isyieldable", L.NewFunction(shimIsYieldable))
	}
	if dbg, ok := g.RawGetString("debug").(*glua.LTable); ok {
		// Lua 5.1's environments are gone in Lua 5.3; user values came
		// in their place.
		dbg.RawSetString("getfenv", glua.LNil)
		dbg.RawSetString("setfenv", glua.LNil)
		dbg.RawSetString("gethook", L.NewFunction(shimGetHook))
		chargeTraceback(L, dbg)
		dbg.RawSetString("getuservalue", L.NewFunction(shimGetUserValue))
		dbg.RawSetString("setuservalue", L.NewFunction(shimSetUserValue))
	}
	if pkg, ok := g.RawGetString("package").(*glua.LTable); ok {
		pkg.RawSetString("loadlib", L.NewFunction(shimLoadlib))
		pkg.RawSetString("searchpath", L.NewFunction(shimSearchpath))
	}
	// Sorting costs work in proportion to the table (so do moving
	// elements in table.insert and table.remove, base53.go), and without
	// an order function each comparison may read two long strings whole
	// (with one, the function's comparisons charge themselves).
	charge(L, tableT, "sort", func(L *glua.LState) int64 {
		t := L.CheckTable(1)
		n := chargedLen(L, t)
		rounds := int64(bits.Len64(uint64(n)))
		work := int64(n) * rounds
		if L.Get(2) == glua.LNil {
			for i := 1; i <= n; i++ {
				work += longStringWork(t.RawGetInt(i)) * rounds
			}
		}
		return work
	})

	if osT, ok := g.RawGetString("os").(*glua.LTable); ok {
		// Each directive of a date format expands to at most a few dozen bytes.
		charge(L, osT, "date", func(L *glua.LState) int64 {
			size := 32 * float64(len(L.OptString(1, "%c")))
			checkSize(L, size, "os.date")
			return bytesWork(int(size)) + numeralArgsWork(L, 2)
		})
		charge(L, osT, "difftime", func(L *glua.LState) int64 { return numeralArgsWork(L) })
	}

	stringT := g.RawGetString("string").(*glua.LTable)
	// Every `..` is compiled as a call of this function (concat.go), and
	// every Lua 5.3 operator gopher-lua lacks as a call of one of these
	// (ops53.go). A chunk finds them through a string, whatever its
	// environment: they live in a table of their own that the string
	// library falls back to, so that strings' metatable is Lua 5.3's,
	// {__index = string} (gopher-lua made the library its own metatable),
	// and the string library lists only Lua 5.3's names.
	engineOps := L.NewTable()
	engineOps.RawSetString(concatName, L.NewFunction(boundedConcat))
	engineOps.RawSetString(envName, L.NewFunction(callerEnv))
	installOps53(L, engineOps)
	fallback := L.NewTable()
	fallback.RawSetString("__index", engineOps)
	L.SetMetatable(stringT, fallback)
	installStringMetatable(L, stringT, engineOps)
	stringT.RawSetString("__index", glua.LNil)
	stringT.RawSetString("find", L.NewFunction(strFind))
	stringT.RawSetString("match", L.NewFunction(strMatch))
	stringT.RawSetString("gmatch", L.NewFunction(strGmatch))
	stringT.RawSetString("gsub", L.NewFunction(strGsub))
	stringT.RawSetString("format", L.NewFunction(shimFormat(stringT.RawGetString("format").(*glua.LFunction))))
	for _, name := range []string{"upper", "lower", "reverse"} {
		charge(L, stringT, name, func(L *glua.LState) int64 { return bytesWork(len(L.CheckString(1))) })
	}
	charge(L, stringT, "byte", func(L *glua.LState) int64 { return int64(L.OptInt(3, L.OptInt(2, 1)) - L.OptInt(2, 1)) })
	stringT.RawSetString("rep", L.NewFunction(shimRep))
	stringT.RawSetString("pack", L.NewFunction(shimPack))
	charge(L, stringT, "pack", func(L *glua.LState) int64 { return numeralArgsWork(L) })
	stringT.RawSetString("unpack", L.NewFunction(shimUnpack))
	stringT.RawSetString("packsize", L.NewFunction(shimPackSize))

	// Lua 5.3's library refuses a float with a fraction where it takes an
	// integer ("number has no integer representation"); gopher-lua's
	// truncates it.
	for _, f := range []struct {
		lib       *glua.LTable
		name      string
		positions []int // nil: every argument
	}{
		{stringT, "sub", []int{2, 3}}, {stringT, "byte", []int{2, 3}}, {stringT, "rep", []int{2}},
		{stringT, "gsub", []int{4}}, {stringT, "find", []int{3}}, {stringT, "match", []int{3}},
		{tableT, "concat", []int{3, 4}}, {tableT, "unpack", []int{2, 3}}, {g, "select", []int{1}},
	} {
		strictIntegers(L, f.lib, f.name, f.positions)
	}
	// Before the base library, whose pairs returns this next.
	chargeKeysAndNumerals(L, g)
	seeStringMetaContents(L, g)
	installBase53(L)
	// gopher-lua reads a numeral string given for a number whole, in the
	// Go function: every argument of the math library, and the numbers
	// of the functions below (strictIntegers charges its own).
	// (After the base library, which replaces math.min and math.max.)
	mathT.ForEach(func(k, v glua.LValue) {
		if name, ok := k.(glua.LString); ok {
			charge(L, mathT, string(name), func(L *glua.LState) int64 { return numeralArgsWork(L) })
		}
	})
	charge(L, tableT, "move", func(L *glua.LState) int64 { return numeralArgsWork(L, 2, 3, 4) })

	u := L.NewTable()
	u.RawSetString("char", L.NewFunction(shimUTF8Char))
	u.RawSetString("charpattern", glua.LString("[\x00-\x7F\xC2-\xFD][\x80-\xBF]*"))
	u.RawSetString("codepoint", L.NewFunction(shimUTF8Codepoint))
	u.RawSetString("len", L.NewFunction(shimUTF8Len))
	u.RawSetString("offset", L.NewFunction(shimUTF8Offset))
	u.RawSetString("codes", L.NewFunction(shimUTF8Codes))
	g.RawSetString("utf8", u)
	if loaded, ok := L.G.Registry.RawGetString("_LOADED").(*glua.LTable); ok {
		loaded.RawSetString("utf8", u)
	}
}

func isInt(f float64) bool {
	return f == math.Trunc(f) && f >= math.MinInt64 && f < 1<<63
}

func shimRawlen(L *glua.LState) int {
	switch v := L.Get(1).(type) {
	case *glua.LTable:
		L.Push(glua.LNumber(chargedLen(L, v)))
	case glua.LString:
		L.Push(glua.LNumber(len(v)))
	default:
		L.ArgError(1, "table or string expected")
	}
	return 1
}

// shimLoad is Lua 5.3's load: a string or a function returning pieces, a
// chunk name, a mode (only text is supported) and an environment. What it
// compiles is bounded (MaxSourceBytes, MaxSourceDepth) and compiling is
// charged to the evaluation's work.
func shimLoad(L *glua.LState) int {
	bounds := sourceBounds{bytes: defaultMaxString, depth: 1000}
	b := budgetOf(L)
	if b != nil {
		bounds = b.source
	}
	var src string
	switch c := L.Get(1).(type) {
	case glua.LString:
		src = string(c)
	case *glua.LFunction:
		var sb strings.Builder
		for {
			L.Push(c)
			L.Call(0, 1)
			piece := L.Get(-1)
			L.Pop(1)
			s, ok := piece.(glua.LString)
			if !ok || s == "" {
				break
			}
			checkSize(L, float64(sb.Len()+len(s)), "load")
			spend(L, bytesWork(len(s)))
			sb.WriteString(string(s))
		}
		src = sb.String()
	default:
		L.ArgError(1, "string or function expected")
	}
	// Lua 5.3 names a string chunk by its text and a function's "=(load)",
	// and writes the name in messages as luaO_chunkid does.
	name := "=(load)"
	if c, ok := L.Get(1).(glua.LString); ok {
		name = string(c)
	}
	name = chunkID(L.OptString(2, name))
	mode := L.OptString(3, "bt")
	binary := strings.HasPrefix(src, "\x1b")
	kind, letter := "text", "t"
	if binary {
		kind, letter = "binary", "b"
	}
	if !strings.Contains(mode, letter) {
		L.Push(glua.LNil)
		L.Push(glua.LString("attempt to load a " + kind + " chunk (mode is '" + mode + "')"))
		return 2
	}
	if binary {
		// The engine runs source only.
		L.Push(glua.LNil)
		L.Push(glua.LString("attempt to load a binary chunk (this engine runs source only)"))
		return 2
	}
	if bounds.bytes <= 0 || len(src) <= bounds.bytes {
		spend(L, compileWork(len(src)))
	}
	proto, err := compile(src, name, bounds)
	if err != nil {
		if errors.Is(err, errSourceBound) {
			// A source too big or too deep stops the evaluation: no
			// pcall may retry it in a loop.
			if b != nil {
				b.haltWith(stopWork, err.Error())
				L.RaiseError("%s", b.Err().Error())
			}
			L.RaiseError("%s", err.Error())
		}
		text := err.Error()
		if unsupportedCompile(err) && b != nil {
			b.unsupported = true
		}
		L.Push(glua.LNil)
		L.Push(glua.LString(text))
		return 2
	}
	fn := L.NewFunctionFromProto(proto)
	if env, ok := L.Get(4).(*glua.LTable); ok {
		fn.Env = env
	}
	L.Push(fn)
	return 1
}

// charge replaces lib[name] with a function that charges cost(L) units of
// work before calling the original: work a Go library function does in
// proportion to its arguments.
func charge(L *glua.LState, lib *glua.LTable, name string, cost func(*glua.LState) int64) {
	orig, ok := lib.RawGetString(name).(*glua.LFunction)
	if !ok || !orig.IsG {
		return
	}
	fn := orig.GFunction
	lib.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
		if n := cost(L); n > 0 {
			spend(L, n)
		}
		return fn(L)
	}))
}

// shimRep is string.rep with Lua 5.3's separator argument. Its result is
// bounded (MaxStringBytes) and charged before it is built.
func shimRep(L *glua.LState) int {
	s := L.CheckString(1)
	n := L.CheckNumber(2)
	sep := ""
	if L.GetTop() >= 3 && L.Get(3) != glua.LNil {
		sep = L.CheckString(3) // numbers convert, as in Lua
	}
	if n < 1 {
		L.Push(glua.LString(""))
		return 1
	}
	size := float64(len(s))*float64(n) + float64(len(sep))*(float64(n)-1)
	checkSize(L, size, "string.rep")
	// Lua repeats even an empty string n times: the count is work too.
	spend(L, int64(math.Min(float64(n), 1<<60))/64)
	count := int(n)
	spend(L, bytesWork(int(size)))
	noteBuilt(L, int(size))
	// strings.Repeat copies by doubling: the cost is in the bytes, which
	// were charged, not in the count (a loop writing one short piece at a
	// time cost ten times its charge).
	out := strings.Repeat(s+sep, count)[:int(size)]
	L.Push(glua.LString(out))
	return 1
}

// shimTableConcat is table.concat with its result bounded (MaxStringBytes)
// and its work charged before the result is built.
func shimTableConcat(L *glua.LState) int {
	t := L.CheckTable(1)
	sep := L.OptString(2, "")
	i := L.OptInt(3, 1)
	j := i - 1
	if L.Get(4) == glua.LNil {
		j = chargedLen(L, t)
	} else {
		j = L.CheckInt(4)
	}
	if i > j {
		L.Push(glua.LString(""))
		return 1
	}
	spend(L, int64(j-i+1))
	size := 0.0
	for k := i; k <= j; k++ {
		switch v := t.RawGetInt(k).(type) {
		case glua.LString:
			size += float64(len(v))
		case glua.LNumber:
			size += float64(len(numberString(float64(v))))
		default:
			luaError53(L, fmt.Sprintf("invalid value (%s) at index %d in table for 'concat'", luaTypeName(v), k))
		}
		if k < j {
			size += float64(len(sep))
		}
		checkSize(L, size, "table.concat")
	}
	spend(L, bytesWork(int(size)))
	noteBuilt(L, int(size))
	var b strings.Builder
	b.Grow(int(size))
	for k := i; k <= j; k++ {
		b.WriteString(toString53(t.RawGetInt(k)))
		if k < j {
			b.WriteString(sep)
		}
	}
	L.Push(glua.LString(b.String()))
	return 1
}

// shimFormat bounds string.format: gopher-lua hands the format to Go's fmt,
// where each directive may pad to a million bytes.
func shimFormat(orig *glua.LFunction) glua.LGFunction {
	return func(L *glua.LState) int {
		format := L.CheckString(1)
		size := float64(len(format))
		arg := 2
		var rewritten strings.Builder // the format with directives done here replaced by %s
		done := 0                     // format[:done] is in rewritten
		for i := 0; i < len(format); i++ {
			if format[i] != '%' {
				continue
			}
			start := i
			i++
			if i < len(format) && format[i] == '%' {
				continue
			}
			width := 0
			for i < len(format) && strings.IndexByte("-+ #0.123456789", format[i]) >= 0 {
				if isDigit(format[i]) {
					width = width*10 + int(format[i]-'0')
					if width > 99 {
						L.RaiseError("invalid format (width or precision too long)")
					}
				} else {
					width = 0
				}
				i++
			}
			size += float64(2*99 + 32)
			if i < len(format) && strings.IndexByte("cdiouxXaAeEfFgGqs", format[i]) < 0 {
				L.RaiseError("invalid option '%%%c' to 'format'", format[i])
			}
			if arg > L.GetTop() {
				argError53(L, arg, "no value")
			}
			if i < len(format) {
				if text, ok := format53Arg(L, format[start:i+1], arg); ok {
					rewritten.WriteString(format[done:start] + "%s")
					done = i + 1
					L.Replace(arg, glua.LString(text))
				}
			}
			if v := L.Get(arg); v != glua.LNil {
				n := float64(len(v.String()))
				if i < len(format) && format[i] == 'q' {
					n *= 4 // %q may write a byte as a four-byte escape, \ddd
				}
				size += n
			}
			arg++
		}
		checkSize(L, size, "string.format")
		spend(L, bytesWork(int(size)))
		noteBuilt(L, int(size))
		if done > 0 {
			L.Replace(1, glua.LString(rewritten.String()+format[done:]))
		}
		return orig.GFunction(L)
	}
}

func shimMathType(L *glua.LState) int {
	n, ok := L.Get(1).(glua.LNumber)
	if !ok {
		L.CheckAny(1)
		L.Push(glua.LNil)
		return 1
	}
	if isInt(float64(n)) {
		L.Push(glua.LString("integer"))
	} else {
		L.Push(glua.LString("float"))
	}
	return 1
}

func shimMathToInteger(L *glua.LState) int {
	switch v := L.Get(1).(type) {
	case glua.LNumber:
		if isInt(float64(v)) {
			L.Push(v)
			return 1
		}
	case glua.LString:
		// Lua 5.3.4 converts strings too.
		if n, ok := stringToNumber(string(v)); ok && isInt(n) {
			L.Push(glua.LNumber(n))
			return 1
		}
	}
	L.Push(glua.LNil)
	return 1
}

func parseNumber(s string) (float64, error) {
	var f float64
	_, err := fmt.Sscan(strings.TrimSpace(s), &f)
	return f, err
}

// strictIntegers makes lib[name] raise Lua 5.3's error for an argument at
// one of positions (-p: position p only when the call has three or more
// arguments) that is a number with a fraction.
func strictIntegers(L *glua.LState, lib *glua.LTable, name string, positions []int) {
	orig, ok := lib.RawGetString(name).(*glua.LFunction)
	if !ok || !orig.IsG {
		return
	}
	fn := orig.GFunction
	lib.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
		check := func(n int) {
			chargeLongStrings(L, L.Get(n))
			if x, ok := luaNumber(L.Get(n)); ok && !isInt(x) {
				argError53(L, n, "number has no integer representation")
			}
		}
		if positions == nil {
			for n := 1; n <= L.GetTop(); n++ {
				check(n)
			}
		}
		for _, n := range positions {
			if n < 0 {
				if L.GetTop() < 3 {
					continue
				}
				n = -n
			}
			check(n)
		}
		return fn(L)
	}))
}

// shimMathFmod is Lua 5.3's math.fmod: on two integers (here: two whole
// numbers) a zero divisor is an error, not nan.
func shimMathFmod(L *glua.LState) int {
	a, b := float64(L.CheckNumber(1)), float64(L.CheckNumber(2))
	if isInt(a) && isInt(b) && b == 0 {
		L.ArgError(2, "zero")
	}
	L.Push(glua.LNumber(math.Mod(a, b)))
	return 1
}

func shimMathUlt(L *glua.LState) int {
	a := uint64(int64(L.CheckNumber(1)))
	b := uint64(int64(L.CheckNumber(2)))
	L.Push(glua.LBool(a < b))
	return 1
}

func shimTableMove(L *glua.LState) int {
	a1 := L.CheckTable(1)
	f := L.CheckInt(2)
	e := L.CheckInt(3)
	t := L.CheckInt(4)
	a2 := a1
	if L.GetTop() >= 5 {
		a2 = L.CheckTable(5)
	}
	if e >= f {
		// One unit per element moved, and the nils a destination past
		// the end of a2's array part adds, charged before any is moved.
		spend(L, int64(e-f)+1+gapWork(len(arrayOf(a2)), glua.LNumber(t+e-f)))
		if t > e || t <= f || a1 != a2 {
			for i := 0; i <= e-f; i++ {
				a2.RawSetInt(t+i, a1.RawGetInt(f+i))
			}
		} else {
			for i := e - f; i >= 0; i-- {
				a2.RawSetInt(t+i, a1.RawGetInt(f+i))
			}
		}
	}
	L.Push(a2)
	return 1
}

// shimUTF8Char is Lua 5.3's utf8.char: code points up to 0x10FFFF, each
// encoded as UTF-8 whatever it is (a surrogate too, which Go's encoder
// would replace).
func shimUTF8Char(L *glua.LState) int {
	var b []byte
	for i := 1; i <= L.GetTop(); i++ {
		c := checkInteger53(L, i)
		if c < 0 || c > 0x10FFFF {
			argError53(L, i, "value out of range")
		}
		switch {
		case c < 0x80:
			b = append(b, byte(c))
		case c < 0x800:
			b = append(b, byte(0xC0|c>>6), byte(0x80|c&0x3F))
		case c < 0x10000:
			b = append(b, byte(0xE0|c>>12), byte(0x80|c>>6&0x3F), byte(0x80|c&0x3F))
		default:
			b = append(b, byte(0xF0|c>>18), byte(0x80|c>>12&0x3F), byte(0x80|c>>6&0x3F), byte(0x80|c&0x3F))
		}
	}
	L.Push(glua.LString(b))
	return 1
}

// bytePos turns a Lua string position (1-based, negative from the end) into
// a 0-based offset.
func bytePos(i, n int) int {
	if i >= 0 {
		return i - 1
	}
	if -i > n {
		return -1
	}
	return n + i
}

func shimUTF8Codepoint(L *glua.LState) int {
	s := L.CheckString(1)
	i := bytePos(L.OptInt(2, 1), len(s))
	j := bytePos(L.OptInt(3, i+1), len(s))
	if i < 0 {
		L.ArgError(2, "out of range")
	}
	if j >= len(s) {
		L.ArgError(3, "out of range")
	}
	if j >= i {
		spend(L, bytesWork(j-i+1))
	}
	n := 0
	for p := i; p <= j; {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == utf8.RuneError && size <= 1 {
			L.RaiseError("invalid UTF-8 code")
		}
		L.Push(glua.LNumber(r))
		n++
		p += size
	}
	return n
}

func shimUTF8Len(L *glua.LState) int {
	s := L.CheckString(1)
	i := bytePos(L.OptInt(2, 1), len(s))
	j := bytePos(L.OptInt(3, -1), len(s))
	if j >= i {
		spend(L, bytesWork(min(j, len(s)-1)-i+1))
	}
	n := 0
	for p := i; p <= j && p < len(s); {
		r, size := utf8.DecodeRuneInString(s[p:])
		if r == utf8.RuneError && size <= 1 {
			L.Push(glua.LNil)
			L.Push(glua.LNumber(p + 1))
			return 2
		}
		n++
		p += size
	}
	L.Push(glua.LNumber(n))
	return 1
}

func isCont(b byte) bool { return b&0xC0 == 0x80 }

func shimUTF8Offset(L *glua.LState) int {
	s := L.CheckString(1)
	n := L.CheckInt(2)
	def := 1
	if n < 0 {
		def = len(s) + 1
	}
	i := bytePos(L.OptInt(3, def), len(s))
	if i < 0 || i > len(s) {
		L.ArgError(3, "position out of range")
	}
	// It walks |n| characters of at most four bytes, or to an end.
	spend(L, bytesWork(int(min(4*(math.Abs(float64(n))+1), float64(len(s))))))
	if n == 0 {
		for i > 0 && i < len(s) && isCont(s[i]) {
			i--
		}
		L.Push(glua.LNumber(i + 1))
		return 1
	}
	if i < len(s) && isCont(s[i]) {
		L.RaiseError("initial position is a continuation byte")
	}
	if n < 0 {
		for n < 0 && i > 0 {
			i--
			for i > 0 && isCont(s[i]) {
				i--
			}
			n++
		}
	} else {
		n--
		for n > 0 && i < len(s) {
			i++
			for i < len(s) && isCont(s[i]) {
				i++
			}
			n--
		}
	}
	if n == 0 {
		L.Push(glua.LNumber(i + 1))
	} else {
		L.Push(glua.LNil)
	}
	return 1
}

func shimUTF8Codes(L *glua.LState) int {
	s := L.CheckString(1)
	iter := L.NewFunction(func(L *glua.LState) int {
		p := int(L.CheckNumber(2)) // byte position of the previous code (1-based), 0 at start
		i := p - 1
		if i < 0 {
			i = 0
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		if i >= len(s) {
			return 0
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			L.RaiseError("invalid UTF-8 code")
		}
		L.Push(glua.LNumber(i + 1))
		L.Push(glua.LNumber(r))
		return 2
	})
	L.Push(iter)
	L.Push(glua.LString(s))
	L.Push(glua.LNumber(0))
	return 3
}

// packItem is one directive of a string.pack format.
type packItem struct {
	kind   byte // 'i' signed int, 'u' unsigned int, 'f' float, 'd' double, 's' length-prefixed, 'z' zero-terminated, 'c' fixed, 'x' padding
	size   int
	little bool
}

func parsePackFormat(L *glua.LState, format string) []packItem {
	little := true
	var items []packItem
	num := func(i *int, def int) int {
		start := *i
		for *i < len(format) && format[*i] >= '0' && format[*i] <= '9' {
			*i++
		}
		if start == *i {
			return def
		}
		n := 0
		fmt.Sscan(format[start:*i], &n)
		return n
	}
	for i := 0; i < len(format); {
		c := format[i]
		i++
		switch c {
		case ' ', '!':
			num(&i, 0)
		case '<', '=':
			little = true
		case '>':
			little = false
		case 'b':
			items = append(items, packItem{'i', 1, little})
		case 'B':
			items = append(items, packItem{'u', 1, little})
		case 'h':
			items = append(items, packItem{'i', 2, little})
		case 'H':
			items = append(items, packItem{'u', 2, little})
		case 'i':
			items = append(items, packItem{'i', num(&i, 4), little})
		case 'I':
			items = append(items, packItem{'u', num(&i, 4), little})
		case 'l', 'j':
			items = append(items, packItem{'i', 8, little})
		case 'L', 'J', 'T':
			items = append(items, packItem{'u', 8, little})
		case 'f':
			items = append(items, packItem{'f', 4, little})
		case 'd', 'n':
			items = append(items, packItem{'d', 8, little})
		case 's':
			items = append(items, packItem{'s', num(&i, 8), little})
		case 'z':
			items = append(items, packItem{'z', 0, little})
		case 'x':
			items = append(items, packItem{'x', 1, little})
		case 'c':
			n := num(&i, -1)
			if n < 0 {
				L.RaiseError("missing size for format option 'c'")
			}
			items = append(items, packItem{'c', n, little})
		default:
			L.RaiseError("invalid format option '%c' (this engine supports b B h H i I l L j J T f d n s z x c < > =)", c)
		}
	}
	for _, it := range items {
		if (it.kind == 'i' || it.kind == 'u' || it.kind == 's') && (it.size < 1 || it.size > 8) {
			L.RaiseError("integral size (%d) out of limits [1,8]", it.size)
		}
	}
	return items
}

func putUint(b []byte, v uint64, size int, little bool) []byte {
	buf := make([]byte, size)
	for k := 0; k < size; k++ {
		byteV := byte(v >> (8 * k))
		if little {
			buf[k] = byteV
		} else {
			buf[size-1-k] = byteV
		}
	}
	return append(b, buf...)
}

func getUint(b []byte, size int, little bool) uint64 {
	var v uint64
	for k := 0; k < size; k++ {
		var byteV byte
		if little {
			byteV = b[k]
		} else {
			byteV = b[size-1-k]
		}
		v |= uint64(byteV) << (8 * k)
	}
	return v
}

func shimPack(L *glua.LState) int {
	items := parsePackFormat(L, L.CheckString(1))
	// The size of the result, refused past MaxStringBytes before building.
	size, arg := 0.0, 2
	for _, it := range items {
		switch it.kind {
		case 's', 'z':
			size += float64(it.size + len(L.CheckString(arg)) + 1)
		case 'x':
			size++
		default:
			size += float64(it.size)
		}
		if it.kind != 'x' {
			arg++
		}
	}
	checkSize(L, size, "string.pack")
	spend(L, bytesWork(int(size))+int64(len(items)))
	noteBuilt(L, int(size))
	var out []byte
	arg = 2
	for _, it := range items {
		switch it.kind {
		case 'i', 'u':
			n := L.CheckNumber(arg)
			arg++
			if !isInt(float64(n)) {
				L.ArgError(arg-1, "number has no integer representation")
			}
			out = putUint(out, uint64(int64(n)), it.size, it.little)
		case 'f':
			n := L.CheckNumber(arg)
			arg++
			out = putUint(out, uint64(math.Float32bits(float32(n))), 4, it.little)
		case 'd':
			n := L.CheckNumber(arg)
			arg++
			out = putUint(out, math.Float64bits(float64(n)), 8, it.little)
		case 's':
			s := L.CheckString(arg)
			arg++
			out = putUint(out, uint64(len(s)), it.size, it.little)
			out = append(out, s...)
		case 'z':
			s := L.CheckString(arg)
			arg++
			if strings.IndexByte(s, 0) >= 0 {
				L.ArgError(arg-1, "string contains zeros")
			}
			out = append(append(out, s...), 0)
		case 'c':
			s := L.CheckString(arg)
			arg++
			if len(s) > it.size {
				L.ArgError(arg-1, "string longer than given size")
			}
			out = append(out, s...)
			out = append(out, make([]byte, it.size-len(s))...)
		case 'x':
			out = append(out, 0)
		}
	}
	L.Push(glua.LString(out))
	return 1
}

func shimUnpack(L *glua.LState) int {
	items := parsePackFormat(L, L.CheckString(1))
	data := L.CheckString(2)
	pos := bytePos(L.OptInt(3, 1), len(data))
	if pos < 0 || pos > len(data) {
		L.ArgError(3, "initial position out of string")
	}
	n := 0
	need := func(k int) {
		if pos+k > len(data) {
			L.ArgError(2, "data string too short")
		}
	}
	for _, it := range items {
		switch it.kind {
		case 'i':
			need(it.size)
			v := getUint([]byte(data[pos:]), it.size, it.little)
			shift := 64 - 8*uint(it.size)
			L.Push(glua.LNumber(int64(v<<shift) >> shift))
			pos += it.size
		case 'u':
			need(it.size)
			L.Push(glua.LNumber(getUint([]byte(data[pos:]), it.size, it.little)))
			pos += it.size
		case 'f':
			need(4)
			L.Push(glua.LNumber(math.Float32frombits(uint32(getUint([]byte(data[pos:]), 4, it.little)))))
			pos += 4
		case 'd':
			need(8)
			L.Push(glua.LNumber(math.Float64frombits(getUint([]byte(data[pos:]), 8, it.little))))
			pos += 8
		case 's':
			need(it.size)
			l := int(getUint([]byte(data[pos:]), it.size, it.little))
			pos += it.size
			need(l)
			L.Push(glua.LString(data[pos : pos+l]))
			pos += l
		case 'z':
			end := strings.IndexByte(data[pos:], 0)
			if end < 0 {
				L.ArgError(2, "unfinished string for format 'z'")
			}
			L.Push(glua.LString(data[pos : pos+end]))
			pos += end + 1
		case 'c':
			need(it.size)
			L.Push(glua.LString(data[pos : pos+it.size]))
			pos += it.size
		case 'x':
			need(1)
			pos++
			continue
		}
		n++
	}
	L.Push(glua.LNumber(pos + 1))
	return n + 1
}

func shimPackSize(L *glua.LState) int {
	items := parsePackFormat(L, L.CheckString(1))
	size := 0
	for _, it := range items {
		switch it.kind {
		case 's', 'z':
			L.ArgError(1, "variable-length format")
		case 'x':
			size++
		default:
			size += it.size
		}
	}
	L.Push(glua.LNumber(size))
	return 1
}

// shimMathLog is Lua 5.3's math.log, whose second argument is the base.
func shimMathLog(L *glua.LState) int {
	x := float64(L.CheckNumber(1))
	var r float64
	switch {
	case L.Get(2) == glua.LNil:
		r = math.Log(x)
	default:
		switch base := float64(L.CheckNumber(2)); base {
		case 2:
			r = math.Log2(x)
		case 10:
			r = math.Log10(x)
		default:
			r = math.Log(x) / math.Log(base)
		}
	}
	L.Push(glua.LNumber(r))
	return 1
}

// shimTablePack is Lua 5.3's table.pack: the arguments in a table, with
// their count in n.
func shimTablePack(L *glua.LState) int {
	n := L.GetTop()
	t := L.CreateTable(n, 1)
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, L.Get(i))
	}
	t.RawSetString("n", glua.LNumber(n))
	L.Push(t)
	return 1
}

// shimIsYieldable is Lua 5.3's coroutine.isyieldable: true inside a
// coroutine. (Lua 5.3 also yields across pcall, which the runtime makes
// good for Receive.)
func shimIsYieldable(L *glua.LState) int {
	L.Push(glua.LBool(L.Parent != nil))
	return 1
}

// shimGetHook is Lua 5.3's debug.gethook with no hook set, which is all a
// process can see: there is no debug.sethook (the engine's count hook is
// the work budget).
func shimGetHook(L *glua.LState) int {
	L.Push(glua.LNil)
	L.Push(glua.LString(""))
	L.Push(glua.LNumber(0))
	return 3
}

// shimGetUserValue and shimSetUserValue are Lua 5.3's user values of a
// full userdata, kept where gopher-lua keeps a userdata's environment.
func shimGetUserValue(L *glua.LState) int {
	if u, ok := L.Get(1).(*glua.LUserData); ok && u.Env != nil {
		L.Push(u.Env)
	} else {
		L.Push(glua.LNil)
	}
	return 1
}

func shimSetUserValue(L *glua.LState) int {
	u, ok := L.Get(1).(*glua.LUserData)
	if !ok {
		argError53(L, 1, "userdata expected, got "+luaTypeName(L.Get(1)))
	}
	switch v := L.Get(2).(type) {
	case *glua.LTable:
		u.Env = v
	case *glua.LNilType:
		u.Env = nil
	default:
		argError53(L, 2, "table expected, got "+luaTypeName(v))
	}
	L.Push(u)
	return 1
}

// shimLoadlib is package.loadlib as aos's build answers: no dynamic
// libraries.
func shimLoadlib(L *glua.LState) int {
	L.CheckString(1)
	L.CheckString(2)
	L.Push(glua.LNil)
	L.Push(glua.LString("dynamic libraries not enabled; check your Lua installation"))
	L.Push(glua.LString("absent"))
	return 3
}

// shimSearchpath is Lua 5.3's package.searchpath on a process, which has
// no files: it finds nothing and lists every file it would have tried.
func shimSearchpath(L *glua.LState) int {
	name := L.CheckString(1)
	path := L.CheckString(2)
	sep := L.OptString(3, ".")
	rep := L.OptString(4, "/")
	if sep != "" {
		name = strings.ReplaceAll(name, sep, rep)
	}
	var tried strings.Builder
	for _, template := range strings.Split(path, ";") {
		if template == "" {
			continue
		}
		tried.WriteString("\n\tno file '" + strings.ReplaceAll(template, "?", name) + "'")
	}
	L.Push(glua.LNil)
	L.Push(glua.LString(tried.String()))
	return 2
}

// maxFreeKey is the longest string a Go function may hash, compare or
// read as a numeral for the price of its call; past it, the bytes are
// work. (The instructions that index a table with a longer string get
// their key charged by a call too: tablecost.go.)
const maxFreeKey = 64

// chargeKeysAndNumerals makes the base functions that hash a key, compare
// two strings or read a numeral charge for a long string: each reads every
// byte of it, so a loop of them over a 64 MiB string would run for hours
// on a few units a turn.
func chargeKeysAndNumerals(L *glua.LState, g *glua.LTable) {
	charge(L, g, "tonumber", func(L *glua.LState) int64 { return longStringWork(L.Get(1)) })
	charge(L, g, "rawget", func(L *glua.LState) int64 { return longStringWork(L.Get(2)) })
	charge(L, g, "rawset", func(L *glua.LState) int64 {
		n := longStringWork(L.Get(2))
		if t, ok := L.Get(1).(*glua.LTable); ok {
			n += gapWork(len(arrayOf(t)), L.Get(2))
		}
		return n
	})
	if next, ok := g.RawGetString("next").(*glua.LFunction); ok && next.IsG {
		g.RawSetString("next", L.NewFunction(chargedNext(next.GFunction)))
	}
	// rawequal compares as == does (compare.go).
	charge(L, g, "rawequal", func(L *glua.LState) int64 {
		chargeStringCompare(L, opEq, L.Get(1), L.Get(2))
		return 0
	})
}

// longStringWork is the work of reading every byte of v when it is a
// string longer than maxFreeKey, and 0 otherwise.
func longStringWork(v glua.LValue) int64 {
	if s, ok := v.(glua.LString); ok && len(s) > maxFreeKey {
		return bytesWork(len(s))
	}
	return 0
}

// tracebackLineWork is the work of writing one frame of a traceback
// (gopher-lua formats each with fmt).
const tracebackLineWork = 32

// chargeTraceback makes debug.traceback charge for what it wrote: a
// traceback from deep in a recursion walks every frame, so a loop of
// them ran for minutes on a unit a turn. The charge follows the work,
// which the call stack's size bounds.
func chargeTraceback(L *glua.LState, dbg *glua.LTable) {
	orig, ok := dbg.RawGetString("traceback").(*glua.LFunction)
	if !ok || !orig.IsG {
		return
	}
	fn := orig.GFunction
	dbg.RawSetString("traceback", L.NewFunction(func(L *glua.LState) int {
		n := fn(L)
		if s, ok := L.Get(-1).(glua.LString); ok && n == 1 {
			spend(L, bytesWork(len(s))+tracebackLineWork*int64(strings.Count(string(s), "\n")))
		}
		return n
	}))
}

// chargeNumeralArgs charges numeralArgsWork for all of L's arguments.
func chargeNumeralArgs(L *glua.LState) {
	if w := numeralArgsWork(L); w > 0 {
		spend(L, w)
	}
}

// numeralArgsWork is the work of reading the arguments at positions (all
// of them when none are given) as numerals: a string longer than
// maxFreeKey is read whole.
func numeralArgsWork(L *glua.LState, positions ...int) int64 {
	var work int64
	if len(positions) == 0 {
		for n := 1; n <= L.GetTop(); n++ {
			work += longStringWork(L.Get(n))
		}
		return work
	}
	for _, n := range positions {
		work += longStringWork(L.Get(n))
	}
	return work
}
