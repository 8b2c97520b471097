-- Produces adapters/lua/testdata/lua53-expressions.tsv: each line is a Lua
-- 5.3 expression (or a chunk that returns one value), a tab, and what real
-- Lua 5.3 gives for it. Run it with a real Lua 5.3 (scripts/lua53-expressions.sh).
--
-- A result is written as "<type> <text>": the type is math.type for numbers
-- and type otherwise, the text is tostring of the value with bytes outside
-- printable ASCII (and the backslash) written as \ddd. A chunk that raises
-- is "error <message>" (the engine's test compares only that it raised).

assert(_VERSION == "Lua 5.3", "run this with Lua 5.3, not " .. _VERSION)

local exprs = {}
local function add(e) exprs[#exprs + 1] = e end

-- Every binary operator over operands that mix integers, floats, negative
-- numbers, zero and strings.
local binops = { "+", "-", "*", "/", "//", "%", "^", "&", "|", "~", "<<", ">>",
  "==", "<", "<=" }
local operands = { "7", "-7", "2", "-2", "0", "7.0", "-7.5", "0.0", "2.5", "'10'", "'3.0'", "' 0x10 '" }
for _, op in ipairs(binops) do
  for _, a in ipairs(operands) do
    for _, b in ipairs({ "2", "-2", "0", "2.0", "-0.5", "'3'" }) do
      add(a .. " " .. op .. " " .. b)
    end
  end
end

-- Shifts by large, negative and fractional amounts.
for _, s in ipairs({ "0", "1", "31", "32", "52", "53", "62", "63", "64", "65", "-1", "-63", "-64", "1.0", "1.5" }) do
  add("1 << " .. s)
  add("-1 >> " .. s)
  add("0xFF >> " .. s)
  add("3 << " .. s)
end

-- Unary operators.
for _, v in ipairs({ "0", "1", "-1", "2.0", "2.5", "'7'", "0x7fffffffffffffff", "math.mininteger", "2^53", "2^63" }) do
  add("~" .. v)
  add("-" .. v)
  add("- -" .. v)
end

local extra = {
  -- Integer and float printing.
  "10 / 2", "1 / 0", "-1 / 0", "0 / 0 ~= 0 / 0", "1e15", "1e16", "1e100", "2^53", "2^53 + 1", "2^63",
  "-0.0", "0.0", "-0", "3 // 0.0", "-3 // 0.0", "3 % -2", "-3 % 2", "3.5 % -2", "-3.5 % 2",
  "5.5 // 2", "-5.5 // 2", "7 // 0", "7 % 0", "7.0 % 0", "7 // -0.0", "math.huge", "-math.huge",
  "math.pi", "0.1", "1/3", "100 * 1.1", "3.0", "3.14159265358979", "123456789012", "1e300 * 1e10",
  "2^-1074", "1e308 * 10 == math.huge", "0.1 + 0.2", "100000000000000", "12345678901234567890",
  "0x10", "0xA.8p1", "0x1p4", "0x.1", "1E2", ".5", "5.", "3e0", "0xffffffffffffffff", "0x7fffffffffffffff + 1",
  -- Integer overflow wraps.
  "math.maxinteger", "math.mininteger", "math.maxinteger + 1", "math.mininteger - 1",
  "math.maxinteger * 2", "math.mininteger // -1", "math.mininteger % -1", "-math.mininteger",
  "math.maxinteger + 1.0", "math.maxinteger + 0.0 == 2^63", "math.maxinteger // 1", "math.abs(math.mininteger)",
  "9007199254740993", "9007199254740993 + 0", "2^53 == 2^53 + 1", "9007199254740992 + 1",
  "1 << 53", "(1 << 53) + 1", "1 << 62", "(1 << 63) - 1", "5 // 0.0", "-5 // 0.0", "0/0 == 0/0",
  -- math.type and math.tointeger.
  "math.type(1)", "math.type(1.0)", "math.type(10 / 2)", "math.type(10 // 2)", "math.type(10.0 // 2)",
  "math.type(2^2)", "math.type('1')", "math.type(nil)", "math.type(1e100)", "math.type(3 % 2)", "math.type(3.0 % 2)",
  "math.type(-0.0)", "math.type(math.maxinteger)", "math.type(7 & 3)", "math.type(7.0 | 0)",
  "math.tointeger(3.0)", "math.tointeger(3.5)", "math.tointeger('8')", "math.tointeger(2^53)",
  "math.tointeger(2^63)", "math.tointeger(-0.0)", "math.tointeger(math.huge)", "math.tointeger(3)",
  "math.floor(3.7)", "math.floor(-3.7)", "math.ceil(3.2)", "math.floor(3.0)", "math.type(math.floor(3.7))",
  "math.floor(2^62)", "math.floor(1e100)", "math.max(1, 2.5)", "math.max(3, 2.5)", "math.min(1.0, 2)",
  "math.abs(-3)", "math.abs(-3.0)", "math.fmod(7, 3)", "math.fmod(-7, 3)", "math.fmod(7, -3.0)", "math.fmod(7, 0)",
  "math.sqrt(16)", "math.ult(1, -1)", "math.ult(-1, 1)", "math.modf(3.7)", "math.modf(-3.7)", "math.modf(5)",
  -- string.format.
  "string.format('%d', 3)", "string.format('%d', 3.0)", "string.format('%d', 3.5)", "string.format('%d', '10')",
  "string.format('%d', 2^31)", "string.format('%5.1f', 3)", "string.format('%x', 255)", "string.format('%x', 255.0)",
  "string.format('%X', -1)", "string.format('%g', 1e15)", "string.format('%s', 1.0)", "string.format('%s', 10 // 3)",
  "string.format('%i', -7)", "string.format('%c', 65)", "string.format('%5d|%-5d', 42, 42)", "string.format('%.3f', 1/3)",
  "string.format('%q', 1/3)", "string.format('%q', 7)", "string.format('%d', -0.0)", "string.format('%o', 8)",
  "string.format('%5.2s|%-6s|', 1/3, 2.5)", "string.format('%08x|%o', -255, -8)", "string.format('%q', 1e300)",
  "string.format('%q', 2^63)", "string.format('%q', 1/0)", "string.format('%q', -2.5)",
  "string.format('%q', 'a\\0b\\0001\\1\\n\\r\\t\\200\\255\\\"\\\\ z\\127')", "string.format('%q|%q|%q', nil, true, false)",
  "string.format('%q', {})", "string.format('%q', '\\31\\0329')", "string.format('%x', 3.5)",
  "string.format('%c', 65.0)", "string.format('%10.3f|%-8d|', 2, 7)", "string.format('%s %s', 1e15, 2^53)",
  -- Coercions between strings and numbers.
  "'10' + 1", "'10' + 1.0", "'3.0' + 1", "'0x10' + 0", "'1e2' + 0", "' 5 ' * 2", "'10' // '3'", "'10' / '2'",
  "'7' % '4'", "'2' ^ '3'", "'abc' + 1", "'10' & 3", "'10.0' | 0", "'10.5' | 0", "'0x10' ~ 1", "- '2'", "~ '2'",
  "10 == '10'", "'10' + 0 == 10", "1 < 1.5", "1 == 1.0", "math.maxinteger < math.huge", "2^53 < 2^53 + 1",
  "math.maxinteger + 0.0 == math.maxinteger", "math.maxinteger < 2^63", "-0.0 == 0", "1 < '2'",
  "tonumber('10')", "tonumber('10.0')", "tonumber('0x1p4')", "tonumber('1e1')", "tonumber('  7  ')", "tonumber('7a')",
  "tonumber('z', 36)", "tonumber('ff', 16)", "tonumber('10', 2)", "tonumber(' -0x10 ')", "tonumber('-0')",
  "tostring(1e15)", "tostring(2^53)", "tostring(-0.0)", "tostring(1/0)", "tostring(3)", "tostring(3.0)",
  -- Concatenation and length.
  "1 .. ''", "1.0 .. ''", "-0.0 .. ''", "2^63 .. ''", "10 // 3 .. ''", "10 / 2 .. ''", "1 .. 2", "1.5 .. 'x'",
  "#'abc'", "#{1, 2, 3}", "#'' + 1", "math.maxinteger .. ''", "1e100 .. ''",
  -- Precedence of the new operators.
  "1 | 2 ~ 3 & 4", "1 << 2 + 3", "1 + 2 << 3", "5 & 3 == 1", "1 .. 2 << 1", "2 ^ 3 ^ 2", "-2 ^ 2", "~0 >> 60",
  "not 1 == 2", "1 | 2 < 4", "3 ~ 5 ~ 6", "2 * 3 // 4", "7 // 2 * 2", "-7 // 2", "~5 & 0xF", "1 < 2 == true",
  "'a' .. 'b' == 'ab'", "1 .. 2 == '12'", "2^-2", "8 % 3.5", "-2^63 == math.mininteger", "2^63 == math.maxinteger + 1.0",
  -- String escapes.
  "'\\x41\\x42'", "'\\u{48}\\u{e9}\\u{20AC}'", "'a\\z     b'", "'\\65\\066\\0677'", "#'\\0abc'", "'\\u{7FFFFFFF}'",
  "'tab\\tend'", "\"q\\\"q\"", "[[long]]", "[==[a]]b]==]", "'\\x7a\\u{7a}'", "#'\\u{10FFFF}'",
  -- Tables keyed by numbers.
  "({[1] = 'a'})[1.0]", "({[1.0] = 'a'})[1]", "({[2^53] = 'a'})[2^53]", "next({[3.0] = true})", "math.type(next({[3.0] = true}))",
  -- Loops.
  "local s = '' for i = 1, 3 do s = s .. i .. ',' end return s",
  "local s = '' for i = 1.0, 3 do s = s .. i .. ',' end return s",
  "local s = '' for i = 1, 2, 0.5 do s = s .. i .. ',' end return s",
  "local s = '' for i = 3, 1, -1 do s = s .. i .. ',' end return s",
  "local n = 0 for i = 1, 0 do n = n + 1 end return n",
  "local s = '' for i = 0.1, 0.35, 0.1 do s = s .. i .. ',' end return s",
  "local t = {} for i = 1, 3 do t[#t + 1] = i * 2 end return table.concat(t, ' ')",
  "local t = {} for i = 1, 3 do t[#t + 1] = i / 2 end return table.concat(t, ' ')",
  "local i = 1 ::top:: i = i * 2 if i < 100 then goto top end return i",
  "for i = 1, 3 do if i == 2 then goto done end end ::done:: return 'ok'",
  "local x = 5 x = x // 2 return x", "local x = 5.0 x = x // 2 return x", "local a, b = 7, 3 return a // b, a % b",
  "local a = 0xF0 local b = 0x0F return a | b", "local a = 6 return a & 3 | 8",
  -- string library results.
  "string.rep('ab', 3, ',')", "('x'):rep(3)", "string.sub('hello', 2.0, 4)", "string.sub('hello', 2.5)",
  "string.rep('x', 1.5)", "string.char(65.5)", "string.char(65.0, 66)", "table.concat({1, 2}, ',', 1.5)",
  "select(1.5, 'a')", "select('#', 1.5)", "string.sub('abc', math.huge)", "string.byte('abc', 1.0)",
  "#table.insert({}, 1.5, 'x')", "table.insert({}, 1.5)", "string.find('abc', 'b', 1.5)", "table.remove({1, 2}, 1.5)",
  "string.byte('A')", "string.char(72, 105)", "select('#', 1, 2, 3)", "select(-1, 1, 2, 3)", "string.len('abc')",
  "utf8.char(72, 228)", "utf8.len('Hä')", "table.unpack({1, 2, 3}, 2)", "math.type(#'abc')", "math.type(string.len('a'))",
  "string.find('abc', 'b')", "math.type(string.find('abc', 'b'))", "string.format('%d', string.len('abc'))",
  "tostring(nil)", "tostring(true)", "type(1)", "type('1')", "rawequal(1, 1.0)", "rawlen({1, 2})",
  "math.type(tonumber('3'))", "math.type(tonumber('3.0'))", "math.type(tonumber('1e2'))",
}
for _, e in ipairs(extra) do add(e) end

-- Random expressions over small integers, to check the precedence and
-- associativity of every operator together. The generator is a fixed
-- linear congruential one, so the table is the same on every run.
local seed = 12345
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local ops = { "+", "-", "*", "//", "%", "&", "|", "~", "<<", ">>", "^", "/", "..", "==", "<" }
local function gen(depth)
  if depth == 0 or rand(3) == 1 then
    local v = tostring(rand(10) - 1)
    if rand(6) == 1 then v = "-" .. v elseif rand(8) == 1 then v = "~" .. v end
    return v
  end
  local e = gen(depth - 1) .. " " .. ops[rand(#ops)] .. " " .. gen(depth - 1)
  if rand(4) == 1 then e = "(" .. e .. ")" end
  return e
end
for _ = 1, 300 do add(gen(3)) end

local function enc(s)
  return (s:gsub("[^\32-\126]", function(c) return ("\\%03d"):format(c:byte()) end):gsub("\\(%D)", "\\092%1"))
end

local function render(v)
  local t = type(v)
  if t == "number" then t = math.type(v) end
  return t .. " " .. enc(tostring(v))
end

local seen = {}
for _, e in ipairs(exprs) do
  if not seen[e] then
    seen[e] = true
    local src = e:find("return", 1, true) and e or ("return " .. e)
    local fn, err = load(src, "=expr")
    local out
    if not fn then
      out = "error " .. enc(err)
    else
      local ok, v = pcall(fn)
      out = ok and render(v) or ("error " .. enc(tostring(v)))
    end
    assert(not e:find("[\t\n]"), "an expression must fit on one line: " .. e)
    io.write(e, "\t", out, "\n")
  end
end
