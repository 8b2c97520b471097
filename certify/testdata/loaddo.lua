-- A million nested do ... end blocks, built at run time and loaded.
Handlers.add("load", function(msg) return msg.Action ~= nil end, function(msg)
  load(string.rep("do ", 1e6) .. string.rep("end ", 1e6))
end)
