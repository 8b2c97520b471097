-- The globals aos gives every process besides ao, Handlers and the message
-- loop: Utils, Dump, Tab, Prompt, Version, Assign, Bell, Errors, Seeded,
-- HANDLER_PRINT_LOGS, Handlers.coroutines, ao.Nonce, require("ao"), and
-- math.random, aos's own function over .chance, set with chance's seed on
-- the first message as aos does. Written from aos's documented
-- behaviour. Plain Lua 5.1 that also runs on Lua 5.3. process.lua calls begin and finish around each message.
-- ao and Handlers are read from the globals, as aos reads them (see
-- process.lua); registry is the runtime's Handlers, whose table of waiting
-- coroutines is the engine's own.
local registry = require(".handlers")
local chance = require(".chance")

local aos = {}

-- aos 2.0.4 and 2.0.6 both carry process._version "2.0.4" and ao._version
-- "0.0.6": a process reads the same values here.
aos.version = "2.0.4"
ao._version = "0.0.6"
package.loaded["ao"] = ao

Utils = require(".utils")
Dump = require(".dump")
Bell = "\7"
Errors = Errors or {}
Seeded = Seeded or false
Handlers.coroutines = Handlers.coroutines or {}
require(".assignment").init(ao)

-- Lua 5.1 names that Lua 5.3 (and so aos) does not have: a process that
-- uses them would pass here and fail on AO. aos has no unpack, loadstring
-- or module, so it is built without Lua 5.3's LUA_COMPAT_5_1, which also
-- brings table.maxn, package.loaders and package.seeall; the others are
-- gone from every Lua 5.3. aos is built with LUA_COMPAT_5_2, so it keeps
-- bit32 and math.log10, cosh, sinh, tanh, pow, frexp and ldexp.
-- (gopher-lua's require reads its searchers from the registry, not from
-- package.loaders; package.searchers is their Lua 5.3 name.)
loadstring, unpack, setfenv, getfenv, module, newproxy = nil, nil, nil, nil, nil, nil
table.getn, table.maxn, string.gfind, math.mod = nil, nil, nil, nil
package.seeall = nil
package.searchers = package.searchers or package.loaders
package.loaders = nil

-- Tab turns a message's tag array into a name -> value map (first wins).
function Tab(msg)
  local inputs = {}
  for _, tag in ipairs(msg.Tags) do
    if inputs[tag.name] == nil then inputs[tag.name] = tag.value end
  end
  return inputs
end

function Prompt()
  return Colors.green .. Name .. Colors.gray .. "@" .. Colors.blue .. "aos-" .. aos.version ..
    Colors.gray .. "[Inbox:" .. Colors.red .. tostring(#Inbox) .. Colors.gray .. "]" ..
    Colors.reset .. "> "
end

function Version()
  print("version: " .. aos.version)
end

function Assign(assignment)
  ao.assign(assignment)
  print("Assignment added to outbox.")
  return "Assignment added to outbox."
end

-- border is #args for args = { ... } of n values as Lua 5.3 counts it
-- (aos's math.random counts its arguments so): n when the last is not
-- nil, else the border its binary search finds. gopher-lua counts
-- otherwise, so both engines count here.
local function border(n, args)
  if n == 0 or args[n] ~= nil then return n end
  local i, j = 0, n
  while j - i > 1 do
    local m = math.floor((i + j) / 2)
    if args[m] == nil then j = m else i = m end
  end
  return i
end

-- seed is aos's: the first message's Block-Height followed by the decimal
-- byte sum of its Owner, Module and Id, read as one number.
local function seed(msg)
  local text = tostring(msg.Owner) .. tostring(msg.Module) .. tostring(msg.Id)
  local sum = 0
  local bytes = { string.byte(text, 1, -1) }
  for i = 1, #bytes do sum = sum + bytes[i] end
  local n = tonumber(tostring(msg["Block-Height"]) .. tostring(sum))
  chance.seed(n)
  -- aos replaces Lua's math.random with this function, which draws from
  -- .chance: a third argument is ignored, a bound is not checked by Lua's
  -- rules but by chance.integer's comparison (math.random(1.5) is
  -- chance.integer(1, 1.5)), and math.randomseed no longer changes it.
  math.random = function(...)
    local args = { ... }
    local n = border(select("#", ...), args)
    if n == 1 then return chance.integer(1, args[1]) end
    if n == 2 then return chance.integer(args[1], args[2]) end
    return chance.random()
  end
end

-- begin runs for every message once it is normalised. printed is the
-- table print writes to: aos exposes it as HANDLER_PRINT_LOGS.
function aos.begin(msg, printed)
  HANDLER_PRINT_LOGS = printed
  Errors = Errors or {}
  if not Seeded then
    seed(msg)
    Seeded = true
  end
  if ao.Nonce == nil and not msg["Read-Only"] and not msg.Cron then
    ao.Nonce = tonumber(msg.Nonce)
  end
end

-- finish runs after the handlers: err is the handlers' error, if any.
function aos.finish(msg, err)
  if err ~= nil then
    if msg.Action == "Eval" then table.insert(Errors, err) end
  else
    ao.Nonce = msg.Nonce
  end
  -- The coroutines that will wake up: the handlers waiting in Receive. The
  -- list is updated in place, so a message that changes nothing leaves it
  -- untouched (and costs a state rollback nothing).
  local list = Handlers.coroutines
  if type(list) ~= "table" then
    list = {}
    Handlers.coroutines = list
  end
  local n = 0
  for co, why in pairs(registry.waiting) do
    if why == "receive" then
      n = n + 1
      if list[n] ~= co then list[n] = co end
    end
  end
  for i = #list, n + 1, -1 do list[i] = nil end
end

return aos
