package lua

import (
	"context"
	"fmt"
	"testing"

	"github.com/mostao/conformance/adapters"
)

// BenchmarkSQLiteState measures what a database costs the state rules, on
// a database of 10,000 rows (about 600 KB): a dryrun that only reads (no
// copy), a dryrun that writes (the image is written back), a snapshot
// after a write (the image is taken), and, for comparison, undoing the
// same write with a savepoint inside SQLite.
func BenchmarkSQLiteState(b *testing.B) {
	w, alice, pid := newTestWorld(b, `
sqlite3 = require("lsqlite3")
db = sqlite3.open_memory()
db:exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
db:exec("INSERT INTO t SELECT x, hex(randomblob(24)) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) SELECT x FROM c)")
`, func(_ *Options, m *Module) { m.Profile = ProfileAOSSQLite })
	p := w.Process(pid)
	dryrun := func(code string) {
		res, err := w.DryRun(context.Background(), adapters.Message{From: alice, Target: pid, Data: code, Tags: adapters.Tags{{Name: "Action", Value: "Eval"}}})
		if err != nil || res.Failed() {
			b.Fatal(err, res.Error)
		}
	}
	dryrun(`return 1`) // the first snapshot
	b.Run("dryrun-lua", func(b *testing.B) {
		for b.Loop() {
			dryrun(`return 1`)
		}
	})
	b.Run("dryrun-read", func(b *testing.B) {
		for b.Loop() {
			dryrun(`for n in db:urows("SELECT count(*) FROM t WHERE k < 100") do end`)
		}
	})
	b.Run("dryrun-write", func(b *testing.B) {
		for b.Loop() {
			dryrun(`db:exec("UPDATE t SET v = 'x' WHERE k = 7")`)
		}
	})
	b.Run("snapshot-after-write", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			eval(b, w, alice, pid, fmt.Sprintf(`db:exec("UPDATE t SET v = 'y%d' WHERE k = 7")`, i))
			p.checkpoint()
		}
	})
	b.Run("savepoint-rollback", func(b *testing.B) {
		db := p.sql.dbs[0]
		for b.Loop() {
			if err := db.conn.Exec(`SAVEPOINT s; UPDATE t SET v = 'x' WHERE k = 7; ROLLBACK TO s; RELEASE s`); err != nil {
				b.Fatal(err)
			}
		}
	})
}
