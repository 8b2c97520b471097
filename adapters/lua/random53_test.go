package lua

import (
	"os"
	"strings"
	"testing"
)

// math.random draws what Lua 5.3.6 built with emscripten (musl's rand)
// draws for the same seed: testdata/random53.tsv was written from the
// compiled module (adapters/wasm, TestMathRandomMatchesCompiledLua, which
// also runs both engines side by side).
func TestMathRandomMatchesTable(t *testing.T) {
	draws, err := os.ReadFile("testdata/random53-draws.lua")
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile("testdata/random53.tsv")
	if err != nil {
		t.Fatal(err)
	}
	w, alice, pid := newTestWorld(t, ``)
	rows := 0
	for _, line := range strings.Split(string(table), "\n") {
		if line == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		seed, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%q has no tab", line)
		}
		rows++
		if got := eval(t, w, alice, pid, "local SEED = "+seed+"\n"+string(draws)); got != want {
			t.Errorf("seed %s:\n got  %s\n want %s", seed, got, want)
		}
	}
	if rows < 5 {
		t.Fatalf("the table has %d seeds", rows)
	}
}
