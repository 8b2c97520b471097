-- A process that answers every request twice: first an error, then a
-- success, like the second-reply defect seen in the wild.
local json = require("json")
Handlers.add("twice", function(msg) return msg.Action ~= nil end, function(msg)
  msg.reply({ Action = msg.Action .. "-Error", Error = "InvalidInput",
    Data = json.encode({ code = "InvalidInput", message = "first answer" }) })
  msg.reply({ Action = msg.Action .. "-Response", Data = json.encode({ ok = true }) })
end)
