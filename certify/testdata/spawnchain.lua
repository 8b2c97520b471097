-- Every message it gets spawns another process of the same module and sends
-- 900 messages: a storm of spawns and messages. Prepended, so that it takes
-- the spawn message too, ahead of the runtime's _boot.
Handlers.prepend("chain", function(msg) return true end, function(msg)
  for i = 1, 900 do Send({ Target = ao.id, Action = "Chain", Data = "x" }) end
  Spawn(ao._module, {})
end)
