-- string.rep of an empty string 2^53 times: Lua would spin for ages.
Handlers.add("rep", function(msg) return msg.Action ~= nil end, function(msg)
  local s = string.rep("", 2^53)
  msg.reply({ Data = s })
end)
