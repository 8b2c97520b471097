-- A backtracking pattern: 40 a* items against 40 a, then a missing b.
Handlers.add("bt", function(msg) return msg.Action ~= nil end, function(msg)
  string.find(string.rep("a", 40), string.rep("a*", 40) .. "b")
end)
