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

-- Encoding is in C (jsonenc.c): in Lua it cost some 200 instructions a
-- value, so a process would pay far more for JSON here than on the Lua
-- engine, whose json is in Go and charged per value.
json.encode = require(".jsonc").encode

-- Decoding: a recursive descent over the string, positions 1-based, with
-- the rules of the Lua engine's decoder (adapters/lua/json.go), which
-- follow what aos's json.decode does (TestJSONDecodeIsAos): a comma may
-- end an array or object; a number or literal is the text up to the next
-- space, ',', ']' or '}', numbers read by tonumber; \uXXXX escapes become
-- UTF-8 bytes as they are; errors carry aos's wording and place.
local decodeValue

-- maxDepth is the Lua engine's maxJSONDepth.
local maxDepth = 10000

-- fail names the place as the Lua engine's decoder does: line and column
-- of byte i.
local function fail(s, i, what)
  local line, col = 1, 1
  for j = 1, math.min(i, #s + 1) - 1 do
    if s:byte(j) == 10 then line, col = line + 1, 1 else col = col + 1 end
  end
  error(string.format("%s at line %d col %d", what, line, col), 0)
end

local function skip(s, i)
  return s:find("[^ \t\r\n]", i) or #s + 1
end

-- token is the text from i up to the next space, ',', ']' or '}'.
local function token(s, i)
  local j = s:find("[ \t\r\n,%]}]", i) or #s + 1
  return s:sub(i, j - 1), j
end

-- utf8Bytes writes n as UTF-8 without judging it: a surrogate gets its
-- three bytes, as aos writes it.
local function utf8Bytes(n)
  if n < 0x80 then return string.char(n) end
  if n < 0x800 then return string.char(0xc0 | n >> 6, 0x80 | n & 0x3f) end
  if n < 0x10000 then
    return string.char(0xe0 | n >> 12, 0x80 | (n >> 6) & 0x3f, 0x80 | n & 0x3f)
  end
  return string.char(0xf0 | n >> 18, 0x80 | (n >> 12) & 0x3f, 0x80 | (n >> 6) & 0x3f, 0x80 | n & 0x3f)
end

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function decodeString(s, i)
  local parts = {}
  local j = i + 1
  while true do
    local c = s:sub(j, j)
    if c == "" then fail(s, i, "expected closing quote for string") end
    if c == '"' then return table.concat(parts), j + 1 end
    if c:byte() < 0x20 then fail(s, j, "control character in string") end
    if c == "\\" then
      local e = s:sub(j + 1, j + 1)
      if e == "u" then
        local hex = s:sub(j + 2, j + 5)
        if not hex:find("^%x%x%x%x$") then fail(s, j, "invalid unicode escape in string") end
        local n = tonumber(hex, 16)
        j = j + 6
        -- A high surrogate followed by any \uXXXX is a pair, as on aos.
        local lo = s:match("^\\u(%x%x%x%x)", j)
        if n >= 0xd800 and n < 0xdc00 and lo then
          n = (n - 0xd800) * 0x400 + (tonumber(lo, 16) - 0xdc00) + 0x10000
          j = j + 6
        end
        if n > 0x10ffff then error(string.format("invalid unicode codepoint '%x'", n), 0) end
        parts[#parts + 1] = utf8Bytes(n)
      else
        local r = escapes[e]
        if not r then fail(s, j, "invalid escape char '" .. e .. "' in string") end
        parts[#parts + 1] = r
        j = j + 2
      end
    else
      -- Up to the next control character, quote mark or backslash: not
      -- %c, which also matches DEL, a plain character here.
      local k = s:find('[\0-\31"\\]', j) or #s + 1
      parts[#parts + 1] = s:sub(j, k - 1)
      j = k
    end
  end
end

local literals = { ["true"] = true, ["false"] = false }

-- after reads what follows an item: the closing character (true: the
-- container ends) or a comma (false); i is then past it.
local function after(s, i, closing, what)
  i = skip(s, i)
  local d = s:sub(i, i)
  if d == closing then return true, i + 1 end
  if d ~= "," then fail(s, i, what) end
  return false, i + 1
end

decodeValue = function(s, i, depth)
  if depth >= maxDepth then fail(s, i, "too deeply nested") end
  local c = s:sub(i, i)
  if c == "{" then
    local t = {}
    i = i + 1
    while true do
      i = skip(s, i)
      -- An empty object, or a comma before the end (aos allows it).
      if s:sub(i, i) == "}" then return t, i + 1 end
      if s:sub(i, i) ~= '"' then fail(s, i, "expected string for key") end
      local k
      k, i = decodeString(s, i)
      i = skip(s, i)
      if s:sub(i, i) ~= ":" then fail(s, i, "expected ':' after key") end
      local v
      v, i = decodeValue(s, skip(s, i + 1), depth + 1)
      t[k] = v
      local done
      done, i = after(s, i, "}", "expected '}' or ','")
      if done then return t, i end
    end
  elseif c == "[" then
    local t = {}
    local n = 0
    i = i + 1
    while true do
      i = skip(s, i)
      -- An empty array, or a comma before the end (aos allows it).
      if s:sub(i, i) == "]" then return t, i + 1 end
      local v
      v, i = decodeValue(s, i, depth + 1)
      n = n + 1
      t[n] = v
      local done
      done, i = after(s, i, "]", "expected ']' or ','")
      if done then return t, i end
    end
  elseif c == '"' then
    return decodeString(s, i)
  elseif c:find("^[%-%d]") then
    local text, j = token(s, i)
    local n = tonumber(text)
    if n == nil then fail(s, i, "invalid number '" .. text .. "'") end
    return n, j
  elseif c == "t" or c == "f" or c == "n" then
    local word, j = token(s, i)
    if word == "null" then return nil, j end
    local v = literals[word]
    if v == nil then fail(s, i, "invalid literal '" .. word .. "'") end
    return v, j
  end
  fail(s, i, "unexpected character '" .. c .. "'")
end

local function decode(s)
  local v, i = decodeValue(s, skip(s, 1), 0)
  i = skip(s, i)
  if i <= #s then fail(s, i, "trailing garbage") end
  return v
end

-- decode raises its errors at the caller's line, as the Lua engine's does.
function json.decode(s)
  if type(s) ~= "string" then error("expected argument of type string, got " .. type(s), 2) end
  local ok, v = pcall(decode, s)
  if not ok then error(v, 2) end
  return v
end

return json
