-- The draws the math.random tables record (random53.tsv): SEED is set by
-- the test before this text. math.random() is printed times 2^31, which is
-- exact (Lua 5.3 divides rand() by RAND_MAX + 1), and the errors are
-- printed because a call that errors still uses up a number (with the line
-- they name: the chunk's name differs between the engines, docs/engine.md).
math.randomseed(SEED)
local out = {}
local function put(v) out[#out + 1] = string.format("%d", v) end
local function failed(ok, err)
  out[#out + 1] = tostring(ok) .. ":" .. tostring(err:match(":(%d+): ")) .. ":" .. err:gsub("^.-:%d+: ", "")
end
for _ = 1, 6 do put(math.random() * 2147483648) end
for _ = 1, 6 do put(math.random(10)) end
for _ = 1, 6 do put(math.random(-1000, 1000)) end
put(math.random(1, 2 ^ 40))
put(math.random(0, 2 ^ 53))
put(math.random(-2 ^ 53, -1))
put(math.random(7, 7))
put(math.random("3", 3.0))
failed(pcall(function() return math.random(0) end))
put(math.random(1000000))
failed(pcall(function() return math.random(1, 2, 3) end))
failed(pcall(function() return math.random(1.5) end))
failed(pcall(function() return math.random("x") end))
failed(pcall(function() return math.random(3, 1) end))
put(math.random(1000000))
put(math.random(1000000))
return table.concat(out, " ")
