-- string.pack of a field of 10^12 bytes.
Handlers.add("pack", function(msg) return msg.Action ~= nil end, function(msg)
  string.pack("c1000000000000", "")
end)
