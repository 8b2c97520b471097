-- Handlers: the list of (name, pattern, handle) a process reacts with, and
-- the pattern rules that decide which handlers run for a message.
-- Plain Lua 5.1 (it also runs on Lua 5.3): no engine-specific calls.
local ao = require(".ao")

local Handlers = { _version = "mostao-runtime-1", list = {}, onceNonce = 0 }

-- waiting holds the suspended coroutines: "receive" for a handler waiting
-- in Receive, "idle" for a worker waiting for its next handler. An engine
-- may need to find them, e.g. to give them a new time budget.
Handlers.waiting = {}
local utils = {}
Handlers.utils = utils

-- Characters that make a string spec a Lua pattern rather than a plain value.
-- "-" is left out on purpose: names such as "Get-Info" compare as values.
local MAGIC = "[%^%$%(%)%%%.%[%]%*%+%?]"

local function legacy()
  return ao.profile == "aos-2.0.4"
end

-- matchValue tests one value of a message against one spec of a table
-- pattern, as aos does. fold (aos 2.0.6) lower-cases both the value and the
-- spec before comparing, Lua patterns included, so "^%D+$" is read as
-- "^%d+$". Without fold (aos 2.0.4) a Lua pattern is matched against the
-- value as it is, and a missing value makes string.match raise "bad
-- argument #1 to 'match'", as it does there. Specs of other types (numbers,
-- booleans) never match.
local function matchValue(spec, value, msg, fold)
  if not spec then return false end
  if spec == "_" then return true end
  local st = type(spec)
  if st == "function" then
    if spec(value, msg) then return true end
    return false
  end
  if st == "string" then
    if string.find(spec, MAGIC) then
      if fold then return string.match(string.lower(value or ""), string.lower(spec)) ~= nil end
      local vt = type(value)
      if vt ~= "string" and vt ~= "number" then
        -- Lua 5.3's wording (gopher-lua leaves out the quotes).
        error("bad argument #1 to 'match' (string expected, got " .. vt .. ")", 2)
      end
      return string.match(value, spec) ~= nil
    end
    if fold then return string.lower(value or "") == string.lower(spec) end
    return value == spec
  end
  if st == "table" then
    for _, s in pairs(spec) do
      if matchValue(s, value, msg, fold) then return true end
    end
  end
  return false
end

-- matchesSpec returns the raw result of a pattern for a message: a function's
-- own return value, or a boolean for string and table patterns. A string
-- pattern compares with Action exactly. A table pattern needs every key to
-- match: aos (2.0.4 and 2.0.6 alike) reads the key on the root of msg and
-- in msg.Tags, and tests the spec against both values (so a function spec
-- is called twice, the second time with the msg.Tags value), the key
-- matching if either does; a key only msg.Tags holds (Data-Protocol) can
-- match, and with a duplicate tag the root's last value and the first in
-- msg.Tags both count (TestTablepatternsAreAos in adapters/wasm). As in
-- aos, a false value counts as absent (e.g. Cron = false).
function utils.matchesSpec(msg, spec)
  local st = type(spec)
  if st == "function" then return spec(msg) end
  if st == "table" then
    local fold = not legacy()
    local tags = msg.Tags
    for key, s in pairs(spec) do
      local root = msg[key]
      local tag = tags and tags[key]
      if not root and not tag then return false end
      local onRoot = matchValue(s, root, msg, fold)
      local onTag = matchValue(s, tag, msg, fold)
      if not onRoot and not onTag then return false end
    end
    return true
  end
  if st == "string" then
    return msg.Action ~= nil and msg.Action == spec
  end
  return false
end

-- decide turns a pattern result into -1 (run and stop), 1 (run and go on)
-- or 0 (skip). Any other result type is an error, as in aos.
local function decide(r, name)
  local t = type(r)
  if t == "boolean" then return r and -1 or 0 end
  if t == "number" then
    if r < 0 then return -1 elseif r > 0 then return 1 end
    return 0
  end
  if t == "string" then
    if r == "break" then return -1 elseif r == "continue" then return 1 end
    return 0
  end
  error("handler '" .. tostring(name) .. "': pattern returned " .. t ..
    "; a pattern must return a boolean, a number or a string", 0)
end
Handlers.decide = decide

function utils.hasMatchingTag(name, value)
  return function(msg) return msg.Tags[name] == value end
end

-- hasMatchingTagOf answers the first match of hasMatchingTag, and 0 (not
-- false) when no value matches, as aos does.
function utils.hasMatchingTagOf(name, values)
  return function(msg)
    for _, v in ipairs(values) do
      local r = utils.hasMatchingTag(name, v)(msg)
      if r ~= 0 and r ~= false and r ~= "skip" then return r end
    end
    return 0
  end
end

function utils.hasMatchingData(value)
  return function(msg) return msg.Data == value end
end

function utils.reply(input)
  return function(msg)
    if type(input) == "string" then input = { Data = input } end
    msg.reply(input)
  end
end

-- continue turns any match of pattern into 1 (run and go on); a result
-- that skips is passed through as it is.
function utils.continue(pattern)
  return function(msg)
    local r = utils.matchesSpec(msg, pattern)
    if not r or r == 0 or r == "skip" then return r end
    return 1
  end
end

-- generateResolver turns a {pattern = function} table into one function that
-- runs the first entry whose pattern matches.
function Handlers.generateResolver(spec)
  return function(msg, env)
    for pattern, fn in pairs(spec) do
      if decide(utils.matchesSpec(msg, pattern), "resolver") ~= 0 then
        return fn(msg, env)
      end
    end
  end
end

local function find(name)
  for i, h in ipairs(Handlers.list) do
    if h.name == name then return i end
  end
  return nil
end

local function entry(fn, name, pattern, handle, maxRuns)
  if handle == nil then
    -- Two-argument form: the name is also the Action to match.
    handle, pattern = pattern, name
  end
  if type(name) ~= "string" then error("Handlers." .. fn .. ": name must be a string", 3) end
  local ht = type(handle)
  if ht ~= "function" and ht ~= "table" then
    error("Handlers." .. fn .. "(" .. name .. "): handle must be a function or a table", 3)
  end
  local pt = type(pattern)
  if pt ~= "function" and pt ~= "string" and pt ~= "table" then
    error("Handlers." .. fn .. "(" .. name .. "): pattern must be a function, a string or a table", 3)
  end
  return { name = name, pattern = pattern, handle = handle, maxRuns = maxRuns }
end

-- place puts h at position at, or replaces the handler of the same name where
-- it stands.
local function place(h, at)
  local i = find(h.name)
  if i then
    Handlers.list[i] = h
  else
    table.insert(Handlers.list, at or (#Handlers.list + 1), h)
  end
  return #Handlers.list
end

function Handlers.add(name, pattern, handle, maxRuns)
  return place(entry("add", name, pattern, handle, maxRuns))
end

-- append, prepend and once return nothing, as in aos (add returns the
-- number of handlers).
function Handlers.append(name, pattern, handle, maxRuns)
  place(entry("append", name, pattern, handle, maxRuns))
end

function Handlers.prepend(name, pattern, handle, maxRuns)
  place(entry("prepend", name, pattern, handle, maxRuns), 1)
end

-- once(name, pattern, handle) is named only with three arguments, as in
-- aos: once(pattern, handle), and so once("Name", fn), is anonymous, named
-- _once_0, _once_1...
function Handlers.once(...)
  local name, pattern, handle
  if select("#", ...) == 3 then
    name, pattern, handle = ...
  else
    pattern, handle = ...
    name = "_once_" .. tostring(Handlers.onceNonce)
    Handlers.onceNonce = Handlers.onceNonce + 1
  end
  place(entry("once", name, pattern, handle, 1), 1)
end

function Handlers.remove(name)
  local i = find(name)
  if i then table.remove(Handlers.list, i) end
  return #Handlers.list
end

-- before(name).add(...) inserts just before the named handler; after(name)
-- just after it. As in aos: the position is found when before/after is
-- called, a handler of the same name elsewhere is not replaced, add returns
-- nothing, and when no handler has that name add does nothing.
local function relative(anchor, offset)
  if type(anchor) ~= "string" then error("Handler name MUST be a string", 3) end
  local i = find(anchor)
  return {
    add = function(name, pattern, handle, maxRuns)
      local h = entry("add", name, pattern, handle, maxRuns)
      if i then table.insert(Handlers.list, i + offset, h) end
    end,
  }
end

function Handlers.before(name) return relative(name, 0) end
function Handlers.after(name) return relative(name, 1) end

-- run calls a handle in a coroutine so it may wait with Receive. Workers
-- are reused: a worker that finished its handle yields DONE and waits for
-- the next one; a worker suspended in Receive is left to the message that
-- resumes it.
local DONE = {}
local idle = nil

local function worker(fn, msg, env)
  while true do
    fn(msg, env)
    fn, msg, env = coroutine.yield(DONE)
  end
end

local function run(h, msg, env)
  local fn = h.handle
  if type(fn) == "table" then fn = Handlers.generateResolver(fn) end
  local co = idle
  idle = nil
  if co ~= nil then Handlers.waiting[co] = nil end
  -- A state rollback can bring back a worker that has since died.
  if co == nil or coroutine.status(co) ~= "suspended" then
    co = coroutine.create(worker)
  end
  local ok, res = coroutine.resume(co, fn, msg, env)
  if not ok then error(res, 0) end
  if res == DONE then
    idle = co
    Handlers.waiting[co] = "idle"
  end
end

-- evaluate runs the handlers that match msg, in order. A result of -1 (true,
-- "break") stops the loop; 1 ("continue") goes on. _default runs last, only
-- when no handler said stop. It returns whether a handler said stop.
function Handlers.evaluate(msg, env)
  local handled = false
  for _, h in ipairs(Handlers.list) do
    if h.name ~= "_default" then
      -- Most patterns are functions that answer true or false: those are
      -- decided here without two more calls per handler and message.
      local r
      if type(h.pattern) == "function" then
        r = h.pattern(msg)
      else
        r = utils.matchesSpec(msg, h.pattern)
      end
      local d
      if r == true then
        d = -1
      elseif r == false then
        d = 0
      else
        d = decide(r, h.name)
      end
      if d ~= 0 then
        if d < 0 then handled = true end
        run(h, msg, env)
        if type(h.maxRuns) == "number" then
          h.maxRuns = h.maxRuns - 1
          if h.maxRuns == 0 then Handlers.remove(h.name) end
        end
        if d < 0 then return handled end
      end
    end
  end
  if not handled then
    local i = find("_default")
    if i then run(Handlers.list[i], msg, env) end
  end
  return handled
end

-- receive suspends the running handler until a message matching pattern
-- arrives, and returns that message.
function Handlers.receive(pattern)
  local co = coroutine.running()
  if co == nil then error("Receive: only a handler can wait for a message", 2) end
  if Handlers.insidePcall and Handlers.insidePcall() then
    error("Receive cannot wait inside pcall on this engine (gopher-lua cannot yield across pcall); call it outside pcall", 2)
  end
  Handlers.once(pattern, function(m)
    Handlers.waiting[co] = nil
    local ok, err = coroutine.resume(co, m)
    if not ok then error(err, 0) end
  end)
  Handlers.waiting[co] = "receive"
  return coroutine.yield(pattern)
end

return Handlers
