-- A process that loops forever on every request: only the engine's compute
-- limit ends it.
Handlers.add("spin", function(msg) return msg.Action ~= nil end, function(msg)
  local n = 0
  while true do
    n = n + 1
  end
end)
