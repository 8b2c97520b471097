-- require(".bint") of the compiled module: fixed-width two's complement
-- integers with the API of lua-bint, the library aos gives every process
-- (AO tokens keep their balances with require(".bint")(256)). Written for
-- this module from that API and from what real aos 2.0.4 and 2.0.6 answer
-- (TestBintIsAosOnEveryEngine in adapters/wasm holds it to a table of calls
-- measured on them).
--
-- require(".bint") is a function of a bit width (a multiple of 32, at
-- least 64; 256 when omitted) that returns the class of that width, the
-- same table for the same width. A value is a table of 32-bit words, least
-- significant first, whose metatable is the class, as in lua-bint: so
-- type(x) is "table", #x is the word count and json.encode writes the
-- words, as on aos. Arithmetic wraps modulo 2^bits. Operators given a
-- value that is not an integer (a fractional float, a string that is not an
-- integer numeral) compute with Lua numbers instead, as lua-bint does.

local mtype, tointeger, mfloor, mabs = math.type, math.tointeger, math.floor, math.abs
local setmetatable, getmetatable, type, tonumber, error = setmetatable, getmetatable, type, tonumber, error
local schar, sbyte, concat = string.char, string.byte, table.concat

local WORD = 0xffffffff
local TOP = 0x80000000
local DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

local classes = {}

-- chunk[base] is how many digits of base make a number below 2^31, the
-- most a word may be multiplied or divided by without overflowing 64 bits.
local chunk = {}
for base = 2, 36 do
  local k, p = 0, 1
  while p * base <= 0x80000000 do
    p, k = p * base, k + 1
  end
  chunk[base] = k
end

local function newclass(bits)
  local n = bits // 32
  local bint = {}
  bint.__index = bint
  bint.bits = bits

  local function blank()
    local x = {}
    for i = 1, n do x[i] = 0 end
    return setmetatable(x, bint)
  end

  local function isbint(x)
    return getmetatable(x) == bint
  end

  local function copy(x)
    local y = {}
    for i = 1, n do y[i] = x[i] end
    return setmetatable(y, bint)
  end

  local function negative(x)
    return x[n] & TOP ~= 0
  end

  local function allzero(x)
    for i = 1, n do
      if x[i] ~= 0 then return false end
    end
    return true
  end

  -- In-place word operations; each returns x.
  local function negate(x)
    local carry = 1
    for i = 1, n do
      local w = (~x[i] & WORD) + carry
      x[i], carry = w & WORD, w >> 32
    end
    return x
  end

  local function addto(x, y)
    local carry = 0
    for i = 1, n do
      local w = x[i] + y[i] + carry
      x[i], carry = w & WORD, w >> 32
    end
    return x
  end

  local function subfrom(x, y)
    local borrow = 0
    for i = 1, n do
      local w = x[i] - y[i] - borrow
      if w < 0 then
        x[i], borrow = w + 0x100000000, 1
      else
        x[i], borrow = w, 0
      end
    end
    return x
  end

  -- x * m + a in place, for 0 <= m <= 2^31 and |a| < 2^31.
  local function muladdsmall(x, m, a)
    local carry = a
    for i = 1, n do
      local w = x[i] * m + carry
      x[i], carry = w & WORD, w >> 32
      if w < 0 then carry = carry | ~(-1 >> 32) end
    end
    return x
  end

  -- x divided in place by 0 < d <= 2^31, unsigned; returns the remainder.
  local function divsmall(x, d)
    local r = 0
    for i = n, 1, -1 do
      local cur = (r << 32) | x[i]
      x[i], r = cur // d, cur % d
    end
    return r
  end

  -- Unsigned comparison: -1, 0 or 1.
  local function ucmp(x, y)
    for i = n, 1, -1 do
      local a, b = x[i], y[i]
      if a ~= b then return a < b and -1 or 1 end
    end
    return 0
  end

  local function scmp(x, y)
    local nx, ny = negative(x), negative(y)
    if nx ~= ny then return nx and -1 or 1 end
    return ucmp(x, y)
  end

  -- Shifts the unsigned value left by one bit in place; returns the bit
  -- shifted out.
  local function shlone(x)
    local carry = 0
    for i = 1, n do
      local w = (x[i] << 1) | carry
      x[i], carry = w & WORD, w >> 32
    end
    return carry
  end

  local function shrone(x)
    local carry = 0
    for i = n, 1, -1 do
      local w = x[i]
      x[i], carry = (w >> 1) | (carry << 31), w & 1
    end
    return x
  end

  local function shiftleft(x, k)
    local z = blank()
    if k >= bits then return z end
    local words, b = k // 32, k % 32
    for i = n, words + 1, -1 do
      local w = x[i - words] << b
      if b > 0 and i - words - 1 >= 1 then w = w | (x[i - words - 1] >> (32 - b)) end
      z[i] = w & WORD
    end
    return z
  end

  local function shiftright(x, k)
    local z = blank()
    if k >= bits then return z end
    local words, b = k // 32, k % 32
    for i = 1, n - words do
      local w = x[i + words] >> b
      if b > 0 and i + words + 1 <= n then w = w | (x[i + words + 1] << (32 - b)) end
      z[i] = w & WORD
    end
    return z
  end

  local function mul(x, y)
    local z = blank()
    for i = 1, n do
      local a = x[i]
      if a ~= 0 then
        local carry = 0
        for j = 1, n - i + 1 do
          local k = i + j - 1
          -- a * y[j] is below 2^64: its bits are exact as an unsigned word pair.
          local p = a * y[j]
          local s = z[k] + (p & WORD) + carry
          z[k] = s & WORD
          carry = (p >> 32) + (s >> 32)
        end
      end
    end
    return z
  end

  -- Unsigned division: quotient and remainder, new values.
  local function udivmod(x, y)
    local q, r = blank(), blank()
    local d = 0
    for i = n, 2, -1 do
      if y[i] ~= 0 then d = -1 break end
    end
    if d == 0 and y[1] <= 0x80000000 then
      for i = 1, n do q[i] = x[i] end
      r[1] = divsmall(q, y[1])
      return q, r
    end
    local top = bits - 1
    while top >= 0 and (x[top // 32 + 1] >> (top % 32)) & 1 == 0 do top = top - 1 end
    for b = top, 0, -1 do
      local out = shlone(r)
      r[1] = r[1] | ((x[b // 32 + 1] >> (b % 32)) & 1)
      -- A bit shifted out means r went past 2^bits, so past y.
      if out ~= 0 or ucmp(r, y) >= 0 then
        subfrom(r, y)
        q[b // 32 + 1] = q[b // 32 + 1] | (1 << (b % 32))
      end
    end
    return q, r
  end

  local function fromint(i)
    local x = blank()
    x[1], x[2] = i & WORD, (i >> 32) & WORD
    if i < 0 then
      for k = 3, n do x[k] = WORD end
    end
    return x
  end

  -- An integral Lua number (or numeral string) as a Lua integer, or nil.
  local function luaint(v)
    v = tonumber(v)
    if mtype(v) == "float" then v = tointeger(v) end
    return v
  end

  function bint.zero()
    return blank()
  end

  function bint.one()
    local x = blank()
    x[1] = 1
    return x
  end

  function bint.maxinteger()
    local x = blank()
    for i = 1, n do x[i] = WORD end
    x[n] = WORD >> 1
    return x
  end

  function bint.mininteger()
    local x = blank()
    x[n] = TOP
    return x
  end

  function bint.fromuinteger(v)
    local i = luaint(v)
    if not i then return end
    local x = blank()
    x[1], x[2] = i & WORD, (i >> 32) & WORD
    return x
  end

  function bint.frominteger(v)
    local i = luaint(v)
    if not i then return end
    return fromint(i)
  end

  function bint.frombase(s, base)
    if type(s) ~= "string" then return end
    base = base or 10
    if not (base >= 2 and base <= 36) then return end
    local sign, digits = s:lower():match("^%s*([+-]?)(%w+)%s*$")
    if not digits then return end
    local step = chunk[base]
    local x = blank()
    for i = 1, #digits, step do
      local part = digits:sub(i, i + step - 1)
      local d = tonumber(part, base)
      if not d then return end
      muladdsmall(x, base ^ #part // 1 | 0, d)
    end
    if sign == "-" then negate(x) end
    return x
  end

  function bint.fromstring(s)
    if type(s) ~= "string" then return end
    if s:find("^[+-]?[0-9]+$") then
      return bint.frombase(s, 10)
    elseif s:find("^[+-]?0[xX][0-9a-fA-F]+$") then
      return bint.frombase((s:gsub("0[xX]", "", 1)), 16)
    elseif s:find("^[+-]?0[bB][01]+$") then
      return bint.frombase((s:gsub("0[bB]", "", 1)), 2)
    end
  end

  function bint.frombe(s)
    local len, x = #s, blank()
    for i = 1, n * 4 do
      local at = len - i + 1
      if at < 1 then break end
      local k = (i - 1) // 4 + 1
      x[k] = x[k] | (sbyte(s, at) << (((i - 1) % 4) * 8))
    end
    return x
  end

  function bint.fromle(s)
    local len, x = #s, blank()
    for i = 1, n * 4 do
      if i > len then break end
      local k = (i - 1) // 4 + 1
      x[k] = x[k] | (sbyte(s, i) << (((i - 1) % 4) * 8))
    end
    return x
  end

  function bint.tobint(v, clone)
    if isbint(v) then
      if clone then return copy(v) end
      return v
    end
    local t = type(v)
    if t == "number" then
      return bint.frominteger(v)
    elseif t == "string" then
      return bint.fromstring(v)
    end
  end
  local tobint = bint.tobint

  function bint.new(v)
    if isbint(v) then return copy(v) end
    local t = type(v)
    if t == "number" then
      v = bint.frominteger(v)
    elseif t == "string" then
      v = bint.fromstring(v)
    end
    if not v then error("value cannot be represented by a bint") end
    return v
  end

  -- The bint an operand converts to, or an error.
  local function need(v)
    local x = tobint(v)
    if not x then error("value has no integer representation") end
    return x
  end

  function bint.parse(v, clone)
    local x = tobint(v, clone)
    if x then return x end
    return tonumber(v)
  end

  function bint.isbint(v)
    return isbint(v)
  end

  function bint.isintegral(v)
    return isbint(v) or mtype(v) == "integer"
  end

  function bint.isnumeric(v)
    return isbint(v) or type(v) == "number"
  end

  function bint.type(v)
    if isbint(v) then return "bint" end
    return mtype(v)
  end

  function bint.tointeger(v)
    if isbint(v) then
      return v[1] | (v[2] << 32)
    end
    local i = luaint(v)
    if i then return i end
  end
  bint.touinteger = bint.tointeger

  function bint.tonumber(v)
    if isbint(v) then
      local fill = negative(v) and WORD or 0
      local small = (v[2] & TOP ~= 0) == (fill ~= 0)
      for i = 3, n do
        if v[i] ~= fill then small = false break end
      end
      if small then return v[1] | (v[2] << 32) end
      return tonumber(bint.tobase(v, 10))
    end
    return tonumber(v)
  end
  local num = bint.tonumber

  function bint.tobase(v, base, unsigned)
    local x = tobint(v)
    if not x then return end
    base = base or 10
    if not (base >= 2 and base <= 36) then return end
    if unsigned == nil then unsigned = base ~= 10 end
    local neg = not unsigned and negative(x)
    x = neg and negate(copy(x)) or copy(x)
    if allzero(x) then return "0" end
    local step = chunk[base]
    local big = base ^ step // 1 | 0
    local out = {}
    while not allzero(x) do
      local r = divsmall(x, big)
      for _ = 1, step do
        local d = r % base
        out[#out + 1] = DIGITS:sub(d + 1, d + 1)
        r = r // base
      end
    end
    while out[#out] == "0" do out[#out] = nil end
    if neg then out[#out + 1] = "-" end
    local m = #out
    for i = 1, m // 2 do
      out[i], out[m - i + 1] = out[m - i + 1], out[i]
    end
    return concat(out)
  end

  local function bytes(v, trim, little)
    local x = need(v)
    local out = {}
    for i = n, 1, -1 do
      local w = x[i]
      out[#out + 1] = schar((w >> 24) & 0xff, (w >> 16) & 0xff, (w >> 8) & 0xff, w & 0xff)
    end
    local s = concat(out)
    if trim then
      s = s:gsub("^\0+", "")
      if s == "" then s = "\0" end
    end
    if little then s = s:reverse() end
    return s
  end

  function bint.tobe(v, trim)
    return bytes(v, trim, false)
  end

  function bint.tole(v, trim)
    return bytes(v, trim, true)
  end

  function bint.iszero(v)
    if isbint(v) then return allzero(v) end
    return v == 0
  end

  function bint.isone(v)
    if isbint(v) then
      if v[1] ~= 1 then return false end
      for i = 2, n do
        if v[i] ~= 0 then return false end
      end
      return true
    end
    return v == 1
  end

  function bint.isminusone(v)
    if isbint(v) then
      for i = 1, n do
        if v[i] ~= WORD then return false end
      end
      return true
    end
    return v == -1
  end

  function bint.isneg(v)
    if isbint(v) then return negative(v) end
    return v < 0
  end

  function bint.ispos(v)
    if isbint(v) then return not negative(v) and not allzero(v) end
    return v > 0
  end

  function bint.iseven(v)
    if isbint(v) then return v[1] & 1 == 0 end
    return v % 2 == 0
  end

  function bint.isodd(v)
    if isbint(v) then return v[1] & 1 == 1 end
    return v % 2 == 1
  end

  function bint.abs(v)
    local x = tobint(v)
    if not x then return mabs(v) end
    x = copy(x)
    if negative(x) then negate(x) end
    return x
  end

  function bint.inc(v)
    local x = tobint(v)
    if not x then return v + 1 end
    return addto(copy(x), bint.one())
  end

  function bint.dec(v)
    local x = tobint(v)
    if not x then return v - 1 end
    return subfrom(copy(x), bint.one())
  end

  -- The rounding functions: a bint stays itself, a number is rounded and
  -- made a bint.
  local function rounding(round)
    return function(v)
      local x = tobint(v)
      if x then return copy(x) end
      return bint.new(round(tonumber(v)))
    end
  end
  bint.floor = rounding(mfloor)
  bint.ceil = rounding(math.ceil)
  bint.trunc = rounding(function(f)
    if f >= 0 then return mfloor(f) end
    return math.ceil(f)
  end)

  function bint.max(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then
      if scmp(x, y) >= 0 then return copy(x) end
      return copy(y)
    end
    return math.max(num(a), num(b))
  end

  function bint.min(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then
      if scmp(x, y) <= 0 then return copy(x) end
      return copy(y)
    end
    return math.min(num(a), num(b))
  end

  function bint.__add(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return addto(copy(x), y) end
    return num(a) + num(b)
  end

  function bint.__sub(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return subfrom(copy(x), y) end
    return num(a) - num(b)
  end

  function bint.__mul(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return mul(x, y) end
    return num(a) * num(b)
  end

  function bint.__unm(x)
    return negate(copy(x))
  end

  local function nonzero(y)
    if allzero(y) then error("attempt to divide by zero") end
  end

  -- Division on the magnitudes, truncated toward zero.
  local function truncated(x, y)
    local nx, ny = negative(x), negative(y)
    local q, r = udivmod(nx and negate(copy(x)) or x, ny and negate(copy(y)) or y)
    if nx ~= ny then negate(q) end
    if nx then negate(r) end
    return q, r
  end

  function bint.udivmod(a, b)
    local x, y = need(a), need(b)
    nonzero(y)
    return udivmod(x, y)
  end

  function bint.udiv(a, b)
    return (bint.udivmod(a, b))
  end

  function bint.umod(a, b)
    local _, r = bint.udivmod(a, b)
    return r
  end

  function bint.tdivmod(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then
      nonzero(y)
      if bint.isminusone(y) and ucmp(x, bint.mininteger()) == 0 then
        error("division overflow")
      end
      return truncated(x, y)
    end
    local fa, fb = num(a), num(b)
    local q, r = mabs(fa) // mabs(fb), mabs(fa) % mabs(fb)
    if (fa < 0) ~= (fb < 0) then q = -q end
    if fa < 0 then r = -r end
    return q, r
  end

  function bint.tdiv(a, b)
    return (bint.tdivmod(a, b))
  end

  function bint.tmod(a, b)
    local _, r = bint.tdivmod(a, b)
    return r
  end

  -- Floor division, as Lua's // and %: the remainder takes the divisor's
  -- sign.
  function bint.idivmod(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then
      nonzero(y)
      local q, r = truncated(x, y)
      if not allzero(r) and negative(r) ~= negative(y) then
        subfrom(q, bint.one())
        addto(r, y)
      end
      return q, r
    end
    local fa, fb = num(a), num(b)
    return fa // fb, fa % fb
  end

  function bint.__idiv(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return (bint.idivmod(x, y)) end
    return num(a) // num(b)
  end

  function bint.__mod(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then
      local _, r = bint.idivmod(x, y)
      return r
    end
    return num(a) % num(b)
  end

  function bint.__div(a, b)
    return num(a) / num(b)
  end

  function bint.__pow(a, b)
    return num(a) ^ num(b)
  end

  -- x^y modulo 2^bits, y read as unsigned.
  function bint.ipow(a, b)
    local y = copy(need(b))
    local x = copy(need(a))
    local z = bint.one()
    while not allzero(y) do
      if y[1] & 1 == 1 then z = mul(z, x) end
      shrone(y)
      if not allzero(y) then x = mul(x, x) end
    end
    return z
  end

  -- x^y modulo m, all three read as unsigned. As in aos's bint, each
  -- product is taken modulo 2^bits before it is reduced modulo m, so a
  -- modulus past 2^(bits/2) can give what exact arithmetic would not.
  function bint.upowmod(a, b, c)
    local x, y, m = need(a), copy(need(b)), need(c)
    nonzero(m)
    if bint.isone(m) then return blank() end
    local _, base = udivmod(x, m)
    local z = bint.one()
    while not allzero(y) do
      if y[1] & 1 == 1 then
        local _, r = udivmod(mul(z, base), m)
        z = r
      end
      shrone(y)
      local _, r = udivmod(mul(base, base), m)
      base = r
    end
    return z
  end

  -- == between two tables: Lua calls it only when both operands are.
  function bint.__eq(x, y)
    for i = 1, n do
      if x[i] ~= y[i] then return false end
    end
    return true
  end

  function bint.eq(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return ucmp(x, y) == 0 end
    return num(a) == num(b)
  end

  function bint.__lt(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return scmp(x, y) < 0 end
    return num(a) < num(b)
  end

  function bint.__le(a, b)
    local x, y = tobint(a), tobint(b)
    if x and y then return scmp(x, y) <= 0 end
    return num(a) <= num(b)
  end

  function bint.ult(a, b)
    return ucmp(need(a), need(b)) < 0
  end

  function bint.ule(a, b)
    return ucmp(need(a), need(b)) <= 0
  end

  local function bitwise(op)
    return function(a, b)
      local x, y = need(a), need(b)
      local z = blank()
      for i = 1, n do z[i] = op(x[i], y[i]) end
      return z
    end
  end
  bint.__band = bitwise(function(p, q) return p & q end)
  bint.__bor = bitwise(function(p, q) return p | q end)
  bint.__bxor = bitwise(function(p, q) return p ~ q end)

  function bint.__bnot(x)
    local z = blank()
    for i = 1, n do z[i] = ~x[i] & WORD end
    return z
  end

  -- A shift or rotation count: a Lua integer, from a number, numeral or
  -- bint.
  local function count(v)
    local k = bint.tointeger(v)
    if not k then error("attempt to shift by a value with no integer representation") end
    return k
  end

  function bint.__shl(a, b)
    local x, k = need(a), count(b)
    if k < 0 then
      if k == math.mininteger then return blank() end
      return shiftright(x, -k)
    end
    return shiftleft(x, k)
  end

  function bint.__shr(a, b)
    local x, k = need(a), count(b)
    if k < 0 then
      if k == math.mininteger then return blank() end
      return shiftleft(x, -k)
    end
    return shiftright(x, k)
  end

  function bint.brol(a, b)
    local x, k = need(a), count(b) % bits
    if k == 0 then return copy(x) end
    local l, r = shiftleft(x, k), shiftright(x, bits - k)
    for i = 1, n do l[i] = l[i] | r[i] end
    return l
  end

  function bint.bror(a, b)
    return bint.brol(a, -count(b))
  end

  -- x's low y bits.
  function bint.bwrap(a, b)
    local x, k = need(a), count(b)
    if k <= 0 then return blank() end
    if k >= bits then return copy(x) end
    return shiftright(shiftleft(x, bits - k), bits - k)
  end

  -- tostring of a bint; called directly, it takes no number.
  function bint.__tostring(x)
    return bint.tobase(copy(x), 10)
  end

  -- lua-bint's in-place operations, which change and return their first
  -- operand.
  local function assign(x, z)
    for i = 1, n do x[i] = z[i] end
    return x
  end
  function bint._assign(x, y) return assign(x, need(y)) end
  function bint._add(x, y) return addto(x, need(y)) end
  function bint._sub(x, y) return subfrom(x, need(y)) end
  function bint._unm(x) return negate(x) end
  function bint._abs(x)
    if negative(x) then negate(x) end
    return x
  end
  function bint._inc(x) return addto(x, bint.one()) end
  function bint._dec(x) return subfrom(x, bint.one()) end
  function bint._band(x, y) return assign(x, bint.__band(x, y)) end
  function bint._bor(x, y) return assign(x, bint.__bor(x, y)) end
  function bint._bxor(x, y) return assign(x, bint.__bxor(x, y)) end
  function bint._bnot(x) return assign(x, bint.__bnot(x)) end
  function bint._shlone(x)
    shlone(x)
    return x
  end
  function bint._shrone(x) return shrone(x) end
  function bint._shlwords(x, k) return assign(x, shiftleft(x, 32 * k)) end
  function bint._shrwords(x, k) return assign(x, shiftright(x, 32 * k)) end

  return setmetatable(bint, {
    __call = function(_, v)
      return bint.new(v)
    end,
  })
end

return function(bits)
  -- A numeral string is a width too, as Lua's arithmetic reads it.
  local key = tointeger((bits or 256) + 0)
  if not (key and key % 32 == 0 and key >= 64) then
    error("bit size must be a multiple of 32, at least 64")
  end
  local class = classes[key]
  if not class then
    class = newclass(key)
    classes[key] = class
  end
  return class
end
