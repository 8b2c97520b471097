package lua

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// sqliteWorld spawns a process of the aos-sqlite profile that opens one
// database with a table t(k TEXT PRIMARY KEY, v INTEGER).
func sqliteWorld(t *testing.T, policy StatePolicy) (*World, string, string) {
	t.Helper()
	return newTestWorld(t, `
sqlite3 = require("lsqlite3")
db = sqlite3.open_memory()
db:exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
`, func(_ *Options, m *Module) { m.Profile = ProfileAOSSQLite; m.Policy = policy })
}

// TestLSQLite3API states lsqlite3's documented behaviour
// (http://lua.sqlite.org/), one expression and its printed result a line.
func TestLSQLite3API(t *testing.T) {
	w, alice, pid := sqliteWorld(t, PolicyCU)
	cases := []struct{ code, want string }{
		// Result codes are SQLite's.
		{`print(sqlite3.OK, sqlite3.ERROR, sqlite3.ABORT, sqlite3.CONSTRAINT, sqlite3.MISUSE, sqlite3.ROW, sqlite3.DONE)`, "0 1 4 19 21 100 101"},
		// exec returns OK; a callback gets udata, the column count, the
		// values as text and the names.
		{`print(db:exec("INSERT INTO t VALUES ('a', 1), ('b', 2)"), db:changes(), db:last_insert_rowid())`, "0 2 2"},
		{`local out = {} print(db:exec("SELECT k, v, NULL AS n FROM t ORDER BY k", function(u, n, vals, names) table.insert(out, u .. n .. vals[1] .. type(vals[2]) .. vals[2] .. tostring(vals[3]) .. names[1] .. names[3]) return 0 end, "u")) print(table.concat(out, ","))`,
			"0\nu3astring1nilkn,u3bstring2nilkn"},
		// A callback that returns anything but 0 (non-zero, nothing, or an
		// error) aborts: ABORT.
		{`local n = 0 print(db:exec("SELECT * FROM t", function() n = n + 1 return 1 end), n, db:errcode())`, "4 1 4"},
		{`local n = 0 print(db:exec("SELECT * FROM t", function() n = n + 1 end), n)`, "4 1"},
		{`local n = 0 print(db:exec("SELECT * FROM t", function() n = n + 1 error("no") end), n)`, "4 1"},
		// Errors: the code, and errmsg/errcode tell why.
		{`print(db:exec("INSERT INTO t VALUES ('a', 9)"), db:errcode(), db:errmsg())`, "19 19 UNIQUE constraint failed: t.k"},
		{`print(db:exec("SELEKT 1"), db:errmsg())`, `1 near "SELEKT": syntax error`},
		// prepare, bind_names, step, get_value, reset, finalize.
		{`local s = db:prepare("SELECT v FROM t WHERE k = :k") print(s:bind_names({k = "b"}), s:step(), s:get_value(0), s:step(), s:reset(), s:finalize(), s:isopen())`, "0 100 2 101 0 0 false"},
		// bind by index, bind_values; step on a constraint error.
		{`local s = db:prepare("INSERT INTO t VALUES (?, ?)") s:bind(1, "c") s:bind(2, 3) print(s:step(), s:reset(), s:bind_values("c", 4), s:step(), db:errcode()) s:finalize()`, "101 0 0 19 19"},
		{`local s = db:prepare("INSERT INTO t VALUES (?, ?)") print(pcall(s.bind_values, s, "only one")) s:finalize()`, "false incorrect number of parameters to bind (1 given, 2 to bind)"},
		// Misuse raises as lsqlite3 does.
		{`local s = db:prepare("SELECT ?") print(pcall(s.get_value, s, 0)) print(pcall(s.bind, s, 2, 1)) s:step() print(pcall(s.get_value, s, 1)) s:finalize() print((select(2, pcall(s.finalize, s)):find("attempt to use closed sqlite virtual machine", 1, true)) ~= nil)`,
			"false misuse of function\nfalse bind index out of range [1..1]\nfalse index out of range [0..0]\ntrue"},
		// Misuse raised in Lua code has its position, as luaL_error gives it.
		{`print(pcall(function() local s = db:prepare("SELECT ?") s:bind(1, {}) end))`, `false [string "aos"]:1: index (1) - invalid data type for bind (table)`},
		// prepare of bad SQL: nil and the code.
		{`print(db:prepare("SELECT nope FROM t"))`, "nil 1"},
		// nrows: a table by column name; rows: by position; urows: values.
		{`for r in db:nrows("SELECT k, v FROM t ORDER BY k") do io_ = (io_ or "") .. r.k .. r.v end print(io_)`, "a1b2c3"},
		{`local o = "" for r in db:rows("SELECT k, v FROM t ORDER BY k DESC") do o = o .. r[1] .. r[2] end print(o)`, "c3b2a1"},
		{`local o = "" for k, v in db:urows("SELECT k, v FROM t ORDER BY v") do o = o .. k .. v end print(o)`, "a1b2c3"},
		// A prepared statement's nrows after bind_names, twice: it resets at the end.
		{`local s = db:prepare("SELECT k FROM t WHERE v >= :min ORDER BY k") s:bind_names({min = 2}) local o = "" for r in s:nrows() do o = o .. r.k end for r in s:nrows() do o = o .. r.k end s:finalize() print(o)`, "bcbc"},
		// nrows with bad SQL raises errmsg.
		{`print(pcall(function() for r in db:nrows("SELECT * FROM nowhere") do end end))`, "false no such table: nowhere"},
		// NULL is nil (absent from an nrows row); booleans bind as 1 and 0;
		// REAL stays fractional; BLOBs are strings.
		{`for r in db:nrows("SELECT NULL AS a, 1.5 AS b, x'6869' AS c") do print(r.a, r.b, r.c) end`, "nil 1.5 hi"},
		{`local s = db:prepare("SELECT ?, ?, typeof(?)") s:bind_values(true, false, 2.5) s:step() print(s:get_value(0), s:get_value(1), s:get_value(2)) s:finalize()`, "1 0 real"},
		// Integers: whole numbers bind as INTEGER. An INTEGER a float64
		// holds exactly is a number; past that (beyond 2^53) it is its
		// decimal text, as lsqlite3 gives it where Lua numbers are floats,
		// and binding the text back stores the same integer.
		{`for a, b, ty in db:urows("SELECT 9007199254740992, 9007199254740993, typeof(3)") do print(type(a), type(b), b, ty) end`, "number string 9007199254740993 integer"},
		{`db:exec("CREATE TABLE big (n INTEGER)") local s = db:prepare("INSERT INTO big VALUES (?)") s:bind(1, "9223372036854775807") s:step() s:finalize() for n, ty in db:urows("SELECT n, typeof(n) FROM big") do print(n, ty) end`, "9223372036854775807 integer"},
		// changes, last_insert_rowid, close.
		{`db:exec("UPDATE t SET v = v + 10") print(db:changes())`, "3"},
		{`local d = sqlite3.open_memory() local was, rc = d:isopen(), d:close() local ok, err = pcall(d.exec, d, "SELECT 1") print(was, rc, d:isopen(), ok, err:find("attempt to use closed sqlite database", 1, true) ~= nil)`, "true 0 false false true"},
		// Files: open refuses anything but :memory:, with SQLite's text.
		{`print(sqlite3.open("/tmp/x.db"))`, "nil 14 unable to open database file"},
		{`print(sqlite3.complete("SELECT 1;"), sqlite3.complete("SELECT 'a;"))`, "true false"},
		// The clock is the message's Timestamp (os.time()), never the host's:
		// 'now', a missing time value and CURRENT_* all read it.
		{`for a, b, c, d, e, f in db:urows("SELECT datetime('now'), CURRENT_TIMESTAMP, date(), strftime('%s', 'NOW') * 1000, unixepoch(), datetime('2020-01-01', '+1 day')") do local s = math.floor(os.time() / 1000) print(a == b, c, d == s * 1000, e == s, f) end`, "true 2023-11-14 true true 2020-01-02 00:00:00"},
		{`for a in db:urows("SELECT datetime('2020-01-01 12:00', 'localtime', 'utc')") do print(a) end`, "2020-01-01 12:00:00"},
		// random() is seeded by the process: the same on every run.
		{`for r in db:urows("SELECT random() = random()") do print(r) end`, "0"},
	}
	for _, c := range cases {
		got := printed(eval(t, w, alice, pid, c.code))
		if got != c.want {
			t.Errorf("%s\n got: %q\nwant: %q", c.code, got, c.want)
		}
	}
}

// TestLSQLite3OnlyInItsProfile: require("lsqlite3") fails in the other
// profiles, as on an aos without the sqlite module.
func TestLSQLite3OnlyInItsProfile(t *testing.T) {
	for _, p := range []Profile{ProfileCurrent, ProfileAOS204} {
		w, alice, pid := newTestWorld(t, ``, func(_ *Options, m *Module) { m.Profile = p })
		tr := send(t, w, alice, pid, "Eval", `require("lsqlite3")`)
		if r := tr.Deliveries[0].Result; !r.Failed() || !strings.Contains(r.Error, "lsqlite3") {
			t.Errorf("%s: require(\"lsqlite3\") = %+v, want an error naming the module", p, r)
		}
	}
}

// printed is print's output with its tabs as spaces and no final newline.
func printed(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\t", " "))
}

func count(t *testing.T, w *World, alice, pid string) string {
	t.Helper()
	return printed(eval(t, w, alice, pid, `for n, s in db:urows("SELECT count(*), coalesce(sum(v), 0) FROM t") do print(n, s) end`))
}

// TestLSQLite3DryRunLeavesTheDatabase: a dryrun that writes (rows, a
// table, a dropped table) leaves the database as it was, and a later
// message sees none of it.
func TestLSQLite3DryRunLeavesTheDatabase(t *testing.T) {
	w, alice, pid := sqliteWorld(t, PolicyCU)
	eval(t, w, alice, pid, `db:exec("INSERT INTO t VALUES ('a', 1)")`)
	res := dry(t, w, alice, pid, `db:exec("INSERT INTO t VALUES ('b', 2)") db:exec("CREATE TABLE u (x)") db:exec("DELETE FROM t WHERE k = 'a'") print(db:changes())`)
	if res.Failed() || printed(res.Output) != "1" {
		t.Fatalf("dryrun: %+v", res)
	}
	if got := count(t, w, alice, pid); got != "1 1" {
		t.Errorf("after the dryrun the table holds %q, want 1 row summing 1", got)
	}
	if out := printed(eval(t, w, alice, pid, `print(db:exec("CREATE TABLE u (x)"))`)); out != "0" {
		t.Errorf("the dryrun's table survived: %q", out)
	}
	// A statement prepared and bound before is still usable as it was.
	eval(t, w, alice, pid, `q = db:prepare("SELECT v FROM t WHERE k = :k") q:bind_names({k = "a"})`)
	dry(t, w, alice, pid, `q:bind_names({k = "zz"}) q:finalize()`)
	if out := printed(eval(t, w, alice, pid, `print(q:isopen(), q:step(), q:get_value(0)) q:reset()`)); out != "true 100 1" {
		t.Errorf("the statement after a dryrun that rebound and finalized it: %q", out)
	}
}

// TestLSQLite3ErrorRollsBackTheDatabase: under PolicyCU a message that
// writes and then errors leaves the database as it was, also after more
// than a checkpoint's worth of messages (restore plus replay); under
// PolicyModule the writes made before the error are kept, as Lua state is.
func TestLSQLite3ErrorRollsBackTheDatabase(t *testing.T) {
	w, alice, pid := sqliteWorld(t, PolicyCU)
	for i := 0; i < 40; i++ {
		eval(t, w, alice, pid, `db:exec("INSERT INTO t VALUES ('k`+strings.Repeat("x", i)+`', 1)")`)
	}
	tr := send(t, w, alice, pid, "Eval", `db:exec("INSERT INTO t VALUES ('bad', 100)") error("boom")`)
	if !tr.Deliveries[0].Result.Failed() {
		t.Fatal("the erroring message did not fail")
	}
	if got := count(t, w, alice, pid); got != "40 40" {
		t.Errorf("PolicyCU: after the error the table holds %q, want 40 rows summing 40", got)
	}
	// random() replays the same: the rollback's replay rebuilt the same rows.
	eval(t, w, alice, pid, `db:exec("CREATE TABLE r AS SELECT random() AS x")`)
	before := eval(t, w, alice, pid, `for x in db:urows("SELECT x FROM r") do print(string.format("%.0f", x)) end`)
	send(t, w, alice, pid, "Eval", `error("again")`)
	after := eval(t, w, alice, pid, `for x in db:urows("SELECT x FROM r") do print(string.format("%.0f", x)) end`)
	if before != after {
		t.Errorf("random() differed after a rollback: %q then %q", before, after)
	}

	wm, am, pm := sqliteWorld(t, PolicyModule)
	send(t, wm, am, pm, "Eval", `db:exec("INSERT INTO t VALUES ('kept', 5)") error("boom")`)
	if got := count(t, wm, am, pm); got != "1 5" {
		t.Errorf("PolicyModule: after the handler error the table holds %q, want the row written before it", got)
	}
}

// TestLSQLite3BudgetStopsSQL: a WITH RECURSIVE that never ends stops at the
// work budget, as a compute limit, and a pcall cannot keep it going; the
// database is left as it was.
func TestLSQLite3BudgetStopsSQL(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
sqlite3 = require("lsqlite3")
db = sqlite3.open_memory()
db:exec("CREATE TABLE t (x)")
`, func(o *Options, m *Module) { m.Profile = ProfileAOSSQLite; o.Limits.MaxWork = 2_000_000 })
	for _, code := range []string{
		`db:exec("INSERT INTO t VALUES (1)") db:exec("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")`,
		`db:exec("INSERT INTO t VALUES (1)") print(pcall(function() for r in db:nrows("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c") do end end)) while true do end`,
	} {
		tr := send(t, w, alice, pid, "Eval", code)
		r := tr.Deliveries[0].Result
		if r.ErrorKind != adapters.ErrorComputeLimit {
			t.Errorf("%s\n gave %+v, want a compute limit", code, r)
		}
	}
	if out := printed(eval(t, w, alice, pid, `for n in db:urows("SELECT count(*) FROM t") do print(n) end`)); out != "0" {
		t.Errorf("after the stopped messages t holds %q rows, want 0", out)
	}
}

// TestLSQLite3ClosesUnreachableDatabases: a process may have eight
// databases open; those it dropped are closed at the next snapshot, so it
// may open more.
func TestLSQLite3ClosesUnreachableDatabases(t *testing.T) {
	w, alice, pid := sqliteWorld(t, PolicyCU)
	if out := printed(eval(t, w, alice, pid, `for i = 1, 7 do local d = sqlite3.open_memory() d:exec("CREATE TABLE x (y)") end print(sqlite3.open_memory())`)); out != "nil 14 a process may have 8 databases open at once on this engine" {
		t.Fatalf("a ninth database: %q", out)
	}
	dry(t, w, alice, pid, `return 1`) // a snapshot: the seven dropped ones are closed
	if out := printed(eval(t, w, alice, pid, `print(sqlite3.open_memory() ~= nil, select(2, db:exec("SELECT 1")) == nil)`)); out != "true true" {
		t.Errorf("after the snapshot: %q", out)
	}
	if n := len(w.Process(pid).sql.dbs); n != 2 {
		t.Errorf("%d databases registered, want the process's own and the new one", n)
	}
}

// TestLSQLite3RefusesTheFileSystem: SQL cannot reach the host's files.
func TestLSQLite3RefusesTheFileSystem(t *testing.T) {
	dir := t.TempDir()
	w, alice, pid := sqliteWorld(t, PolicyCU)
	target := filepath.Join(dir, "x.db")
	for _, sql := range []string{
		"ATTACH DATABASE '" + target + "' AS x",
		"ATTACH DATABASE 'file:" + target + "?vfs=unix' AS x",
		"VACUUM INTO '" + target + "'",
		"SELECT load_extension('" + target + "')",
		"SELECT writefile('" + target + "', 'x')",
		"PRAGMA temp_store = FILE",
		"PRAGMA max_page_count = 100000000",
	} {
		out := printed(eval(t, w, alice, pid, `print(db:exec([[`+sql+`]]), db:errmsg())`))
		if strings.HasPrefix(out, "0 ") {
			t.Errorf("%s: succeeded (%s)", sql, out)
		}
		t.Logf("%s: %s", sql, out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("SQL created files on the host: %v", entries)
	}
	// Reading pragmas and setting harmless ones works.
	if out := printed(eval(t, w, alice, pid, `print(db:exec("PRAGMA foreign_keys = ON"), select(1, db:urows("PRAGMA foreign_keys")()))`)); out != "0 1" {
		t.Errorf("PRAGMA foreign_keys: %q", out)
	}
}

// TestLSQLite3DatabaseSizeIsBounded: the database counts toward
// MaxStateBytes at each snapshot: a process whose database outgrows it
// fails with a memory limit.
func TestLSQLite3DatabaseSizeIsBounded(t *testing.T) {
	w, alice, pid := newTestWorld(t, `
sqlite3 = require("lsqlite3")
db = sqlite3.open_memory()
db:exec("CREATE TABLE t (x)")
`, func(o *Options, m *Module) { m.Profile = ProfileAOSSQLite; o.Limits.MaxStateBytes = 1 << 20 })
	eval(t, w, alice, pid, `db:exec("INSERT INTO t SELECT randomblob(1000) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000) SELECT x FROM c)")`)
	res, err := w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Data: `print(1)`, Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorKind != adapters.ErrorMemoryLimit {
		t.Errorf("a 3 MB database under a 1 MiB state bound: %+v, want a memory limit", res)
	}
}
