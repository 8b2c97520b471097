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

-- Decoding: a recursive descent over the string, positions 1-based.
local decodeValue

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
        if not hex:find("^%x%x%x%x$") then fail(s, j + 2, "invalid unicode escape in string") end
        local n = tonumber(hex, 16)
        j = j + 6
        if n >= 0xd800 and n < 0xdc00 and s:sub(j, j + 1) == "\\u" then
          local lo = s:sub(j + 2, j + 5)
          if not lo:find("^%x%x%x%x$") then fail(s, j + 2, "invalid unicode escape in string") end
          n = 0x10000 + ((n - 0xd800) << 10) + (tonumber(lo, 16) - 0xdc00)
          j = j + 6
        end
        parts[#parts + 1] = utf8Char(n)
      else
        local map = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        local r = map[e]
        if not r then fail(s, j + 1, "invalid escape char '" .. e .. "' in string") end
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
  if depth > 200 then fail(s, i, "too deeply nested") end
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

local function decode(s)
  local v, i = decodeValue(s, 1, 0)
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
