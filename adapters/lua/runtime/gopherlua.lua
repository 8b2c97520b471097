-- Engine-specific part of the runtime, loaded only by the gopher-lua
-- engine: gopher-lua cannot yield across pcall (a coroutine that yields
-- inside pcall makes pcall return early instead of suspending), so Receive
-- asks whether a pcall is open in its coroutine and refuses with a clear
-- error instead of silently misbehaving.
local Handlers = require(".handlers")

-- pcall and xpcall are the engine's (Go, adapters/lua/base53.go), which
-- count how many are open in each coroutine.
Handlers.insidePcall = require(".insidepcall")

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

-- coroutine.wrap is the engine's (Go, adapters/lua/base53.go): it makes
-- its coroutine with coroutine.create above, so the registry has it too.

return { live = live }
