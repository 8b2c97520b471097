-- A message storm whose Action reads like the suite's own error. Prepended,
-- so that it starts with the spawn message, ahead of the runtime's _boot.
Handlers.prepend("storm", function(msg) return true end, function(msg)
  Send({ Target = ao.id, Action = "unknown process" })
  Send({ Target = ao.id, Action = "unknown wallet" })
end)
