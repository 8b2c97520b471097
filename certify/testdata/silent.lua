-- A process that handles every request and never replies.
Handlers.add("silent", function(msg) return msg.Action ~= nil end, function(msg)
  local _ = msg.Data
end)
