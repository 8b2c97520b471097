-- MostAO MIP-02 reference profile.
--
-- One process per profile. The owner (the wallet that spawned it) edits the
-- public fields, the contacts and the read marks, and uses the profile as its
-- agent in chat: the profile spawns chat sessions (MIP-03) and sends
-- messages to them. Sessions tell the profile what happens in them by
-- notices, which the profile trusts only as MIP-02 section 5 says.
--
-- Every request gets exactly one reply (MIP-00); a request is validated in
-- full before anything changes. Plain Lua 5.1.
local json = require("json")

-- State lives in globals so that it survives between messages.
Fields = Fields or {}               -- name -> string
UpdatedAt = UpdatedAt               -- ms of the last update, or of the spawn (nil before it)
Contacts = Contacts or {}           -- list of {pid, alias?, addedAt}
ChatList = ChatList or {}           -- session pid -> entry
Dms = Dms or {}                     -- peer pid -> DM session pid
SessionModules = SessionModules     -- trusted session modules, in order (nil until first read)
PendingSpawns = PendingSpawns or {} -- spawn reference -> pending CreateSession
PendingRelays = PendingRelays or {} -- message reference -> pending relay

local FIELD_LIMITS = { nickname = 64, avatar = 2048, bio = 1024, pubkey = 4096 }
local MAX_CONTACTS = 1000
local MAX_GROUP = 256
local MAX_TITLE = 128
local MAX_ALIAS = 64
local RELAYED_COMMANDS = { AddParticipant = true, RemoveParticipant = true, Leave = true, SetTitle = true }

-- Helpers ------------------------------------------------------------------

-- chars counts the Unicode code points of a UTF-8 string: every byte that is
-- not a continuation byte starts one.
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

local function reply(msg, action, data)
  msg.reply({ Action = action .. "-Response", Data = json.encode(data) })
end

local function fail(msg, action, code, text)
  msg.reply({ Action = action .. "-Error", Error = code, Data = json.encode({ code = code, message = text }) })
end

-- MIP00-INP-3: Data past the size limit of its operation is refused before
-- anything else is looked at.
local DATA_LIMIT = 4096
local BIG_DATA = { UpdateProfile = 32768, CreateSession = 32768, SendChatMessage = 65536 }

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

-- nullKeys returns the set of top-level keys of a JSON object text whose
-- value is the literal null: json.decode turns null into nil, which would
-- make "clear this field" look like "leave it alone".
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

-- decodeObject reads Data as a closed JSON object: it returns the decoded
-- table and the set of null keys, or nil and a reason. allowed lists the
-- field names the request may carry.
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
  local nulls = nullKeys(data)
  for k in pairs(obj) do
    if type(k) ~= "string" or not allowed[k] then
      return nil, "unknown field " .. clipped(k)
    end
  end
  for k in pairs(nulls) do
    if not allowed[k] then
      return nil, "unknown field " .. clipped(k)
    end
  end
  return obj, nulls
end

local function set(list)
  local s = {}
  for _, v in ipairs(list) do
    s[v] = true
  end
  return s
end

-- is matches one Action exactly: MIP-00 actions are case-sensitive, and a
-- string pattern would match any case on recent aos.
local function is(action)
  return function(msg)
    return msg.Action == action
  end
end

local function isOwner(msg)
  return msg.From == Owner
end

local function tagOf(msg, name)
  if msg.Tags and type(msg.Tags[name]) == "string" then
    return msg.Tags[name]
  end
  if msg.TagArray then
    for _, t in ipairs(msg.TagArray) do
      if t.name == name then
        return t.value
      end
    end
  end
  return msg[name]
end

-- spawnTag reads a tag of this process's spawn message from ao.env, which
-- may hold the tags as a list of {name, value} or as a map.
local function spawnTag(name)
  local tags = ao.env and ao.env.Process and ao.env.Process.Tags
  if type(tags) ~= "table" then
    return nil
  end
  if type(tags[name]) == "string" then
    return tags[name]
  end
  for _, t in ipairs(tags) do
    if type(t) == "table" and t.name == name then
      return t.value
    end
  end
  return nil
end

local function trustedModules()
  if SessionModules == nil then
    SessionModules = {}
    local m = spawnTag("Session-Module")
    if m and m ~= "" then
      table.insert(SessionModules, m)
    end
  end
  return SessionModules
end

local function isTrustedModule(module)
  for _, m in ipairs(trustedModules()) do
    if m == module then
      return true
    end
  end
  return false
end

local function profileView()
  local p = { pid = ao.id, owner = Owner, updatedAt = UpdatedAt or 0 }
  for name, value in pairs(Fields) do
    p[name] = value
  end
  return p
end

local function contactIndex(pid)
  for i, c in ipairs(Contacts) do
    if c.pid == pid then
      return i
    end
  end
  return nil
end

-- created takes the spawn message: its time is the profile's creation time.
local function created(msg)
  UpdatedAt = msg.Timestamp or 0
  trustedModules()
end

-- The first message a process handles is its own spawn message.
Handlers.prepend("mostao.profile.created", function(msg)
  if UpdatedAt == nil then
    return "continue"
  end
  return false
end, created)

-- Code that aos's boot loader brings (a spawn with tag On-Boot) runs while
-- the spawn message is handled, from aos's _boot handler, which ends that
-- message's handlers: the one above never sees it. aos keeps the spawn
-- message as Inbox[1] for such code.
if UpdatedAt == nil and type(Inbox) == "table" and type(Inbox[1]) == "table" and ao.id ~= nil and Inbox[1].Id == ao.id then
  created(Inbox[1])
end

-- Profile fields -----------------------------------------------------------

Handlers.add("GetProfile", is("GetProfile"), function(msg)
  if oversize(msg, "GetProfile") then
    return
  end
  reply(msg, "GetProfile", profileView())
end)

Handlers.add("UpdateProfile", is("UpdateProfile"), function(msg)
  if oversize(msg, "UpdateProfile") then
    return
  end
  local op = "UpdateProfile"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may update it")
  end
  local obj, nulls = decodeObject(msg.Data, FIELD_LIMITS)
  if not obj then
    return fail(msg, op, "InvalidInput", nulls)
  end
  for name, value in pairs(obj) do
    if type(value) ~= "string" then
      return fail(msg, op, "InvalidInput", name .. " must be a string or null")
    end
    local n = chars(value)
    if n < 1 or n > FIELD_LIMITS[name] then
      return fail(msg, op, "InvalidInput", name .. " must be 1 to " .. FIELD_LIMITS[name] .. " characters")
    end
  end
  for name in pairs(nulls) do
    Fields[name] = nil
  end
  for name, value in pairs(obj) do
    Fields[name] = value
  end
  UpdatedAt = msg.Timestamp
  reply(msg, op, profileView())
end)

-- Contacts -----------------------------------------------------------------

Handlers.add("AddContact", is("AddContact"), function(msg)
  if oversize(msg, "AddContact") then
    return
  end
  local op = "AddContact"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may add contacts")
  end
  local obj, err = decodeObject(msg.Data, set({ "pid", "alias" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.pid) then
    return fail(msg, op, "InvalidInput", "pid must be a 43-character id")
  end
  if obj.alias ~= nil and (type(obj.alias) ~= "string" or chars(obj.alias) < 1 or chars(obj.alias) > MAX_ALIAS) then
    return fail(msg, op, "InvalidInput", "alias must be 1 to " .. MAX_ALIAS .. " characters")
  end
  local i = contactIndex(obj.pid)
  if i == nil and #Contacts >= MAX_CONTACTS then
    return fail(msg, op, "LimitExceeded", "a profile holds at most " .. MAX_CONTACTS .. " contacts")
  end
  local contact
  if i then
    contact = Contacts[i]
    contact.alias = obj.alias
  else
    contact = { pid = obj.pid, alias = obj.alias, addedAt = msg.Timestamp }
    table.insert(Contacts, contact)
  end
  reply(msg, op, contact)
end)

Handlers.add("RemoveContact", is("RemoveContact"), function(msg)
  if oversize(msg, "RemoveContact") then
    return
  end
  local op = "RemoveContact"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may remove contacts")
  end
  local obj, err = decodeObject(msg.Data, set({ "pid" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.pid) then
    return fail(msg, op, "InvalidInput", "pid must be a 43-character id")
  end
  local i = contactIndex(obj.pid)
  if not i then
    return fail(msg, op, "NotFound", "no contact " .. obj.pid)
  end
  table.remove(Contacts, i)
  reply(msg, op, { pid = obj.pid, removed = true })
end)

Handlers.add("GetContacts", is("GetContacts"), function(msg)
  if oversize(msg, "GetContacts") then
    return
  end
  reply(msg, "GetContacts", { contacts = Contacts })
end)

Handlers.add("AddSessionModule", is("AddSessionModule"), function(msg)
  if oversize(msg, "AddSessionModule") then
    return
  end
  local op = "AddSessionModule"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may trust a session module")
  end
  local obj, err = decodeObject(msg.Data, set({ "module" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.module) then
    return fail(msg, op, "InvalidInput", "module must be a 43-character id")
  end
  if not isTrustedModule(obj.module) then
    table.insert(trustedModules(), obj.module)
  end
  reply(msg, op, { sessionModules = trustedModules() })
end)

-- Chat list ----------------------------------------------------------------

local function entryView(e)
  return {
    session = e.session, type = e.type, creator = e.creator, title = e.title,
    lastMessageId = e.lastMessageId, lastActivity = e.lastActivity,
    readUpTo = e.readUpTo, unread = e.unreadCount,
  }
end

Handlers.add("GetChatList", is("GetChatList"), function(msg)
  if oversize(msg, "GetChatList") then
    return
  end
  local list, total = {}, 0
  for _, e in pairs(ChatList) do
    table.insert(list, e)
    total = total + e.unreadCount
  end
  table.sort(list, function(a, b)
    if a.lastActivity ~= b.lastActivity then
      return a.lastActivity > b.lastActivity
    end
    return a.session < b.session
  end)
  local out = {}
  for i, e in ipairs(list) do
    out[i] = entryView(e)
  end
  reply(msg, "GetChatList", { sessions = out, unread = total })
end)

Handlers.add("MarkRead", is("MarkRead"), function(msg)
  if oversize(msg, "MarkRead") then
    return
  end
  local op = "MarkRead"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may mark messages read")
  end
  local obj, err = decodeObject(msg.Data, set({ "session", "upTo" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.session) then
    return fail(msg, op, "InvalidInput", "session must be a 43-character id")
  end
  if obj.upTo ~= nil and not isCount(obj.upTo) then
    return fail(msg, op, "InvalidInput", "upTo must be an integer >= 0")
  end
  local e = ChatList[obj.session]
  if not e then
    return fail(msg, op, "NotFound", "session " .. obj.session .. " is not in the chat list")
  end
  local mark = obj.upTo or e.lastMessageId
  if mark > e.lastMessageId then
    mark = e.lastMessageId
  end
  if mark > e.readUpTo then
    e.readUpTo = mark
    for id in pairs(e.unread) do
      if id <= mark then
        e.unread[id] = nil
        e.unreadCount = e.unreadCount - 1
      end
    end
  end
  reply(msg, op, { session = e.session, readUpTo = e.readUpTo, unread = e.unreadCount })
end)

-- Session notices (MIP-02 section 5) ----------------------------------------

local function noticeData(msg)
  if type(msg.Data) == "table" then
    return msg.Data
  end
  local ok, d = pcall(json.decode, msg.Data or "")
  if ok and type(d) == "table" then
    return d
  end
  return nil
end

-- pidOf reads one entry of a notice's participants in the MIP-03 shape
-- {pid, role}; any other shape, a bare id string included, names no one
-- (MIP02-TRUST-5).
local function pidOf(p)
  if type(p) == "table" and type(p.pid) == "string" then
    return p.pid
  end
  return nil
end

local function listsMe(participants)
  if type(participants) ~= "table" then
    return false
  end
  for _, p in ipairs(participants) do
    if pidOf(p) == ao.id then
      return true
    end
  end
  return false
end

-- moduleOf returns the sender's module from its From-Module tag, or nil
-- when the message carries several that disagree (a sender that set its own
-- next to the one the messenger unit set).
local function moduleOf(msg)
  local module = tagOf(msg, "From-Module")
  if msg.TagArray then
    for _, t in ipairs(msg.TagArray) do
      if t.name == "From-Module" and t.value ~= module then
        return nil
      end
    end
  end
  return module
end

-- introduce adds a session the profile did not know, when the notice may be
-- trusted to introduce one (MIP02-TRUST-1).
local function introduce(msg, d)
  if msg.From == msg.Owner then
    return -- a wallet's own message, not a process
  end
  if not isTrustedModule(moduleOf(msg)) then
    return
  end
  if d.session ~= msg.From or not listsMe(d.participants) then
    return
  end
  if d.type ~= "dm" and d.type ~= "group" then
    return
  end
  local at = isCount(d.createdAt) and d.createdAt or msg.Timestamp
  ChatList[msg.From] = {
    session = msg.From, type = d.type, creator = d.creator,
    title = type(d.title) == "string" and d.title or nil,
    lastMessageId = 0, lastActivity = at, readUpTo = 0, unread = {}, unreadCount = 0,
  }
  if d.type == "dm" then
    for _, p in ipairs(d.participants) do
      local pid = pidOf(p)
      if pid and pid ~= ao.id and Dms[pid] == nil then
        Dms[pid] = msg.From
      end
    end
  end
end

-- known returns the chat list entry of a notice's sender when the notice is
-- about that sender (MIP02-TRUST-2).
local function known(msg, d)
  local e = ChatList[msg.From]
  if e and d.session == msg.From then
    return e
  end
  return nil
end

Handlers.add("Session-Created", is("Session-Created"), function(msg)
  local d = noticeData(msg)
  if d and ChatList[msg.From] == nil then
    introduce(msg, d)
  end
end)

Handlers.add("Session-Changed", is("Session-Changed"), function(msg)
  local d = noticeData(msg)
  if not d then
    return
  end
  local e = known(msg, d)
  if e then
    e.title = type(d.title) == "string" and d.title or nil
  elseif ChatList[msg.From] == nil then
    introduce(msg, d)
  end
end)

Handlers.add("Session-Message", is("Session-Message"), function(msg)
  local d = noticeData(msg)
  local e = d and known(msg, d)
  if not e or not isCount(d.id) or d.id < 1 then
    return
  end
  if d.id > e.lastMessageId then
    e.lastMessageId = d.id
    e.lastActivity = isCount(d.timestamp) and d.timestamp or msg.Timestamp
  end
  if d.from ~= ao.id and d.id > e.readUpTo and not e.unread[d.id] then
    e.unread[d.id] = true
    e.unreadCount = e.unreadCount + 1
  end
end)

Handlers.add("Session-Removed", is("Session-Removed"), function(msg)
  local d = noticeData(msg)
  if d and known(msg, d) then
    ChatList[msg.From] = nil
  end
end)

-- Creating sessions -----------------------------------------------------------

-- refOf finds the Reference the runtime gave a message queued by ao.send or
-- ao.spawn, from the returned message (its Tags as a map or a list) or, as a
-- last resort, from the runtime's counter.
local function refOf(spawned)
  if type(spawned) == "table" then
    if spawned.Reference then
      return tostring(spawned.Reference)
    end
    if type(spawned.Tags) == "table" then
      if spawned.Tags.Reference then
        return tostring(spawned.Tags.Reference)
      end
      for _, t in ipairs(spawned.Tags) do
        if type(t) == "table" and t.name == "Reference" then
          return tostring(t.value)
        end
      end
    end
  end
  return tostring(ao.reference)
end

Handlers.add("CreateSession", is("CreateSession"), function(msg)
  if oversize(msg, "CreateSession") then
    return
  end
  local op = "CreateSession"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may create sessions")
  end
  local obj, err = decodeObject(msg.Data, set({ "type", "participants", "title" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if obj.type ~= "dm" and obj.type ~= "group" then
    return fail(msg, op, "InvalidInput", 'type must be "dm" or "group"')
  end
  if type(obj.participants) ~= "table" then
    return fail(msg, op, "InvalidInput", "participants must be a list of ids")
  end
  local others, seen = {}, {}
  for k, pid in pairs(obj.participants) do
    if type(k) ~= "number" then
      return fail(msg, op, "InvalidInput", "participants must be a list of ids")
    end
  end
  for _, pid in ipairs(obj.participants) do
    if not isId(pid) then
      return fail(msg, op, "InvalidInput", "every participant must be a 43-character id")
    end
    if pid == ao.id then
      return fail(msg, op, "InvalidInput", "participants are the others: not this profile")
    end
    if seen[pid] then
      return fail(msg, op, "InvalidInput", "participant " .. pid .. " is listed twice")
    end
    seen[pid] = true
    table.insert(others, pid)
  end
  if obj.type == "dm" then
    if #others ~= 1 then
      return fail(msg, op, "InvalidInput", "a DM has exactly one peer")
    end
    if obj.title ~= nil then
      return fail(msg, op, "InvalidInput", "a DM has no title")
    end
  else
    if #others < 1 then
      return fail(msg, op, "InvalidInput", "a group needs at least one other participant")
    end
    if #others + 1 > MAX_GROUP then
      return fail(msg, op, "LimitExceeded", "a group has at most " .. MAX_GROUP .. " participants")
    end
    if obj.title ~= nil and (type(obj.title) ~= "string" or chars(obj.title) < 1 or chars(obj.title) > MAX_TITLE) then
      return fail(msg, op, "InvalidInput", "title must be 1 to " .. MAX_TITLE .. " characters")
    end
  end
  local module = trustedModules()[1]
  if module == nil then
    return fail(msg, op, "InvalidInput", "this profile was spawned without a Session-Module tag")
  end
  local all = { ao.id }
  for _, pid in ipairs(others) do
    table.insert(all, pid)
  end
  if obj.type == "dm" and Dms[others[1]] then
    return reply(msg, op, { session = Dms[others[1]], type = "dm", participants = all, existing = true })
  end
  local spawned = ao.spawn(module, {
    Data = json.encode({ type = obj.type, participants = all, title = obj.title }),
  })
  PendingSpawns[refOf(spawned)] = {
    target = msg["Reply-To"] or msg.From, reference = msg.Reference,
    type = obj.type, participants = all, peer = obj.type == "dm" and others[1] or nil,
  }
end)

-- The runtime confirms a spawn with a Spawned message from this process
-- itself, carrying the spawn's Reference and the new process id.
Handlers.add("mostao.profile.spawned", function(msg)
  return msg.Action == "Spawned" and msg.From == ao.id
end, function(msg)
  local ref = tagOf(msg, "Reference")
  local p = ref and PendingSpawns[tostring(ref)]
  local pid = tagOf(msg, "Process")
  if not p or not isId(pid) then
    return
  end
  PendingSpawns[tostring(ref)] = nil
  if p.peer and Dms[p.peer] == nil then
    Dms[p.peer] = pid
  end
  ao.send({
    Target = p.target, Action = "CreateSession-Response", ["X-Reference"] = p.reference,
    Data = json.encode({ session = pid, type = p.type, participants = p.participants, existing = false }),
  })
end)

-- Relaying requests to sessions ----------------------------------------------

local function relay(msg, op, session, action, args)
  local sent = ao.send({ Target = session, Action = action, Data = json.encode(args) })
  PendingRelays[refOf(sent)] = {
    op = op, session = session, command = action,
    target = msg["Reply-To"] or msg.From, reference = msg.Reference,
  }
end

Handlers.add("SendChatMessage", is("SendChatMessage"), function(msg)
  if oversize(msg, "SendChatMessage") then
    return
  end
  local op = "SendChatMessage"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may send through it")
  end
  local obj, err = decodeObject(msg.Data, set({ "session", "content", "replyTo" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.session) then
    return fail(msg, op, "InvalidInput", "session must be a 43-character id")
  end
  if type(obj.content) ~= "string" then
    return fail(msg, op, "InvalidInput", "content must be a string")
  end
  if obj.replyTo ~= nil and not isCount(obj.replyTo) then
    return fail(msg, op, "InvalidInput", "replyTo must be a message id")
  end
  if not ChatList[obj.session] then
    return fail(msg, op, "NotFound", "session " .. obj.session .. " is not in the chat list")
  end
  relay(msg, op, obj.session, "SendMessage", { content = obj.content, replyTo = obj.replyTo })
end)

Handlers.add("SessionCommand", is("SessionCommand"), function(msg)
  if oversize(msg, "SessionCommand") then
    return
  end
  local op = "SessionCommand"
  if not isOwner(msg) then
    return fail(msg, op, "Unauthorized", "only the profile's owner may command sessions")
  end
  local obj, err = decodeObject(msg.Data, set({ "session", "command", "args" }))
  if not obj then
    return fail(msg, op, "InvalidInput", err)
  end
  if not isId(obj.session) then
    return fail(msg, op, "InvalidInput", "session must be a 43-character id")
  end
  if type(obj.command) ~= "string" or not RELAYED_COMMANDS[obj.command] then
    return fail(msg, op, "InvalidInput", "command must be AddParticipant, RemoveParticipant, Leave or SetTitle")
  end
  if obj.args ~= nil and type(obj.args) ~= "table" then
    return fail(msg, op, "InvalidInput", "args must be a JSON object")
  end
  if not ChatList[obj.session] then
    return fail(msg, op, "NotFound", "session " .. obj.session .. " is not in the chat list")
  end
  relay(msg, op, obj.session, obj.command, obj.args or {})
end)

-- A session's answer to a relayed request: matched by X-Reference and sender.
Handlers.add("mostao.profile.relayed", function(msg)
  local ref = tagOf(msg, "X-Reference")
  local p = ref and PendingRelays[tostring(ref)]
  return p ~= nil and p.session == msg.From
end, function(msg)
  local ref = tostring(tagOf(msg, "X-Reference"))
  local p = PendingRelays[ref]
  PendingRelays[ref] = nil
  local d = noticeData(msg) or {}
  local action = msg.Action or ""
  local out
  if action == p.command .. "-Response" then
    if p.op == "SendChatMessage" then
      local e = ChatList[p.session]
      if e and isCount(d.id) and d.id > e.lastMessageId then
        e.lastMessageId = d.id
        e.lastActivity = isCount(d.timestamp) and d.timestamp or msg.Timestamp
      end
      out = { Action = p.op .. "-Response", Data = json.encode({ session = p.session, id = d.id, timestamp = d.timestamp }) }
    else
      out = { Action = p.op .. "-Response", Data = json.encode({ session = p.session, command = p.command, result = d }) }
    end
  else
    local code = tagOf(msg, "Error") or d.code or "InvalidInput"
    local text = type(d.message) == "string" and d.message or ("the session answered " .. action)
    out = { Action = p.op .. "-Error", Error = code, Data = json.encode({ code = code, message = text }) }
  end
  out.Target = p.target
  out["X-Reference"] = p.reference
  ao.send(out)
end)
