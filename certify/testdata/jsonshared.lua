-- json.encode of a table whose sub-tables are shared: a tree of 2^60 values.
local json = require("json")
Handlers.add("json", function(msg) return msg.Action ~= nil end, function(msg)
  local t = {}
  for i = 1, 60 do t = { t, t } end
  msg.reply({ Data = json.encode(t) })
end)
