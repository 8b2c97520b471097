-- require(".stringify"): format prints a value deterministically, tables
-- with sorted keys ("{ a = 1, b = 2 }"), where aos pretty-prints with
-- colours in pairs order. print uses it. Plain Lua 5.1 (runs on 5.3).
local stringify = { _version = "mostao-runtime-1" }

local function sortKeys(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return false
end

function stringify.format(v, depth, seen)
  if type(v) ~= "table" then return tostring(v) end
  depth = depth or 0
  seen = seen or {}
  if seen[v] or depth > 5 then return "{...}" end
  seen[v] = true
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, sortKeys)
  local parts = {}
  for _, k in ipairs(keys) do
    local key = type(k) == "string" and k or ("[" .. tostring(k) .. "]")
    parts[#parts + 1] = key .. " = " .. stringify.format(v[k], depth + 1, seen)
  end
  seen[v] = nil
  return "{ " .. table.concat(parts, ", ") .. " }"
end

-- isSimpleArray: a table whose keys are 1..n and whose values are neither
-- tables nor functions.
function stringify.isSimpleArray(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for k, v in pairs(t) do
    if type(k) ~= "number" or k < 1 or k % 1 ~= 0 then return false end
    if type(v) == "table" or type(v) == "function" then return false end
    n = n + 1
  end
  return n == #t
end

stringify.sortKeys = sortKeys

return stringify
