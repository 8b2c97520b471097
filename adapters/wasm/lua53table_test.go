package wasm

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestLua53ExpressionTable runs every expression of the Lua engine's table
// of real Lua 5.3.6 results (adapters/lua/testdata/lua53-expressions.tsv)
// on the compiled module, which is Lua 5.3.6: every one must agree, so the
// wasm engine is the reference for numeric semantics that ao-runtime.md
// says it is. Errors are compared as errors, as the Lua engine's test does.
func TestLua53ExpressionTable(t *testing.T) {
	f, err := os.Open("../lua/testdata/lua53-expressions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var table [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "# ") {
			continue
		}
		row := strings.SplitN(sc.Text(), "\t", 2)
		if len(row) != 2 {
			t.Fatalf("%q has %d fields", sc.Text(), len(row))
		}
		table = append(table, row)
	}
	if len(table) < 300 {
		t.Fatalf("the table has %d expressions", len(table))
	}
	// The Lua engine's test runs the same renderer.
	render, err := os.ReadFile("../lua/testdata/lua53-render.lua")
	if err != nil {
		t.Fatal(err)
	}
	lua53Render := string(render)
	w, alice, pid := newTestWorld(t, ``)
	const batch = 200
	agree := 0
	for i := 0; i < len(table); i += batch {
		rows := table[i:min(i+batch, len(table))]
		var code strings.Builder
		code.WriteString(lua53Render)
		for _, row := range rows {
			fmt.Fprintf(&code, "run([=====[%s]=====])\n", row[0])
		}
		code.WriteString("return table.concat(out, '\\n')")
		d := send(t, w, alice, pid, "Eval", code.String()).Deliveries[0]
		if d.Result.Failed() {
			t.Fatalf("eval: %s", d.Result.Error)
		}
		lines := strings.Split(d.Result.Output, "\n")
		if len(lines) != len(rows) {
			t.Fatalf("%d results for %d expressions", len(lines), len(rows))
		}
		for j, row := range rows {
			want, have := row[1], lines[j]
			if have == want || strings.HasPrefix(want, "error ") && strings.HasPrefix(have, "error ") {
				agree++
				continue
			}
			t.Errorf("%s: Lua 5.3 gives %q, the module %q", row[0], want, have)
		}
	}
	t.Logf("%d expressions, %d agree with Lua 5.3", len(table), agree)
}
