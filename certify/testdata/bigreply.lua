-- A 32 MiB reply to every request.
Handlers.add("big", function(msg) return msg.Action ~= nil end, function(msg)
  msg.reply({ Data = string.rep("d", 32 * 2^20) })
end)
