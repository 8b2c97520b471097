-- require(".mostao"): the envelope of the compiled module. handle takes the
-- message and the environment as JSON text, runs process.handle (the
-- runtime shared with the Lua engine, adapters/lua/runtime) and returns
-- the JSON text {"ok": bool, "response": result}, as an aos module's
-- handle export does. ok = false means a Lua error escaped process.handle:
-- a runtime crash, not a handler error (those are inside the response).
--
-- The response is reduced here to what the host reads, the fields the Lua
-- engine reads from the result table in Go (adapters/lua/convert.go):
-- messages and spawns as {Target, Anchor, Data, Tags}, the printed output as
-- text, the error text, the assignments and the Untrusted mark.
local json = require("json")
local process = require(".process")

local function text(v)
  if v == nil then return "" end
  if type(v) == "string" then return v end
  return tostring(v)
end

local function messages(list)
  local out = {}
  if type(list) ~= "table" then return out end
  for i = 1, #list do
    local m = list[i]
    if type(m) == "table" then
      local tags = {}
      if type(m.Tags) == "table" then
        for j = 1, #m.Tags do
          local t = m.Tags[j]
          if type(t) == "table" then
            tags[#tags + 1] = { name = text(t.name), value = text(t.value) }
          end
        end
      end
      out[#out + 1] = { Target = text(m.Target), Anchor = text(m.Anchor), Data = text(m.Data), Tags = tags }
    end
  end
  return out
end

local function assignments(list)
  local out = {}
  if type(list) ~= "table" then return out end
  for i = 1, #list do
    local a = list[i]
    if type(a) == "table" then
      local ps = {}
      if type(a.Processes) == "table" then
        for j = 1, #a.Processes do ps[#ps + 1] = text(a.Processes[j]) end
      end
      out[#out + 1] = { Message = text(a.Message), Processes = ps }
    end
  end
  return out
end

local function output(o)
  if type(o) ~= "table" then return "" end
  local d = o.data
  if type(d) == "table" then
    local ok, s = pcall(json.encode, d)
    return ok and s or ""
  end
  return text(d)
end

local function response(r)
  if type(r) ~= "table" then
    error("process.handle returned " .. type(r) .. ", not a result table", 0)
  end
  if r.Error ~= nil then return { Error = text(r.Error) } end
  return {
    Output = output(r.Output),
    Messages = messages(r.Messages),
    Spawns = messages(r.Spawns),
    Assignments = assignments(r.Assignments),
    Untrusted = r.Untrusted == true,
  }
end

local function crash(err)
  if type(err) ~= "string" then
    return "runtime crash: an error was raised with a " .. type(err) .. " value, not a string"
  end
  return "runtime crash: " .. (err:match("^(.-)\nstack traceback:") or err)
end

local configured = false
-- init is the process's code, given by setup before the first message.
local init, initError

local mostao = {}

-- setup compiles the process's code (name is its chunk name, as the Lua
-- engine names a module's chunk); process.handle runs it with the first
-- message. A source that does not compile makes that message a crash.
function mostao.setup(name, source)
  local fn, err = load(source, "=" .. name, "t", _G)
  if fn then
    init, initError = fn, nil
  else
    init, initError = nil, "module " .. name .. " does not compile: " .. tostring(err)
  end
end

function mostao.handle(msgJSON, envJSON)
  local ok, res = pcall(function()
    local msg = json.decode(msgJSON)
    local env = json.decode(envJSON)
    if not configured then
      configured = true
      -- The runtime profile travels as a tag of the module.
      local profile
      for _, t in ipairs((env.Module or {}).Tags or {}) do
        if t.name == "Runtime-Profile" then profile = t.value end
      end
      process.setup({ Profile = profile })
    end
    if initError then error(initError, 0) end
    local code = init
    init = nil
    return response(process.handle(msg, env, code))
  end)
  if not ok then
    return json.encode({ ok = false, response = { Error = crash(res) } })
  end
  local encoded, out = pcall(json.encode, { ok = true, response = res })
  if not encoded then
    return json.encode({ ok = false, response = { Error = crash("encoding the result: " .. tostring(out)) } })
  end
  return out
end

return mostao
