package wasm

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// evalOn evaluates code as an Eval from the owner and returns its output.
func evalOn(t *testing.T, w adapters.World, owner, pid, code string) string {
	t.Helper()
	tr, err := w.Send(context.Background(), adapters.Message{From: owner, Target: pid, Data: code,
		Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := tr.Deliveries[0].Result; r.Failed() {
		t.Fatalf("%s: %s", code, r.Error)
	} else {
		return r.Output
	}
	return ""
}

// emptyProcesses spawns a process with no code of its own on each engine.
func emptyProcesses(t *testing.T) (map[string]adapters.World, map[string]string, string) {
	return spawnOnBoth(t, testModuleID, "test.lua", "")
}

// Both engines seed .chance on the first message as aos does (its
// Block-Height followed by the byte sum of Owner, Module and Id), set
// Seeded, and make math.random draw from it: a fresh process's first draws
// are those of chance.seed with that number, and the same on both engines.
func TestMathRandomSeededAsAOSOnBothEngines(t *testing.T) {
	worlds, pids, alice := emptyProcesses(t)
	draw := `return string.format("%d %d %d", math.random() * 4294967296, math.random(100), math.random(-5, 5))`
	got := map[string]string{}
	for name, w := range worlds {
		sum := 0
		for _, b := range []byte(alice + testModuleID + pids[name]) {
			sum += int(b)
		}
		seed := strconv.FormatInt(BlockHeight, 10) + strconv.Itoa(sum)
		first := evalOn(t, w, alice, pids[name], `return tostring(Seeded) .. " " .. (function() `+draw+` end)()`)
		again := evalOn(t, w, alice, pids[name], `local c = require(".chance") c.seed(`+seed+`)
local math = {random = function(m, n) if m == nil then return c.random() elseif n == nil then return c.integer(1, m) end return c.integer(m, n) end}
return "true " .. (function() `+draw+` end)()`)
		if first != again {
			t.Errorf("%s: the first draws %q are not those of seed %s: %q", name, first, seed, again)
		}
		got[name] = first
	}
	if pids["lua"] == pids["wasm"] && got["lua"] != got["wasm"] {
		t.Errorf("same process id, different first draws: lua %q, wasm %q", got["lua"], got["wasm"])
	}
}

// On the real aos 2.0.4 and 2.0.6 modules math.random is not Lua's: it is
// aos's function over .chance, seeded on the first message as above, so a
// fresh process's draws are those of .chance (math.random(n) is
// chance.integer(1, n), math.random() and a call with three arguments
// chance.random()), which the Lua engine's .chance gives for the same
// process. TestMathRandomIsAosChanceOnEveryEngine checks the engines'
// math.random against the same numbers.
func TestRealAosMathRandomDrawsFromChance(t *testing.T) {
	const draws = `return A(1, 1000000) .. " " .. A(10) .. " " .. A(-5, 5) .. " " .. string.format("%.14g", B()) .. " " .. string.format("%.14g", C())`
	lw, err := lua.New(lua.Options{Modules: map[string]lua.Module{testModuleID: {Name: "test.lua"}}})
	require.NoError(t, err)
	defer lw.Close()
	alice, _ := lw.Wallet("alice")
	pid, err := lw.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
	require.NoError(t, err)
	want := evalOn(t, lw, alice, pid, `local c = require(".chance")
local function A(m, n) if n == nil then m, n = 1, m end return c.integer(m, n) end
local function B() return c.random() end
local C = B
`+draws)
	for width, bin := range realAosModules(t) {
		t.Run(width, func(t *testing.T) {
			w, err := New(Options{Binary: bin, Modules: map[string]Module{testModuleID: {Name: "test.lua"}}})
			require.NoError(t, err)
			defer w.Close()
			alice, _ := w.Wallet("alice")
			rpid, err := w.Spawn(context.Background(), adapters.SpawnRequest{Module: testModuleID, From: alice})
			require.NoError(t, err)
			require.Equal(t, pid, rpid, "the same process on both engines, so the same seed")
			require.Equal(t, want, evalOn(t, w, alice, rpid, `local A, B = math.random, math.random
local function C() return math.random(1, 2, 3) end
`+draws))
		})
	}
}
