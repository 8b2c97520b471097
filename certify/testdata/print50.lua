-- 50 MiB of print on every request, and no reply.
Handlers.add("print", function(msg) return msg.Action ~= nil end, function(msg)
  local s = string.rep("p", 2^20)
  for i = 1, 50 do print(s) end
end)
