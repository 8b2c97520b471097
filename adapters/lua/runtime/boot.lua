-- require(".boot"): boot(ao) returns the handler aos runs on a process's
-- spawn message: it puts the message in the Inbox when the Inbox is empty,
-- then, with tag On-Boot = Data, evaluates the message's Data as an Eval
-- does (the value the code returns is printed). Code loaded from another
-- transaction needs a gateway, which the engine does not have.
return function(ao)
  local eval = require(".eval")(ao)
  return function(msg)
    Inbox = Inbox or {}
    if #Inbox == 0 then table.insert(Inbox, msg) end
    local onBoot = msg.Tags["On-Boot"]
    if onBoot == nil then return end
    if onBoot ~= "Data" then
      error("On-Boot: loading code from transaction " .. tostring(onBoot) .. " is not supported; use On-Boot = Data", 0)
    end
    eval(msg)
  end
end
