package wasm

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
)

// base64Calls are calls of aos's require(".base64") with what real aos
// 2.0.4 and 2.0.6 answer (a string in hexadecimal, so that every byte
// shows; "error" when the call raised one):
// RFC 4648's test vectors both ways, binary bytes, another alphabet, and
// how decode reads what is not a clean encoding: characters outside the
// alphabet skipped, the padding ending it or missing, a last lone
// character dropped.
var base64Calls = []struct{ call, want string }{
	{`base64.encode("")`, ""},
	{`base64.encode("f")`, "5a673d3d"},
	{`base64.encode("fo")`, "5a6d383d"},
	{`base64.encode("foo")`, "5a6d3976"},
	{`base64.encode("foob")`, "5a6d397659673d3d"},
	{`base64.encode("fooba")`, "5a6d3976596d453d"},
	{`base64.encode("foobar")`, "5a6d3976596d4679"},
	{`base64.decode("")`, ""},
	{`base64.decode("Zg==")`, "66"},
	{`base64.decode("Zm8=")`, "666f"},
	{`base64.decode("Zm9v")`, "666f6f"},
	{`base64.decode("Zm9vYg==")`, "666f6f62"},
	{`base64.decode("Zm9vYmE=")`, "666f6f6261"},
	{`base64.decode("Zm9vYmFy")`, "666f6f626172"},
	{`base64.encode("\0\1\2\253\254\255")`, "414145432f66372f"},
	{`base64.decode("AAEC/f7/")`, "000102fdfeff"},
	{`base64.encode("\251\255\254", base64.makeencoder("-", "_"))`, "2d5f5f2d"},
	{`base64.decode("-__-", base64.makedecoder("-", "_"))`, "fbfffe"},
	{`base64.decode("+//+", base64.makedecoder("-", "_"))`, ""},
	{`base64.encode("a", base64.makeencoder("-", "_", "."))`, "59512e2e"},
	{`base64.decode("YQ..", base64.makedecoder("-", "_", "."))`, "error"},
	{`base64.decode("YQ==", base64.makedecoder("-", "_", "."))`, "61"},
	{`base64.decode("Zm9v\nYmE")`, "error"},
	{`base64.decode("Zm9v\nYmE=")`, "666f6f6261"},
	{`base64.decode("Zm9vYg")`, "error"},
	{`base64.decode("Z m 9 v")`, "666f6f"},
	{`base64.decode("Zm9vY")`, "error"},
	{`base64.decode("Zg==Zm9v")`, "661040666f6f"},
	{`base64.decode("Zm9v!YmFy")`, "666f6f626172"},
	{`base64.decode("Zg=")`, "error"},
	{`base64.decode("Z=")`, "error"},
	{`base64.decode("==")`, "error"},
	{`base64.decode("Zm9v\255YmFy")`, "666f6f626172"},
	{`base64.encode(12)`, "error"},
	{`base64.decode(12)`, "error"},
	{`base64.encode(nil)`, "error"},
	{`#base64.encode(string.rep("x", 1000))`, "1336"},
	{`base64.decode(base64.encode(string.rep("\7\200", 50))) == string.rep("\7\200", 50)`, "true"},
}

// require(".base64") answers as real aos's on every engine: the Lua
// engine's (Go) and our module's (Lua, module/base64.lua) are held to the
// same table, which the real modules, when given, are checked against.
func TestBase64IsAosOnEveryEngine(t *testing.T) {
	var code strings.Builder
	code.WriteString("local base64 = require('.base64')\nlocal out = {}\n")
	want := make([]string, len(base64Calls))
	for i, c := range base64Calls {
		want[i] = c.call + " = " + c.want
		code.WriteString("do local ok, v = pcall(function() return " + c.call + " end) out[#out + 1] = [[" + c.call + "]] .. ' = ' .. (not ok and 'error' or type(v) == 'string' and (v:gsub('.', function(c) return string.format('%02x', c:byte()) end)) or tostring(v)) end\n")
	}
	code.WriteString("return table.concat(out, '\\n')")
	onEveryAosEngine(t, "", func(t *testing.T, w adapters.World) {
		alice, _ := w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		require.NoError(t, err)
		require.Equal(t, want, strings.Split(evalOn(t, w, alice, pid, code.String()), "\n"))
	})
}
