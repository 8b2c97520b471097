package lua

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters/aonet/aonettest"
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
	table := aonettest.ReadTSV(t, "testdata/lua53-expressions.tsv", 2)
	listed := map[string][]string{}
	for _, row := range aonettest.ReadTSV(t, "testdata/lua53-differences.tsv", 3) {
		listed[row[0]] = row
	}
	if len(table) < 300 {
		t.Fatalf("the table has %d expressions", len(table))
	}
	w, alice, pid := newTestWorld(t, ``)
	got := aonettest.Lua53Results(t, w, alice, pid, "testdata/lua53-render.lua", table, 100)
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
