package lua

import "testing"

func TestLua53Shims(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	cases := []struct{ code, want string }{
		{`return math.type(1) .. " " .. math.type(1.5) .. " " .. tostring(math.type("1"))`, "integer float nil"},
		{`return tostring(math.tointeger(3.0)) .. " " .. tostring(math.tointeger(3.5)) .. " " .. tostring(math.tointeger("8"))`, "3 nil 8"},
		{`return tostring(math.maxinteger > 9.2e18) .. " " .. tostring(math.mininteger < -9.2e18)`, "true true"},
		{`return utf8.char(72, 228, 8364, 128512)`, "Hä€😀"},
		{`return utf8.len("Hä€😀") .. " " .. #"Hä€😀"`, "4 10"},
		{`local a, b = utf8.len("a\255b") return tostring(a) .. " " .. b`, "nil 2"},
		{`return table.concat({ utf8.codepoint("Hä€", 1, -1) }, ",")`, "72,228,8364"},
		{`return utf8.offset("Hä€", 3) .. " " .. utf8.offset("Hä€", -1)`, "4 4"},
		{`local out = {} for p, c in utf8.codes("aä€") do out[#out + 1] = p .. ":" .. c end return table.concat(out, " ")`, "1:97 2:228 4:8364"},
		{`local n = 0 for _ in string.gmatch("aä€", utf8.charpattern) do n = n + 1 end return n`, "3"},
		{`local t = table.move({1, 2, 3, 4, 5}, 2, 4, 1) return table.concat(t, ",")`, "2,3,4,4,5"},
		{`local t = table.move({1, 2, 3}, 1, 3, 3) return table.concat(t, ",")`, "1,2,1,2,3"},
		{`local t = table.move({1, 2}, 1, 2, 1, {9, 9, 9}) return table.concat(t, ",")`, "1,2,9"},
		{`return rawlen({1, 2, 3}) .. " " .. rawlen("abcd")`, "3 4"},
		{`local f = load("return 1 + ...") return f(41)`, "42"},
		{`local env = { x = 5 } local f = load("return x", "chunk", "t", env) return f()`, "5"},
		{`local f, err = load("return +") return tostring(f) .. " " .. tostring(err ~= nil)`, "nil true"},
		{`local parts = { "return ", "6 * 7" } local i = 0 local f = load(function() i = i + 1 return parts[i] end) return f()`, "42"},
		{`local s = string.pack("<i4", -2) return #s .. " " .. string.unpack("<i4", s)`, "4 -2"},
		{`local s = string.pack(">I2 B", 258, 7) return string.byte(s, 1) .. "," .. string.byte(s, 2) .. "," .. string.byte(s, 3)`, "1,2,7"},
		{`local a, b, nxt = string.unpack("<d s1", string.pack("<d s1", 1.5, "hey")) return a .. " " .. b .. " " .. nxt`, "1.5 hey 13"},
		{`local s = string.pack("z", "abc") return #s .. " " .. string.unpack("z", s)`, "4 abc"},
		{`return string.packsize("<i4 i8 d")`, "20"},
		{`local ok, err = pcall(string.pack, "q", 1) return tostring(ok) .. " " .. tostring(err:find("invalid format option") ~= nil)`, "false true"},
		{`return tostring(math.ult(1, -1))`, "true"},
		{`return string.rep("ab", 3, ",") .. string.rep("x", 0)`, "ab,ab,ab"},
		{`return tostring(os.time() > 1600000000000)`, "true"},
		{`return tostring(io) .. " " .. tostring(os.execute) .. " " .. tostring(dofile)`, "nil nil nil"},
	}
	for _, c := range cases {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got %q, want %q", c.code, got, c.want)
		}
	}
}

func TestRequireCannotReadFiles(t *testing.T) {
	w, alice, pid := newTestWorld(t, ``)
	d := send(t, w, alice, pid, "Eval", `require("os_mostao_missing")`).Deliveries[0]
	if !d.Result.Failed() {
		t.Fatalf("%+v", d.Result)
	}
}

func TestUtilsModule(t *testing.T) {
	w, alice, pid := newTestWorld(t, `utils = require(".utils")`)
	cases := []struct{ code, want string }{
		{`return table.concat(utils.map(function(v) return v * 2 end, {1, 2, 3}), ",")`, "2,4,6"},
		{`return table.concat(utils.map(function(v) return v * 2 end)({1, 2}), ",")`, "2,4"},
		{`return table.concat(utils.filter(function(v) return v > 1 end, {1, 2, 3}), ",")`, "2,3"},
		{`return utils.reduce(function(a, b) return a + b end, 0, {1, 2, 3})`, "6"},
		{`return utils.find(utils.propEq("id", 2), {{id = 1, n = "a"}, {id = 2, n = "b"}}).n`, "b"},
		{`return tostring(utils.includes(2)({1, 2})) .. tostring(utils.includes(5, {1, 2}))`, "truefalse"},
		{`return table.concat(utils.reverse({1, 2, 3}), ",") .. " " .. #utils.keys({a = 1, b = 2}) .. " " .. tostring(utils.isArray({1, 2}))`, "3,2,1 2 true"},
		{`return table.concat(utils.concat({1}, {2, 3}), ",") .. " " .. utils.compose(function(x) return x + 1 end, function(x) return x * 10 end)(2)`, "1,2,3 21"},
		{`return type(Colors.red)`, "string"},
	}
	for _, c := range cases {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got %q, want %q", c.code, got, c.want)
		}
	}
}
