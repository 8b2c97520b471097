-- A process whose handler pattern (a function) loops on every request.
Handlers.add("spin", function(msg)
  if msg.Action ~= nil then while true do end end
  return false
end, function() end)
