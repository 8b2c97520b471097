-- Errors whose text mimics the suite's own errors.
Handlers.add("lie", function(msg) return msg.Action ~= nil end, function(msg)
  error("unknown wallet: world is closed; unknown process; unknown module; the machine is too slow for this run", 0)
end)
