package wasm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// TestJSONMatchesLuaEngine evaluates json.encode and json.decode on both
// engines: the same text, or the same error (with its position), for each.
func TestJSONMatchesLuaEngine(t *testing.T) {
	exprs := []string{
		`json.encode({a = {1, 2.5, "x\n\"\1\127"}, b = {}, c = true, [""] = false, ["é"] = "ü"})`,
		`json.encode({{}, {{}}, "", 0, -0.5, 1e15, 1e-5, 123456789012345})`,
		`json.encode(2^53) .. json.encode(1/3) .. json.encode(-1e300)`,
		`json.encode("\0\31 /")`,
		`json.encode(nil) .. json.encode(false)`,
		`(function() local t = {} t.t = t return json.encode(t) end)()`,
		`json.encode({1, nil, 3})`,
		`json.encode({1, x = 2})`,
		`json.encode({[1.5] = 1})`,
		`json.encode({print})`,
		`json.encode(0/0)`,
		`json.encode(-1/0)`,
		`json.encode(json.decode('{"a":[1,2,{"b":null}],"c":"\\u00e9\\ud83d\\ude00","d":true}'))`,
		`json.decode('[1,2')`,
		`json.decode('{"a" 1}')`,
		`json.decode('"\\x"')`,
		`json.decode('"\\u12x4"')`,
		`json.decode('"\\ud83d\\u12"')`,
		`json.decode('["a", "b\n]')`,
		`json.decode('{"a": [1, 2, 3], "b": tru}')`,
		`json.decode('{"a": 1} x')`,
		`json.decode('-')`,
		`json.decode(string.rep("[", 300))`,
		`json.decode('  7 ')`,
		`json.decode('nul')`,
	}
	lw, err := lua.New(lua.Options{Modules: map[string]lua.Module{testModuleID: {Name: "t.lua", Source: `json = require("json")`}}})
	require.NoError(t, err)
	defer lw.Close()
	ww, err := New(Options{Modules: map[string]Module{testModuleID: {Name: "t.lua", Source: `json = require("json")`}}})
	require.NoError(t, err)
	defer ww.Close()
	pids := map[adapters.World]string{}
	var alice string
	for _, w := range []adapters.World{lw, ww} {
		alice, _ = w.Wallet("alice")
		pid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
		require.NoError(t, err)
		pids[w] = pid
	}
	for _, e := range exprs {
		var got [2]adapters.Result
		for i, w := range []adapters.World{lw, ww} {
			// In parentheses: not a tail call, so errors name the line of the
			// caller on both engines.
			tr := send(t, w, alice, pids[w], "Eval", "return ("+e+")")
			got[i] = tr.Deliveries[0].Result
		}
		require.Equal(t, got[0].Output, got[1].Output, e)
		// Both engines name the chunk eval loads `[string "aos"]`, as aos
		// does.
		require.Equal(t, got[0].Error, got[1].Error, e)
	}
}
