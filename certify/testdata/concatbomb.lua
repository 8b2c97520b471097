-- table.concat of 400 references to one 64 MiB string: 25 GiB.
Handlers.add("concat", function(msg) return msg.Action ~= nil end, function(msg)
  local s = string.rep("x", 64 * 2^20)
  local t = {}
  for i = 1, 400 do t[i] = s end
  table.concat(t)
end)
