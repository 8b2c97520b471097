package wasm

import (
	"bufio"
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// libraryNamesProbe lists the standard library a process sees, one
// "library.name type" a line, sorted: the base functions and library
// tables of _G, then every library table's fields.
const libraryNamesProbe = `local out = {}
local libs = {"_G", "string", "table", "math", "coroutine", "os", "debug", "utf8", "package", "bit32", "io"}
local isLib = {}
for _, lib in ipairs(libs) do isLib[lib] = true end
for _, lib in ipairs(libs) do
  local t = _G[lib]
  if type(t) == "table" then
    for k, v in pairs(t) do
      if lib ~= "_G" or type(v) == "function" or k == "_VERSION" or isLib[k] then
        out[#out + 1] = lib .. "." .. tostring(k) .. " " .. type(v)
      end
    end
  end
end
table.sort(out)
return table.concat(out, "\n")`

// absentByChoice are names real aos gives a process that no engine here
// gives, on purpose (docs/engine.md): a process has no files, no host to
// reach and no hook to set (the engines' hook is the work budget), and
// `handle` is the module's entry point, not the process's. A name ending
// in "." stands for the whole library.
var absentByChoice = []string{
	"_G.dofile", "_G.loadfile", "_G.io", "io.", "_G.handle", "debug.sethook",
	"os.execute", "os.exit", "os.getenv", "os.remove", "os.rename", "os.setlocale", "os.tmpname",
}

// absentOnLuaEngine are the further names the Lua engine lacks: debug
// functions gopher-lua has no counterpart for (docs/engine.md).
var absentOnLuaEngine = []string{"debug.debug", "debug.getregistry", "debug.upvalueid", "debug.upvaluejoin"}

// Every engine gives a process the standard library real aos gives (Lua
// 5.3 built with LUA_COMPAT_5_2: bit32 and math.log10 are there, the Lua
// 5.1 names are not), less the names absent by choice, and on the Lua
// engine the debug functions it cannot give: testdata/aos-library-names.txt
// is the list measured on real aos 2.0.4 and 2.0.6, which the real modules
// are held to when given.
func TestLibraryNamesAreAos(t *testing.T) {
	aosNames := readNameList(t, "testdata/aos-library-names.txt")
	onEveryAosEngine(t, "", func(t *testing.T, w adapters.World) {
		var absent []string
		switch {
		case strings.Contains(t.Name(), "real_aos"):
		case strings.Contains(t.Name(), "wasm_engine"):
			absent = absentByChoice
		default:
			absent = append(append([]string{}, absentByChoice...), absentOnLuaEngine...)
		}
		var want []string
		for _, line := range aosNames {
			if !isAbsent(strings.Fields(line)[0], absent) {
				want = append(want, line)
			}
		}
		alice, _ := w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		require.NoError(t, err)
		got := strings.Split(evalOn(t, w, alice, pid, libraryNamesProbe), "\n")
		require.Equal(t, want, got)
	})
}

func isAbsent(name string, absent []string) bool {
	for _, a := range absent {
		if name == a || strings.HasSuffix(a, ".") && strings.HasPrefix(name, a) {
			return true
		}
	}
	return false
}

// readNameList reads a sorted list of names, skipping # comments.
func readNameList(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	require.NoError(t, sc.Err())
	require.True(t, sort.StringsAreSorted(lines), "%s is not sorted", path)
	return lines
}

// libraryCalls are calls of the library names aos has and gopher-lua did
// not (bit32, table.pack, coroutine.isyieldable, math.log with a base,
// the debug and package functions), with what real aos 2.0.4 and 2.0.6
// answer: a string in double quotes (newlines and tabs as \n and \t),
// "error" and the message without its place when the call raised one.
// Floats are compared rather than printed: the Lua engine has no float
// subtype (docs/engine.md).
var libraryCalls = []struct{ call, want string }{
	{`bit32.band()`, `4294967295`},
	{`bit32.band(0xF0F0, 0xFF00)`, `61440`},
	{`bit32.band(-1, 0xFFFF)`, `65535`},
	{`bit32.band(1, 3, 7, 15)`, `1`},
	{`bit32.bor()`, `0`},
	{`bit32.bor(1, 2, 4, 8)`, `15`},
	{`bit32.bor(-1)`, `4294967295`},
	{`bit32.bxor()`, `0`},
	{`bit32.bxor(0xFF, 0x0F)`, `240`},
	{`bit32.bxor(1, 1, 1)`, `1`},
	{`bit32.bnot(0)`, `4294967295`},
	{`bit32.bnot(-1)`, `0`},
	{`bit32.bnot(0x0F0F0F0F)`, `4042322160`},
	{`bit32.bnot(2^32)`, `4294967295`},
	{`bit32.btest(1, 2)`, `false`},
	{`bit32.btest(3, 2)`, `true`},
	{`bit32.btest()`, `true`},
	{`bit32.lshift(1, 31)`, `2147483648`},
	{`bit32.lshift(1, 32)`, `0`},
	{`bit32.lshift(1, -1)`, `0`},
	{`bit32.lshift(0xFFFFFFFF, 4)`, `4294967280`},
	{`bit32.lshift(2, -33)`, `0`},
	{`bit32.rshift(0x80000000, 31)`, `1`},
	{`bit32.rshift(0x80000000, -1)`, `0`},
	{`bit32.rshift(-1, 28)`, `15`},
	{`bit32.rshift(1, 32)`, `0`},
	{`bit32.arshift(0x80000000, 4)`, `4160749568`},
	{`bit32.arshift(0x80000000, 31)`, `4294967295`},
	{`bit32.arshift(0x80000000, 32)`, `4294967295`},
	{`bit32.arshift(0x80000000, 40)`, `4294967295`},
	{`bit32.arshift(0x40000000, 4)`, `67108864`},
	{`bit32.arshift(0x80000000, -1)`, `0`},
	{`bit32.arshift(-256, 4)`, `4294967280`},
	{`bit32.lrotate(0x80000001, 1)`, `3`},
	{`bit32.lrotate(0x12345678, 8)`, `878082066`},
	{`bit32.lrotate(0x12345678, -8)`, `2014458966`},
	{`bit32.lrotate(0x12345678, 36)`, `591751041`},
	{`bit32.rrotate(0x12345678, 8)`, `2014458966`},
	{`bit32.rrotate(1, 1)`, `2147483648`},
	{`bit32.rrotate(1, 0)`, `1`},
	{`bit32.extract(0xF0, 4, 4)`, `15`},
	{`bit32.extract(0xF0, 4)`, `1`},
	{`bit32.extract(0x80000000, 31)`, `1`},
	{`bit32.extract(-1, 0, 32)`, `4294967295`},
	{`bit32.extract(1, 31, 2)`, `error trying to access non-existent bits`},
	{`bit32.extract(1, -1)`, `error bad argument #2 to 'extract' (field cannot be negative)`},
	{`bit32.extract(1, 0, 0)`, `error bad argument #3 to 'extract' (width must be positive)`},
	{`bit32.replace(0, 0xF, 4, 4)`, `240`},
	{`bit32.replace(0xFFFF, 0, 8, 4)`, `61695`},
	{`bit32.replace(0, 1, 31)`, `2147483648`},
	{`bit32.replace(0, 3, 30, 3)`, `error trying to access non-existent bits`},
	{`bit32.band(1.5)`, `error bad argument #1 to 'band' (number has no integer representation)`},
	{`bit32.band("12", "10")`, `8`},
	{`bit32.band("x")`, `error bad argument #1 to 'band' (number expected, got string)`},
	{`bit32.band(nil)`, `error bad argument #1 to 'band' (number expected, got nil)`},
	{`bit32.band({})`, `error bad argument #1 to 'band' (number expected, got table)`},
	{`bit32.bnot()`, `error bad argument #1 to 'bnot' (number expected, got no value)`},
	{`bit32.band(2^53, 2^53)`, `0`},
	{`bit32.band(2^63)`, `error bad argument #1 to 'band' (number has no integer representation)`},
	{`bit32.band(-2^63)`, `0`},
	{`bit32.lshift(1)`, `error bad argument #2 to 'lshift' (number expected, got no value)`},
	{`bit32.band(3.0, 1)`, `1`},
	{`math.type(bit32.band(3, 1))`, `"integer"`},
	{`math.type(bit32.bnot(0))`, `"integer"`},
	{`bit32.band(0x1FFFFFFFF)`, `4294967295`},
	{`table.pack(1, nil, 3).n`, `3`},
	{`table.pack(1, nil, 3)[3]`, `3`},
	{`select("#", table.unpack(table.pack(1, nil, nil), 1, 3))`, `3`},
	{`type(coroutine.isyieldable)`, `"function"`},
	{`coroutine.isyieldable()`, `true`},
	{`coroutine.wrap(function() return coroutine.isyieldable() end)()`, `true`},
	{`math.log(8, 2) == 3`, `true`},
	{`math.log(100, 10) == 2`, `true`},
	{`math.log(27, 3) == 3`, `true`},
	{`math.log(8, "2") == 3`, `true`},
	{`math.log10(1000) == 3`, `true`},
	{`math.log10(0.001) == -3`, `true`},
	{`debug.gethook()`, `nil`},
	{`select("#", debug.gethook())`, `3`},
	{`debug.getuservalue(1)`, `nil`},
	{`select("#", debug.getuservalue(1))`, `1`},
	{`debug.setuservalue(1, {})`, `error bad argument #1 to 'setuservalue' (userdata expected, got number)`},
	{`type(debug.getregistry)`, `"function"`},
	{`package.loadlib("lib.so", "luaopen_x")`, `nil`},
	{`select(2, package.loadlib("lib.so", "luaopen_x"))`, `"dynamic libraries not enabled; check your Lua installation"`},
	{`select(3, package.loadlib("lib.so", "luaopen_x"))`, `"absent"`},
	{`package.searchpath("a.b", "./?.lua;/x/?/init.lua")`, `nil`},
	{`select(2, package.searchpath("a.b", "./?.lua;/x/?/init.lua"))`, `"\n\tno file './a/b.lua'\n\tno file '/x/a/b/init.lua'"`},
	{`select(2, package.searchpath("a.b", "?.x", "."))`, `"\n\tno file 'a/b.x'"`},
	{`select(2, package.searchpath("a.b", "?.x", ".", "_"))`, `"\n\tno file 'a_b.x'"`},
	{`package.searchpath("a", "")`, `nil`},
	{`select(2, package.searchpath("a", ""))`, `""`},
	{`package.config`, `"/\n;\n?\n!\n-\n"`},
	{`type(package.preload)`, `"table"`},
	{`type(package.loaders)`, `"nil"`},
	{`type(package.searchers)`, `"table"`},
	{`rawequal(getmetatable(""), string)`, `false`},
	{`rawequal(getmetatable("").__index, string)`, `true`},
	{`string.__index`, `nil`},
	{`next(getmetatable(""))`, `"__index"`},
	{`bit32 == require("bit32")`, `true`},
	{`math.log(0) == -math.huge`, `true`},
	{`math.log(-1, 2) ~= math.log(-1, 2)`, `true`},
	{`math.abs(math.log(2.718281828459045) - 1) < 1e-15`, `true`},
}

// libraryCallsOnLuaEngine are the calls whose answer differs on the Lua
// engine, with the answer it gives (docs/engine.md): it has no
// debug.getregistry, and its logarithms are Go's, which can differ from
// the C library's in the last bit (log(27) / log(3) is 3 there and
// 3.0000000000000004 here).
var libraryCallsOnLuaEngine = map[string]string{
	`type(debug.getregistry)`: `"nil"`,
	`math.log(27, 3) == 3`:    `false`,
}

// The library functions answer as on real aos on every engine.
func TestLibraryCallsAreAos(t *testing.T) {
	checkAosCalls(t, libraryCalls, libraryCallsOnLuaEngine, nil)
}
