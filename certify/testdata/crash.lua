-- A process whose every handler raises a Lua error: no reply ever comes.
Handlers.add("crash", function(msg) return msg.Action ~= nil end, function(msg)
  error("boom: " .. msg.Action)
end)
