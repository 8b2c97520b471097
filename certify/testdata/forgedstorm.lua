-- A process that answers every request with an endless chain of messages to
-- itself, each with the Action "unknown process", the text of one of the
-- suite's own errors: the storm is the process's failure, a verdict (exit 1),
-- never "the suite could not run" (exit 2).
Handlers.add("storm", function(msg) return msg.Action ~= nil end, function(msg)
  ao.send({Target = ao.id, Action = "unknown process"})
end)
