-- require("json") for the compiled module: the same rules as the json
-- module the Lua engine implements in Go (adapters/lua/json.go), which
-- follow the json.lua aos ships:
--   - numbers print with %.14g; NaN and infinities are errors;
--   - an empty table encodes as [];
--   - a table whose key 1 is set is an array and must be dense;
--   - any other table is an object and every key must be a string;
--   - object keys are written in sorted order, so output is deterministic;
--   - null decodes to nil, so it disappears from tables.
-- Numbers decode with tonumber, as aos's json.lua does: "10" is the
-- integer 10 and "1.5" a float (Lua 5.3 keeps the two apart).
local json = { _version = "mostao-runtime-1" }

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function escapeChar(c)
  return escapes[c] or string.format("\\u%04x", c:byte())
end

local function encodeString(s)
  return '"' .. s:gsub('[%c"\\]', escapeChar) .. '"'
end

local encode

local function encodeTable(t, seen, out)
  if seen[t] then error("circular reference", 0) end
  seen[t] = true
  if rawget(t, 1) ~= nil or next(t) == nil then
    local n = 0
    for k in pairs(t) do
      if math.type(k) == nil or k < 1 or k ~= math.floor(k) then
        error("invalid table: mixed or invalid key types", 0)
      end
      n = n + 1
    end
    if n ~= #t then error("invalid table: sparse array", 0) end
    out[#out + 1] = "["
    for i = 1, n do
      if i > 1 then out[#out + 1] = "," end
      encode(t[i], seen, out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(t) do
      if type(k) ~= "string" then error("invalid table: mixed or invalid key types", 0) end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      out[#out + 1] = encodeString(k)
      out[#out + 1] = ":"
      encode(t[k], seen, out)
    end
    out[#out + 1] = "}"
  end
  seen[t] = nil
end

encode = function(v, seen, out)
  local kind = type(v)
  if v == nil then
    out[#out + 1] = "null"
  elseif kind == "boolean" then
    out[#out + 1] = tostring(v)
  elseif kind == "number" then
    if v ~= v or v == math.huge or v == -math.huge then
      error("unexpected number value '" .. string.format("%.14g", v) .. "'", 0)
    end
    out[#out + 1] = string.format("%.14g", v)
  elseif kind == "string" then
    out[#out + 1] = encodeString(v)
  elseif kind == "table" then
    encodeTable(v, seen, out)
  else
    error("unexpected type '" .. kind .. "'", 0)
  end
end

function json.encode(v)
  local out = {}
  encode(v, {}, out)
  return table.concat(out)
end

-- Decoding: a recursive descent over the string, positions 1-based.
local decodeValue

local function fail(s, i, what)
  error(string.format("%s at position %d", what, i), 0)
end

local function skip(s, i)
  return s:find("[^ \t\r\n]", i) or #s + 1
end

local function utf8Char(n)
  return utf8.char(n)
end

local function decodeString(s, i)
  local parts = {}
  local j = i + 1
  while true do
    local c = s:sub(j, j)
    if c == "" then fail(s, j, "expected closing quote for string") end
    if c == '"' then return table.concat(parts), j + 1 end
    if c:byte() < 0x20 then fail(s, j, "control character in string") end
    if c == "\\" then
      local e = s:sub(j + 1, j + 1)
      if e == "" then fail(s, j, "unexpected end of input in string") end
      if e == "u" then
        local hex = s:sub(j + 2, j + 5)
        if not hex:find("^%x%x%x%x$") then fail(s, j, "invalid unicode escape in string") end
        local n = tonumber(hex, 16)
        j = j + 6
        if n >= 0xd800 and n < 0xdc00 and s:sub(j, j + 1) == "\\u" then
          local lo = s:sub(j + 2, j + 5)
          if not lo:find("^%x%x%x%x$") then fail(s, j, "invalid unicode escape in string") end
          n = 0x10000 + ((n - 0xd800) << 10) + (tonumber(lo, 16) - 0xdc00)
          j = j + 6
        end
        parts[#parts + 1] = utf8Char(n)
      else
        local map = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        local r = map[e]
        if not r then fail(s, j, "invalid escape char '" .. e .. "' in string") end
        parts[#parts + 1] = r
        j = j + 2
      end
    else
      local k = s:find('[%c"\\]', j) or #s + 1
      parts[#parts + 1] = s:sub(j, k - 1)
      j = k
    end
  end
end

local literals = { ["true"] = true, ["false"] = false }

decodeValue = function(s, i, depth)
  if depth > 512 then fail(s, i, "nested too deep") end
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    local t = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return t, i + 1 end
    while true do
      i = skip(s, i)
      if s:sub(i, i) ~= '"' then fail(s, i, "expected string for key") end
      local k
      k, i = decodeString(s, i)
      i = skip(s, i)
      if s:sub(i, i) ~= ":" then fail(s, i, "expected ':' after key") end
      local v
      v, i = decodeValue(s, i + 1, depth + 1)
      t[k] = v
      i = skip(s, i)
      local d = s:sub(i, i)
      i = i + 1
      if d == "}" then return t, i end
      if d ~= "," then fail(s, i - 1, "expected '}' or ','") end
    end
  elseif c == "[" then
    local t = {}
    local n = 0
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return t, i + 1 end
    while true do
      local v
      v, i = decodeValue(s, i, depth + 1)
      n = n + 1
      t[n] = v
      i = skip(s, i)
      local d = s:sub(i, i)
      i = i + 1
      if d == "]" then return t, i end
      if d ~= "," then fail(s, i - 1, "expected ']' or ','") end
    end
  elseif c == '"' then
    return decodeString(s, i)
  elseif c:find("[%-%d]") then
    local j = s:find("[^%+%-%d%.eE]", i) or #s + 1
    local text = s:sub(i, j - 1)
    local n = tonumber(text)
    if n == nil then fail(s, i, "invalid number '" .. text .. "'") end
    return n, j
  else
    for word, v in pairs(literals) do
      if s:sub(i, i + #word - 1) == word then return v, i + #word end
    end
    if s:sub(i, i + 3) == "null" then return nil, i + 4 end
    if c == "" then fail(s, i, "unexpected end of input") end
    fail(s, i, "unexpected character '" .. c .. "'")
  end
end

function json.decode(s)
  if type(s) ~= "string" then error("expected argument of type string, got " .. type(s), 2) end
  local v, i = decodeValue(s, 1, 0)
  i = skip(s, i)
  if i <= #s then fail(s, i, "trailing garbage") end
  return v
end

return json
