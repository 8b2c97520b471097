-- require(".boot"): boot(ao) returns the On-Boot handler: with tag
-- On-Boot = Data it runs the spawn message's Data as Lua. Code loaded from
-- another transaction needs a gateway, which the engine does not have.
return function(ao)
  return function(msg)
    local onBoot = msg.Tags["On-Boot"]
    if onBoot == nil then return end
    if onBoot ~= "Data" then
      error("On-Boot: loading code from transaction " .. tostring(onBoot) .. " is not supported; use On-Boot = Data", 0)
    end
    local fn, err = load(msg.Data, "On-Boot", "t", _G)
    if not fn then error(err, 0) end
    return fn()
  end
end
