-- The ao object: a process's identity, its environment and its outbox, plus
-- the message normalisation and trust rule every message goes through.
-- Plain Lua 5.1 (it also runs on Lua 5.3): no engine-specific calls.
local json = require("json")

local ao = {
  _version = "mostao-runtime-1",
  id = "",
  _module = "",
  env = {},
  authorities = {},
  reference = 0,
  profile = "aos-current",
  outbox = { Output = {}, Messages = {}, Spawns = {}, Assignments = {} },
}

-- Tags that stay in msg.TagArray/msg.Tags and never become root keys.
local protocolTags = {
  ["Data-Protocol"] = true, ["Variant"] = true, ["From-Process"] = true,
  ["From-Module"] = true, ["Type"] = true, ["From"] = true, ["Owner"] = true,
  ["Anchor"] = true, ["Target"] = true, ["Data"] = true, ["Tags"] = true,
  ["Read-Only"] = true,
}

-- Root keys of an outgoing message that are not tags.
local notTags = { Target = true, Data = true, Anchor = true, Tags = true, From = true }

function ao.clearOutbox()
  ao.outbox = { Output = {}, Messages = {}, Spawns = {}, Assignments = {} }
end

-- splitAuthority returns the addresses one Authority tag value names. The
-- current profile splits on commas; aos 2.0.4 takes the value whole.
local function splitAuthority(value)
  if ao.profile == "aos-2.0.4" then return { value } end
  local out = {}
  for part in string.gmatch(value, "[^,]+") do
    local a = string.gsub(part, "^%s+", "")
    a = string.gsub(a, "%s+$", "")
    if a ~= "" then out[#out + 1] = a end
  end
  return out
end

-- tagMap gives a tag array as aos's name -> value map: the first of a
-- duplicate name wins, and names stay as they are.
local function tagMap(tags)
  local map = {}
  for _, tag in ipairs(tags) do
    if map[tag.name] == nil then map[tag.name] = tag.value end
  end
  return map
end

-- init reads the process identity and its authorities from env (once per
-- env: the Lua engine passes the same table with every message, the
-- compiled module a new one). As aos 2.0 does, env.Process keeps the spawn's
-- tag array as TagArray and its Tags become a name -> value map; a
-- Process that has a TagArray already was given so.
function ao.init(env)
  if ao.env == env and ao.id ~= "" then return end
  ao.env = env
  ao.id = env.Process.Id
  ao._module = env.Module and env.Module.Id or ""
  if env.Process.TagArray == nil then
    env.Process.TagArray = env.Process.Tags or {}
    env.Process.Tags = tagMap(env.Process.TagArray)
  end
  local auth = {}
  for _, tag in ipairs(env.Process.TagArray) do
    if tag.name == "Authority" then
      for _, a in ipairs(splitAuthority(tag.value)) do auth[#auth + 1] = a end
    end
  end
  ao.authorities = auth
end

-- normaliseName gives a tag name aos 2.0.6's canonical case: "_" becomes
-- "-", and each part starts upper-case with the rest lower-case
-- ("content_type" -> "Content-Type", "TokenId" -> "Tokenid", "SDK" ->
-- "Sdk"). Only ASCII letters change case, as in Lua's C locale. Most names
-- are canonical already; a byte scan finds those without building strings.
local BYTE_A, BYTE_Z, BYTE_UA, BYTE_UZ, DASH, UNDERSCORE = 97, 122, 65, 90, 45, 95
local normalised, normalisedCount = {}, 0
local function normaliseName(name)
  local canonical = true
  local atStart = true
  for i = 1, #name do
    local b = string.byte(name, i)
    if b == UNDERSCORE or (atStart and b >= BYTE_A and b <= BYTE_Z) or
        (not atStart and b >= BYTE_UA and b <= BYTE_UZ) then
      canonical = false
      break
    end
    atStart = (b == DASH)
  end
  if canonical then return name end
  local lower = string.lower((string.gsub(name, "_", "-")))
  local out = {}
  atStart = true
  for i = 1, #lower do
    local c = string.sub(lower, i, i)
    if atStart then c = string.upper(c) end
    out[i] = c
    atStart = (c == "-")
  end
  return table.concat(out)
end

-- The same few names come with every message: remember the answers (the
-- memo is emptied when it grows, so hostile names cannot bloat it).
function ao.normaliseName(name)
  local n = normalised[name]
  if n == nil then
    if normalisedCount >= 512 then normalised, normalisedCount = {}, 0 end
    n = normaliseName(name)
    normalised[name] = n
    normalisedCount = normalisedCount + 1
  end
  return n
end

-- normalize copies tags to root keys (last duplicate wins), keeps the tag
-- array as TagArray and turns Tags into a name -> value map (first wins).
-- In the current profile, as on aos 2.0.6, every tag name is normalised
-- first, in the array itself: the raw name is nowhere left on msg. (aos
-- normalises the root keys too; those the engine sets are canonical.)
function ao.normalize(msg)
  local raw = msg.Tags or {}
  local map = {}
  local current = ao.profile ~= "aos-2.0.4"
  for _, tag in ipairs(raw) do
    local name, value = tag.name, tag.value
    if current then
      name = normalised[name] or ao.normaliseName(name)
      tag.name = name
    end
    if not protocolTags[name] then msg[name] = value end
    if map[name] == nil then map[name] = value end
  end
  msg.TagArray = raw
  msg.Tags = map
  return msg
end

-- isTrusted: a message is trusted when its From is its signer, or when its
-- From or its signer is one of the process's authorities.
function ao.isTrusted(msg)
  if msg.From == msg.Owner then return true end
  for _, a in ipairs(ao.authorities) do
    if msg.From == a or msg.Owner == a then return true end
  end
  return false
end

local function padZero32(n)
  local s = tostring(n)
  return string.rep("0", 32 - #s) .. s
end

local function tagValue(name, v)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" or t == "boolean" then return tostring(v) end
  error("tag " .. tostring(name) .. ": value must be a string, got " .. t, 3)
end

local function sortedKeys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) == "string" then keys[#keys + 1] = k end
  end
  table.sort(keys)
  return keys
end

-- addTags appends the root keys of m (sorted by name, so the order is the
-- same on every engine) and then m.Tags (an array of {name, value} or a map,
-- the map sorted by name) to tags.
local function addTags(tags, m, skip)
  for _, k in ipairs(sortedKeys(m)) do
    local v = m[k]
    if not skip[k] and type(v) ~= "function" then
      tags[#tags + 1] = { name = k, value = tagValue(k, v) }
    end
  end
  local given = m.Tags
  if type(given) == "table" then
    if given[1] ~= nil then
      for _, tag in ipairs(given) do
        tags[#tags + 1] = { name = tag.name, value = tagValue(tag.name, tag.value) }
      end
    else
      for _, k in ipairs(sortedKeys(given)) do
        tags[#tags + 1] = { name = k, value = tagValue(k, given[k]) }
      end
    end
  end
end

-- encodeData turns the Data of the caller's table m into JSON when it is a
-- table, and sets m's Content-Type: aos does it in the caller's table, so
-- the caller sees m.Data as text afterwards.
local function encodeData(m)
  if type(m.Data) == "table" then
    m["Content-Type"] = "application/json"
    m.Data = json.encode(m.Data)
  end
  local data = m.Data
  if data == nil then return nil end
  return tostring(data)
end

-- send queues a message in the outbox and returns it. Every call takes the
-- next reference number. As on aos, a message without a Target is queued
-- too (no process will receive it).
function ao.send(m)
  if type(m) ~= "table" then error("ao.send: the message must be a table", 2) end
  if m.Target ~= nil and type(m.Target) ~= "string" then
    error("ao.send: the Target must be a string", 2)
  end
  local data = encodeData(m)
  ao.reference = ao.reference + 1
  local ref = tostring(ao.reference)
  local tags = {
    { name = "Data-Protocol", value = "ao" },
    { name = "Variant", value = "ao.TN.1" },
    { name = "Type", value = "Message" },
    { name = "Reference", value = ref },
  }
  addTags(tags, m, notTags)
  local out = { Target = m.Target, Data = data or "", Anchor = padZero32(ref), Tags = tags }
  table.insert(ao.outbox.Messages, out)
  if ao.decorate then return ao.decorate(out, "message", ref) end
  return out
end

-- spawn queues a new process of the given module.
function ao.spawn(module, m)
  if type(module) ~= "string" or module == "" then
    error("ao.spawn: the module id must be a string", 2)
  end
  m = m or {}
  if type(m) ~= "table" then error("ao.spawn: the spawn message must be a table", 2) end
  local data = encodeData(m)
  ao.reference = ao.reference + 1
  local ref = tostring(ao.reference)
  local tags = {
    { name = "Data-Protocol", value = "ao" },
    { name = "Variant", value = "ao.TN.1" },
    { name = "Type", value = "Process" },
    { name = "From-Process", value = ao.id },
    { name = "From-Module", value = ao._module },
    { name = "Module", value = module },
    { name = "Reference", value = ref },
  }
  addTags(tags, m, notTags)
  local out = { Data = data or "NODATA", Anchor = padZero32(ref), Tags = tags }
  table.insert(ao.outbox.Spawns, out)
  if ao.decorate then return ao.decorate(out, "spawn", ref) end
  return out
end

-- assign asks the scheduler to deliver an existing message to processes.
function ao.assign(a)
  if type(a) ~= "table" or type(a.Processes) ~= "table" or type(a.Message) ~= "string" then
    error("ao.assign: expected {Processes = {...}, Message = <id>}", 2)
  end
  table.insert(ao.outbox.Assignments, { Processes = a.Processes, Message = a.Message })
end

return ao
