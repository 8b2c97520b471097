-- MostAO MIP-03 reference chat session.
--
-- One process per DM or group. A profile spawns it with
-- ao.spawn(<session module>, {Data = {"type", "participants", "title"?}}); the
-- spawner (the process Owner) is the creator and, for a group, the admin.
-- The session stores the messages, numbers them 1, 2, 3..., and tells the
-- participant profiles what happens by notices (Session-Created,
-- Session-Message, Session-Changed, Session-Removed).
--
-- Every request gets exactly one reply (MIP-00); a request is validated in
-- full before anything changes. Plain Lua 5.1.
local json = require("json")

-- State lives in globals so that it survives between messages.
Session = Session or nil   -- {type, creator, participants = {{pid, role}}, title?, createdAt}
Messages = Messages or {}  -- list; Messages[i].id == i
SpawnSeen = SpawnSeen or false

local MAX_CONTENT = 10000
local MAX_PARTICIPANTS = 256
local MAX_TITLE = 128
local DEFAULT_LIMIT = 50
local MAX_LIMIT = 100

-- Helpers ------------------------------------------------------------------

local function chars(s)
  local _, n = string.gsub(s, "[^\128-\191]", "")
  return n
end

local function isId(s)
  return type(s) == "string" and #s == 43 and string.find(s, "^[A-Za-z0-9_-]+$") ~= nil
end

local function isCount(v)
  return type(v) == "number" and v >= 0 and v == math.floor(v) and v < 9007199254740992
end

local function isTitle(v)
  return type(v) == "string" and chars(v) >= 1 and chars(v) <= MAX_TITLE
end

local function is(action)
  return function(msg)
    return msg.Action == action
  end
end

local function reply(msg, action, data)
  msg.reply({ Action = action .. "-Response", Data = json.encode(data) })
end

local function fail(msg, action, code, text)
  msg.reply({ Action = action .. "-Error", Error = code, Data = json.encode({ code = code, message = text }) })
end

-- MIP00-INP-3: Data past the size limit of its operation is refused before
-- anything else is looked at.
local DATA_LIMIT = 4096
local BIG_DATA = { SendMessage = 65536 }

local function oversize(msg, op)
  local limit = BIG_DATA[op] or DATA_LIMIT
  local data = msg.Data
  if type(data) == "table" then
    local ok, text = pcall(json.encode, data)
    data = ok and text or ""
  end
  if type(data) == "string" and #data > limit then
    msg.reply({ Action = op .. "-Error", Error = "LimitExceeded",
      Data = json.encode({ code = "LimitExceeded", message = "Data is larger than " .. limit .. " bytes" }) })
    return true
  end
  return false
end

-- clipped keeps error messages short (MIP00-ERR-3) when they quote input.
local function clipped(s)
  s = tostring(s)
  if #s > 64 then
    return string.sub(s, 1, 64) .. "..."
  end
  return s
end

-- nullKeys returns the top-level keys of a JSON object text whose value is
-- null: json.decode drops them, and an unknown field is an error even when
-- its value is null.
local function nullKeys(text)
  local found = {}
  if not string.find(text, "null", 1, true) then
    return found
  end
  local depth, i, n = 0, 1, #text
  local key, afterColon = nil, false
  while i <= n do
    local c = string.sub(text, i, i)
    if c == '"' then
      local j = i + 1
      while j <= n do
        local d = string.sub(text, j, j)
        if d == "\\" then
          j = j + 2
        elseif d == '"' then
          break
        else
          j = j + 1
        end
      end
      if depth == 1 and not afterColon then
        key = string.sub(text, i + 1, j - 1)
        if string.find(key, "\\", 1, true) then
          local ok, decoded = pcall(json.decode, '"' .. key .. '"')
          key = ok and decoded or key
        end
      end
      afterColon = false
      i = j + 1
    elseif c == ":" then
      afterColon = depth == 1
      i = i + 1
    elseif c == "{" or c == "[" then
      depth = depth + 1
      afterColon = false
      i = i + 1
    elseif c == "}" or c == "]" then
      depth = depth - 1
      i = i + 1
    elseif c == "," then
      afterColon = false
      i = i + 1
    elseif afterColon and string.sub(text, i, i + 3) == "null" then
      if key then
        found[key] = true
      end
      afterColon = false
      i = i + 4
    else
      i = i + 1
    end
  end
  return found
end

-- decodeObject reads Data as a closed JSON object of the allowed fields.
local function decodeObject(data, allowed)
  if type(data) == "table" then
    -- aos decoded it (Content-Type: application/json): judge its JSON text
    -- like any other, so the same fields are allowed (MIP00-ACT-3).
    data = next(data) == nil and "{}" or json.encode(data)
  end
  if type(data) ~= "string" or not string.find(data, "^%s*{") then
    return nil, "Data must be a JSON object"
  end
  -- aos's json.decode takes a comma before a closing bracket ({"a":1,},
  -- [1,]), which is no JSON (MIP00-INP-1): look for one outside strings,
  -- escapes dropped first so that \" ends no string.
  local bare = string.gsub(string.gsub(data, "\\.", ""), '"[^"]*"', '""')
  if string.find(bare, ",%s*[%]}]") then
    return nil, "Data must be a JSON object"
  end
  local ok, obj = pcall(json.decode, data)
  if not ok or type(obj) ~= "table" then
    return nil, "Data must be a JSON object"
  end
  for k in pairs(obj) do
    if type(k) ~= "string" or not allowed[k] then
      return nil, "unknown field " .. clipped(k)
    end
  end
  for k in pairs(nullKeys(data)) do
    if not allowed[k] then
      return nil, "unknown field " .. clipped(k)
    end
  end
  return obj
end

local function set(list)
  local s = {}
  for _, v in ipairs(list) do
    s[v] = true
  end
  return s
end

local function indexOf(pid)
  for i, p in ipairs(Session.participants) do
    if p.pid == pid then
      return i
    end
  end
  return nil
end

local function participantList()
  local out = {}
  for i, p in ipairs(Session.participants) do
    out[i] = { pid = p.pid, role = p.role }
  end
  return out
end

-- info is the session as GetSessionInfo and the notices describe it.
local function info(withCount)
  local v = {
    session = ao.id, type = Session.type, creator = Session.creator,
    participants = participantList(), createdAt = Session.createdAt, title = Session.title,
  }
  if withCount then
    v.messageCount = #Messages
  end
  return v
end

-- notify sends a notice whose Data the caller encoded once for all its
-- participants: a group's notices carry its whole participant list, and
-- encoding it again for each of 256 members costs more than the rest of
-- the message.
local function notify(pid, action, text)
  ao.send({ Target = pid, Action = action, Data = text })
end

-- validSpawn checks the spawn Data (MIP03-INIT-1) and returns the session or
-- nil.
local function validSpawn(msg)
  local d = decodeObject(msg.Data, set({ "type", "participants", "title" }))
  if not d or (d.type ~= "dm" and d.type ~= "group") or type(d.participants) ~= "table" then
    return nil
  end
  local list, seen, hasCreator = {}, {}, false
  for _, pid in ipairs(d.participants) do
    if not isId(pid) or seen[pid] then
      return nil
    end
    seen[pid] = true
    if pid == Owner then
      hasCreator = true
    end
    table.insert(list, { pid = pid, role = (d.type == "group" and pid == Owner) and "admin" or "member" })
  end
  local n = #list
  if not hasCreator then
    return nil
  end
  if d.type == "dm" and (n ~= 2 or d.title ~= nil) then
    return nil
  end
  if d.type == "group" and (n < 2 or n > MAX_PARTICIPANTS or (d.title ~= nil and not isTitle(d.title))) then
    return nil
  end
  return { type = d.type, creator = Owner, participants = list, title = d.title, createdAt = msg.Timestamp }
end

-- start takes the spawn message, which carries the session's type and
-- participants.
local function start(msg)
  SpawnSeen = true
  Session = validSpawn(msg)
  if Session then
    local created = json.encode(info(false))
    for _, p in ipairs(Session.participants) do
      notify(p.pid, "Session-Created", created)
    end
  end
end

-- The first message a process handles is its own spawn message.
Handlers.prepend("mostao.session.init", function(msg)
  if not SpawnSeen then
    return "continue"
  end
  return false
end, start)

-- Code that aos's boot loader brings (a spawn with tag On-Boot) runs while
-- the spawn message is handled, from aos's _boot handler, which ends that
-- message's handlers: the one above never sees it. aos keeps the spawn
-- message as Inbox[1] for such code, so the session starts from there.
if not SpawnSeen and type(Inbox) == "table" and type(Inbox[1]) == "table" and ao.id ~= nil and Inbox[1].Id == ao.id then
  start(Inbox[1])
end

-- guard answers NotFound when there is no session (an invalid spawn) and
-- Unauthorized when the sender is not a participant; it returns the
-- sender's index otherwise.
local function guard(msg, op)
  if not Session then
    fail(msg, op, "NotFound", "this process holds no session: its spawn was not valid")
    return nil
  end
  local i = indexOf(msg.From)
  if not i then
    fail(msg, op, "Unauthorized", "only the session's participants may " .. op)
    return nil
  end
  return i
end

-- Messages -----------------------------------------------------------------

Handlers.add("SendMessage", is("SendMessage"), function(msg)
  if oversize(msg, "SendMessage") then
    return
  end
  local op = "SendMessage"
  if not guard(msg, op) then
    return
  end
  local obj, err = decodeObject(msg.Data, set({ "content", "replyTo" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if type(obj.content) ~= "string" or #obj.content < 1 or #obj.content > MAX_CONTENT then
    return fail(msg, op, "InvalidInput", "content must be 1 to " .. MAX_CONTENT .. " bytes")
  end
  if obj.replyTo ~= nil and not (isCount(obj.replyTo) and obj.replyTo >= 1 and obj.replyTo <= #Messages) then
    return fail(msg, op, "InvalidInput", "replyTo must be the id of a message of this session")
  end
  local m = { id = #Messages + 1, from = msg.From, timestamp = msg.Timestamp, content = obj.content, replyTo = obj.replyTo }
  table.insert(Messages, m)
  reply(msg, op, { id = m.id, timestamp = m.timestamp })
  local notice = json.encode({ session = ao.id, id = m.id, from = m.from, timestamp = m.timestamp })
  for _, p in ipairs(Session.participants) do
    if p.pid ~= msg.From then
      notify(p.pid, "Session-Message", notice)
    end
  end
end)

Handlers.add("GetMessages", is("GetMessages"), function(msg)
  if oversize(msg, "GetMessages") then
    return
  end
  local op = "GetMessages"
  if not Session then
    return fail(msg, op, "NotFound", "this process holds no session: its spawn was not valid")
  end
  local obj = {}
  if type(msg.Data) ~= "string" or string.find(msg.Data, "%S") then
    local err
    obj, err = decodeObject(msg.Data, set({ "after", "before", "limit", "order" }))
    if not obj then
      return fail(msg, op, "InvalidInput", err)
    end
  end
  if obj.after ~= nil and not isCount(obj.after) then
    return fail(msg, op, "InvalidInput", "after must be an integer >= 0")
  end
  if obj.before ~= nil and not isCount(obj.before) then
    return fail(msg, op, "InvalidInput", "before must be an integer >= 0")
  end
  if obj.limit ~= nil and not (isCount(obj.limit) and obj.limit >= 1 and obj.limit <= MAX_LIMIT) then
    return fail(msg, op, "InvalidInput", "limit must be an integer from 1 to " .. MAX_LIMIT)
  end
  if obj.order ~= nil and obj.order ~= "asc" and obj.order ~= "desc" then
    return fail(msg, op, "InvalidInput", 'order must be "asc" or "desc"')
  end
  local limit = obj.limit or DEFAULT_LIMIT
  -- Ids run 1..#Messages without gaps, so the selection is a range.
  local lo = (obj.after or 0) + 1
  local hi = #Messages
  if obj.before ~= nil and obj.before - 1 < hi then
    hi = obj.before - 1
  end
  local page = {}
  local total = hi - lo + 1
  if total < 0 then
    total = 0
  end
  local count = math.min(total, limit)
  for k = 0, count - 1 do
    local id = (obj.order == "desc") and (hi - k) or (lo + k)
    local m = Messages[id]
    table.insert(page, { id = m.id, from = m.from, timestamp = m.timestamp, content = m.content, replyTo = m.replyTo })
  end
  local hasMore = total > count
  local body = json.encode({ messages = page, hasMore = hasMore })
  -- json.encode drops nil, but the reply names nextCursor even when null.
  local cursor = "null"
  if hasMore then
    cursor = tostring(page[#page].id)
  end
  body = string.sub(body, 1, -2) .. ',"nextCursor":' .. cursor .. "}"
  msg.reply({ Action = op .. "-Response", Data = body })
end)

Handlers.add("GetSessionInfo", is("GetSessionInfo"), function(msg)
  if oversize(msg, "GetSessionInfo") then
    return
  end
  if not Session then
    return fail(msg, "GetSessionInfo", "NotFound", "this process holds no session: its spawn was not valid")
  end
  reply(msg, "GetSessionInfo", info(true))
end)

-- Group changes ----------------------------------------------------------------

-- changed sends the notices of a change: Session-Changed to every
-- participant after it, Session-Removed to one who is no longer in.
local function changed(kind, pid, removed)
  local v = info(false)
  v.change = { kind = kind, pid = pid }
  local text = json.encode(v)
  for _, p in ipairs(Session.participants) do
    notify(p.pid, "Session-Changed", text)
  end
  if removed then
    notify(removed, "Session-Removed", json.encode({ session = ao.id, reason = kind }))
  end
end

-- groupGuard runs the checks every group command shares, in the order of
-- MIP-03 section 4, and returns the sender's index when they pass.
local function groupGuard(msg, op, adminOnly)
  local i = guard(msg, op)
  if not i then
    return nil
  end
  if Session.type ~= "group" then
    fail(msg, op, "InvalidInput", "a DM's participants and title are fixed")
    return nil
  end
  if adminOnly and msg.From ~= Session.creator then
    fail(msg, op, "Unauthorized", "only the group's admin may " .. op)
    return nil
  end
  return i
end

Handlers.add("AddParticipant", is("AddParticipant"), function(msg)
  if oversize(msg, "AddParticipant") then
    return
  end
  local op = "AddParticipant"
  if not groupGuard(msg, op, true) then
    return
  end
  local obj, err = decodeObject(msg.Data, set({ "pid" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.pid) then
    return fail(msg, op, "InvalidInput", "pid must be a 43-character id")
  end
  if indexOf(obj.pid) then
    return fail(msg, op, "InvalidInput", obj.pid .. " is already a participant")
  end
  if #Session.participants >= MAX_PARTICIPANTS then
    return fail(msg, op, "LimitExceeded", "a group has at most " .. MAX_PARTICIPANTS .. " participants")
  end
  table.insert(Session.participants, { pid = obj.pid, role = "member" })
  reply(msg, op, { session = ao.id, participants = participantList() })
  changed("added", obj.pid, nil)
end)

Handlers.add("RemoveParticipant", is("RemoveParticipant"), function(msg)
  if oversize(msg, "RemoveParticipant") then
    return
  end
  local op = "RemoveParticipant"
  if not groupGuard(msg, op, true) then
    return
  end
  local obj, err = decodeObject(msg.Data, set({ "pid" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.pid) then
    return fail(msg, op, "InvalidInput", "pid must be a 43-character id")
  end
  local j = indexOf(obj.pid)
  if not j then
    return fail(msg, op, "NotFound", obj.pid .. " is not a participant")
  end
  if obj.pid == Session.creator then
    return fail(msg, op, "InvalidInput", "the admin cannot be removed")
  end
  table.remove(Session.participants, j)
  reply(msg, op, { session = ao.id, participants = participantList() })
  changed("removed", obj.pid, obj.pid)
end)

Handlers.add("Leave", is("Leave"), function(msg)
  if oversize(msg, "Leave") then
    return
  end
  local op = "Leave"
  local i = groupGuard(msg, op, false)
  if not i then
    return
  end
  if msg.From == Session.creator then
    return fail(msg, op, "InvalidInput", "the admin cannot leave the group")
  end
  table.remove(Session.participants, i)
  reply(msg, op, { session = ao.id, left = true })
  changed("left", msg.From, msg.From)
end)

Handlers.add("SetTitle", is("SetTitle"), function(msg)
  if oversize(msg, "SetTitle") then
    return
  end
  local op = "SetTitle"
  if not groupGuard(msg, op, true) then
    return
  end
  local obj, err = decodeObject(msg.Data, set({ "title" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isTitle(obj.title) then
    return fail(msg, op, "InvalidInput", "title must be 1 to " .. MAX_TITLE .. " characters")
  end
  Session.title = obj.title
  reply(msg, op, { session = ao.id, title = obj.title })
  changed("title", nil, nil)
end)
