-- require(".assignment"): init(ao) gives ao the assignable registry aos
-- documents: ao.assignables, ao.addAssignable([name,] spec),
-- ao.removeAssignable(name or index), ao.isAssignment(msg) (a message
-- whose Target is another process) and ao.isAssignable(msg) (some
-- assignable's spec matches it). Functions already present are kept.
local assignment = { _version = "mostao-runtime-1" }

function assignment.init(ao)
  ao.assignables = ao.assignables or {}

  local function indexOf(name)
    for i, a in ipairs(ao.assignables) do
      if a.name == name then return i end
    end
    return nil
  end

  ao.addAssignable = ao.addAssignable or function(...)
    local name, spec
    if select("#", ...) >= 2 then name, spec = ... else spec = ... end
    local st = type(spec)
    if st ~= "table" and st ~= "function" and st ~= "string" then
      error("ao.addAssignable: the spec must be a table, a function or a string", 2)
    end
    if name ~= nil and type(name) ~= "string" then
      error("ao.addAssignable: the name must be a string", 2)
    end
    local i = name and indexOf(name)
    if i then
      ao.assignables[i].pattern = spec
    else
      table.insert(ao.assignables, { name = name, pattern = spec })
    end
  end

  ao.removeAssignable = ao.removeAssignable or function(key)
    local i
    if type(key) == "string" then
      i = indexOf(key)
    elseif type(key) == "number" then
      i = key
    else
      error("ao.removeAssignable: expected a name or an index", 2)
    end
    if i == nil or i < 1 or i > #ao.assignables then return end
    table.remove(ao.assignables, i)
  end

  ao.isAssignment = ao.isAssignment or function(msg) return msg.Target ~= ao.id end

  ao.isAssignable = ao.isAssignable or function(msg)
    local matches = require(".handlers").utils.matchesSpec
    -- As in aos, any true value of the spec counts (0 and "skip" too).
    for _, a in ipairs(ao.assignables) do
      if matches(msg, a.pattern) then return true end
    end
    return false
  end
end

return assignment
