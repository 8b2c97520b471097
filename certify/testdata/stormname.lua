-- A message storm whose Action reads like the suite's own error.
Handlers.add("storm", function(msg) return true end, function(msg)
  Send({ Target = ao.id, Action = "unknown process" })
  Send({ Target = ao.id, Action = "unknown wallet" })
end)
