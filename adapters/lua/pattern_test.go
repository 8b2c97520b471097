package lua

import (
	"strings"
	"testing"

	glua "github.com/yuin/gopher-lua"
)

// patternProbe runs every pattern function on one subject and pattern and
// prints the results on one line.
const patternProbe = `
local s, p = ...
local out = {}
local function add(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = tostring((select(i, ...))) end
  out[#out + 1] = table.concat(parts, ",")
end
add(pcall(string.find, s, p))
add(pcall(string.find, s, p, 3))
add(pcall(string.find, s, p, -2))
add(pcall(string.match, s, p))
add(pcall(string.gsub, s, p, "<%0>"))
add(pcall(string.gsub, s, p, function(c) return "[" .. tostring(c) .. "]" end))
add(pcall(string.gsub, s, p, "#", 1))
local ok, err = pcall(function()
  local got = {}
  for a, b in string.gmatch(s, p) do got[#got + 1] = tostring(a) .. "/" .. tostring(b) end
  return table.concat(got, ";")
end)
add(ok, err)
return table.concat(out, " | ")
`

func probePatterns(t *testing.T, L *glua.LState, s, p string) string {
	t.Helper()
	fn, err := L.LoadString(patternProbe)
	if err != nil {
		t.Fatal(err)
	}
	if err := L.CallByParam(glua.P{Fn: fn, NRet: 1, Protect: true}, glua.LString(s), glua.LString(p)); err != nil {
		return "error: " + err.Error()
	}
	defer L.Pop(1)
	return L.Get(-1).String()
}

// TestPatternsAgreeWithGopherLua: on ordinary patterns our matcher gives the
// results of gopher-lua's (which follows Lua's), so replacing it changes
// nothing for a process, only that it is now charged for its work.
func TestPatternsAgreeWithGopherLua(t *testing.T) {
	ref := glua.NewState()
	defer ref.Close()
	ours := glua.NewState(glua.Options{SkipOpenLibs: true})
	defer ours.Close()
	if err := openLibs(ours, nil); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ s, p string }{
		{"hello world", "o"},
		{"hello world", "o w"},
		{"hello world", "l+"},
		{"hello world", "l*"},
		{"hello world", "l-o"},
		{"hello world", "^h"},
		{"hello world", "d$"},
		{"hello world", "(h)(e)"},
		{"hello world", "()ll()"},
		{"hello world", "%a+"},
		{"hello world", "%A"},
		{"key = value", "(%w+)%s*=%s*(%w+)"},
		{"2024-01-02", "(%d+)-(%d+)-(%d+)"},
		{"THE (quick) fox", "%((%a+)%)"},
		{"THE (quick) fox", "%u+"},
		{"f(a(b)c)d", "%b()"},
		{"abc", "[a-b]+"},
		{"abc", "[^a]+"},
		{"a]b", "[]]"},
		{"a-b", "[a-]"},
		{"x.y.z", "%."},
		{"x.y.z", "[%.y]+"},
		{"  trim  ", "^%s*(.-)%s*$"},
		{"abcabc", "(abc)%1"},
		{"aaa", "a?a?"},
		{"", "a*"},
		{"abc", "()"},
		{"tab\there", "%c"},
		{"0x1F", "%x+"},
		{"Hello, World!", "%p"},
		{"name_1 name2", "[%w_]+"},
		{"line1\nline2", "[^\n]+"},
		{"aXbXc", "X"},
		{"Get-Info", "Get%-Info"},
		{"a,b,,c", "([^,]*)"},
		{"abc", "((a)(b))"},
		{"abc", "[a"},
	}
	for _, c := range cases {
		want := probePatterns(t, ref, c.s, c.p)
		got := probePatterns(t, ours, c.s, c.p)
		if normalizeErrors(got) != normalizeErrors(want) {
			t.Errorf("%q ~ %q\n got  %s\n want %s", c.s, c.p, got, want)
		}
	}
}

// normalizeErrors keeps only "false" for a failed pcall: the two matchers
// word their errors differently.
func normalizeErrors(s string) string {
	parts := strings.Split(s, " | ")
	for i, p := range parts {
		if strings.HasPrefix(p, "false,") {
			parts[i] = "false"
		}
	}
	return strings.Join(parts, " | ")
}

// TestPatternsWhereGopherLuaDeparts: where gopher-lua's matcher departs
// from Lua's, ours follows Lua.
func TestPatternsWhereGopherLuaDeparts(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	for expr, want := range map[string]string{
		`string.match("hello", "^w")`:                 "nil", // nil, not nothing
		`string.find("THE (quick) fox", "%f[%a]%a+")`: "1,3",
		`string.find("abc", "", 3)`:                   "3,2",
		`string.find("abc", "a)")`:                    "nil", // no magic character: a plain find
		`pcall(string.find, "abc", "%")`:              "false,malformed pattern (ends with '%')",
		`string.gsub("abc", "(a", "<%0>")`:            "<a>bc,1",
		`string.find("abc", "(a", 3)`:                 "nil",
		`string.gsub("hello world", "(o)", "%1%1")`:   "helloo woorld,2",
		`pcall(string.gsub, "hello", "(o)", "%x")`:    "false,invalid use of '%' in replacement string",
	} {
		code := `return (function(...)
  local t = {}
  for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))):gsub("^[^:]*:%d+: ", "") end
  return table.concat(t, ",")
end)(` + expr + `)`
		if got := eval(t, w, alice, pid, code); got != want {
			t.Errorf("%s: got %q, want %q", expr, got, want)
		}
	}
}

func TestBacktrackingPatternStopsAtTheWorkBudget(t *testing.T) {
	w, alice, pid := newTestWorld(t, `Handlers.add("Bt", "Bt", function(msg)
  local ok = pcall(string.find, string.rep("a", 40), string.rep("a*", 40) .. "b")
  msg.reply({ Data = tostring(ok) })
end)`, withLimits(Limits{MaxWork: 2_000_000}))
	d := send(t, w, alice, pid, "Bt", "").Deliveries[0]
	if d.Result.ErrorKind != "compute-limit" || !strings.Contains(d.Result.Error, "MaxWork") {
		t.Fatalf("%+v", d.Result)
	}
}
