-- require(".pretty"): tprint renders a table as "key: value" lines, nested
-- tables indented by one space per level. Keys are sorted so the text is
-- the same on every engine (aos walks pairs order).
local sortKeys = require(".stringify").sortKeys

local pretty = { _version = "mostao-runtime-1" }

function pretty.tprint(t, indent)
  indent = indent or 0
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, sortKeys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    local line = string.rep(" ", indent) .. tostring(k) .. ": "
    if type(v) == "table" then
      out[#out + 1] = line .. "\n" .. pretty.tprint(v, indent + 1)
    else
      out[#out + 1] = line .. tostring(v) .. "\n"
    end
  end
  return table.concat(out)
end

return pretty
