package wasm

import (
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters/aonet/aonettest"
)

// TestLua53ExpressionTable runs every expression of the Lua engine's table
// of real Lua 5.3.6 results (adapters/lua/testdata/lua53-expressions.tsv)
// on the compiled module, which is Lua 5.3.6: every one must agree, so the
// wasm engine is the reference for numeric semantics that ao-runtime.md
// says it is. Errors are compared as errors, as the Lua engine's test does.
func TestLua53ExpressionTable(t *testing.T) {
	table := aonettest.ReadTSV(t, "../lua/testdata/lua53-expressions.tsv", 2)
	if len(table) < 300 {
		t.Fatalf("the table has %d expressions", len(table))
	}
	w, alice, pid := newTestWorld(t, ``)
	// The Lua engine's test runs the same renderer.
	got := aonettest.Lua53Results(t, w, alice, pid, "../lua/testdata/lua53-render.lua", table, 200)
	agree := 0
	for _, row := range table {
		want, have := row[1], got[row[0]]
		if have == want || strings.HasPrefix(want, "error ") && strings.HasPrefix(have, "error ") {
			agree++
			continue
		}
		t.Errorf("%s: Lua 5.3 gives %q, the module %q", row[0], want, have)
	}
	t.Logf("%d expressions, %d agree with Lua 5.3", len(table), agree)
}
