-- require(".dump") and the global Dump: dump(value, indent) writes a value
-- as a Lua literal that load("return " .. text) reads back: strings
-- quoted with %q, tables with sorted keys, one entry per line, indented by
-- indent spaces (default 4) per level. A table met again is written as
-- "<Circular N>" in quotes; functions and other values as quoted text.
local sortKeys = require(".stringify").sortKeys

local keywords = {
  ["and"] = true, ["break"] = true, ["do"] = true, ["else"] = true, ["elseif"] = true,
  ["end"] = true, ["false"] = true, ["for"] = true, ["function"] = true, ["goto"] = true,
  ["if"] = true, ["in"] = true, ["local"] = true, ["nil"] = true, ["not"] = true,
  ["or"] = true, ["repeat"] = true, ["return"] = true, ["then"] = true, ["true"] = true,
  ["until"] = true, ["while"] = true,
}

local function literal(v)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "number" then
    if v ~= v then return "0/0" end
    if v == math.huge then return "math.huge" end
    if v == -math.huge then return "-math.huge" end
    return tostring(v)
  end
  if t == "boolean" or t == "nil" then return tostring(v) end
  return string.format("%q", tostring(v))
end

local function keyText(k)
  if type(k) == "string" and string.match(k, "^[%a_][%w_]*$") and not keywords[k] then return k end
  return "[" .. literal(k) .. "]"
end

local function dump(v, indent)
  indent = indent or 4
  local seen, count = {}, 0
  local function walk(x, depth)
    if type(x) ~= "table" then return literal(x) end
    if seen[x] then return string.format("%q", "<Circular " .. seen[x] .. ">") end
    count = count + 1
    seen[x] = count
    local keys = {}
    for k in pairs(x) do keys[#keys + 1] = k end
    if #keys == 0 then
      seen[x] = nil
      return "{}"
    end
    table.sort(keys, sortKeys)
    local pad = string.rep(" ", indent * (depth + 1))
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = pad .. keyText(k) .. " = " .. walk(x[k], depth + 1)
    end
    seen[x] = nil
    return "{\n" .. table.concat(parts, ",\n") .. "\n" .. string.rep(" ", indent * depth) .. "}"
  end
  return walk(v, 0)
end

return dump
