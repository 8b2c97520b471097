-- require(".boot"): boot(ao) returns the handler aos runs on a process's
-- spawn message: it puts the message in the Inbox when the Inbox is empty,
-- then, with tag On-Boot = Data, evaluates the message's Data as an Eval
-- does (the value the code returns is printed), and with On-Boot = <a
-- transaction id> evaluates that transaction's data the same way, read from
-- the world's weave (.weavedrive, weave.go). A transaction the weave does
-- not hold fails the message, as aos's eval of the missing data does.
return function(ao)
  local eval = require(".eval")(ao)
  return function(msg)
    Inbox = Inbox or {}
    if #Inbox == 0 then table.insert(Inbox, msg) end
    local onBoot = msg.Tags["On-Boot"]
    if onBoot == nil then return end
    if onBoot == "Data" then
      eval(msg)
      return
    end
    -- Our own wasm module has no drive: say so rather than "module not found".
    local ok, open = pcall(require, ".weavedrive")
    if not ok then
      error("On-Boot: transaction " .. tostring(onBoot) .. " needs a weave, which this module does not read; use On-Boot = Data", 0)
    end
    local code = open(tostring(onBoot))
    if code == nil then
      error("On-Boot: transaction " .. tostring(onBoot) .. " is not on this world's weave", 0)
    end
    eval({ Data = code })
  end
end
