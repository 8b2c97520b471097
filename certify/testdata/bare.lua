-- A process that answers every request with bare text instead of a JSON
-- object.
Handlers.add("bare", function(msg) return msg.Action ~= nil end, function(msg)
  msg.reply({ Action = msg.Action .. "-Response", Data = "ok" })
end)
