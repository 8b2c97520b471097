-- require(".chance") for the compiled module: the reference MT19937, the
-- generator aos's math.random draws from, with the same three functions
-- the Lua engine implements in Go (adapters/lua/aosmodules.go). Lua 5.3
-- integers and bit operators make it exact here.
local chance = { _version = "mostao-runtime-1" }

local N, M = 624, 397
local mt = {}
local mti = N + 1

local function init(seed)
  mt[0] = seed & 0xffffffff
  for i = 1, N - 1 do
    local prev = mt[i - 1]
    mt[i] = (1812433253 * (prev ~ (prev >> 30)) + i) & 0xffffffff
  end
  mti = N
end

function chance.seed(seed)
  local n = math.tointeger(seed)
  if n == nil then error("bad argument #1 to 'seed' (number has no integer representation)", 2) end
  init(n)
end

local function nextWord()
  if mti >= N then
    if mti == N + 1 then init(5489) end
    for k = 0, N - 1 do
      local y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff)
      local v = mt[(k + M) % N] ~ (y >> 1)
      if y & 1 ~= 0 then v = v ~ 0x9908b0df end
      mt[k] = v
    end
    mti = 0
  end
  local y = mt[mti]
  mti = mti + 1
  y = y ~ (y >> 11)
  y = y ~ ((y << 7) & 0x9d2c5680)
  y = y ~ ((y << 15) & 0xefc60000)
  y = y ~ (y >> 18)
  return y & 0xffffffff
end

function chance.random()
  return nextWord() / 4294967296.0
end

-- place is where aos's chance.integer raises its errors: the line of its
-- assert(max >= min, ...), which both compares and fails there;
-- arithPlace the line after it, where it does its arithmetic on the
-- bounds, once it has drawn.
local place = '[string ".chance"]:201: '
local arithPlace = '[string ".chance"]:203: '

function chance.integer(min, max)
  -- max >= min is min <= max: two numbers or two strings compare,
  -- anything else fails as Lua 5.3 names it (a numeral string is not read
  -- as a number there).
  local t1, t2 = type(min), type(max)
  if t1 ~= t2 or (t1 ~= "number" and t1 ~= "string") then
    if t1 == t2 then error(place .. "attempt to compare two " .. t1 .. " values", 0) end
    error(place .. "attempt to compare " .. t1 .. " with " .. t2, 0)
  end
  if max < min then error(place .. "max must bigger than min", 0) end
  local r = nextWord() / 4294967296.0
  -- max - min names the first operand that is not a numeral.
  for _, bound in ipairs({ { max, "max" }, { min, "min" } }) do
    if tonumber(bound[1]) == nil then
      error(arithPlace .. "attempt to perform arithmetic on a string value (local '" .. bound[2] .. "')", 0)
    end
  end
  return math.floor(r * (max - min + 1) + min)
end

return chance
