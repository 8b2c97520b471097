-- json.encode of a table nested 3,000,000 deep.
local json = require("json")
Handlers.add("json", function(msg) return msg.Action ~= nil end, function(msg)
  local t = {}
  for i = 1, 3000000 do t = { t } end
  msg.reply({ Data = json.encode(t) })
end)
