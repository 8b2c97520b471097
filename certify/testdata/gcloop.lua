-- A process that runs the garbage collector in a loop on every request.
Handlers.add("gc", function(msg) return msg.Action ~= nil end, function(msg)
  while true do collectgarbage() end
end)
