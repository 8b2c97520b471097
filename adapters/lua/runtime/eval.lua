-- require(".eval"): eval(ao) returns a handler that runs msg.Data as Lua,
-- as an expression first ("1 + 1" prints 2) and else as a chunk, in the
-- global environment, and prints what it returns.
return function(ao)
  return function(msg)
    local code = msg.Data
    local fn = load("return " .. code, "aos", "t", _G)
    if not fn then
      local err
      fn, err = load(code, "aos", "t", _G)
      if not fn then error(err, 0) end
    end
    local out = fn()
    if out ~= nil then print(out) end
  end
end
