package lua

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// The charged calls the rewriter puts around table keys and the operand
// of `#` (tablecost.go) must leave Lua's semantics as they were: the
// instructions still index, so metamethods, results, evaluation order
// and errors with their lines are unchanged.
func TestTableAccessKeepsLuaSemantics(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`local t, k = {}, "a" t[k] = 1 t[2] = "x" t[1] = "y" print(t.a, t[k], #t, t[2])`, "1\t1\t2\tx"},
		{`local log = {} local t = setmetatable({}, {
			__index = function(_, k) log[#log + 1] = "get " .. tostring(k) return k end,
			__newindex = function(r, k, v) log[#log + 1] = "set " .. tostring(k) rawset(r, k, v) end})
		  local k = "q" local _ = t[k] t[k] = 1 t[k] = 2 local _ = t[k]
		  t[100000] = true
		  print(table.concat(log, ","), t[k], t[100000])`, "get q,set q,set 100000\t2\ttrue"},
		{`local n = 0 local function obj() n = n + 1 return {} end obj()["k" .. n] = 1 print(n)`, "1"},
		{`local order = {} local function f(x) order[#order + 1] = x return x end
		  local t = {} f(t)[f("k")] = f("v") print(table.concat({order[2], order[3]}, ","), t.k)`, "k,v\tv"},
		{`local t, i = {}, 1 i, t[i] = i + 1, 20 print(t[1], t[2], i)`, "20\tnil\t2"},
		{`local a, b = {}, {} local k1, k2 = "x", 3 a[k1], b[k2] = b, a print(a.x == b, b[3] == a)`, "true\ttrue"},
		{`local k = "key" local t = { [k] = 1, [k .. "2"] = 2, [4] = 4, 1, 2 } print(t.key, t.key2, t[4], t[2])`, "1\t2\t4\t2"},
		{`local t = {} t[3] = 3 t[1] = 1 print(#t == 1 or #t == 3, t[3])`, "true\t3"},
		{`local t = setmetatable({}, {__len = function() return 42 end}) print(#t, #"abc", #{1, 2})`, "42\t3\t2"},
		{`local t = {1, 2, 3} t[3] = nil t[2] = nil print(#t, next(t))`, "1\t1\t1"},
		{`local t = {} for i = 1, 100 do t[i] = i end for i = 1, 99 do t[i] = nil end print(next(t))`, "100\t100"},
		{`local t = {a = 1} t.a = nil t.b = 2 local n = 0 for k, v in pairs(t) do n = n + v end print(n, next(t))`, "2\tb\t2"},
		{`print(rawlen({1, 2, nil, 4}) >= 2, select("#", table.unpack({1, 2, 3})))`, "true\t3"},
		{`local f = load("local t, k = {}, 'z' t[k] = #'ab' return t.z", "x", "t", {}) print(f())`, "2"},
	} {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got  %q\n want %q", c.code, got, c.want)
		}
	}
	for code, want := range map[string]string{
		"local t\nlocal k = 'x'\nlocal _ = t[k]": "attempt to index",
		"local t\nlocal k = 'x'\nt[k] = 1":       "attempt to index",
		"local t\nlocal k = 'x'\nlocal _ = #t":   "attempt to get length of a nil value",
	} {
		got := eval(t, w, alice, pid, "print(select(2, pcall(load(\""+strings.ReplaceAll(code, "\n", "\\n")+"\", \"c\"))))")
		if !strings.Contains(got, want) || !strings.Contains(got, ":3:") {
			t.Errorf("%q raised %q, want %q naming line 3", code, got, want)
		}
	}
}

// The charges see the table as it is: an integer key at the end of the
// array part, or a few slots past it, is free; one far past it is charged
// in proportion; and so are the nils # and next step over.
func TestTableChargesFollowTheArrayPart(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	work := func(code string) int64 {
		t.Helper()
		before := w.WorkDone()
		eval(t, w, alice, pid, code)
		return w.WorkDone() - before
	}
	base := work(`local t = {} t[1] = 1`)
	if got := work(`local t = {} t[60] = 1`); got > base+8 {
		t.Errorf("a gap of 59 slots cost %d units against %d for none: it should be free", got, base)
	}
	if got := work(`local t = {} t[100001] = 1`); got < base+90000 {
		t.Errorf("a gap of 100,000 slots cost %d units against %d for none: it should cost one a slot", got, base)
	}
	appendWork := work(`local t = {} for i = 1, 1000 do t[i] = i end`)
	if gapped := work(`local t = {} for i = 1, 1000 do t[i * 100] = i end`); gapped < appendWork+90000 {
		t.Errorf("1000 keys 100 apart cost %d units against %d in a row: each gap should cost", gapped, appendWork)
	}
	lenFull := work(`local t = {} for i = 1, 1000 do t[i] = i end local _ = #t`)
	if lenEmptied := work(`local t = {} for i = 1, 1000 do t[i] = i end for i = 1, 1000 do t[i] = nil end local _ = #t`); lenEmptied < lenFull+1000 {
		t.Errorf("# over 1000 trailing nils cost %d units against %d with none", lenEmptied, lenFull)
	}
}

// The charges read gopher-lua's table layout (the array part, the key
// order and its index); a gopher-lua upgrade that changes it must be
// noticed here, not as charges that quietly fall back.
func TestTableLayoutIsKnown(t *testing.T) {
	if !arrayFound || !keysFound || !k2iFound {
		t.Fatalf("gopher-lua's LTable layout changed: array %v, keys %v, k2i %v", arrayFound, keysFound, k2iFound)
	}
}

// Arithmetic with a string operand goes through strings' metamethods
// (ops53.go) and keeps Lua 5.3's results, the other operand's
// metamethods and Lua 5.3's error.
func TestStringArithmeticIsLua53s(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	for _, c := range []struct{ code, want string }{
		{`print("10" + 1, "0x10" * 2, 7 - "2", "1e1" / "4", "2" ^ "3", -"2", - " 3 ")`, "11\t32\t5\t2.5\t8\t-2\t-3"},
		{`local v = setmetatable({}, {__add = function(a, b) return "meta " .. type(a) .. " " .. type(b) end}) print(v + "x", "x" + v)`, "meta table string\tmeta string table"},
		{`print(getmetatable("").__index == string, ("x"):rep(2))`, "true\txx"},
		{`print(pcall(function() return "abc" + 1 end))`, "false\t"},
	} {
		if got := eval(t, w, alice, pid, c.code); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s\n got  %q\n want %q...", c.code, got, c.want)
		}
	}
	for code, want := range map[string]string{
		`return "abc" + 1`: "attempt to perform arithmetic on a string value",
		`return 1 - "abc"`: "attempt to perform arithmetic on a string value",
		`return "1" * {}`:  "attempt to perform arithmetic on a table value",
		`return -"x"`:      "attempt to perform arithmetic on a string value",
	} {
		got := eval(t, w, alice, pid, "print(select(2, pcall(load('"+strings.ReplaceAll(code, `"`, `\"`)+"', 'c'))))")
		if !strings.Contains(got, want) || !strings.Contains(got, ":1:") {
			t.Errorf("%s raised %q, want %q naming line 1", code, got, want)
		}
	}
}

// A name longer than maxNameBytes is refused as unsupported, naming its
// line: gopher-lua would hash it whole, uncharged, each time it is used.
func TestLongNamesAreUnsupported(t *testing.T) {
	w, alice, pid := newTestWorld(t, "")
	ok := strings.Repeat("n", maxNameBytes)
	if got := eval(t, w, alice, pid, ok+" = 1 print("+ok+")"); got != "1" {
		t.Fatalf("a name of %d bytes: %q", maxNameBytes, got)
	}
	long := strings.Repeat("n", maxNameBytes+1)
	got := eval(t, w, alice, pid, "print(load('local t = {}\\nt:"+long+"()'))")
	if !strings.Contains(got, ":2: a name longer than 1024 bytes") {
		t.Fatalf("a name of %d bytes: load gave %q", maxNameBytes+1, got)
	}
	d := send(t, w, alice, pid, "Eval", long+" = 1").Deliveries[0]
	if d.Result.ErrorKind != adapters.ErrorUnsupported || !strings.Contains(d.Result.Error, ":1: a name longer") {
		t.Fatalf("Eval of a long name: %s %q, want unsupported naming line 1", d.Result.ErrorKind, d.Result.Error)
	}
}
