-- MostAO reference Domain process (MIP-01, following the MIP-00 conventions).
--
-- A registry of names: each registered name has an owner (who may reassign
-- or renounce it) and a pid (the process the name points to).
--
--   QueryDomain  read   Data = "<name>"  or {"name"}   -> {name, registered, owner?, pid?}
--   GetDomains   read   Data = "<owner>" or {"owner"}  -> {owner, domains}
--   Register     write  Data = {"name", "pid"}         -> {name, owner, pid}
--   Renounce     write  Data = {"name"}                -> {name, renounced}
--
-- Every request gets exactly one reply: "<Op>-Response" with a JSON object,
-- or "<Op>-Error" with tag Error = <code> and Data {"code", "message"}.
-- Each operation is a function that validates everything first, then
-- changes the state, and returns either a result or an error; one wrapper
-- sends the one reply. Nothing here can raise a Lua error on any input.
--
-- Written in Lua 5.1 syntax so that it runs on aos (Lua 5.3) and on Lua 5.1
-- engines alike.

local json = require("json")

-- The registry: name -> { owner = <id>, pid = <id> }. A global, so that it
-- survives from message to message (aos keeps a process's globals).
Domains = Domains or {}

local MAX_DATA_BYTES = 4096 -- MIP00-INP-3
local MAX_NAME_LEN = 32     -- MIP01-NAME-1
local ID_LEN = 43           -- MIP01-NAME-2

-- A failure: the error code and the human sentence of the reply.
local function failure(code, message)
  return { code = code, message = message }
end

-- MIP01-NAME-1: 1 to 32 of a-z 0-9 - _, the first and last a letter or digit.
local function isName(s)
  if type(s) ~= "string" or #s < 1 or #s > MAX_NAME_LEN then
    return false
  end
  if not string.find(s, "^[a-z0-9_%-]+$") then
    return false
  end
  return string.find(s, "^[a-z0-9]") ~= nil and string.find(s, "[a-z0-9]$") ~= nil
end

-- MIP01-NAME-2: an id is exactly 43 characters of base64url.
local function isId(s)
  return type(s) == "string" and #s == ID_LEN and string.find(s, "^[A-Za-z0-9_%-]+$") ~= nil
end

local NAME_RULE = "a name is 1 to 32 characters of a-z, 0-9, '-' and '_', starting and ending with a letter or digit"
local ID_RULE = "an id is 43 characters of base64url (A-Z, a-z, 0-9, '-', '_')"

-- The request's Data as text, for the size limit. aos hands over Data
-- already decoded when the request is tagged Content-Type: application/json
-- (MIP00-ACT-3); then its JSON encoding is measured.
local function dataText(msg)
  if type(msg.Data) == "table" then
    local ok, text = pcall(json.encode, msg.Data)
    if ok then
      return text
    end
    return ""
  end
  if msg.Data == nil then
    return ""
  end
  return tostring(msg.Data)
end

-- Decodes Data as a JSON object. Returns the table, or nil when Data is not
-- JSON or not an object (a JSON string, number, true, false or null).
-- json.decode raises on malformed text, hence the pcall (MIP00-INP-2).
local function decodeObject(msg)
  if type(msg.Data) == "table" then
    return msg.Data
  end
  local text = dataText(msg)
  -- Only text that opens with "{" can be an object; most reads send a bare
  -- name, which need not go through a failing decode.
  if not string.find(text, "^%s*{") then
    return nil
  end
  -- aos's json.decode takes a comma before a closing brace ({"a":1,}),
  -- which is no JSON (MIP00-INP-1). Data the domain accepts holds only
  -- names and ids, never "," then "}", so this refuses nothing else.
  if string.find(text, ",%s*}") then
    return nil
  end
  local ok, value = pcall(json.decode, text)
  if ok and type(value) == "table" then
    return value
  end
  return nil
end

-- Checks that obj has exactly the given fields, each a string (MIP00-INP-1,
-- MIP00-INP-4). A JSON array decodes to a table with number keys, which
-- this refuses as unknown fields.
local function checkFields(obj, fields)
  local wanted = {}
  for _, f in ipairs(fields) do
    wanted[f] = true
    if obj[f] == nil then
      return failure("InvalidInput", "Data is missing the field '" .. f .. "'")
    end
    if type(obj[f]) ~= "string" then
      return failure("InvalidInput", "the field '" .. f .. "' must be a string")
    end
  end
  for key in pairs(obj) do
    if not wanted[key] then
      local shown = tostring(key)
      if #shown > 32 then
        shown = string.sub(shown, 1, 32) .. "..."
      end
      return failure("InvalidInput", "unknown field '" .. shown .. "' in Data")
    end
  end
  return nil
end

-- Reads the one argument of a read: the field of a JSON object when Data is
-- one, else the whole Data as it is (MIP01-QRY-4, MIP01-GET-4).
local function readArgument(msg, field)
  local obj = decodeObject(msg)
  if obj == nil then
    return dataText(msg), nil
  end
  local bad = checkFields(obj, { field })
  if bad then
    return nil, bad
  end
  return obj[field], nil
end

-- Reads a write's JSON object with exactly the given string fields.
local function readObject(msg, fields)
  local obj = decodeObject(msg)
  if obj == nil then
    return nil, failure("InvalidInput", "Data must be a JSON object with the fields " .. table.concat(fields, ", "))
  end
  local bad = checkFields(obj, fields)
  if bad then
    return nil, bad
  end
  return obj, nil
end

-- The operations. Each takes the request and returns the reply object on
-- success, or nil and a failure. None changes state before its last check.

local function queryDomain(msg)
  local name, bad = readArgument(msg, "name")
  if bad then
    return nil, bad
  end
  if not isName(name) then
    return nil, failure("InvalidInput", NAME_RULE)
  end
  local record = Domains[name]
  if record == nil then
    return { name = name, registered = false }
  end
  return { name = name, registered = true, owner = record.owner, pid = record.pid }
end

local function getDomains(msg)
  local owner, bad = readArgument(msg, "owner")
  if bad then
    return nil, bad
  end
  if not isId(owner) then
    return nil, failure("InvalidInput", "owner: " .. ID_RULE)
  end
  local names = {}
  for name, record in pairs(Domains) do
    if record.owner == owner then
      table.insert(names, name)
    end
  end
  -- Byte order; names are unique, so no tie-break is needed (MIP01-GET-1).
  table.sort(names)
  -- json.encode writes an empty table as [] (MIP01-GET-3).
  return { owner = owner, domains = names }
end

local function register(msg)
  local req, bad = readObject(msg, { "name", "pid" })
  if bad then
    return nil, bad
  end
  if not isName(req.name) then
    return nil, failure("InvalidInput", NAME_RULE)
  end
  if not isId(req.pid) then
    return nil, failure("InvalidInput", "pid: " .. ID_RULE)
  end
  local record = Domains[req.name]
  if record ~= nil and record.owner ~= msg.From then
    return nil, failure("NameTaken", "the name '" .. req.name .. "' belongs to someone else")
  end
  -- A free name, or one the sender owns (a reassignment): the sender is
  -- the owner either way (MIP01-REG-1, MIP01-REG-2).
  Domains[req.name] = { owner = msg.From, pid = req.pid }
  return { name = req.name, owner = msg.From, pid = req.pid }
end

local function renounce(msg)
  local req, bad = readObject(msg, { "name" })
  if bad then
    return nil, bad
  end
  if not isName(req.name) then
    return nil, failure("InvalidInput", NAME_RULE)
  end
  local record = Domains[req.name]
  if record == nil then
    return nil, failure("NotFound", "the name '" .. req.name .. "' is not registered")
  end
  if record.owner ~= msg.From then
    return nil, failure("Unauthorized", "only the owner of '" .. req.name .. "' may renounce it")
  end
  Domains[req.name] = nil
  return { name = req.name, renounced = true }
end

-- Matches the Action tag exactly (MIP00-ACT-2): "register" is not
-- "Register". A table pattern such as { Action = "Register" } compares
-- without regard to case on aos 2.0.6 and later; this function pattern
-- makes its own exact comparison, the same on every version.
local function isAction(action)
  return function(msg)
    return msg.Tags ~= nil and msg.Tags.Action == action
  end
end

-- Adds the handler of one operation: size check, then the operation, then
-- exactly one reply (MIP00-REP-1), sent with msg.reply so that it goes to
-- Reply-To or the sender and carries X-Reference (MIP00-REP-2).
local function operation(action, run)
  Handlers.add(action, isAction(action), function(msg)
    local result, bad
    if #dataText(msg) > MAX_DATA_BYTES then
      bad = failure("LimitExceeded", "Data is larger than " .. MAX_DATA_BYTES .. " bytes")
    else
      result, bad = run(msg)
    end
    if bad then
      msg.reply({
        Action = action .. "-Error",
        Error = bad.code,
        Data = json.encode({ code = bad.code, message = bad.message }),
      })
      return
    end
    msg.reply({ Action = action .. "-Response", Data = json.encode(result) })
  end)
end

operation("QueryDomain", queryDomain)
operation("GetDomains", getDomains)
operation("Register", register)
operation("Renounce", renounce)
-- Any other Action falls through to aos's default handler (the Inbox) and
-- gets no reply (MIP00-ACT-1).
