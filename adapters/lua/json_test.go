package lua

import (
	"strings"
	"testing"
)

func TestJSONEncode(t *testing.T) {
	w, alice, pid := newTestWorld(t, `json = require("json")`)
	cases := []struct{ code, want string }{
		{`return json.encode({})`, `[]`},
		{`return json.encode({ 1, 2, "x", true, false })`, `[1,2,"x",true,false]`},
		{`return json.encode({ b = 1, a = { c = "d" } })`, `{"a":{"c":"d"},"b":1}`},
		{`return json.encode(0.1)`, `0.1`},
		{`return json.encode(1/3)`, `0.33333333333333`},
		{`return json.encode(1e20)`, `1e+20`},
		{`return json.encode(123456789012345678.0)`, `1.2345678901235e+17`},
		{`return json.encode(100)`, `100`},
		{`return json.encode(-0.00001)`, `-1e-05`},
		{`return json.encode("a\"b\\c\n\t\1")`, `"a\"b\\c\n\t\u0001"`},
		{`return json.encode("héllo/€")`, `"héllo/€"`},
		{`return json.encode(nil)`, `null`},
	}
	for _, c := range cases {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got %s, want %s", c.code, got, c.want)
		}
	}
	errs := []struct{ code, want string }{
		{`json.encode({ 1, 2, nil, 4 })`, "sparse array"},
		{`json.encode({ 1, x = 2 })`, "mixed or invalid key types"},
		{`json.encode({ [true] = 1 })`, "mixed or invalid key types"},
		{`local t = {} t.self = t json.encode(t)`, "circular reference"},
		{`json.encode(function() end)`, "unexpected type 'function'"},
		{`json.encode(0/0)`, "unexpected number value"},
		{`json.encode(math.huge)`, "unexpected number value"},
	}
	for _, c := range errs {
		d := send(t, w, alice, pid, "Eval", c.code).Deliveries[0]
		if !strings.Contains(d.Result.Error, c.want) {
			t.Errorf("%s: got %q, want error containing %q", c.code, d.Result.Error, c.want)
		}
	}
}

func TestJSONDecode(t *testing.T) {
	w, alice, pid := newTestWorld(t, `json = require("json")`)
	cases := []struct{ code, want string }{
		{`local v = json.decode('{"a":[1,2,{"b":null}],"c":"\\u00e9\\ud83d\\ude00","d":-1.5e2}') return #v.a .. " " .. tostring(v.a[3].b) .. " " .. v.c .. " " .. v.d`, "3 nil é😀 -150"},
		{`return json.decode(' [ ] ') and "table" or "nil"`, "table"},
		{`return tostring(json.decode("true")) .. tostring(json.decode("false"))`, "truefalse"},
		{`return json.encode(json.decode('{"z":1,"a":[true,"x"]}'))`, `{"a":[true,"x"],"z":1}`},
	}
	for _, c := range cases {
		if got := eval(t, w, alice, pid, c.code); got != c.want {
			t.Errorf("%s\n got %s, want %s", c.code, got, c.want)
		}
	}
	for _, bad := range []string{`{`, `{"a":}`, `[,]`, `"unterminated`, `{"a" 1}`, `tru`, `1 2`, `"\x"`, ``} {
		d := send(t, w, alice, pid, "Eval", `json.decode([==[`+bad+`]==])`).Deliveries[0]
		if !d.Result.Failed() {
			t.Errorf("decoding %q did not fail", bad)
		}
	}
	// Past maxJSONDepth: far deeper than any Data a process is sent (real
	// aos goes on until Lua's stack is full), and bounded so the Go stack is.
	deep := strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1)
	if d := send(t, w, alice, pid, "Eval", `json.decode("`+deep+`")`).Deliveries[0]; !strings.Contains(d.Result.Error, "too deeply nested") {
		t.Errorf("deep nesting: %q", d.Result.Error)
	}
}
