package wasm

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mostao/conformance/adapters"
	"github.com/mostao/conformance/adapters/lua"
)

// random53Seeds are the seeds of the math.random table: small ones, a
// negative one, one past 32 bits (its low 32 bits are 5), a float, a
// numeral string and one of the size aos seeds with (Block-Height followed
// by a byte sum).
var random53Seeds = []string{"0", "1", "5", "42", "-7", "4294967301", "42.9", `"99"`, "1000012345"}

const random53Table = "../lua/testdata/random53.tsv"

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

// math.random on the Lua engine draws the numbers Lua 5.3.6 built with
// emscripten (musl's rand) draws for the same seed: the compiled module is
// that build, and both engines run the same draws, for math.random(),
// math.random(n), math.random(m, n) and the calls that error. The table
// random53.tsv pins the sequences (the Lua engine's own test reads it);
// MOSTAO_WRITE_RANDOM53=1 rewrites it from the compiled module.
func TestMathRandomMatchesCompiledLua(t *testing.T) {
	draws, err := os.ReadFile("../lua/testdata/random53-draws.lua")
	if err != nil {
		t.Fatal(err)
	}
	worlds, pids, alice := emptyProcesses(t)
	var table strings.Builder
	table.WriteString("# math.random of Lua 5.3.6 built with emscripten (musl rand), from the compiled module:\n")
	table.WriteString("# seed, then the output of testdata/random53-draws.lua. Written by TestMathRandomMatchesCompiledLua.\n")
	want := readRandom53Table(t)
	for _, seed := range random53Seeds {
		code := "local SEED = " + seed + "\n" + string(draws)
		got := map[string]string{}
		for name, w := range worlds {
			got[name] = evalOn(t, w, alice, pids[name], code)
		}
		if got["lua"] != got["wasm"] {
			t.Errorf("seed %s:\n lua  %s\n wasm %s", seed, got["lua"], got["wasm"])
		}
		if w, ok := want[seed]; ok && w != got["wasm"] && os.Getenv("MOSTAO_WRITE_RANDOM53") == "" {
			t.Errorf("seed %s: the compiled module drew\n %s\nthe table has\n %s", seed, got["wasm"], w)
		}
		fmt.Fprintf(&table, "%s\t%s\n", seed, got["wasm"])
	}
	if os.Getenv("MOSTAO_WRITE_RANDOM53") != "" {
		if err := os.WriteFile(random53Table, []byte(table.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if len(want) != len(random53Seeds) {
		t.Fatalf("the table has %d seeds, the test %d", len(want), len(random53Seeds))
	}
}

// Both engines seed math.random on the first message as aos does (its
// Block-Height followed by the byte sum of Owner, Module and Id) and set
// Seeded: a fresh process's first draws are those of math.randomseed with
// that number, and the same on both engines.
func TestMathRandomSeededAsAOSOnBothEngines(t *testing.T) {
	worlds, pids, alice := emptyProcesses(t)
	draw := `return string.format("%d %d %d", math.random() * 2147483648, math.random(100), math.random(-5, 5))`
	got := map[string]string{}
	for name, w := range worlds {
		sum := 0
		for _, b := range []byte(alice + testModuleID + pids[name]) {
			sum += int(b)
		}
		seed := strconv.FormatInt(BlockHeight, 10) + strconv.Itoa(sum)
		first := evalOn(t, w, alice, pids[name], `return tostring(Seeded) .. " " .. (function() `+draw+` end)()`)
		again := evalOn(t, w, alice, pids[name], `math.randomseed(`+seed+`) return "true " .. (function() `+draw+` end)()`)
		if first != again {
			t.Errorf("%s: the first draws %q are not those of seed %s: %q", name, first, seed, again)
		}
		got[name] = first
	}
	if pids["lua"] == pids["wasm"] && got["lua"] != got["wasm"] {
		t.Errorf("same process id, different first draws: lua %q, wasm %q", got["lua"], got["wasm"])
	}
}

func readRandom53Table(t *testing.T) map[string]string {
	t.Helper()
	text, err := os.ReadFile(random53Table)
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("MOSTAO_WRITE_RANDOM53") != "" {
			return nil
		}
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(text), "\n") {
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		seed, out, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: %q has no tab", random53Table, line)
		}
		rows[seed] = out
	}
	return rows
}

// On the real aos 2.0.4 and 2.0.6 modules math.random is not Lua's: it is
// aos's function over .chance, seeded on the first message as above, so a
// fresh process's draws are those of .chance (math.random(n) is
// chance.integer(1, n), math.random() and a call with three arguments
// chance.random()), which the Lua engine's .chance gives for the same
// process. The engines' math.random still draws from Lua 5.3's C library
// (docs/engine.md lists the difference).
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
