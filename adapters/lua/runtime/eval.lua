-- require(".eval"): eval(ao) returns the handler aos runs for Eval: it
-- loads msg.Data as an expression first ("1 + 1" prints 2) and else as a
-- chunk, in the global environment, and prints what it returns. As on aos,
-- code that does not compile, or a chunk that returns a second value that is
-- not false or nil (return nil, "oops"), makes the message's result an error
-- (ao.outbox.Error): the state is then kept or discarded as for any error.
-- A first value of false or nil prints nothing.
return function(ao)
  return function(msg)
    local code = msg.Data
    local fn = load("return " .. code, "aos", "t", _G)
    local err
    if not fn then
      fn, err = load(code, "aos", "t", _G)
    end
    if not fn then
      ao.outbox.Error = err
      return
    end
    local out, e = fn()
    if e then
      ao.outbox.Error = e
      return
    end
    if out then print(out) end
  end
end
