-- A table that grows without end in one handler.
Handlers.add("grow", function(msg) return msg.Action ~= nil end, function(msg)
  local t = {}
  while true do t[#t + 1] = string.rep("x", 4096) .. #t end
end)
