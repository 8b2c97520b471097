-- Engine-specific part of the runtime, loaded only by the gopher-lua
-- engine: gopher-lua cannot yield across pcall (a coroutine that yields
-- inside pcall makes pcall return early instead of suspending). This file
-- tracks pcall depth per coroutine so that Receive can refuse with a clear
-- error instead of silently misbehaving.
local Handlers = require(".handlers")

local rawPcall, rawXpcall = pcall, xpcall
local depth = {}

local function leave(key, ...)
  local d = depth[key] - 1
  if d == 0 then depth[key] = nil else depth[key] = d end
  return ...
end

pcall = function(f, ...)
  local key = coroutine.running() or "main"
  depth[key] = (depth[key] or 0) + 1
  return leave(key, rawPcall(f, ...))
end

xpcall = function(f, handler)
  local key = coroutine.running() or "main"
  depth[key] = (depth[key] or 0) + 1
  return leave(key, rawXpcall(f, handler))
end

Handlers.insidePcall = function()
  local co = coroutine.running()
  return co ~= nil and (depth[co] or 0) > 0
end

-- gopher-lua gives each coroutine the time budget (context) of the message
-- that created it, so a coroutine kept across messages (a generator in a
-- global, a handler waiting in Receive) would fail when resumed later. The
-- engine renews the budget of every live coroutine before each message;
-- this registry is how it finds them. Dead ones are pruned as new ones come.
local rawCreate, rawResume, rawStatus = coroutine.create, coroutine.resume, coroutine.status
local live = {}
local made = 0

coroutine.create = function(f)
  local co = rawCreate(f)
  made = made + 1
  if made % 64 == 0 then
    for c in pairs(live) do
      if rawStatus(c) == "dead" then live[c] = nil end
    end
  end
  live[co] = true
  return co
end

local function passWrapped(ok, ...)
  if not ok then error((...), 0) end
  return ...
end

coroutine.wrap = function(f)
  local co = coroutine.create(f)
  return function(...) return passWrapped(rawResume(co, ...)) end
end

return { live = live }
