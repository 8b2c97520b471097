package lua

import (
	"math"

	glua "github.com/yuin/gopher-lua"
)

// The modules of aos a process may require that are written in Go here:
// .bint (bint.go), .crypto (aoscrypto.go) and .chance (the
// Mersenne Twister aos's math.random draws from). The Lua ones are under
// runtime/.
// Each is written from its documented behaviour; see docs/engine.md.

// openAOSModules registers the Go-written aos modules and the os.date of
// the aos profiles.
func openAOSModules(L *glua.LState) {
	L.PreloadModule(".bint", sortedModule(openBint))
	L.PreloadModule(".crypto", sortedModule(openCrypto))
	L.PreloadModule(".crypto.init", sortedModule(openCrypto))
	L.PreloadModule(".chance", sortedModule(openChance))
	openRandom53(L)
	if os, ok := L.G.Global.RawGetString("os").(*glua.LTable); ok {
		os.RawSetString("date", L.NewFunction(aosDate))
	}
}

// --- .chance: the 32-bit Mersenne Twister (MT19937) aos's math.random draws
// from. Its state lives in a Lua table (an upvalue of each function), so
// snapshots and rollbacks cover it.

// mti is the index of the next word; mtN+1 means never seeded (the
// reference then seeds with 5489) and mtSeeded seeded but not yet built.
const mtN, mtM, mtSeeded = 624, 397, 1 << 20

func openChance(L *glua.LState) int {
	state := L.CreateTable(mtN, 1)
	state.RawSetString("mti", glua.LNumber(mtN+1))
	m := L.NewTable()
	// Each charges for reading a long numeral it is given.
	for name, fn := range map[string]glua.LGFunction{
		"seed":    chanceSeed,
		"random":  chanceRandom,
		"integer": chanceInteger,
	} {
		fn := fn
		m.RawSetString(name, L.NewClosure(func(L *glua.LState) int {
			chargeNumeralArgs(L)
			return fn(L)
		}, state))
	}
	L.Push(m)
	return 1
}

func loadMT(t *glua.LTable) [mtN]uint32 {
	var mt [mtN]uint32
	for i := 0; i < mtN; i++ {
		v, _ := t.RawGetInt(i + 1).(glua.LNumber)
		mt[i] = uint32(v)
	}
	return mt
}

func mtInit(mt *[mtN]uint32, seed uint32) {
	mt[0] = seed
	for i := 1; i < mtN; i++ {
		mt[i] = 1812433253*(mt[i-1]^(mt[i-1]>>30)) + uint32(i)
	}
}

func storeMT(t *glua.LTable, mt *[mtN]uint32) {
	for i := 0; i < mtN; i++ {
		t.RawSetInt(i+1, glua.LNumber(mt[i]))
	}
}

func chanceSeed(L *glua.LState) int {
	f := float64(L.CheckNumber(1))
	if !isInt(f) {
		L.ArgError(1, "number has no integer representation")
	}
	// The state is built on the first draw: most processes never draw, and
	// a 624-entry table costs every spawn and every snapshot.
	t := L.CheckTable(glua.UpvalueIndex(1))
	t.RawSetString("seed", glua.LNumber(uint64(int64(f))&0xffffffff))
	t.RawSetString("mti", glua.LNumber(mtSeeded))
	return 0
}

// chanceNext is genrand_int32 of the reference MT19937.
func chanceNext(L *glua.LState) uint32 {
	t := L.CheckTable(glua.UpvalueIndex(1))
	n, _ := t.RawGetString("mti").(glua.LNumber)
	mti := int(n)
	if mti >= mtN {
		var mt [mtN]uint32
		switch mti {
		case mtN + 1:
			mtInit(&mt, 5489)
		case mtSeeded:
			seed, _ := t.RawGetString("seed").(glua.LNumber)
			mtInit(&mt, uint32(seed))
		default:
			mt = loadMT(t)
		}
		for k := 0; k < mtN; k++ {
			y := mt[k]&0x80000000 | mt[(k+1)%mtN]&0x7fffffff
			next := mt[(k+mtM)%mtN] ^ y>>1
			if y&1 != 0 {
				next ^= 0x9908b0df
			}
			mt[k] = next
		}
		storeMT(t, &mt)
		mti = 0
	}
	w, _ := t.RawGetInt(mti + 1).(glua.LNumber)
	y := uint32(w)
	t.RawSetString("mti", glua.LNumber(mti+1))
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

func chanceRandom(L *glua.LState) int {
	L.Push(glua.LNumber(float64(chanceNext(L)) / 4294967296.0))
	return 1
}

// chancePlace is where aos's chance.integer raises its errors: the line of
// its assert(max >= min, ...), which both compares and fails there.
const chancePlace = `[string ".chance"]:201: `

// chanceArithPlace is the line after it, where chance.integer does its
// arithmetic on the bounds.
const chanceArithPlace = `[string ".chance"]:203: `

// chanceScale is max - min + 1 as aos computes it in Lua 5.3: on two
// integers in 64-bit integers, which wrap, so that
// math.random(math.mininteger, -1) scales by -2^63 as on aos; otherwise in
// floats. The engine has no integer subtype: a whole number in int64's
// range counts as an integer, and so does 2^63, which is the engine's
// math.maxinteger.
func chanceScale(lo, hi float64) float64 {
	l, okl := chanceInt(lo)
	h, okh := chanceInt(hi)
	if okl && okh {
		return float64(h - l + 1)
	}
	return hi - lo + 1
}

func chanceInt(f float64) (int64, bool) {
	if f == 1<<63 {
		return math.MaxInt64, true
	}
	return int64(f), isInt(f)
}

func chanceInteger(L *glua.LState) int {
	// max >= min is Lua 5.3's min <= max: two numbers compare, anything
	// else fails as Lua 5.3 names it (a string is not read as a number).
	minV, maxV := L.Get(1), L.Get(2)
	lo, ok1 := minV.(glua.LNumber)
	hi, ok2 := maxV.(glua.LNumber)
	s1, str1 := minV.(glua.LString)
	s2, str2 := maxV.(glua.LString)
	if str1 && str2 {
		// Two strings compare as strings; the arithmetic then reads them
		// as numbers.
		if s2 < s1 {
			L.Error(glua.LString(chancePlace+"max must bigger than min"), 0)
		}
		// It draws, and its next line computes max - min: Lua 5.3 names
		// the first operand that is not a numeral.
		r := float64(chanceNext(L)) / 4294967296.0
		h, okh := luaToNumber(string(s2))
		l, okl := luaToNumber(string(s1))
		switch {
		case !okh:
			L.Error(glua.LString(chanceArithPlace+"attempt to perform arithmetic on a string value (local 'max')"), 0)
		case !okl:
			L.Error(glua.LString(chanceArithPlace+"attempt to perform arithmetic on a string value (local 'min')"), 0)
		}
		L.Push(glua.LNumber(math.Floor(r*chanceScale(l, h) + l)))
		return 1
	}
	if !ok1 || !ok2 {
		t1, t2 := minV.Type().String(), maxV.Type().String()
		if t1 == t2 {
			L.Error(glua.LString(chancePlace+"attempt to compare two "+t1+" values"), 0)
		}
		L.Error(glua.LString(chancePlace+"attempt to compare "+t1+" with "+t2), 0)
	}
	if hi < lo {
		L.Error(glua.LString(chancePlace+"max must bigger than min"), 0)
	}
	r := float64(chanceNext(L)) / 4294967296.0
	L.Push(glua.LNumber(math.Floor(r*chanceScale(float64(lo), float64(hi)) + float64(lo))))
	return 1
}
