-- Runs one expression as scripts/lua53-expressions.lua does and writes its
-- result the same way: the prelude of both engines' TestLua53ExpressionTable.
local out = {}
local function enc(s)
  return (s:gsub("[^\32-\126]", function(c) return ("\\%03d"):format(c:byte()) end):gsub("\\(%D)", "\\092%1"))
end
local function run(e)
  local src = e:find("return", 1, true) and e or ("return " .. e)
  local fn, err = load(src, "=expr")
  if not fn then out[#out + 1] = "error " .. enc(tostring(err)) return end
  local ok, v = pcall(fn)
  if not ok then out[#out + 1] = "error " .. enc(tostring(v)) return end
  local t = type(v)
  if t == "number" then t = math.type(v) end
  out[#out + 1] = t .. " " .. enc(tostring(v))
end
