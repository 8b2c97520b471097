-- Every message it gets spawns another process of the same module and sends
-- 900 messages: a storm of spawns and messages.
Handlers.add("chain", function(msg) return true end, function(msg)
  for i = 1, 900 do Send({ Target = ao.id, Action = "Chain", Data = "x" }) end
  Spawn(ao._module, {})
end)
