package wasm

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// jsonProbeSource answers each Probe message with what json.decode made of
// its Data: "ok <value>" or "error <message>". Values are written the same
// way on every engine: strings with every byte outside printable ASCII as
// \xHH (error messages too), numbers with %.17g, tables with their keys
// sorted. Two Data stand for other arguments than a string.
const jsonProbeSource = `
local json = require("json")
local function show(v, depth)
  depth = depth or 0
  local t = type(v)
  if t == "string" then
    local s = string.gsub(v, "[^ -~]", function(c) return string.format("\\x%02x", string.byte(c)) end)
    return '"' .. s .. '"'
  elseif t == "number" then
    if v ~= v then return "nan" end
    if v == math.huge then return "inf" end
    if v == -math.huge then return "-inf" end
    return string.format("%.17g", v)
  elseif t == "table" and depth >= 20 then
    -- Deep nesting as a count: a recursion that deep would meet
    -- gopher-lua's call depth limit, not the decoder's.
    local n = 0
    while type(v) == "table" do n = n + 1 v = v[1] end
    return "<" .. n .. " nested tables>"
  elseif t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if type(a) ~= type(b) then return type(a) < type(b) end
      return a < b
    end)
    local parts = {}
    for _, k in ipairs(keys) do
      local key = show(k)
      if type(k) == "number" then key = "[" .. key .. "]" end
      parts[#parts + 1] = key .. "=" .. show(v[k], depth + 1)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return tostring(v)
end
local args = { ["<the number 42>"] = 42, ["<a table>"] = {} }
Handlers.add("probe", function(m) return m.Tags.Action == "Probe" end, function(m)
  local arg = m.Data
  if args[arg] ~= nil then arg = args[arg] end
  local ok, v = pcall(json.decode, arg)
  local out
  if ok then out = "ok " .. show(v) else out = "error " .. string.sub(show(tostring(v)), 2, -2) end
  ao.send({ Target = m.From, Data = out })
end)
`

// aosJSONDecodeCases state what aos's json.decode makes of each input,
// the lenient parts first. "ok <value>" is a value as jsonProbeSource
// writes it; "error <message>" is the error's message without the place
// it was raised from. Bytes that are not UTF-8 are left out: Data reaches a
// real aos module inside JSON text, where they become U+FFFD.
var aosJSONDecodeCases = []struct{ name, in, want string }{
	{"trailing comma in an object", "{\"a\":1,}", "ok {\"a\"=1}"},
	{"trailing comma in an array", "[1,]", "ok {[1]=1}"},
	{"trailing comma after two items", "[1,2,]", "ok {[1]=1,[2]=2}"},
	{"trailing commas nested", "{\"a\":[1,],}", "ok {\"a\"={[1]=1}}"},
	{"trailing comma with spaces", "[1 , ]", "ok {[1]=1}"},
	{"trailing comma in an empty array", "[,]", "error unexpected character ',' at line 1 col 2"},
	{"trailing comma in an empty object", "{,}", "error expected string for key at line 1 col 2"},
	{"two commas", "[1,,2]", "error unexpected character ',' at line 1 col 4"},
	{"two trailing commas", "{\"a\":1,,}", "error expected string for key at line 1 col 8"},
	{"empty", "", "error unexpected character '' at line 1 col 1"},
	{"only spaces", "  \n\t", "error unexpected character '' at line 2 col 2"},
	{"top-level number", "7", "ok 7"},
	{"top-level string", "\"x\"", "ok \"x\""},
	{"top-level true", "true", "ok true"},
	{"top-level false", "false", "ok false"},
	{"top-level null", "null", "ok nil"},
	{"a cut literal", "nul", "error invalid literal 'nul' at line 1 col 1"},
	{"a literal run on", "truex", "error invalid literal 'truex' at line 1 col 1"},
	{"a literal run on in an array", "[truex]", "error invalid literal 'truex' at line 1 col 2"},
	{"null twice", "nullnull", "error invalid literal 'nullnull' at line 1 col 1"},
	{"a leading zero", "01", "ok 1"},
	{"a negative leading zero", "-01", "ok -1"},
	{"two zeros", "00", "ok 0"},
	{"a point without decimals", "1.", "ok 1"},
	{"a point first", ".5", "error unexpected character '.' at line 1 col 1"},
	{"a plus sign", "+1", "error unexpected character '+' at line 1 col 1"},
	{"a lone minus", "-", "error invalid number '-' at line 1 col 1"},
	{"minus zero", "-0", "ok 0"},
	{"an exponent", "1E+2", "ok 100"},
	{"a cut exponent", "1e", "error invalid number '1e' at line 1 col 1"},
	{"a hexadecimal number", "0x10", "ok 16"},
	{"a negative hexadecimal number", "-0X1f", "ok -31"},
	{"a hexadecimal float", "0x1p4", "ok 16"},
	{"a bare 0x", "0x", "error invalid number '0x' at line 1 col 1"},
	{"a huge number", "1e400", "ok inf"},
	{"a huge negative number", "-1e400", "ok -inf"},
	{"a long integer", "123456789012345678901234567890", "ok 1.2345678901234568e+29"},
	{"inf", "inf", "error unexpected character 'i' at line 1 col 1"},
	{"nan", "nan", "error invalid literal 'nan' at line 1 col 1"},
	{"Infinity", "-Infinity", "error invalid number '-Infinity' at line 1 col 1"},
	{"an underscore in a number", "1_0", "error invalid number '1_0' at line 1 col 1"},
	{"a number run on", "[1e5x]", "error invalid number '1e5x' at line 1 col 2"},
	{"a number and a colon", "[1:2]", "error invalid number '1:2' at line 1 col 2"},
	{"a raw tab in a string", "\"a\tb\"", "error control character in string at line 1 col 3"},
	{"a raw newline in a string", "\"a\nb\"", "error control character in string at line 1 col 3"},
	{"DEL in a string", "\"a\x7fb\"", "ok \"a\\x7fb\""},
	{"an escaped slash", "\"a\\/b\"", "ok \"a/b\""},
	{"an invalid escape", "\"a\\qb\"", "error invalid escape char 'q' in string at line 1 col 3"},
	{"an escaped quote mark", "\"a\\'b\"", "error invalid escape char ''' in string at line 1 col 3"},
	{"a hex escape", "\"\\x41\"", "error invalid escape char 'x' in string at line 1 col 2"},
	{"a unicode escape", "\"\\u0041\\u00e9\"", "ok \"A\\xc3\\xa9\""},
	{"a NUL escape", "\"a\\u0000b\"", "ok \"a\\x00b\""},
	{"a surrogate pair", "\"\\ud83d\\ude00\"", "ok \"\\xf0\\x9f\\x98\\x80\""},
	{"a lone high surrogate", "\"\\ud800\"", "ok \"\\xed\\xa0\\x80\""},
	{"a lone low surrogate", "\"\\udc00\"", "ok \"\\xed\\xb0\\x80\""},
	{"a high surrogate before a non-surrogate", "\"\\ud800\\u0041\"", "ok \"\\xe2\\x91\\x81\""},
	{"a high surrogate before a high surrogate", "\"\\udbff\\uffff\"", "error invalid unicode codepoint '111fff'"},
	{"a short unicode escape", "\"\\u12\"", "error invalid unicode escape in string at line 1 col 2"},
	{"a bad unicode escape", "\"\\u12G4\"", "error invalid unicode escape in string at line 1 col 2"},
	{"a capital U escape", "\"\\U0041\"", "error invalid escape char 'U' in string at line 1 col 2"},
	{"an unterminated string", "\"abc", "error expected closing quote for string at line 1 col 1"},
	{"a backslash at the end", "\"abc\\", "error invalid escape char '' in string at line 1 col 5"},
	{"a number key", "{1:2}", "error expected string for key at line 1 col 2"},
	{"single quotes", "{'a':1}", "error expected string for key at line 1 col 2"},
	{"a bare key", "{a:1}", "error expected string for key at line 1 col 2"},
	{"a duplicate key", "{\"a\":1,\"a\":2}", "ok {\"a\"=2}"},
	{"a missing colon", "{\"a\" 1}", "error expected ':' after key at line 1 col 6"},
	{"a missing value", "{\"a\":}", "error unexpected character '}' at line 1 col 6"},
	{"a key alone", "{\"a\"}", "error expected ':' after key at line 1 col 5"},
	{"an empty key", "{\"\":1}", "ok {\"\"=1}"},
	{"null in an array", "[1,null,3]", "ok {[1]=1,[3]=3}"},
	{"null value", "{\"a\":null,\"b\":1}", "ok {\"b\"=1}"},
	{"trailing garbage", "{} x", "error trailing garbage at line 1 col 4"},
	{"two objects", "{}{}", "error trailing garbage at line 1 col 3"},
	{"an extra bracket", "[]]", "error trailing garbage at line 1 col 3"},
	{"two numbers", "1 2", "error trailing garbage at line 1 col 3"},
	{"whitespace around", "\t\r\n {} \n", "ok {}"},
	{"a form feed before", "\f{}", "error unexpected character '\\x0c' at line 1 col 1"},
	{"a vertical tab after", "{}\v", "error trailing garbage at line 1 col 3"},
	{"a no-break space", "\u00a0{}", "error unexpected character '\\xc2' at line 1 col 1"},
	{"1000 nested arrays", strings.Repeat("[", 1000) + strings.Repeat("]", 1000), "ok " + strings.Repeat("{[1]=", 20) + "<980 nested tables>" + strings.Repeat("}", 20)},
	{"300 unclosed arrays", strings.Repeat("[", 300), "error unexpected character '' at line 1 col 301"},
	{"a duplicate key set to null", "{\"a\":1,\"a\":null}", "ok {}"},
	{"null first in an array", "[null,2]", "ok {[2]=2}"},
	{"a number argument", "<the number 42>", "error expected argument of type string, got number"},
	{"a table argument", "<a table>", "error expected argument of type string, got table"},
	{"a line count", "{\n\"a\":\n x}", "error unexpected character 'x' at line 3 col 2"},
}

// TestJSONDecodeIsAos decodes each of aosJSONDecodeCases on the Lua engine
// in every aos profile, on the wasm engine's own module, and on the real
// aos modules when
// MOSTAO_AOS_WASM32 and MOSTAO_AOS_WASM64 name them: the table is what real
// aos does, and the Lua engine must do the same.
func TestJSONDecodeIsAos(t *testing.T) {
	onEveryAosEngine(t, jsonProbeSource, checkJSONDecodeCases)
}

// onEveryAosEngine runs check on a world holding a module of src on the
// Lua engine in every aos profile, on the wasm engine's own module, and on
// the real aos modules MOSTAO_AOS_WASM32 and MOSTAO_AOS_WASM64 name (each
// skipped when its variable is not set): a check that states what real aos
// does is then held against real aos whenever the modules are given.
func onEveryAosEngine(t *testing.T, src string, check func(*testing.T, adapters.World)) {
	t.Helper()
	for _, p := range []lua.Profile{lua.ProfileAOS204, lua.ProfileCurrent, lua.ProfileAOSSQLite} {
		t.Run(string(p), func(t *testing.T) {
			w, err := lua.New(lua.Options{Modules: map[string]lua.Module{testModuleID: {Name: "probe.lua", Source: src, Profile: p}}})
			require.NoError(t, err)
			defer w.Close()
			check(t, w)
		})
	}
	t.Run("wasm engine", func(t *testing.T) {
		w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "probe.lua", Source: src}}})
		require.NoError(t, err)
		defer w.Close()
		check(t, w)
	})
	for _, c := range []struct{ env, width string }{{"MOSTAO_AOS_WASM32", "wasm32"}, {"MOSTAO_AOS_WASM64", "wasm64"}} {
		t.Run("real aos "+c.width, func(t *testing.T) {
			path := os.Getenv(c.env)
			if path == "" {
				t.Skipf("no real aos %s module: set %s to its path (scripts/fetch-aos-modules.sh prints it) to check against real aos", c.width, c.env)
			}
			bin, err := os.ReadFile(path)
			require.NoError(t, err)
			w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "probe.lua", Source: src}}, Binary: bin})
			require.NoError(t, err)
			defer w.Close()
			check(t, w)
		})
	}
}

// errorPlace is where an error was raised: a chunk and a line, which
// differ between engines (the runtime is not the same code).
var errorPlace = regexp.MustCompile(`^error (\[string "[^"]*"\]|[^ ]+):[0-9]+: `)

func checkJSONDecodeCases(t *testing.T, w adapters.World) {
	t.Helper()
	alice, _ := w.Wallet("alice")
	pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.NoError(t, err)
	for _, c := range aosJSONDecodeCases {
		tr := send(t, w, alice, pid, "Probe", c.in)
		replies := tr.RepliesTo(alice)
		require.Len(t, replies, 1, "%s: %q", c.name, c.in)
		got := replies[0].Data
		got = errorPlace.ReplaceAllString(got, "error ")
		require.Equal(t, c.want, got, "%s: %q", c.name, c.in)
	}
}

// aosJSONDepth is how many nested arrays aos's json.decode takes, called
// from a handler as jsonProbeSource calls it: aos decodes in Lua, one more
// call per level, until Lua's stack (LUAI_MAXSTACK, a million slots) is
// full. The bound moves with the caller's own use of the stack, so the
// Lua engine keeps its own (maxJSONDepth, docs/engine.md says why).
const aosJSONDepth = 166656

// TestJSONDecodeNestingOnRealAos states how deep real aos 2.0.4 and 2.0.6
// decode, each on a new process: aosJSONDepth nested arrays decode, and one
// more is Lua's "stack overflow", raised as a Lua error the handler can
// catch. Neither traps: growing Lua's stack copies past the end of memory,
// which the host cuts as emscripten's JavaScript does
// (TestHostMemcpyCopiesAsCopyWithin).
func TestJSONDecodeNestingOnRealAos(t *testing.T) {
	for width, bin := range realAosModules(t) {
		t.Run(width, func(t *testing.T) {
			for _, c := range []struct {
				depth int
				want  string
			}{
				{aosJSONDepth, "ok " + strings.Repeat("{[1]=", 20) + "<" + strconv.Itoa(aosJSONDepth-20) + " nested tables>" + strings.Repeat("}", 20)},
				{aosJSONDepth + 1, "error stack overflow"},
			} {
				w, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "probe.lua", Source: jsonProbeSource}}, Binary: bin})
				require.NoError(t, err)
				alice, _ := w.Wallet("alice")
				pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
				require.NoError(t, err)
				tr := send(t, w, alice, pid, "Probe", strings.Repeat("[", c.depth)+strings.Repeat("]", c.depth))
				w.Close()
				require.Empty(t, tr.Deliveries[0].Result.Error, "%d nested arrays", c.depth)
				replies := tr.RepliesTo(alice)
				require.Len(t, replies, 1, "%d nested arrays", c.depth)
				require.Equal(t, c.want, errorPlace.ReplaceAllString(replies[0].Data, "error "), "%d nested arrays", c.depth)
			}
		})
	}
}
