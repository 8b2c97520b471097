-- The utils module aos processes load with require(".utils"): small
-- functional helpers. Functions of two or more arguments are curried: they
-- can be called with all their arguments or with the first ones, returning
-- a function that takes the rest (utils.map(f)(list) == utils.map(f, list)).
-- Plain Lua 5.1 (it also runs on Lua 5.3).
local utils = { _version = "mostao-runtime-1" }

-- curry wraps fn (of arity n) so that it accepts its arguments in parts.
function utils.curry(fn, arity)
  arity = arity or 2
  local function collect(args, count)
    return function(...)
      local all = {}
      for i = 1, count do all[i] = args[i] end
      local n = select("#", ...)
      for i = 1, n do all[count + i] = (select(i, ...)) end
      if count + n >= arity then
        return fn(table.unpack(all, 1, count + n))
      end
      return collect(all, count + n)
    end
  end
  return collect({}, 0)
end

function utils.isArray(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k % 1 ~= 0 then return false end
    n = n + 1
  end
  return n == #t
end

utils.concat = utils.curry(function(a, b)
  local out = {}
  for _, v in ipairs(a) do out[#out + 1] = v end
  for _, v in ipairs(b) do out[#out + 1] = v end
  return out
end, 2)

utils.reduce = utils.curry(function(fn, initial, t)
  local acc = initial
  for i, v in ipairs(t) do
    if i == 1 and acc == nil then acc = v else acc = fn(acc, v, i) end
  end
  return acc
end, 3)

utils.map = utils.curry(function(fn, t)
  local out = {}
  for i, v in ipairs(t) do out[i] = fn(v, i) end
  return out
end, 2)

utils.filter = utils.curry(function(fn, t)
  local out = {}
  for _, v in ipairs(t) do
    if fn(v) then out[#out + 1] = v end
  end
  return out
end, 2)

utils.find = utils.curry(function(fn, t)
  for _, v in ipairs(t) do
    if fn(v) then return v end
  end
  return nil
end, 2)

utils.propEq = utils.curry(function(name, value, object)
  return object[name] == value
end, 3)

utils.prop = utils.curry(function(name, object)
  return object[name]
end, 2)

utils.includes = utils.curry(function(value, t)
  for _, v in ipairs(t) do
    if v == value then return true end
  end
  return false
end, 2)

function utils.reverse(t)
  local out = {}
  for i = #t, 1, -1 do out[#out + 1] = t[i] end
  return out
end

function utils.keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  return out
end

function utils.values(t)
  local out = {}
  for _, v in pairs(t) do out[#out + 1] = v end
  return out
end

-- compose(f, g, h)(x) == f(g(h(x))).
function utils.compose(...)
  local fns = { ... }
  return function(...)
    local results = { ... }
    for i = #fns, 1, -1 do results = { fns[i](table.unpack(results)) } end
    return table.unpack(results)
  end
end

-- normalize gives a name aos's canonical case: "_" becomes "-" and each
-- part starts upper-case ("content_type" -> "Content-Type").
function utils.normalize(str)
  if type(str) ~= "string" then return str end
  return require(".ao").normaliseName(str)
end

-- capitalize: the first letter upper-case, the rest lower-case.
function utils.capitalize(str)
  if type(str) ~= "string" or str == "" then return str end
  return string.upper(string.sub(str, 1, 1)) .. string.lower(string.sub(str, 2))
end

-- matchesSpec is the handlers' pattern rule (Handlers.utils.matchesSpec).
function utils.matchesSpec(msg, spec)
  return require(".handlers").utils.matchesSpec(msg, spec)
end

return utils
