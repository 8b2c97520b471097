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

return true
