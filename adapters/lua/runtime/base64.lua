-- require(".base64"): encode, decode, makeencoder and makedecoder, as aos's
-- module gives them to a process, on both engines (the Lua engine and our
-- own compiled module load this file). What aos answers, measured on real
-- aos 2.0.4 and 2.0.6, is the table of TestBase64IsAosOnEveryEngine
-- (adapters/wasm).
--
-- An encoder maps a code (0 to 63, and 64 for the padding) to a character
-- byte; a decoder maps a character byte back to its code.
local M = {}

local LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

-- alphabet returns the 64 characters and the padding: RFC 4648's, with the
-- characters for 62 and 63 and the padding given or "+", "/" and "=".
local function alphabet(c62, c63, pad)
  return LETTERS .. string.sub(c62 or "+", 1, 1) .. string.sub(c63 or "/", 1, 1), string.sub(pad or "=", 1, 1)
end

function M.makeencoder(c62, c63, pad)
  local chars, p = alphabet(c62, c63, pad)
  local t = {}
  for code = 0, 63 do
    t[code] = string.byte(chars, code + 1)
  end
  t[64] = string.byte(p)
  return t
end

function M.makedecoder(c62, c63, pad)
  local chars, p = alphabet(c62, c63, pad)
  local t = {}
  for code = 0, 63 do
    t[string.byte(chars, code + 1)] = code
  end
  t[string.byte(p)] = 64
  return t
end

local DEFAULT_ENCODER = M.makeencoder()
local DEFAULT_DECODER = M.makedecoder()

local function checkString(s, fname)
  if type(s) ~= "string" then
    error("bad argument #1 to '" .. fname .. "' (string expected, got " .. type(s) .. ")", 3)
  end
end

-- encode writes each three bytes as four characters, and a last one or two
-- bytes as two or three characters and the padding.
function M.encode(s, encoder)
  checkString(s, "encode")
  encoder = encoder or DEFAULT_ENCODER
  local ch = {}
  for code = 0, 64 do
    ch[code] = string.char(encoder[code])
  end
  local out, n, i = {}, #s, 1
  while i + 2 <= n do
    local a, b, c = string.byte(s, i, i + 2)
    local v = a << 16 | b << 8 | c
    out[#out + 1] = ch[v >> 18 & 63] .. ch[v >> 12 & 63] .. ch[v >> 6 & 63] .. ch[v & 63]
    i = i + 3
  end
  if n - i == 0 then
    local v = string.byte(s, i) << 16
    out[#out + 1] = ch[v >> 18 & 63] .. ch[v >> 12 & 63] .. ch[64] .. ch[64]
  elseif n - i == 1 then
    local a, b = string.byte(s, i, i + 1)
    local v = a << 16 | b << 8
    out[#out + 1] = ch[v >> 18 & 63] .. ch[v >> 12 & 63] .. ch[v >> 6 & 63] .. ch[64]
  end
  return table.concat(out)
end

-- decode keeps only letters, digits, "=" and the decoder's characters for
-- 62 and 63 (another padding character is dropped, as on aos), then reads
-- four characters at a time. Only a "=" or "==" at the very end is padding:
-- the last group then gives two or one bytes; a "=" elsewhere is read as
-- the decoder's code for it, and an incomplete last group is an error.
function M.decode(s, decoder)
  checkString(s, "decode")
  decoder = decoder or DEFAULT_DECODER
  local c62, c63
  for byte, code in pairs(decoder) do
    if code == 62 then
      c62 = byte
    elseif code == 63 then
      c63 = byte
    end
  end
  local kept = {}
  for i = 1, #s do
    local b = string.byte(s, i)
    if (b >= 48 and b <= 57) or (b >= 65 and b <= 90) or (b >= 97 and b <= 122) or b == 61 or b == c62 or b == c63 then
      kept[#kept + 1] = b
    end
  end
  local n = #kept
  local padding = 0
  if n >= 2 and kept[n] == 61 and kept[n - 1] == 61 then
    padding = 2
  elseif kept[n] == 61 then
    padding = 1
  end
  local function code(i)
    return decoder[kept[i]]
  end
  local out = {}
  for i = 1, padding > 0 and n - 4 or n, 4 do
    local v = code(i) * 262144 + code(i + 1) * 4096 + code(i + 2) * 64 + code(i + 3)
    out[#out + 1] = string.char(v >> 16 & 255, v >> 8 & 255, v & 255)
  end
  if padding == 1 then
    local v = code(n - 3) * 262144 + code(n - 2) * 4096 + code(n - 1) * 64
    out[#out + 1] = string.char(v >> 16 & 255, v >> 8 & 255)
  elseif padding == 2 then
    local v = code(n - 3) * 262144 + code(n - 2) * 4096
    out[#out + 1] = string.char(v >> 16 & 255)
  end
  return table.concat(out)
end

return M
