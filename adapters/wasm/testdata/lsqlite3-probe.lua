-- Calls of require("lsqlite3") whose answers TestLsqlite3IsAosSQLite holds
-- the Lua engine (profile aos-sqlite) to: the real aos-sqlite module's,
-- committed in lsqlite3-aos.txt. Each line is one call: its label, then
-- "->" and the values it returned, or "!!" and the error it raised.
-- Numbers show their subtype, strings their bytes, userdata their
-- tostring with the address replaced by ADDR.
local sqlite3 = require("lsqlite3")
local out = {}

local function show(v)
  local t = type(v)
  if t == "number" then
    return (math.type(v) or "?") .. ":" .. tostring(v)
  elseif t == "string" then
    return '"' .. (v:gsub('[%c"\\\128-\255]', function(c) return "\\" .. c:byte() end)) .. '"'
  elseif t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = tostring(k) .. "=" .. show(v[k]) end
    return "{" .. table.concat(parts, ", ") .. "}"
  elseif t == "userdata" then
    return (tostring(v):gsub("0x%x+", "ADDR"))
  end
  return tostring(v)
end

local function pack(...) return {n = select("#", ...), ...} end

local function try(label, f)
  local r = pack(pcall(f))
  if not r[1] then
    out[#out + 1] = label .. " !! " .. show(r[2])
    return
  end
  local parts = {}
  for i = 2, r.n do parts[#parts + 1] = show(r[i]) end
  out[#out + 1] = label .. " -> " .. table.concat(parts, ", ")
end

-- The module: its constants, its functions, its versions.
try("constants", function()
  local names = {}
  for k, v in pairs(sqlite3) do
    if type(v) == "number" then names[#names + 1] = k .. "=" .. v end
  end
  table.sort(names)
  return table.concat(names, " ")
end)
try("result codes", function() return sqlite3.OK, sqlite3.ERROR, sqlite3.ABORT, sqlite3.CONSTRAINT, sqlite3.MISUSE, sqlite3.RANGE, sqlite3.ROW, sqlite3.DONE end)
try("open flags", function() return sqlite3.OPEN_READONLY, sqlite3.OPEN_READWRITE, sqlite3.OPEN_CREATE, sqlite3.OPEN_URI, sqlite3.OPEN_MEMORY end)
try("type codes", function() return sqlite3.INTEGER, sqlite3.FLOAT, sqlite3.TEXT, sqlite3.BLOB, sqlite3.NULL end)
try("functions", function()
  local names = {}
  for k, v in pairs(sqlite3) do
    if type(v) == "function" then names[#names + 1] = k end
  end
  table.sort(names)
  return table.concat(names, " ")
end)
try("lversion()", function() return sqlite3.lversion() end)
try("version()", function() return sqlite3.version() end)
try("complete('select 1;')", function() return sqlite3.complete("select 1;") end)
try("complete('select 1')", function() return sqlite3.complete("select 1") end)
try("complete(\"select ';'\")", function() return sqlite3.complete("select ';'") end)

-- Opening.
local db = sqlite3.open_memory()
try("open_memory()", function() return db, db:isopen() end)
try("open(':memory:')", function() local d = sqlite3.open(":memory:") return type(d), d:isopen() end)
try("open('probe.db')", function() return sqlite3.open("probe.db") end)

-- exec without a callback.
try("exec create", function() return db:exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)") end)
try("exec insert", function() return db:exec("INSERT INTO t(name, score) VALUES ('a', 1.5), ('b', 2), (NULL, NULL)") end)
try("changes, total_changes, last_insert_rowid", function() return db:changes(), db:total_changes(), db:last_insert_rowid() end)
try("errcode, errmsg after success", function() return db:errcode(), db:errmsg(), db:error_code(), db:error_message() end)
try("exec syntax error", function() return db:exec("SELEC 1") end)
try("errcode, errmsg after it", function() return db:errcode(), db:errmsg() end)
try("exec two statements", function() return db:exec("INSERT INTO t(name) VALUES ('c'); INSERT INTO t(name) VALUES ('d');"), db:changes(), db:last_insert_rowid() end)
try("exec failing second statement", function()
  local rc = db:exec("INSERT INTO t(name) VALUES ('e'); INSERT INTO nope VALUES (1)")
  return rc, db:errmsg(), db:last_insert_rowid()
end)
try("exec constraint", function() return db:exec("INSERT INTO t(id) VALUES (1)"), db:errcode(), db:errmsg() end)
try("exec number as SQL", function() return db:exec(1) end)
try("exec no SQL", function() return db:exec() end)
try("exec callback not a function", function() return db:exec("SELECT 1", 3) end)

-- exec with a callback: its arguments, and what its return does.
try("exec callback rows", function()
  local rows, seen = {}, nil
  local rc = db:exec("SELECT id, name, score FROM t ORDER BY id LIMIT 4", function(u, n, vals, names)
    rows[#rows + 1] = show(u) .. " " .. show(n) .. " " .. show(vals) .. " " .. show(names) .. " " .. tostring(seen == nil or seen == vals)
    seen = vals
    return 0
  end, "udata")
  return rc, table.concat(rows, "; ")
end)
local function stopper(ret)
  return function()
    local calls = 0
    local rc = db:exec("SELECT id FROM t", function() calls = calls + 1 return ret() end)
    return rc, calls, db:errcode(), db:errmsg()
  end
end
try("exec callback returns 1", stopper(function() return 1 end))
try("exec callback returns 2", stopper(function() return 2 end))
try("exec callback returns nothing", stopper(function() end))
try("exec callback returns '0'", stopper(function() return "0" end))
try("exec callback returns 0.0", stopper(function() return 0.0 end))
try("exec callback returns true", stopper(function() return true end))
try("exec callback raises", stopper(function() error("stop") end))
try("exec callback names across statements", function()
  local rows = {}
  local rc = db:exec("SELECT 1 AS a; SELECT 2 AS b, 3 AS c", function(_, n, vals, names)
    rows[#rows + 1] = n .. " " .. show(vals) .. " " .. show(names)
    return 0
  end)
  return rc, table.concat(rows, "; ")
end)
try("exec callback no rows", function()
  local calls = 0
  return db:exec("SELECT id FROM t WHERE 0", function() calls = calls + 1 return 0 end), calls
end)

-- prepare.
try("prepare", function() return db:prepare("SELECT 1") end)
try("prepare tail", function() return db:prepare("SELECT 1; SELECT 2") end)
try("prepare syntax error", function() return db:prepare("SELEC 1") end)
try("prepare errmsg", function() db:prepare("SELECT * FROM nope") return db:errcode(), db:errmsg() end)
try("prepare empty", function() return db:prepare("") end)
try("prepare whitespace, step", function() local s = db:prepare("  ") return s:step() end)

-- Binding: what each Lua type stores.
local probe = db:prepare("SELECT ?1, typeof(?1)")
local function bound(v)
  return function()
    local rc = probe:bind(1, v)
    probe:step()
    local got, typ = probe:get_value(0), probe:get_value(1)
    probe:reset()
    return rc, got, typ
  end
end
try("bind integer", bound(42))
try("bind negative integer", bound(-7))
try("bind float", bound(2.5))
try("bind whole float", bound(2.0))
try("bind 2^53", bound(2 ^ 53))
try("bind string", bound("x\0y"))
try("bind numeral string", bound("12"))
try("bind nil", bound(nil))
try("bind true", bound(true))
try("bind false", bound(false))
try("bind table", bound({}))
try("bind function", bound(print))
try("bind index 0", function() return probe:bind(0, 1) end)
try("bind index 2", function() return probe:bind(2, 1) end)
try("bind index not a number", function() return probe:bind("a", 1) end)
try("bind_blob", function()
  local rc = probe:bind_blob(1, "\0\1\255")
  probe:step()
  local got, typ = probe:get_value(0), probe:get_value(1)
  probe:reset()
  return rc, got, typ
end)
try("bind_blob index 2", function() return probe:bind_blob(2, "x") end)
try("bind_parameter_count, name", function()
  local s = db:prepare("SELECT :a, $b, @c, ?, ?7")
  return s:bind_parameter_count(), s:bind_parameter_name(1), s:bind_parameter_name(2), s:bind_parameter_name(3), s:bind_parameter_name(4), s:bind_parameter_name(7)
end)
try("bind_parameter_name out of range", function() return probe:bind_parameter_name(2) end)
try("bind_values", function()
  local s = db:prepare("SELECT ?, ?, ?")
  local rc = s:bind_values(1, "two", 3.5)
  s:step()
  return rc, s:get_values()
end)
try("bind_values too few", function() return db:prepare("SELECT ?, ?"):bind_values(1) end)
try("bind_values too many", function() return db:prepare("SELECT ?"):bind_values(1, 2) end)
try("bind_values table", function() return db:prepare("SELECT ?"):bind_values({}) end)
try("bind_names", function()
  local s = db:prepare("SELECT :a, $b, @c, ?, :missing")
  local rc = s:bind_names({a = 1, b = "two", c = "not by name", [3] = "third", [4] = 4.5})
  s:step()
  return rc, s:get_values()
end)
try("bind_names not a table", function() return probe:bind_names(1) end)

-- step and reset.
try("step insert", function()
  local s = db:prepare("INSERT INTO t(name) VALUES ('f')")
  return s:step(), s:step(), db:last_insert_rowid(), s:last_insert_rowid()
end)
try("step select to the end and again", function()
  local s = db:prepare("SELECT 1 UNION ALL SELECT 2")
  return s:step(), s:step(), s:step(), s:step()
end)
try("step constraint, errcode, reset", function()
  local s = db:prepare("INSERT INTO t(id) VALUES (1)")
  local rc = s:step()
  local code, msg = db:errcode(), db:errmsg()
  return rc, code, msg, s:reset(), db:errcode(), s:reset()
end)
try("reset after done", function()
  local s = db:prepare("SELECT 1")
  s:step()
  s:step()
  return s:reset(), db:errcode()
end)
try("reset never stepped after an error", function()
  local s = db:prepare("SELECT 1")
  db:exec("SELEC")
  return s:reset(), db:errcode()
end)
try("step runtime error", function()
  local s = db:prepare("SELECT abs(-9223372036854775808)")
  return s:step(), db:errcode(), db:errmsg(), s:reset()
end)

-- Reading a row.
local rowstmt = db:prepare("SELECT id, name, score, data FROM t WHERE id = 2")
try("columns, get_names before step", function() return rowstmt:columns(), rowstmt:get_names() end)
try("get_value before step", function() return rowstmt:get_value(0) end)
try("get_name before step", function() return rowstmt:get_name(0) end)
try("get_type before step", function() return rowstmt:get_type(0) end)
try("get_values before step", function() return rowstmt:get_values() end)
try("step row", function() return rowstmt:step() end)
try("get_value", function() return rowstmt:get_value(0), rowstmt:get_value(1), rowstmt:get_value(2), rowstmt:get_value(3) end)
try("get_value out of range", function() return rowstmt:get_value(4) end)
try("get_value not a number", function() return rowstmt:get_value("x") end)
try("get_name, get_type", function() return rowstmt:get_name(1), rowstmt:get_type(1), rowstmt:get_type(2) end)
try("get_name out of range", function() return rowstmt:get_name(9) end)
try("get_values, get_named_values", function() return rowstmt:get_values(), rowstmt:get_named_values() end)
try("get_uvalues, get_unames", function() return rowstmt:get_uvalues(), rowstmt:get_unames() end)
try("step done, get_value", function() return rowstmt:step(), rowstmt:get_value(0) end)

-- Iterators.
try("db:nrows", function()
  local rows = {}
  for r in db:nrows("SELECT id, name FROM t ORDER BY id LIMIT 3") do rows[#rows + 1] = show(r) end
  return table.concat(rows, "; ")
end)
try("db:rows", function()
  local rows = {}
  for r in db:rows("SELECT id, name FROM t ORDER BY id LIMIT 3") do rows[#rows + 1] = show(r) end
  return table.concat(rows, "; ")
end)
try("db:urows", function()
  local rows = {}
  for id, name in db:urows("SELECT id, name FROM t ORDER BY id LIMIT 3") do rows[#rows + 1] = show(id) .. " " .. show(name) end
  return table.concat(rows, "; ")
end)
try("db:nrows returns", function() return select("#", db:nrows("SELECT 1")) end)
try("db:nrows bad SQL", function() for _ in db:nrows("SELECT * FROM nope") do end end)
try("db:urows runtime error", function() for _ in db:urows("SELECT abs(-9223372036854775808)") do end end)
try("stmt:nrows twice", function()
  local s = db:prepare("SELECT id FROM t WHERE id < ? ORDER BY id")
  s:bind(1, 3)
  local rows = {}
  for r in s:nrows() do rows[#rows + 1] = show(r) end
  for r in s:rows() do rows[#rows + 1] = show(r) end
  for id in s:urows() do rows[#rows + 1] = show(id) end
  return table.concat(rows, "; "), select("#", s:nrows())
end)
try("integers and floats", function()
  local rows = {}
  for r in db:nrows("SELECT 1 AS i, 1.0 AS f, 2.5 AS g, -0.0 AS z, 9007199254740993 AS big, 1e300 * 10 AS inf") do rows[#rows + 1] = show(r) end
  return rows[1]
end)
try("REAL column of a whole number", function() for score in db:urows("SELECT score FROM t WHERE id = 2") do return score end end)
try("changes after update, delete", function()
  db:exec("UPDATE t SET score = 0 WHERE id <= 2")
  local a = db:changes()
  db:exec("DELETE FROM t WHERE name IS NULL")
  return a, db:changes(), db:total_changes()
end)

-- Finalizing and closing.
try("finalize", function()
  local s = db:prepare("SELECT 1")
  return s:finalize(), s:isopen(), s
end)
try("finalize twice", function() local s = db:prepare("SELECT 1") s:finalize() return s:finalize() end)
try("step finalized", function() local s = db:prepare("SELECT 1") s:finalize() return s:step() end)
try("step finalized by dot", function() local s = db:prepare("SELECT 1") s:finalize() return s.step(s) end)
try("isopen on a prepared empty text", function() local s = db:prepare("") return s:isopen() end)
try("busy_timeout", function() return db:busy_timeout(100) end)
try("close_vm", function() return db:close_vm() end)
try("statement after close_vm", function() return probe:step() end)
local db2 = sqlite3.open_memory()
local kept = db2:prepare("SELECT 1")
try("close", function() return db2:close(), db2:isopen(), db2 end)
try("statement of a closed database", function() return kept:isopen(), kept:step() end)
try("exec on a closed database", function() return db2:exec("SELECT 1") end)
try("errmsg on a closed database", function() return db2:errmsg() end)
try("close twice", function() return db2:close() end)
try("prepare on a closed database", function() return db2.prepare(db2, "SELECT 1") end)

-- More corners: error codes after steps, reading after a reset, objects of
-- the wrong kind, indexes that are not integers, empty texts.
local db3 = sqlite3.open_memory()
local st3 = db3:prepare("SELECT ?")
try("errcode after step row, done", function()
  local s = db3:prepare("SELECT 1")
  s:step()
  local a, b = db3:errcode(), db3:errmsg()
  s:step()
  return a, b, db3:errcode(), db3:errmsg()
end)
try("errcode after an iteration", function()
  for _ in db3:urows("SELECT 1") do end
  return db3:errcode(), db3:errmsg()
end)
try("get_value after reset", function()
  local s = db3:prepare("SELECT 7 AS seven")
  s:step()
  s:reset()
  return s:get_value(0), s:get_name(0)
end)
try("get_name after done", function()
  local s = db3:prepare("SELECT 7 AS seven")
  s:step()
  s:step()
  return s:get_name(0)
end)
try("database method on a statement", function() return db3.exec(st3, "SELECT 1") end)
try("statement method on a database", function() return st3.step(db3) end)
try("bind index 1.5", function() return st3:bind(1.5, 1) end)
try("bind index '1'", function() return st3:bind("1", 5) end)
try("bind no value", function() return st3:bind(1) end)
try("exec callback returns 0.5", function()
  return db3:exec("SELECT 1 UNION ALL SELECT 2", function() return 0.5 end)
end)
try("exec callback returns ' 0 '", function()
  return db3:exec("SELECT 1 UNION ALL SELECT 2", function() return " 0 " end)
end)
try("errcode after bind_blob out of range", function()
  local rc = st3:bind_blob(3, "x")
  return rc, db3:errcode(), db3:errmsg()
end)
try("exec empty", function() return db3:exec(""), db3:exec("  ;  ") end)
try("db:nrows empty", function()
  local n = 0
  for _ in db3:nrows("") do n = n + 1 end
  return n
end)
try("complete no argument", function() return sqlite3.complete() end)
try("open no argument", function() return sqlite3.open() end)
try("database methods", function()
  local names = {}
  for _, k in ipairs({"busy_handler", "busy_timeout", "changes", "close", "close_vm", "commit_hook",
      "create_aggregate", "create_collation", "create_function", "db_filename", "errcode", "errmsg",
      "error_code", "error_message", "exec", "execute", "get_ptr", "interrupt", "isopen",
      "last_insert_rowid", "load_extension", "nrows", "prepare", "progress_handler", "rollback_hook",
      "rows", "total_changes", "trace", "update_hook", "urows"}) do
    if db3[k] ~= nil then names[#names + 1] = k end
  end
  return table.concat(names, " ")
end)

return table.concat(out, "\n")
