package lua

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestLua53ExpressionTable runs every expression of
// testdata/lua53-expressions.tsv (what real Lua 5.3.6 gives, made by
// scripts/lua53-expressions.sh) on the engine and compares. An entry the
// engine does not reproduce must be listed in testdata/lua53-differences.tsv
// with the engine's result and the reason; the test fails when an unlisted
// entry differs, and when a listed one now agrees or gives another result,
// so the list can only shrink. Errors are compared as errors (their texts
// name chunks differently). LUA53_DIFFERENCES=update rewrites the list from
// this run, keeping the reasons already written.
func TestLua53ExpressionTable(t *testing.T) {
	table := readTSV(t, "testdata/lua53-expressions.tsv", 2)
	listed := map[string][]string{}
	for _, row := range readTSV(t, "testdata/lua53-differences.tsv", 3) {
		listed[row[0]] = row
	}
	if len(table) < 300 {
		t.Fatalf("the table has %d expressions", len(table))
	}
	render, err := os.ReadFile("testdata/lua53-render.lua")
	if err != nil {
		t.Fatal(err)
	}
	lua53Render := string(render)
	w, alice, pid := newTestWorld(t, ``)
	got := map[string]string{}
	const batch = 100
	for i := 0; i < len(table); i += batch {
		rows := table[i:min(i+batch, len(table))]
		var code strings.Builder
		code.WriteString(lua53Render)
		for _, row := range rows {
			fmt.Fprintf(&code, "run([=====[%s]=====])\n", row[0])
		}
		code.WriteString("return table.concat(out, '\\n')")
		lines := strings.Split(eval(t, w, alice, pid, code.String()), "\n")
		if len(lines) != len(rows) {
			t.Fatalf("%d results for %d expressions", len(lines), len(rows))
		}
		for j, row := range rows {
			got[row[0]] = lines[j]
		}
	}
	var differ [][]string
	for _, row := range table {
		expr, want, have := row[0], row[1], got[row[0]]
		same := have == want || strings.HasPrefix(want, "error ") && strings.HasPrefix(have, "error ")
		l, isListed := listed[expr]
		switch {
		case same && isListed:
			t.Errorf("%s: listed as differing, now gives Lua 5.3's %q: remove it from the list", expr, want)
		case !same && !isListed:
			t.Errorf("%s: Lua 5.3 gives %q, the engine %q", expr, want, have)
		case !same && l[1] != have:
			t.Errorf("%s: listed as giving %q, now gives %q (Lua 5.3: %q)", expr, l[1], have, want)
		}
		if !same {
			reason := "TODO"
			if isListed {
				reason = l[2]
			}
			differ = append(differ, []string{expr, have, reason})
		}
	}
	for expr := range listed {
		if _, ok := got[expr]; !ok {
			t.Errorf("%s: listed as differing but not in the table", expr)
		}
	}
	t.Logf("%d expressions, %d agree with Lua 5.3, %d listed as differing", len(table), len(table)-len(differ), len(differ))
	if os.Getenv("LUA53_DIFFERENCES") == "update" {
		var b strings.Builder
		b.WriteString("# expression\tthe engine's result\twhy it differs from Lua 5.3 (TestLua53ExpressionTable)\n")
		sort.SliceStable(differ, func(i, j int) bool { return differ[i][2] < differ[j][2] })
		for _, d := range differ {
			b.WriteString(strings.Join(d, "\t") + "\n")
		}
		if err := os.WriteFile("testdata/lua53-differences.tsv", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTSV reads tab-separated rows of n fields, skipping "# " comments; a
// missing file is no rows.
func readTSV(t *testing.T, path string, n int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "# " starts a comment; "#'abc'" is an expression.
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "# ") {
			continue
		}
		row := strings.SplitN(sc.Text(), "\t", n)
		if len(row) != n {
			t.Fatalf("%s: %q has %d fields, want %d", path, sc.Text(), len(row), n)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}
