-- Every byte of a 1 MiB string replaced by the whole string: a 1 TiB result.
Handlers.add("gsub", function(msg) return msg.Action ~= nil end, function(msg)
  local s = string.rep("x", 2^20)
  s:gsub(".", s)
end)
