-- Code of a million nested table constructors, built at run time and loaded.
Handlers.add("load", function(msg) return msg.Action ~= nil end, function(msg)
  load("return " .. string.rep("{", 1e6) .. string.rep("}", 1e6))
end)
