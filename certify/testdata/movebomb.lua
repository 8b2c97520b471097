-- table.move over 2^52 slots.
Handlers.add("move", function(msg) return msg.Action ~= nil end, function(msg)
  table.move({}, 1, 2^52, 1)
end)
