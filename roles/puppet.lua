-- The suite's puppet: a process that sends whatever its owner tells it to.
-- Scenarios use it to play a hostile or confused process (a forged notice,
-- a message from a process that is not the one it claims to be).
--
-- Request: Action = "Relay" from the owner, Data = JSON
--   {"Target": "<pid>", "Data": "<text>", "Tags": {"Name": "value", ...}}
-- The puppet replies "Relay-Response" to its owner once the message is queued.
local json = require("json")

Handlers.add("Relay", "Relay", function(msg)
  if msg.From ~= Owner then
    msg.reply({ Action = "Relay-Error", Error = "Unauthorized", Data = "only the owner may relay" })
    return
  end
  local ok, order = pcall(json.decode, msg.Data)
  if not ok or type(order) ~= "table" or type(order.Target) ~= "string" then
    msg.reply({ Action = "Relay-Error", Error = "InvalidInput", Data = "Data must be {Target, Data, Tags}" })
    return
  end
  local out = { Target = order.Target, Data = order.Data or "", Tags = order.Tags or {} }
  ao.send(out)
  msg.reply({ Action = "Relay-Response", Data = "queued" })
end)
