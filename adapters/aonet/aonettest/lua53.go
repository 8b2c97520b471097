package aonettest

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// ReadTSV reads tab-separated rows of n fields, skipping "# " comments; a
// missing file is no rows.
func ReadTSV(t testing.TB, path string, n int) [][]string {
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

// Lua53Results evaluates the expression of each row of table (the first
// field) on process pid by an Eval from its owner, batch expressions a
// message, each rendered by the Lua code in the file render (which defines
// run and out), and returns what each expression gave. The engines compare
// it with real Lua 5.3's results, the table's second field.
func Lua53Results(t testing.TB, w adapters.World, owner, pid, render string, table [][]string, batch int) map[string]string {
	t.Helper()
	src, err := os.ReadFile(render)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i := 0; i < len(table); i += batch {
		rows := table[i:min(i+batch, len(table))]
		var code strings.Builder
		code.Write(src)
		for _, row := range rows {
			fmt.Fprintf(&code, "run([=====[%s]=====])\n", row[0])
		}
		code.WriteString("return table.concat(out, '\\n')")
		d := Send(t, w, owner, pid, "Eval", code.String()).Deliveries[0]
		if d.Result.Failed() {
			t.Fatalf("eval: %s", d.Result.Error)
		}
		lines := strings.Split(d.Result.Output, "\n")
		if len(lines) != len(rows) {
			t.Fatalf("%d results for %d expressions", len(lines), len(rows))
		}
		for j, row := range rows {
			got[row[0]] = lines[j]
		}
	}
	return got
}
