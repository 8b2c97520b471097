package lua

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/serdes"
	glua "github.com/yuin/gopher-lua"
)

// lsqlite3 for the aos-sqlite profile: the API of the aos-sqlite module
// (lsqlite3, http://lua.sqlite.org/) over a real SQLite, the
// github.com/ncruces/go-sqlite3 build (SQLite compiled to wasm, translated
// to Go: no cgo, and each connection has its own linear memory with a hard
// maximum).
//
// State: a database is part of its process's state. Its userdata is
// stateful (see snapshot.go): a snapshot records the database's pages (an
// image made with SQLite's backup API, reused while nothing was written)
// and its statements (which exist, their SQL and bindings); a restore
// writes the image back only when the database was written since. A dryrun
// that only reads therefore costs no copy. Databases and statements that
// the state no longer reaches are closed at the next snapshot.
//
// Work: SQLite's progress handler runs every 1000 VM instructions and asks
// the connection's context whether to stop; that context is the
// evaluation's budget, charged 1000 units per call, so SQL costs one unit
// per VM instruction and an endless WITH RECURSIVE stops at the compute
// limit on any machine.
//
// Isolation: databases are in memory; ATTACH is refused (LIMIT_ATTACHED is
// zero and the authorizer denies it), temporary storage is memory, and
// pragmas may only be read, except a few that change nothing outside the
// database.

// serdesMu serializes the driver's serdes calls: they hand the byte slice
// to its VFS through one process-wide channel, and worlds may snapshot in
// parallel.
var serdesMu sync.Mutex

// sqlProgressOps is how many SQLite VM instructions pass between two calls
// of the progress handler (fixed by the driver).
const sqlProgressOps = 1000

// maxOpenDatabases bounds the databases a process has open at once: each is
// a SQLite instance with its own memory. Databases nothing reaches any more
// are closed at the next snapshot.
const maxOpenDatabases = 8

// maxDatabaseBytes bounds one database's pages (max_page_count); the
// database's size also counts toward MaxStateBytes at every snapshot.
const maxDatabaseBytes = 256 << 20

// sqlHeadroom is the memory an instance may use beyond its pages (page
// cache, sorting, the statements).
const sqlHeadroom = 64 << 20

// The constants of lsqlite3, as the aos-sqlite module has them: SQLite's
// primary result codes (without AUTH, which it lacks), the open flags, the
// value types and the authorizer's action codes.
var sqlResultCodes = map[string]int{
	"OK": 0, "ERROR": 1, "INTERNAL": 2, "PERM": 3, "ABORT": 4, "BUSY": 5,
	"LOCKED": 6, "NOMEM": 7, "READONLY": 8, "INTERRUPT": 9, "IOERR": 10,
	"CORRUPT": 11, "NOTFOUND": 12, "FULL": 13, "CANTOPEN": 14, "PROTOCOL": 15,
	"EMPTY": 16, "SCHEMA": 17, "TOOBIG": 18, "CONSTRAINT": 19, "MISMATCH": 20,
	"MISUSE": 21, "NOLFS": 22, "FORMAT": 24, "RANGE": 25, "NOTADB": 26,
	"ROW": 100, "DONE": 101,
	// The types of a value.
	"INTEGER": 1, "FLOAT": 2, "TEXT": 3, "BLOB": 4, "NULL": 5,
	// The authorizer's action codes (lsqlite3 has them, with no
	// set_authorizer to use them on).
	"CREATE_INDEX": 1, "CREATE_TABLE": 2, "CREATE_TEMP_INDEX": 3, "CREATE_TEMP_TABLE": 4,
	"CREATE_TEMP_TRIGGER": 5, "CREATE_TEMP_VIEW": 6, "CREATE_TRIGGER": 7, "CREATE_VIEW": 8,
	"DELETE": 9, "DROP_INDEX": 10, "DROP_TABLE": 11, "DROP_TEMP_INDEX": 12,
	"DROP_TEMP_TABLE": 13, "DROP_TEMP_TRIGGER": 14, "DROP_TEMP_VIEW": 15, "DROP_TRIGGER": 16,
	"DROP_VIEW": 17, "INSERT": 18, "PRAGMA": 19, "READ": 20, "SELECT": 21, "TRANSACTION": 22,
	"UPDATE": 23, "ATTACH": 24, "DETACH": 25, "ALTER_TABLE": 26, "REINDEX": 27, "ANALYZE": 28,
	"CREATE_VTABLE": 29, "DROP_VTABLE": 30, "FUNCTION": 31, "SAVEPOINT": 32,
	"OPEN_READONLY": 0x1, "OPEN_READWRITE": 0x2, "OPEN_CREATE": 0x4,
	"OPEN_URI": 0x40, "OPEN_MEMORY": 0x80, "OPEN_NOMUTEX": 0x8000,
	"OPEN_FULLMUTEX": 0x10000, "OPEN_SHAREDCACHE": 0x20000, "OPEN_PRIVATECACHE": 0x40000,
}

const (
	sqlOK       = 0
	sqlError    = 1
	sqlAbort    = 4
	sqlCantOpen = 14
	sqlRow      = 100
	sqlDone     = 101
)

// pragmasWritable are the pragmas a process may set: they change how its
// own statements behave and nothing outside the database.
var pragmasWritable = map[string]bool{
	"foreign_keys": true, "recursive_triggers": true, "defer_foreign_keys": true,
	"ignore_check_constraints": true, "case_sensitive_like": true,
	"user_version": true, "application_id": true, "automatic_index": true,
	"reverse_unordered_selects": true, "busy_timeout": true,
}

// sqlFunctionsRefused are SQL functions that reach outside the database.
var sqlFunctionsRefused = map[string]bool{
	"load_extension": true, "readfile": true, "writefile": true, "edit": true,
	"fts3_tokenizer": true,
}

// sqlRegistry holds the databases of one process.
type sqlRegistry struct {
	dbs []*sqlDB
	gen uint64 // source of content generations, never reused
	// made counts the databases and statements made, which tostring
	// shows in place of an address (a host address would differ from
	// run to run).
	made uint64
	seed uint64 // seeds each database's random()
	// now is the Timestamp (ms) of the message being evaluated: SQL's
	// 'now' is that time, as os.time() is, never the host's clock.
	now int64
	// clock is a connection of its own that evaluates the date and time
	// functions once 'now' is replaced by the message's time.
	clock *sqlite3.Conn
}

func newSQLRegistry(processID string) *sqlRegistry {
	sum := sha256.Sum256([]byte("lsqlite3/" + processID))
	return &sqlRegistry{seed: binary.BigEndian.Uint64(sum[:8])}
}

// closeAll closes every database (the process starts afresh).
func (r *sqlRegistry) closeAll() {
	if r == nil {
		return
	}
	for _, db := range r.dbs {
		db.shut()
	}
	r.dbs = nil
	if r.clock != nil {
		r.clock.Close()
		r.clock = nil
	}
}

// keepOnly closes the databases that are not in keep: they were opened
// after a snapshot that is being restored, or the state no longer reaches
// them.
func (r *sqlRegistry) keepOnly(keep func(*sqlDB) bool) {
	if r == nil {
		return
	}
	kept := r.dbs[:0]
	for _, db := range r.dbs {
		if keep(db) {
			kept = append(kept, db)
		} else {
			db.shut()
		}
	}
	clear(r.dbs[len(kept):])
	r.dbs = kept
}

// nextAddr gives a made object the address tostring shows: like a
// module's addresses, the same on every run of the same messages.
func (r *sqlRegistry) nextAddr() uint64 {
	r.made++
	return 0x10000 + r.made*0x40
}

func (r *sqlRegistry) nextGen() uint64 {
	r.gen++
	return r.gen
}

// sqlDB is one database of a process.
type sqlDB struct {
	reg   *sqlRegistry
	addr  uint64 // what tostring shows as its address
	ud    *glua.LUserData
	conn  *sqlite3.Conn // nil once closed
	work  sqlWork
	stmts []*sqlStmt // the statements not finalized
	// gen identifies the content: it changes whenever a statement that may
	// write runs. img is an image of the content of generation imgGen.
	gen, imgGen uint64
	img         []byte
	rng         uint64 // state of random()
	code        int    // result of the last call, for errcode/errmsg
	msg         string
}

// sqlStmt is one prepared statement.
type sqlStmt struct {
	db   *sqlDB
	addr uint64 // what tostring shows as its address
	ud   *glua.LUserData
	sql  string
	s    *sqlite3.Stmt // nil once finalized
	temp bool          // made by db:nrows/rows/urows, finalized when done
	// row: the last step gave a row, so its values may be read; columns:
	// how many (sqlite3_data_count at that step). As in lsqlite3, a reset
	// changes neither: they are the last step's.
	row     bool
	columns int
	// ran: stepped since the last reset, so that a reset reports how the
	// run ended (SQLite transfers a statement's error to its database only
	// then).
	ran bool
	// binds are the values bound, by parameter index - 1. The slice is
	// replaced, never changed in place, so a snapshot can keep it.
	binds []sqlValue
}

// sqlValue is a value bound to a parameter.
type sqlValue struct {
	kind byte // 0 null, 'i' integer, 'f' float, 't' text, 'b' blob
	i    int64
	f    float64
	s    string
}

// sqlWork is the context a connection consults: SQLite's progress handler
// calls Err every sqlProgressOps VM instructions, and the driver calls it
// once on entry to Prepare and Step. entry marks that next call, which is
// not charged.
type sqlWork struct {
	b     *budget
	entry bool
}

func (w *sqlWork) Deadline() (time.Time, bool) { return time.Time{}, false }
func (w *sqlWork) Done() <-chan struct{}       { return nil }
func (w *sqlWork) Value(any) any               { return nil }
func (w *sqlWork) Err() error {
	b := w.b
	if b == nil {
		return nil
	}
	if b.stop.Load() != stopNone {
		return b.Err()
	}
	if w.entry {
		w.entry = false
		return nil
	}
	b.left -= sqlProgressOps
	if b.left < 0 {
		b.halt(stopWork)
		return b.Err()
	}
	return nil
}

// state is what a snapshot keeps of a database.
type sqlDBState struct {
	open  bool
	gen   uint64
	img   []byte
	rowid int64
	rng   uint64
	stmts []sqlStmtState
}

type sqlStmtState struct {
	st    *sqlStmt
	binds []sqlValue
}

// stateKey, saveState and restoreState make a database stateful for
// snapshots; a statement delegates to its database.
func (db *sqlDB) stateKey() any { return db }

func (db *sqlDB) saveState(reached func(*glua.LUserData) bool) (any, int64) {
	st := sqlDBState{open: db.conn != nil, rng: db.rng}
	if db.conn == nil {
		return st, 0
	}
	// Statements the state no longer reaches are garbage: finalize them
	// now rather than record them.
	kept := db.stmts[:0]
	for _, s := range db.stmts {
		if reached(s.ud) {
			kept = append(kept, s)
		} else {
			s.finalize()
		}
	}
	clear(db.stmts[len(kept):])
	db.stmts = kept
	if db.img == nil || db.imgGen != db.gen {
		serdesMu.Lock()
		img, err := serdes.Serialize(db.conn, "main")
		serdesMu.Unlock()
		if err != nil {
			// A database that cannot be copied cannot be restored: fail
			// loudly rather than restore something else.
			panic(fmt.Sprintf("lsqlite3: copying the database for a snapshot: %v", err))
		}
		db.img, db.imgGen = img, db.gen
	}
	st.gen, st.img = db.gen, db.img
	st.rowid = db.conn.LastInsertRowID()
	st.stmts = make([]sqlStmtState, len(db.stmts))
	for i, s := range db.stmts {
		st.stmts[i] = sqlStmtState{st: s, binds: s.binds}
	}
	return st, int64(len(st.img))
}

func (db *sqlDB) restoreState(saved any) {
	st := saved.(sqlDBState)
	db.rng = st.rng
	if !st.open {
		db.shut()
		return
	}
	if db.conn == nil {
		if err := db.connect(); err != nil {
			panic(fmt.Sprintf("lsqlite3: reopening a database for a restore: %v", err))
		}
		db.gen = db.reg.nextGen() // empty: differs from any image
		known := false
		for _, o := range db.reg.dbs {
			known = known || o == db
		}
		if !known {
			db.reg.dbs = append(db.reg.dbs, db)
		}
	}
	recorded := make(map[*sqlStmt]sqlStmtState, len(st.stmts))
	for _, r := range st.stmts {
		recorded[r.st] = r
	}
	kept := db.stmts[:0]
	for _, s := range db.stmts {
		if _, ok := recorded[s]; ok {
			// Restored reset: a snapshot does not keep a statement's
			// position in its rows.
			s.s.Reset()
			s.row, s.ran, s.columns = false, false, 0
			kept = append(kept, s)
		} else {
			s.finalize()
		}
	}
	clear(db.stmts[len(kept):])
	db.stmts = kept
	if db.gen != st.gen {
		serdesMu.Lock()
		err := serdes.Deserialize(db.conn, "main", st.img)
		serdesMu.Unlock()
		if err != nil {
			panic(fmt.Sprintf("lsqlite3: restoring a database: %v", err))
		}
		db.gen = st.gen
	}
	for _, r := range st.stmts {
		s := r.st
		if s.s == nil {
			// Finalized since the snapshot: prepare it again.
			stmt, _, err := db.conn.Prepare(s.sql)
			if err != nil || stmt == nil {
				panic(fmt.Sprintf("lsqlite3: preparing a statement again for a restore: %v", err))
			}
			s.s = stmt
			db.stmts = append(db.stmts, s)
			s.binds = nil
		}
		if !sameBinds(s.binds, r.binds) {
			s.s.ClearBindings()
			for i, v := range r.binds {
				v.bind(s.s, i+1)
			}
			s.binds = r.binds
		}
	}
	db.conn.SetLastInsertRowID(st.rowid)
}

func sameBinds(a, b []sqlValue) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

func (s *sqlStmt) stateKey() any { return s.db }
func (s *sqlStmt) saveState(reached func(*glua.LUserData) bool) (any, int64) {
	return s.db.saveState(reached)
}
func (s *sqlStmt) restoreState(saved any) { s.db.restoreState(saved) }

func (v sqlValue) bind(s *sqlite3.Stmt, i int) error {
	switch v.kind {
	case 'i':
		return s.BindInt64(i, v.i)
	case 'f':
		return s.BindFloat(i, v.f)
	case 't':
		return s.BindText(i, v.s)
	case 'b':
		return s.BindBlob(i, []byte(v.s))
	}
	return s.BindNull(i)
}

// connect opens the connection with the engine's bounds and refusals.
func (db *sqlDB) connect() error {
	ctx := sqlite3.WithMaxMemory(context.Background(), maxDatabaseBytes+sqlHeadroom)
	conn, err := sqlite3.OpenContext(ctx, ":memory:")
	if err != nil {
		return err
	}
	setup := fmt.Sprintf("PRAGMA temp_store = MEMORY; PRAGMA max_page_count = %d;", maxDatabaseBytes/4096)
	if err := conn.Exec(setup); err != nil {
		conn.Close()
		return err
	}
	conn.Limit(sqlite3.LIMIT_ATTACHED, 0)
	conn.Limit(sqlite3.LIMIT_LENGTH, defaultMaxString)
	if err := conn.SetAuthorizer(sqlAuthorize); err != nil {
		conn.Close()
		return err
	}
	if err := db.deterministicFunctions(conn); err != nil {
		conn.Close()
		return err
	}
	conn.SetInterrupt(&db.work)
	db.conn = conn
	return nil
}

// sqlAuthorize refuses what reaches outside the database.
func sqlAuthorize(action sqlite3.AuthorizerActionCode, name3rd, name4th, schema, inner string) sqlite3.AuthorizerReturnCode {
	switch action {
	case sqlite3.AUTH_ATTACH, sqlite3.AUTH_DETACH:
		return sqlite3.AUTH_DENY
	case sqlite3.AUTH_PRAGMA:
		if name4th != "" && !pragmasWritable[strings.ToLower(name3rd)] {
			return sqlite3.AUTH_DENY
		}
	case sqlite3.AUTH_FUNCTION:
		if sqlFunctionsRefused[strings.ToLower(name4th)] {
			return sqlite3.AUTH_DENY
		}
	}
	return sqlite3.AUTH_OK
}

// deterministicFunctions replaces what SQLite would take from the host.
// random() and randomblob() draw from a generator seeded by the process id
// whose state is part of the database's state (a replay after a rollback
// must give the same values). The date and time functions read 'now' (an
// explicit 'now', no time value, CURRENT_TIMESTAMP/DATE/TIME) as the
// message's Timestamp, in UTC, the only zone.
func (db *sqlDB) deterministicFunctions(conn *sqlite3.Conn) error {
	current := map[string]string{"current_timestamp": "2006-01-02 15:04:05", "current_date": "2006-01-02", "current_time": "15:04:05"}
	for name, layout := range current {
		layout := layout
		if err := conn.CreateFunction(name, 0, sqlite3.DETERMINISTIC, func(ctx sqlite3.Context, _ ...sqlite3.Value) {
			ctx.ResultText(time.UnixMilli(db.reg.now).UTC().Format(layout))
		}); err != nil {
			return err
		}
	}
	// The position of the time value: strftime's first argument is its
	// format; timediff takes two time values and has no default.
	for name, at := range map[string]int{"date": 0, "time": 0, "datetime": 0, "julianday": 0, "unixepoch": 0, "strftime": 1, "timediff": -1} {
		if err := conn.CreateFunction(name, -1, sqlite3.DETERMINISTIC, db.reg.dateFunction(name, at)); err != nil {
			return err
		}
	}
	if err := conn.CreateFunction("random", 0, 0, func(ctx sqlite3.Context, _ ...sqlite3.Value) {
		ctx.ResultInt64(int64(db.next()))
	}); err != nil {
		return err
	}
	return conn.CreateFunction("randomblob", 1, 0, func(ctx sqlite3.Context, arg ...sqlite3.Value) {
		n := arg[0].Int64()
		if n < 1 {
			n = 1
		}
		if n > defaultMaxString {
			ctx.ResultError(sqlite3.TOOBIG)
			return
		}
		b := make([]byte, n)
		for i := 0; i < len(b); i += 8 {
			var w [8]byte
			binary.LittleEndian.PutUint64(w[:], db.next())
			copy(b[i:], w[:])
		}
		ctx.ResultBlob(b)
	})
}

// dateFunction evaluates SQLite's own date function name on the registry's
// clock connection, with 'now' (or a missing time value) replaced by the
// message's time.
func (r *sqlRegistry) dateFunction(name string, at int) sqlite3.ScalarFunction {
	return func(ctx sqlite3.Context, args ...sqlite3.Value) {
		now := time.UnixMilli(r.now).UTC().Format("2006-01-02 15:04:05.000")
		vals := make([]sqlValue, 0, len(args)+1)
		for _, a := range args {
			vals = append(vals, sqlValueOf(a))
		}
		isNow := func(v sqlValue) bool { return v.kind == 't' && strings.EqualFold(v.s, "now") }
		switch {
		case at < 0:
			for i, v := range vals {
				if isNow(v) {
					vals[i] = sqlValue{kind: 't', s: now}
				}
			}
		case len(vals) == at:
			vals = append(vals, sqlValue{kind: 't', s: now})
		case isNow(vals[at]):
			vals[at] = sqlValue{kind: 't', s: now}
		}
		// The process's time zone is UTC, as on AO: 'localtime' and 'utc'
		// change nothing (SQLite would read the host's zone).
		for i := at + 1; at >= 0 && i < len(vals); i++ {
			if v := vals[i]; v.kind == 't' && (strings.EqualFold(v.s, "localtime") || strings.EqualFold(v.s, "utc")) {
				vals[i] = sqlValue{kind: 't', s: "+0 seconds"}
			}
		}
		if r.clock == nil {
			conn, err := sqlite3.Open(":memory:")
			if err != nil {
				ctx.ResultError(err)
				return
			}
			r.clock = conn
		}
		marks := strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")
		stmt, _, err := r.clock.Prepare("SELECT " + name + "(" + marks + ")")
		if err != nil {
			ctx.ResultError(err)
			return
		}
		defer stmt.Close()
		for i, v := range vals {
			v.bind(stmt, i+1)
		}
		if !stmt.Step() {
			if err := stmt.Err(); err != nil {
				ctx.ResultError(err)
			}
			return
		}
		// Copied by type: a value of one connection cannot be handed to
		// another (each has its own memory).
		switch stmt.ColumnType(0) {
		case sqlite3.INTEGER:
			ctx.ResultInt64(stmt.ColumnInt64(0))
		case sqlite3.FLOAT:
			ctx.ResultFloat(stmt.ColumnFloat(0))
		case sqlite3.TEXT:
			ctx.ResultText(stmt.ColumnText(0))
		case sqlite3.BLOB:
			ctx.ResultBlob(stmt.ColumnBlob(0, nil))
		default:
			ctx.ResultNull()
		}
	}
}

// sqlValueOf copies a function argument.
func sqlValueOf(v sqlite3.Value) sqlValue {
	switch v.Type() {
	case sqlite3.INTEGER:
		return sqlValue{kind: 'i', i: v.Int64()}
	case sqlite3.FLOAT:
		return sqlValue{kind: 'f', f: v.Float()}
	case sqlite3.TEXT:
		return sqlValue{kind: 't', s: v.Text()}
	case sqlite3.BLOB:
		return sqlValue{kind: 'b', s: string(v.RawBlob())}
	}
	return sqlValue{}
}

// next is SplitMix64.
func (db *sqlDB) next() uint64 {
	db.rng += 0x9e3779b97f4a7c15
	z := db.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// shut closes the connection and every statement.
func (db *sqlDB) shut() {
	for _, s := range db.stmts {
		if s.s != nil {
			s.s.Close()
			s.s = nil
		}
	}
	db.stmts = nil
	if db.conn != nil {
		db.conn.Close()
		db.conn = nil
	}
	db.img = nil
}

// finalize closes the statement's handle, leaving the database's list of
// statements alone.
func (s *sqlStmt) finalize() error {
	if s.s == nil {
		return nil
	}
	err := s.s.Close()
	s.s = nil
	return err
}

// close finalizes a statement and forgets it.
func (s *sqlStmt) close() int {
	if s.s == nil {
		return sqlOK
	}
	err := s.finalize()
	db := s.db
	for i, o := range db.stmts {
		if o == s {
			db.stmts = append(db.stmts[:i], db.stmts[i+1:]...)
			db.stmts = db.stmts[:len(db.stmts):len(db.stmts)]
			break
		}
	}
	return db.setErr(err)
}

// setErr records the outcome of a call for errcode/errmsg and returns its
// code.
func (db *sqlDB) setErr(err error) int {
	if err == nil {
		db.code, db.msg = sqlOK, "not an error"
		return sqlOK
	}
	db.code, db.msg = sqlErrorParts(err)
	return db.code
}

// sqlErrorParts splits a driver error into SQLite's primary code and the
// message sqlite3_errmsg gives.
func sqlErrorParts(err error) (int, string) {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		code := int(se.Code())
		text := se.Error()
		prefix := sqlite3.ExtendedErrorCode(se.ExtendedCode()).Error() + ": "
		if msg, ok := strings.CutPrefix(text, prefix); ok {
			return code, msg
		}
		return code, strings.TrimPrefix(text, "sqlite3: ")
	}
	var ec sqlite3.ErrorCode
	if errors.As(err, &ec) {
		return int(ec), strings.TrimPrefix(ec.Error(), "sqlite3: ")
	}
	var xc sqlite3.ExtendedErrorCode
	if errors.As(err, &xc) {
		return int(xc) & 0xff, strings.TrimPrefix(xc.Error(), "sqlite3: ")
	}
	return sqlError, err.Error()
}

// openLSQLite registers require("lsqlite3") for a process.
func openLSQLite(L *glua.LState, reg *sqlRegistry) {
	dbMeta := L.NewTable()
	stmtMeta := L.NewTable()
	L.SetField(dbMeta, "__name", glua.LString(sqlDBName))
	L.SetField(stmtMeta, "__name", glua.LString(sqlStmtName))
	L.SetField(dbMeta, "__index", L.SetFuncs(L.NewTable(), dbMethods(stmtMeta)))
	L.SetField(dbMeta, "__tostring", L.NewFunction(func(L *glua.LState) int {
		db := checkDB(L, 1, false)
		// An open one by its address, as lsqlite3 prints it.
		state := fmt.Sprintf("0x%x", db.addr)
		if db.conn == nil {
			state = "closed"
		}
		L.Push(glua.LString("sqlite database (" + state + ")"))
		return 1
	}))
	L.SetField(stmtMeta, "__index", L.SetFuncs(L.NewTable(), stmtMethods))
	L.SetField(stmtMeta, "__tostring", L.NewFunction(func(L *glua.LState) int {
		s := checkStmt(L, 1, false)
		state := fmt.Sprintf("0x%x", s.addr)
		if s.s == nil {
			state = "closed"
		}
		L.Push(glua.LString("sqlite virtual machine (" + state + ")"))
		return 1
	}))
	L.PreloadModule("lsqlite3", sortedModule(func(L *glua.LState) int {
		m := L.NewTable()
		for name, code := range sqlResultCodes {
			m.RawSetString(name, glua.LNumber(code))
		}
		open := func(L *glua.LState) int {
			live := 0
			for _, db := range reg.dbs {
				if db.conn != nil {
					live++
				}
			}
			if live >= maxOpenDatabases {
				L.Push(glua.LNil)
				L.Push(glua.LNumber(sqlCantOpen))
				L.Push(glua.LString(fmt.Sprintf("a process may have %d databases open at once on this engine", maxOpenDatabases)))
				return 3
			}
			spend(L, 2000)
			db := &sqlDB{reg: reg, addr: reg.nextAddr(), rng: reg.seed + uint64(len(reg.dbs))}
			if err := db.connect(); err != nil {
				L.Push(glua.LNil)
				L.Push(glua.LNumber(sqlCantOpen))
				L.Push(glua.LString(err.Error()))
				return 3
			}
			db.gen = reg.nextGen()
			db.code, db.msg = sqlOK, "not an error"
			reg.dbs = append(reg.dbs, db)
			ud := L.NewUserData()
			ud.Value = db
			ud.Metatable = dbMeta
			db.ud = ud
			L.Push(ud)
			return 1
		}
		m.RawSetString("open_memory", L.NewFunction(open))
		m.RawSetString("open", L.NewFunction(func(L *glua.LState) int {
			name := sqlCheckString(L, 1)
			if name == ":memory:" {
				return open(L)
			}
			L.Push(glua.LNil)
			L.Push(glua.LNumber(sqlCantOpen))
			// SQLite's text: a process has no file system.
			L.Push(glua.LString("unable to open database file"))
			return 3
		}))
		m.RawSetString("version", L.NewFunction(func(L *glua.LState) int {
			L.Push(glua.LString(sqliteVersion()))
			return 1
		}))
		m.RawSetString("lversion", L.NewFunction(func(L *glua.LState) int {
			// The aos-sqlite module is built without LSQLITE_VERSION.
			L.Push(glua.LString("unknown"))
			return 1
		}))
		m.RawSetString("complete", L.NewFunction(func(L *glua.LState) int {
			L.Push(glua.LBool(sqliteComplete(sqlCheckString(L, 1))))
			return 1
		}))
		L.Push(m)
		return 1
	}))
}

// sqliteVersion asks SQLite once per Go process.
var sqliteVersion = sync.OnceValue(func() string {
	conn, err := sqlite3.Open(":memory:")
	if err != nil {
		return ""
	}
	defer conn.Close()
	s, _, err := conn.Prepare("SELECT sqlite_version()")
	if err != nil {
		return ""
	}
	defer s.Close()
	if s.Step() {
		return s.ColumnText(0)
	}
	return ""
})

// sqliteComplete reports whether sql ends a statement: its last token,
// outside quotes and comments, is a semicolon (sqlite3_complete, without
// triggers' nested semicolons).
func sqliteComplete(sql string) bool {
	complete := false
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == ';':
			complete = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += end + 3
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closing := c
			if c == '[' {
				closing = ']'
			}
			end := strings.IndexByte(sql[i+1:], closing)
			if end < 0 {
				return false
			}
			i += end + 1
			complete = false
		default:
			complete = false
		}
	}
	return complete
}

// sqlRaise raises an error as lsqlite3 does with lua_error: SQLite's
// message, with no position in front of it.
func sqlRaise(L *glua.LState, msg string) {
	L.Error(glua.LString(msg), 0)
}

// sqlErrorAt raises an error as lsqlite3 does with luaL_error: the message
// after the position of the Lua code that made the call, or alone when a
// Go function (pcall) made it, which has no position to give.
func sqlErrorAt(L *glua.LState, msg string) {
	if dbg, ok := L.GetStack(1); ok {
		if fv, err := L.GetInfo("f", dbg, glua.LNil); err == nil {
			if fn, ok := fv.(*glua.LFunction); ok && fn.IsG {
				sqlRaise(L, msg)
			}
		}
	}
	raise53(L, msg)
}

// sqlCallee is the name under which the running Go function was called
// and whether it was called as a method (obj:name(...)). Lua 5.3 tells a
// method call from the OP_SELF that fetched the function, and its argument
// errors then count self as argument 0. gopher-lua keeps no such mark, so
// the caller's instructions on the line of the call are searched for an
// OP_SELF fetching that name.
func sqlCallee(L *glua.LState) (string, bool) {
	dbg, ok := L.GetStack(0)
	if !ok {
		return "?", false
	}
	if _, err := L.GetInfo("n", dbg, glua.LNil); err != nil || dbg.Name == "" || dbg.Name == "(anonymous)" || strings.HasPrefix(dbg.Name, "<") {
		return "?", false
	}
	name := dbg.Name
	caller, ok := L.GetStack(1)
	if !ok {
		return name, false
	}
	fv, err := L.GetInfo("lf", caller, glua.LNil)
	fn, ok := fv.(*glua.LFunction)
	if err != nil || !ok || fn.IsG || fn.Proto == nil {
		return name, false
	}
	p := fn.Proto
	for pc, inst := range p.Code {
		// gopher-lua's instruction: the opcode in the top 6 bits, C in
		// bits 9-17, a constant when C's top bit is set.
		if pc >= len(p.DbgSourcePositions) || p.DbgSourcePositions[pc] != caller.CurrentLine || int(inst>>26) != glua.OP_SELF {
			continue
		}
		if c := int(inst>>9) & 0x1ff; c&0x100 != 0 && c&0xff < len(p.Constants) && p.Constants[c&0xff] == glua.LString(name) {
			return name, true
		}
	}
	return name, false
}

// sqlArgError raises luaL_argerror's error for argument n: "bad argument
// #n to 'name' (msg)", or for the self of a method call "calling 'name' on
// bad self (msg)", at the caller's position.
func sqlArgError(L *glua.LState, n int, msg string) {
	name, method := sqlCallee(L)
	if method {
		n--
		if n == 0 {
			sqlErrorAt(L, fmt.Sprintf("calling '%s' on bad self (%s)", name, msg))
		}
	}
	sqlErrorAt(L, fmt.Sprintf("bad argument #%d to '%s' (%s)", n, name, msg))
}

// sqlTypeError raises luaL_typeerror's error: want expected, got the
// argument's type: its metatable's __name when that is a string, "no
// value" past the last argument.
func sqlTypeError(L *glua.LState, n int, want string) {
	got := L.Get(n).Type().String()
	if name, ok := L.GetMetaField(L.Get(n), "__name").(glua.LString); ok {
		got = string(name)
	}
	if n > L.GetTop() {
		got = "no value"
	}
	sqlArgError(L, n, want+" expected, got "+got)
}

// sqlCheckString is luaL_checkstring: a string, or a number as text.
func sqlCheckString(L *glua.LState, n int) string {
	switch v := L.Get(n).(type) {
	case glua.LString:
		return string(v)
	case glua.LNumber:
		return v.String()
	}
	sqlTypeError(L, n, "string")
	return ""
}

// sqlCheckInt is luaL_checkinteger: a number or a numeral string with an
// integer value.
func sqlCheckInt(L *glua.LState, n int) int {
	f, ok := luaNumber(L.Get(n))
	if !ok {
		sqlTypeError(L, n, "number")
	}
	if !isInt(f) {
		sqlArgError(L, n, "number has no integer representation")
	}
	return int(f)
}

// The names of lsqlite3's metatables, which its type errors give.
const (
	sqlDBName   = ":sqlite3"
	sqlStmtName = ":sqlite3:vm"
)

func checkDB(L *glua.LState, n int, open bool) *sqlDB {
	ud, _ := L.Get(n).(*glua.LUserData)
	var db *sqlDB
	if ud != nil {
		db, _ = ud.Value.(*sqlDB)
	}
	if db == nil {
		sqlTypeError(L, n, sqlDBName)
	}
	if open && db.conn == nil {
		sqlArgError(L, n, "attempt to use closed sqlite database")
	}
	return db
}

func checkStmt(L *glua.LState, n int, open bool) *sqlStmt {
	ud, _ := L.Get(n).(*glua.LUserData)
	var s *sqlStmt
	if ud != nil {
		s, _ = ud.Value.(*sqlStmt)
	}
	if s == nil {
		sqlTypeError(L, n, sqlStmtName)
	}
	if open && s.s == nil {
		sqlArgError(L, n, "attempt to use closed sqlite virtual machine")
	}
	return s
}

// checkRow checks that the statement's last step gave a row, whose values
// may be read.
func checkRow(s *sqlStmt, L *glua.LState) {
	if !s.row {
		sqlErrorAt(L, "misuse of function")
	}
}

// checkColumn checks that i is a column of the last step's row (0 to
// columns-1), as lsqlite3 does for get_value, get_name and get_type.
func checkColumn(s *sqlStmt, L *glua.LState, i int) {
	if i < 0 || i >= s.columns {
		sqlErrorAt(L, fmt.Sprintf("index out of range [0..%d]", s.columns-1))
	}
}

// call runs fn, which talks to SQLite, with the evaluation's budget as the
// connection's work account. Afterwards a spent budget stops the
// evaluation, and the driver's out-of-memory panic becomes a memory limit.
func (db *sqlDB) call(L *glua.LState, fn func()) {
	db.work.b = budgetOf(L)
	defer func() { db.work.b = nil }()
	func() {
		defer func() {
			if r := recover(); r != nil {
				if err, ok := r.(error); ok && strings.Contains(err.Error(), "out of memory") {
					refuse(L, fmt.Sprintf("lsqlite3: the database needs more than the %d bytes of memory this engine gives it", maxDatabaseBytes+sqlHeadroom))
				}
				panic(r)
			}
		}()
		fn()
	}()
	if b := db.work.b; b != nil && b.reason() != stopNone {
		L.RaiseError("%s", b.Err().Error())
	}
}

// prepare compiles the first statement of sql; stmt is nil for text with
// no statement.
func (db *sqlDB) prepare(L *glua.LState, sql string) (stmt *sqlite3.Stmt, tail string, err error) {
	spend(L, 100+bytesWork(len(sql))*8)
	db.call(L, func() {
		db.work.entry = true
		stmt, tail, err = db.conn.Prepare(sql)
		db.work.entry = false
	})
	return stmt, tail, err
}

// step runs a statement to its next row; it returns ROW, DONE or an error
// code, and records the outcome for errcode/errmsg.
func (db *sqlDB) step(L *glua.LState, s *sqlite3.Stmt) int {
	spend(L, 1)
	if !s.ReadOnly() {
		db.gen = db.reg.nextGen()
	}
	var row bool
	db.call(L, func() {
		db.work.entry = true
		row = s.Step()
		db.work.entry = false
	})
	if row {
		db.code, db.msg = sqlRow, "another row available"
		return sqlRow
	}
	if err := s.Err(); err != nil {
		return db.setErr(err)
	}
	db.code, db.msg = sqlDone, "no more rows available"
	return sqlDone
}

// step steps the statement and records what lsqlite3 keeps of it.
func (s *sqlStmt) step(L *glua.LState) int {
	rc := s.db.step(L, s.s)
	s.ran = true
	s.row = rc == sqlRow
	s.columns = 0
	if s.row {
		s.columns = s.s.DataCount()
	}
	return rc
}

// reset resets the statement and answers as lsqlite3's reset does: the
// database's error code afterwards. A statement that ran ends with its
// outcome (OK, or the error its last step met) recorded on the database;
// one that did not leaves the database's code as it was.
func (s *sqlStmt) reset() int {
	err := s.s.Reset()
	if s.ran {
		s.ran = false
		s.db.setErr(err)
	}
	return s.db.code
}

// closedStmt makes the userdata of a statement SQLite did not make (a
// text with no statement): closed from the start.
func closedStmt(L *glua.LState, db *sqlDB, meta *glua.LTable) (*sqlStmt, *glua.LUserData) {
	st := &sqlStmt{db: db, addr: db.reg.nextAddr()}
	ud := L.NewUserData()
	ud.Value = st
	ud.Metatable = meta
	st.ud = ud
	return st, ud
}

// newStmt wraps a prepared statement in a userdata.
func (db *sqlDB) newStmt(L *glua.LState, s *sqlite3.Stmt, meta *glua.LTable, temp bool) (*sqlStmt, *glua.LUserData) {
	st := &sqlStmt{db: db, addr: db.reg.nextAddr(), sql: s.SQL(), s: s, temp: temp}
	db.stmts = append(db.stmts, st)
	ud := L.NewUserData()
	ud.Value = st
	ud.Metatable = meta
	st.ud = ud
	return st, ud
}

// columnValue converts a column of the current row: INTEGER and FLOAT to
// numbers (float64: integers beyond 2^53 are rounded), TEXT and BLOB to
// strings, NULL to nil.
func columnValue(L *glua.LState, s *sqlite3.Stmt, i int) glua.LValue {
	switch s.ColumnType(i) {
	case sqlite3.INTEGER:
		return sqlInteger(s.ColumnInt64(i))
	case sqlite3.FLOAT:
		return glua.LNumber(s.ColumnFloat(i))
	case sqlite3.TEXT:
		t := s.ColumnText(i)
		spend(L, bytesWork(len(t)))
		return glua.LString(t)
	case sqlite3.BLOB:
		b := s.ColumnRawBlob(i)
		spend(L, bytesWork(len(b)))
		return glua.LString(b)
	}
	return glua.LNil
}

// sqlInteger is an INTEGER as lsqlite3 gives it where Lua numbers are
// floats: a number when the float holds it exactly, else its decimal text,
// so that no digit is lost (binding the text back to an INTEGER column
// stores the same integer).
func sqlInteger(i int64) glua.LValue {
	if f := float64(i); f >= -9223372036854775808 && f < 9223372036854775808 && int64(f) == i {
		return glua.LNumber(f)
	}
	return glua.LString(strconv.FormatInt(i, 10))
}

// luaToSQL converts a Lua value for binding: numbers that are whole and fit
// an int64 bind as INTEGER (a Lua 5.1 number has no integer subtype), other
// numbers as REAL, booleans as 1 and 0, strings as TEXT.
func luaToSQL(L *glua.LState, index int, v glua.LValue) sqlValue {
	switch x := v.(type) {
	case glua.LNumber:
		f := float64(x)
		if f == math.Trunc(f) && f >= -9223372036854775808 && f < 9223372036854775808 {
			return sqlValue{kind: 'i', i: int64(f)}
		}
		return sqlValue{kind: 'f', f: f}
	case glua.LString:
		spend(L, bytesWork(len(x)))
		return sqlValue{kind: 't', s: string(x)}
	case glua.LBool:
		if x {
			return sqlValue{kind: 'i', i: 1}
		}
		return sqlValue{kind: 'i', i: 0}
	case *glua.LNilType:
		return sqlValue{}
	}
	sqlErrorAt(L, fmt.Sprintf("index (%d) - invalid data type for bind (%s)", index, v.Type()))
	return sqlValue{}
}

// checkBindIndex raises lsqlite3's error for an index that is no
// parameter of the statement.
func (s *sqlStmt) checkBindIndex(L *glua.LState, i int) {
	if n := s.s.BindCount(); i < 1 || i > n {
		sqlErrorAt(L, fmt.Sprintf("bind index out of range [1..%d]", n))
	}
}

// bindOne binds a value to parameter i (1-based) and records it.
func (s *sqlStmt) bindOne(L *glua.LState, i int, v sqlValue) int {
	n := s.s.BindCount()
	s.checkBindIndex(L, i)
	if err := v.bind(s.s, i); err != nil {
		return s.db.setErr(err)
	}
	binds := make([]sqlValue, max(n, len(s.binds)))
	copy(binds, s.binds)
	binds[i-1] = v
	s.binds = binds
	s.db.code, s.db.msg = sqlOK, "not an error"
	return sqlOK
}

func dbMethods(stmtMeta *glua.LTable) map[string]glua.LGFunction {
	exec := func(L *glua.LState) int {
		db := checkDB(L, 1, true)
		sql := sqlCheckString(L, 2)
		var call *execCall
		if L.Get(3) != glua.LNil {
			fn, ok := L.Get(3).(*glua.LFunction)
			if !ok {
				sqlTypeError(L, 3, "function")
			}
			call = &execCall{fn: fn, udata: L.Get(4), values: L.NewTable()}
		}
		for {
			stmt, tail, err := db.prepare(L, sql)
			if err != nil {
				L.Push(glua.LNumber(db.setErr(err)))
				return 1
			}
			if stmt == nil {
				break
			}
			rc := execOne(L, db, stmt, call)
			if rc != sqlOK {
				L.Push(glua.LNumber(rc))
				return 1
			}
			sql = tail
		}
		db.code, db.msg = sqlOK, "not an error"
		L.Push(glua.LNumber(sqlOK))
		return 1
	}
	iter := func(kind byte) glua.LGFunction {
		return func(L *glua.LState) int {
			db := checkDB(L, 1, true)
			sql := sqlCheckString(L, 2)
			stmt, _, err := db.prepare(L, sql)
			if err != nil {
				db.setErr(err)
				sqlRaise(L, db.msg)
			}
			// The iterator and the statement, as lsqlite3 returns them. A
			// text with no statement gives a closed one, which the
			// iterator refuses, as lsqlite3's.
			var st *sqlStmt
			var ud *glua.LUserData
			if stmt == nil {
				st, ud = closedStmt(L, db, stmtMeta)
			} else {
				st, ud = db.newStmt(L, stmt, stmtMeta, true)
			}
			L.Push(st.iterator(L, kind))
			L.Push(ud)
			return 2
		}
	}
	return map[string]glua.LGFunction{
		"exec":    exec,
		"execute": exec,
		"prepare": func(L *glua.LState) int {
			db := checkDB(L, 1, true)
			sql := sqlCheckString(L, 2)
			stmt, tail, err := db.prepare(L, sql)
			if err != nil {
				L.Push(glua.LNil)
				L.Push(glua.LNumber(db.setErr(err)))
				return 2
			}
			db.code, db.msg = sqlOK, "not an error"
			if stmt == nil {
				// No statement in the text: lsqlite3 gives a statement
				// that is already closed (SQLite made none).
				_, ud := closedStmt(L, db, stmtMeta)
				L.Push(ud)
				L.Push(glua.LString(tail))
				return 2
			}
			_, ud := db.newStmt(L, stmt, stmtMeta, false)
			L.Push(ud)
			L.Push(glua.LString(tail))
			return 2
		},
		"nrows": iter('n'),
		"rows":  iter('r'),
		"urows": iter('u'),
		"errcode": func(L *glua.LState) int {
			L.Push(glua.LNumber(checkDB(L, 1, true).code))
			return 1
		},
		"error_code": func(L *glua.LState) int {
			L.Push(glua.LNumber(checkDB(L, 1, true).code))
			return 1
		},
		"errmsg": func(L *glua.LState) int {
			L.Push(glua.LString(checkDB(L, 1, true).msg))
			return 1
		},
		"error_message": func(L *glua.LState) int {
			L.Push(glua.LString(checkDB(L, 1, true).msg))
			return 1
		},
		"changes": func(L *glua.LState) int {
			L.Push(glua.LNumber(checkDB(L, 1, true).conn.Changes()))
			return 1
		},
		"total_changes": func(L *glua.LState) int {
			L.Push(glua.LNumber(checkDB(L, 1, true).conn.TotalChanges()))
			return 1
		},
		"last_insert_rowid": func(L *glua.LState) int {
			L.Push(sqlInteger(checkDB(L, 1, true).conn.LastInsertRowID()))
			return 1
		},
		"isopen": func(L *glua.LState) int {
			L.Push(glua.LBool(checkDB(L, 1, false).conn != nil))
			return 1
		},
		"close": func(L *glua.LState) int {
			db := checkDB(L, 1, true)
			db.shut()
			L.Push(glua.LNumber(sqlOK))
			return 1
		},
		// close_vm and busy_timeout return nothing, as lsqlite3's do.
		"close_vm": func(L *glua.LState) int {
			db := checkDB(L, 1, true)
			tempOnly := L.ToBool(2)
			for _, s := range append([]*sqlStmt(nil), db.stmts...) {
				if !tempOnly || s.temp {
					s.close()
				}
			}
			return 0
		},
		"busy_timeout": func(L *glua.LState) int {
			checkDB(L, 1, true)
			return 0
		},
	}
}

// execCall is one db:exec with a callback. As in lsqlite3, the values
// table is one table refilled for every row, and the names table is made at
// the first row and kept for the whole call.
type execCall struct {
	fn            *glua.LFunction
	udata         glua.LValue
	values, names *glua.LTable
}

// execOne runs one statement of db:exec to its end, calling the callback
// for each row as sqlite3_exec does: fn(udata, columns, values, names),
// values as text (nil for NULL). The callback runs protected; unless it
// returns 0 (a number or a numeral string whose integer part is 0) the
// statement is aborted and exec returns ABORT. A spent work budget is not
// swallowed.
func execOne(L *glua.LState, db *sqlDB, stmt *sqlite3.Stmt, call *execCall) int {
	defer stmt.Close()
	for {
		rc := db.step(L, stmt)
		if rc == sqlDone {
			return sqlOK
		}
		if rc != sqlRow {
			return rc
		}
		if call == nil {
			continue
		}
		n := stmt.ColumnCount()
		spend(L, int64(n))
		if call.names == nil {
			call.names = L.CreateTable(n, 0)
			for i := 0; i < n; i++ {
				call.names.RawSetInt(i+1, glua.LString(stmt.ColumnName(i)))
			}
		}
		for i := 0; i < n; i++ {
			var v glua.LValue = glua.LNil
			if stmt.ColumnType(i) != sqlite3.NULL {
				t := stmt.ColumnText(i)
				spend(L, bytesWork(len(t)))
				v = glua.LString(t)
			}
			call.values.RawSetInt(i+1, v)
		}
		top := L.GetTop()
		L.Push(call.fn)
		L.Push(call.udata)
		L.Push(glua.LNumber(n))
		L.Push(call.values)
		L.Push(call.names)
		err := L.PCall(4, 1, nil)
		if b := budgetOf(L); b != nil && b.reason() != stopNone {
			L.RaiseError("%s", b.Err().Error())
		}
		// As lsqlite3: a number, or a string that reads as one, is the
		// callback's answer (truncated to an integer); anything else, or
		// an error, aborts.
		goOn := false
		if err == nil {
			if f, ok := luaNumber(L.Get(-1)); ok {
				goOn = int64(f) == 0
			}
		}
		L.SetTop(top)
		if !goOn {
			db.code, db.msg = sqlAbort, "query aborted"
			return sqlAbort
		}
	}
}

// iterator returns the function a generic for calls: each call steps and
// gives the next row (a table by name, a table by position, or the values),
// nothing at the end. Errors are raised with errmsg. A temporary statement
// is finalized at its end, a prepared one reset.
func (st *sqlStmt) iterator(L *glua.LState, kind byte) *glua.LFunction {
	// The statement is an upvalue so that a snapshot sees it reached.
	return L.NewClosure(func(L *glua.LState) int {
		if st.s == nil {
			// Finalized (at the end of a temporary statement's rows too),
			// or closed with its database: lsqlite3's check of its state
			// argument, which Lua names after the generic for.
			sqlErrorAt(L, "bad argument #1 to 'for iterator' (attempt to use closed sqlite virtual machine)")
		}
		db := st.db
		rc := st.step(L)
		if rc == sqlDone {
			if st.temp {
				st.close()
			} else {
				st.reset()
			}
			return 0
		}
		if rc != sqlRow {
			// As lsqlite3: a temporary statement is finalized, a prepared
			// one left as the error left it (its next step starts again).
			msg := db.msg
			if st.temp {
				st.close()
			}
			sqlRaise(L, msg)
		}
		n := st.s.ColumnCount()
		spend(L, int64(n))
		switch kind {
		case 'n':
			row := L.CreateTable(0, n)
			for i := 0; i < n; i++ {
				row.RawSetString(st.s.ColumnName(i), columnValue(L, st.s, i))
			}
			L.Push(row)
			return 1
		case 'r':
			row := L.CreateTable(n, 0)
			for i := 0; i < n; i++ {
				row.RawSetInt(i+1, columnValue(L, st.s, i))
			}
			L.Push(row)
			return 1
		}
		for i := 0; i < n; i++ {
			L.Push(columnValue(L, st.s, i))
		}
		return n
	}, st.ud)
}

var stmtMethods = map[string]glua.LGFunction{
	"bind": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		s.checkBindIndex(L, i)
		v := luaToSQL(L, i, L.Get(3))
		L.Push(glua.LNumber(s.bindOne(L, i, v)))
		return 1
	},
	// bind_blob checks no index, as lsqlite3's: SQLite answers RANGE.
	"bind_blob": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		b := sqlCheckString(L, 3)
		spend(L, bytesWork(len(b)))
		if n := s.s.BindCount(); i < 1 || i > n {
			L.Push(glua.LNumber(s.db.setErr(s.s.BindBlob(i, []byte(b)))))
			return 1
		}
		L.Push(glua.LNumber(s.bindOne(L, i, sqlValue{kind: 'b', s: b})))
		return 1
	},
	"bind_values": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		n := s.s.BindCount()
		given := L.GetTop() - 1
		if given != n {
			sqlErrorAt(L, fmt.Sprintf("incorrect number of parameters to bind (%d given, %d to bind)", given, n))
		}
		for i := 1; i <= n; i++ {
			if rc := s.bindOne(L, i, luaToSQL(L, i, L.Get(i+1))); rc != sqlOK {
				L.Push(glua.LNumber(rc))
				return 1
			}
		}
		L.Push(glua.LNumber(sqlOK))
		return 1
	},
	"bind_names": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		t, ok := L.Get(2).(*glua.LTable)
		if !ok {
			sqlTypeError(L, 2, "table")
		}
		n := s.s.BindCount()
		for i := 1; i <= n; i++ {
			var v glua.LValue
			name := s.s.BindName(i)
			if name != "" && (name[0] == ':' || name[0] == '$') {
				v = L.GetField(t, name[1:])
			} else {
				v = L.GetTable(t, glua.LNumber(i))
			}
			if rc := s.bindOne(L, i, luaToSQL(L, i, v)); rc != sqlOK {
				L.Push(glua.LNumber(rc))
				return 1
			}
		}
		L.Push(glua.LNumber(sqlOK))
		return 1
	},
	"bind_parameter_count": func(L *glua.LState) int {
		L.Push(glua.LNumber(checkStmt(L, 1, true).s.BindCount()))
		return 1
	},
	"bind_parameter_name": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		s.checkBindIndex(L, i)
		name := s.s.BindName(i)
		if name == "" {
			L.Push(glua.LNil)
		} else {
			L.Push(glua.LString(name))
		}
		return 1
	},
	"step": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		L.Push(glua.LNumber(s.step(L)))
		return 1
	},
	"reset": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		L.Push(glua.LNumber(s.reset()))
		return 1
	},
	"finalize": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		L.Push(glua.LNumber(s.close()))
		return 1
	},
	"isopen": func(L *glua.LState) int {
		L.Push(glua.LBool(checkStmt(L, 1, false).s != nil))
		return 1
	},
	"columns": func(L *glua.LState) int {
		L.Push(glua.LNumber(checkStmt(L, 1, true).s.ColumnCount()))
		return 1
	},
	"get_name": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		checkColumn(s, L, i)
		L.Push(glua.LString(s.s.ColumnName(i)))
		return 1
	},
	"get_names": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		n := s.s.ColumnCount()
		t := L.CreateTable(n, 0)
		for i := 0; i < n; i++ {
			t.RawSetInt(i+1, glua.LString(s.s.ColumnName(i)))
		}
		L.Push(t)
		return 1
	},
	"get_unames": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		n := s.s.ColumnCount()
		for i := 0; i < n; i++ {
			L.Push(glua.LString(s.s.ColumnName(i)))
		}
		return n
	},
	"get_type": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		checkColumn(s, L, i)
		L.Push(glua.LString(s.s.ColumnDeclType(i)))
		return 1
	},
	"get_value": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		i := sqlCheckInt(L, 2)
		checkRow(s, L)
		checkColumn(s, L, i)
		L.Push(columnValue(L, s.s, i))
		return 1
	},
	"get_values": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		checkRow(s, L)
		n := s.columns
		t := L.CreateTable(n, 0)
		for i := 0; i < n; i++ {
			t.RawSetInt(i+1, columnValue(L, s.s, i))
		}
		L.Push(t)
		return 1
	},
	"get_uvalues": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		checkRow(s, L)
		n := s.columns
		for i := 0; i < n; i++ {
			L.Push(columnValue(L, s.s, i))
		}
		return n
	},
	"get_named_values": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		checkRow(s, L)
		n := s.columns
		t := L.CreateTable(0, n)
		for i := 0; i < n; i++ {
			t.RawSetString(s.s.ColumnName(i), columnValue(L, s.s, i))
		}
		L.Push(t)
		return 1
	},
	// The iterators return the iterator and the statement, as lsqlite3's.
	"nrows": func(L *glua.LState) int {
		L.Push(checkStmt(L, 1, true).iterator(L, 'n'))
		L.Push(L.Get(1))
		return 2
	},
	"rows": func(L *glua.LState) int {
		L.Push(checkStmt(L, 1, true).iterator(L, 'r'))
		L.Push(L.Get(1))
		return 2
	},
	"urows": func(L *glua.LState) int {
		L.Push(checkStmt(L, 1, true).iterator(L, 'u'))
		L.Push(L.Get(1))
		return 2
	},
	"last_insert_rowid": func(L *glua.LState) int {
		s := checkStmt(L, 1, true)
		L.Push(sqlInteger(s.db.conn.LastInsertRowID()))
		return 1
	},
}
