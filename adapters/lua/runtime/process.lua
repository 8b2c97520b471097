-- process.handle: what a process does with each message. It resets the
-- outbox, normalises the message, boots the process on its first message,
-- applies the trust rule, runs the handlers and returns the aos result.
-- Plain Lua 5.1 (it also runs on Lua 5.3): no engine-specific calls.
local process = { _version = "mostao-runtime-1" }

-- The globals every aos process has. aos's process.handle names ao and
-- Handlers as globals on every message, so a process that replaces them
-- changes how its messages are handled, and one that removes them crashes
-- every message after it: the functions below read them from the globals
-- too (there is no local of either name in this file). The runtime's ao
-- table keeps the engine's setting, the profile, whatever ao becomes.
local runtime = require(".ao")
ao = runtime
Handlers = require(".handlers")
_G.Colors = {
  red = "\27[31m", green = "\27[32m", blue = "\27[34m", gray = "\27[90m", reset = "\27[0m",
}

local booted = false
local now = 0
local printed = {}
local lastNonce = nil
local MAX_INBOX = 10000

local stringify = require(".stringify").format
process.stringify = stringify

-- print collects text into the result's Output.
function print(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = stringify((select(i, ...))) end
  printed[#printed + 1] = table.concat(parts, "\t")
end

-- os.time is the message's Timestamp (milliseconds), as in aos.
os.time = function() return now end
os.clock = function() return now / 1000 end

-- Utils, Dump, Tab, Prompt, Errors, Seeded, math.random...: the other
-- globals of aos, set around each message by aos.begin and aos.finish.
local aos = require(".aosglobals")

-- decorate gives a queued message onReply/receive helpers that wait for the
-- answer that carries its reference (ref, the value of its Reference tag).
ao.decorate = function(out, kind, ref)
  local copy = out
  local target
  local pattern
  if kind == "spawn" then
    pattern = function(m)
      return m.Tags.Action == "Spawned" and m.From == ao.id and m.Tags.Reference == ref
    end
  else
    target = out.Target
    pattern = function(m)
      return m.From == target and m.Tags["X-Reference"] == ref
    end
  end
  copy.onReply = function(fn) Handlers.once(pattern, fn) end
  copy.receive = function() return Handlers.receive(pattern) end
  return copy
end

-- Send and Spawn are aos's console helpers: they return a table with an
-- output line (and the reply helpers), not the queued message. Send without
-- a Target warns and sends anyway; Spawn with one argument spawns the
-- process's own module.
Send = function(m)
  if type(m) == "table" and not m.Target then
    print("WARN: No target specified for message. Data will be stored, but no process will receive it.")
  end
  local r = ao.send(m)
  return { output = "Message added to outbox", receive = r.receive, onReply = r.onReply }
end
Spawn = function(...)
  local module, m
  if select("#", ...) == 1 then
    m = ...
    module = ao._module
  else
    module, m = ...
  end
  local r = ao.spawn(module, m or {})
  return { output = "Spawn process request added to outbox", after = r.after, receive = r.receive }
end
Receive = function(pattern) return Handlers.receive(pattern) end

local function addReply(msg)
  msg.reply = function(r)
    if type(r) == "string" then r = { Data = r } end
    if type(r) ~= "table" then error("msg.reply: expected a table", 2) end
    r.Target = msg["Reply-To"] or r.Target or msg.From
    r["X-Reference"] = msg["X-Reference"] or msg.Reference
    r["X-Origin"] = msg["X-Origin"]
    return ao.send(r)
  end
  msg.forward = function(target, partial)
    partial = partial or {}
    local out = { Target = target, Data = partial.Data or msg.Data, Tags = {} }
    local skip = {
      ["Data-Protocol"] = true, Variant = true, Type = true, Reference = true,
      ["From-Process"] = true, ["From-Module"] = true, ["X-Reference"] = true,
      ["X-Origin"] = true, ["Reply-To"] = true,
    }
    for _, tag in ipairs(msg.TagArray or {}) do
      if not skip[tag.name] and partial[tag.name] == nil then
        out.Tags[#out.Tags + 1] = { name = tag.name, value = tag.value }
      end
    end
    for k, v in pairs(partial) do
      if k ~= "Data" and k ~= "Target" and k ~= "Tags" then out[k] = v end
    end
    out["Reply-To"] = msg["Reply-To"] or msg.From
    out["X-Reference"] = msg["X-Reference"] or msg.Reference
    out["X-Origin"] = msg["X-Origin"] or msg.From
    return ao.send(out)
  end
end

-- boot sets what aos sets on a process's first message, and adds the
-- once handler _boot (runtime/boot.lua) that takes the spawn message: it
-- goes to the Inbox, and On-Boot code runs.
local function boot(msg)
  booted = true
  Owner = msg.From
  Name = msg.Tags.Name or "aos"
  Inbox = Inbox or {}
  Handlers.once("_boot", function(m)
    return m.Tags.Type == "Process" and Owner == m.From
  end, require(".boot")(ao))
end

Handlers.add("_eval", function(msg)
  return msg.Action == "Eval" and msg.From == Owner
end, require(".eval")(ao))

Handlers.add("_default", function() return true end, function(msg)
  if #Inbox >= MAX_INBOX then table.remove(Inbox, 1) end
  Inbox[#Inbox + 1] = msg
  print("New Message From " .. tostring(msg.From) .. ": Action = " .. tostring(msg.Action))
end)

-- setup picks the runtime profile ("aos-2.0.4" or "aos-current").
function process.setup(cfg)
  runtime.profile = cfg.Profile or runtime.profile
end

local function output()
  return { data = table.concat(printed, "\n"), prompt = "aos> ", print = true }
end

-- refused is the result of a message the runtime turned away before any
-- handler ran: what it printed and sent, marked Untrusted.
local function refused()
  return {
    Output = output(), Messages = ao.outbox.Messages, Spawns = ao.outbox.Spawns,
    Assignments = ao.outbox.Assignments, Untrusted = true,
  }
end

-- handle evaluates one message. init, when given, is run (inside the error
-- boundary) after the process is booted and before the handlers: the engine
-- passes the module's code with the spawn message.
function process.handle(msg, env, init)
  ao.clearOutbox()
  printed = {}
  ao.init(env)
  now = msg.Timestamp or now
  msg = ao.normalize(msg)
  if msg.Tags["Content-Type"] == "application/json" then
    -- Outside the error boundary on purpose: invalid JSON crashes the call.
    -- The json module is required here, as aos does, so a process that
    -- replaces package.loaded.json (or require) decodes with its own.
    msg.Data = require("json").decode(msg.Data)
  end
  if not booted then boot(msg) end
  aos.begin(msg, printed)
  if not ao.isTrusted(msg) then
    if runtime.profile == "aos-2.0.4" and msg.From ~= ao.id then
      ao.send({ Target = msg.From, Data = "Message is not trusted by this process!" })
    end
    print("Message is not trusted! From: " .. tostring(msg.From) .. " - Owner: " .. tostring(msg.Owner))
    return refused()
  end
  -- A message whose Target is another process reached this one by
  -- assignment: aos refuses it unless an assignable (ao.addAssignable)
  -- matches it, and tells the sender.
  if ao.isAssignment(msg) and not ao.isAssignable(msg) then
    if msg.From ~= ao.id then
      ao.send({ Target = msg.From, Data = "Assignment is not trusted by this process!" })
    end
    print("Assignment is not trusted! From: " .. tostring(msg.From) .. " - Owner: " .. tostring(msg.Owner))
    return refused()
  end
  if runtime.profile == "aos-2.0.4" and msg.Nonce ~= nil then
    local n = tonumber(msg.Nonce)
    if lastNonce ~= nil and n ~= lastNonce + 1 then
      print("WARNING: expected Nonce " .. tostring(lastNonce + 1) .. " but got " .. tostring(msg.Nonce))
    end
  end
  -- aos makes its _eval and _default handlers again for every message it
  -- trusts, with require(".eval") and require(".default"): a process that
  -- breaks require crashes here, as it does there.
  require(".eval")
  require(".default")
  addReply(msg)
  -- The module's own code (init) runs first, as a module's code runs on
  -- AO before its first message: what it does to Handlers applies to it.
  local ok, err = true, nil
  if init then ok, err = pcall(init) end
  if ok then
    -- As aos's pcall(Handlers.evaluate, msg, env): the function is found
    -- outside the error boundary, so a process without Handlers crashes.
    ok, err = pcall(Handlers.evaluate, msg, env)
  end
  if not ok then
    if type(err) ~= "string" then
      -- An error value that is not text escapes, as it does in aos.
      error(err)
    end
    aos.finish(msg, err)
    return { Error = err }
  end
  if ao.outbox.Error ~= nil then
    -- A handler (Eval's, for one) set the result's error without raising.
    local e = ao.outbox.Error
    if type(e) ~= "string" then e = stringify(e) end
    aos.finish(msg)
    return { Error = e }
  end
  if msg.Nonce ~= nil then lastNonce = tonumber(msg.Nonce) end
  aos.finish(msg)
  return {
    Output = output(), Messages = ao.outbox.Messages, Spawns = ao.outbox.Spawns,
    Assignments = ao.outbox.Assignments,
  }
end

return process
