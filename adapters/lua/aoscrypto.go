package lua

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"strings"

	glua "github.com/yuin/gopher-lua"
)

// require(".crypto") (and ".crypto.init"): the parts of aos's crypto
// module this engine has, as aos documents them: the digests, HMAC,
// PBKDF2, AES, and the stream, array and hex helpers they take and give.
// md2, the other ciphers (ISAAC, Morus, NORX) and the ISAAC generator
// are not offered.

// cryptoDigests are aos's crypto.digest functions this engine has.
var cryptoDigests = map[string]func([]byte) []byte{
	"md4":       md4Sum,
	"md5":       func(b []byte) []byte { s := md5.Sum(b); return s[:] },
	"sha1":      func(b []byte) []byte { s := sha1.Sum(b); return s[:] },
	"sha2_256":  func(b []byte) []byte { s := sha256.Sum256(b); return s[:] },
	"sha2_512":  func(b []byte) []byte { s := sha512.Sum512(b); return s[:] },
	"sha3_256":  func(b []byte) []byte { return keccakSum(b, 32, 0x06) },
	"sha3_512":  func(b []byte) []byte { return keccakSum(b, 64, 0x06) },
	"keccak256": func(b []byte) []byte { return keccakSum(b, 32, 0x01) },
	"keccak512": func(b []byte) []byte { return keccakSum(b, 64, 0x01) },
}

// macHashes are the algorithms createHmac and pbkdf2 accept.
var macHashes = map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New}

func openCrypto(L *glua.LState) int {
	digest := L.NewTable()
	for name, sum := range cryptoDigests {
		sum := sum
		digest.RawSetString(name, L.NewFunction(func(L *glua.LState) int {
			L.Push(cryptoResult(L, sum(cryptoInput(L, 1)), false))
			return 1
		}))
	}
	digest.RawSetString("blake2b", L.NewFunction(func(L *glua.LState) int {
		data, outLen, key := cryptoInput(L, 1), L.OptInt(2, 64), []byte(L.OptString(3, ""))
		if outLen < 1 || outLen > 64 || len(key) > 64 {
			L.RaiseError("blake2b: the output length must be 1 to 64 bytes and the key at most 64")
		}
		L.Push(cryptoResult(L, blake2bSum(data, outLen, key), false))
		return 1
	}))
	aesT := L.NewTable()
	aesT.RawSetString("encrypt", L.NewFunction(func(L *glua.LState) int { return cryptoAES(L, true) }))
	aesT.RawSetString("decrypt", L.NewFunction(func(L *glua.LState) int { return cryptoAES(L, false) }))
	ciphers := L.NewTable()
	ciphers.RawSetString("aes", aesT)
	mac := L.NewTable()
	mac.RawSetString("createHmac", L.NewFunction(cryptoHMAC))
	kdf := L.NewTable()
	kdf.RawSetString("pbkdf2", L.NewFunction(cryptoPBKDF2))

	stream := L.NewTable()
	L.SetFuncs(stream, map[string]glua.LGFunction{
		"fromString": func(L *glua.LState) int { L.Push(byteStream(L, []byte(L.CheckString(1)))); return 1 },
		"fromArray":  func(L *glua.LState) int { L.Push(byteStream(L, cryptoInput(L, 1))); return 1 },
		"fromHex":    func(L *glua.LState) int { L.Push(byteStream(L, hexArg(L, 1))); return 1 },
		"toString":   func(L *glua.LState) int { L.Push(glua.LString(cryptoInput(L, 1))); return 1 },
		"toArray":    func(L *glua.LState) int { L.Push(byteArray(L, cryptoInput(L, 1))); return 1 },
		"toHex":      func(L *glua.LState) int { L.Push(glua.LString(hex.EncodeToString(cryptoInput(L, 1)))); return 1 },
	})
	array := L.NewTable()
	L.SetFuncs(array, map[string]glua.LGFunction{
		"size":       func(L *glua.LState) int { L.Push(glua.LNumber(len(cryptoInput(L, 1)))); return 1 },
		"fromString": func(L *glua.LState) int { L.Push(byteArray(L, []byte(L.CheckString(1)))); return 1 },
		"fromStream": func(L *glua.LState) int { L.Push(byteArray(L, cryptoInput(L, 1))); return 1 },
		"fromHex":    func(L *glua.LState) int { L.Push(byteArray(L, hexArg(L, 1))); return 1 },
		"toString":   func(L *glua.LState) int { L.Push(glua.LString(cryptoInput(L, 1))); return 1 },
		"toStream":   func(L *glua.LState) int { L.Push(byteStream(L, cryptoInput(L, 1))); return 1 },
		"toHex":      func(L *glua.LState) int { L.Push(glua.LString(upperHex(cryptoInput(L, 1)))); return 1 },
		"copy":       func(L *glua.LState) int { L.Push(byteArray(L, cryptoInput(L, 1))); return 1 },
		"concat": func(L *glua.LState) int {
			L.Push(byteArray(L, append(cryptoInput(L, 1), cryptoInput(L, 2)...)))
			return 1
		},
		"truncate": func(L *glua.LState) int {
			b := cryptoInput(L, 1)
			if n := L.CheckInt(2); n >= 0 && n < len(b) {
				b = b[:n]
			}
			L.Push(byteArray(L, b))
			return 1
		},
		"XOR": func(L *glua.LState) int {
			a, b := cryptoInput(L, 1), cryptoInput(L, 2)
			out := make([]byte, min(len(a), len(b)))
			for i := range out {
				out[i] = a[i] ^ b[i]
			}
			L.Push(byteArray(L, out))
			return 1
		},
	})
	hexT := L.NewTable()
	L.SetFuncs(hexT, map[string]glua.LGFunction{
		"stringToHex": func(L *glua.LState) int {
			L.Push(glua.LString(hex.EncodeToString([]byte(L.CheckString(1)))))
			return 1
		},
		"hexToString": func(L *glua.LState) int { L.Push(glua.LString(hexArg(L, 1))); return 1 },
	})
	utils := L.NewTable()
	utils.RawSetString("stream", stream)
	utils.RawSetString("array", array)
	utils.RawSetString("hex", hexT)
	m := L.NewTable()
	m.RawSetString("_version", glua.LString("0.0.1"))
	m.RawSetString("digest", digest)
	m.RawSetString("cipher", ciphers)
	m.RawSetString("mac", mac)
	m.RawSetString("kdf", kdf)
	m.RawSetString("utils", utils)
	L.Push(m)
	return 1
}

// cryptoHMAC is crypto.mac.createHmac(data, key, algorithm = "sha1").
func cryptoHMAC(L *glua.LState) int {
	data, key := cryptoInput(L, 1), cryptoInput(L, 2)
	h := macHash(L, 3)
	mac := hmac.New(h, key)
	mac.Write(data)
	L.Push(cryptoResult(L, mac.Sum(nil), false))
	return 1
}

// cryptoPBKDF2 is crypto.kdf.pbkdf2(password, salt, iterations, keyLen,
// digest = "sha1"); its asHex is upper-case, as aos's arrays write hex.
func cryptoPBKDF2(L *glua.LState) int {
	password, salt := cryptoInput(L, 1), cryptoInput(L, 2)
	iterations, keyLen := L.CheckInt(3), L.CheckInt(4)
	h := macHash(L, 5)
	if iterations < 1 || keyLen < 1 || keyLen > 1<<16 || iterations > 1<<24 {
		L.RaiseError("pbkdf2: iterations and key length must be positive and bounded")
	}
	// Each iteration of each output block is an HMAC of a few blocks: a
	// microsecond, some thirty instructions.
	blocks := (keyLen + h().Size() - 1) / h().Size()
	spend(L, int64(iterations)*int64(blocks)*32)
	key, err := pbkdf2.Key(h, string(password), salt, iterations, keyLen)
	if err != nil {
		L.RaiseError("pbkdf2: %v", err)
	}
	L.Push(cryptoResult(L, key, true))
	return 1
}

// cryptoAES is crypto.cipher.aes.encrypt(data, key, iv = "", mode =
// "CBC", keyLength = 128) and decrypt(hexCipher, key, iv, mode,
// keyLength), as aos documents them: data is zero-padded to whole blocks
// (decrypt keeps the padding), results write upper-case hex. The key must
// have keyLength/8 bytes; an empty iv is sixteen zero bytes (our choice:
// aos does not say). Modes are those of NIST SP 800-38A (CFB is CFB-128,
// CTR counts the whole block big-endian).
func cryptoAES(L *glua.LState, encrypt bool) int {
	var data []byte
	if encrypt {
		data = []byte(L.CheckString(1))
	} else {
		data = hexArg(L, 1)
	}
	key := []byte(L.CheckString(2))
	iv := []byte(L.OptString(3, ""))
	mode := strings.ToUpper(L.OptString(4, "CBC"))
	if bits := L.OptInt(5, 128); bits != 128 && bits != 192 && bits != 256 || len(key) != bits/8 {
		L.RaiseError("aes: the key must be %d bytes for a %d-bit key", bits/8, bits)
	}
	if len(iv) == 0 {
		iv = make([]byte, aes.BlockSize)
	}
	if len(iv) != aes.BlockSize {
		L.ArgError(3, "the iv must be 16 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		L.RaiseError("aes: %v", err)
	}
	if rem := len(data) % aes.BlockSize; rem != 0 || len(data) == 0 {
		data = append(data, make([]byte, aes.BlockSize-rem)...)
	}
	out := make([]byte, len(data))
	switch mode {
	case "ECB":
		for i := 0; i < len(data); i += aes.BlockSize {
			if encrypt {
				block.Encrypt(out[i:], data[i:])
			} else {
				block.Decrypt(out[i:], data[i:])
			}
		}
	case "CBC":
		if encrypt {
			cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, data)
		} else {
			cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
		}
	case "CFB":
		// CFB-128 by hand: the feedback is the previous cipher block.
		prev := append([]byte(nil), iv...)
		for i := 0; i < len(data); i += aes.BlockSize {
			block.Encrypt(prev, prev)
			for j := 0; j < aes.BlockSize; j++ {
				out[i+j] = data[i+j] ^ prev[j]
			}
			if encrypt {
				copy(prev, out[i:i+aes.BlockSize])
			} else {
				copy(prev, data[i:i+aes.BlockSize])
			}
		}
	case "OFB":
		stream := make([]byte, aes.BlockSize)
		copy(stream, iv)
		for i := 0; i < len(data); i += aes.BlockSize {
			block.Encrypt(stream, stream)
			for j := 0; j < aes.BlockSize; j++ {
				out[i+j] = data[i+j] ^ stream[j]
			}
		}
	case "CTR":
		cipher.NewCTR(block, iv).XORKeyStream(out, data)
	default:
		L.ArgError(4, "mode must be CBC, ECB, CFB, OFB or CTR")
	}
	L.Push(cryptoResult(L, out, true))
	return 1
}

func macHash(L *glua.LState, n int) func() hash.Hash {
	name := L.OptString(n, "sha1")
	h, ok := macHashes[name]
	if !ok {
		L.ArgError(n, "unsupported algorithm "+name+" (sha1 or sha256)")
	}
	return h
}

func hexArg(L *glua.LState, n int) []byte {
	b, err := hex.DecodeString(L.CheckString(n))
	if err != nil {
		L.ArgError(n, "not hexadecimal")
	}
	return b
}

func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

func byteArray(L *glua.LState, b []byte) *glua.LTable {
	t := L.CreateTable(len(b), 0)
	for i, v := range b {
		t.RawSetInt(i+1, glua.LNumber(v))
	}
	return t
}

// byteStream is aos's stream: a function returning the next byte, then nil.
func byteStream(L *glua.LState, b []byte) *glua.LFunction {
	i := 0
	return L.NewFunction(func(L *glua.LState) int {
		if i >= len(b) {
			L.Push(glua.LNil)
			return 1
		}
		L.Push(glua.LNumber(b[i]))
		i++
		return 1
	})
}

// cryptoInput reads bytes given as a string, a stream function or an
// array (a table of bytes).
func cryptoInput(L *glua.LState, n int) []byte {
	switch v := L.Get(n).(type) {
	case glua.LString:
		// A digest or cipher reads every byte.
		spend(L, bytesWork(len(v)))
		return []byte(v)
	case *glua.LFunction:
		var out []byte
		for {
			L.Push(v)
			L.Call(0, 1)
			r := L.Get(-1)
			L.Pop(1)
			b, ok := r.(glua.LNumber)
			if !ok {
				return out
			}
			out = append(out, byte(b))
		}
	case *glua.LTable:
		n := chargedLen(L, v)
		spend(L, int64(n))
		out := make([]byte, 0, n)
		for i := 1; i <= n; i++ {
			b, _ := v.RawGetInt(i).(glua.LNumber)
			out = append(out, byte(b))
		}
		return out
	}
	L.ArgError(n, "a string, a stream or an array expected")
	return nil
}

// cryptoResult is what aos's crypto functions return: asBytes(), asHex()
// and asString().
func cryptoResult(L *glua.LState, sum []byte, upper bool) *glua.LTable {
	t := L.CreateTable(0, 3)
	t.RawSetString("asHex", L.NewFunction(func(L *glua.LState) int {
		if upper {
			L.Push(glua.LString(upperHex(sum)))
		} else {
			L.Push(glua.LString(hex.EncodeToString(sum)))
		}
		return 1
	}))
	t.RawSetString("asString", L.NewFunction(func(L *glua.LState) int {
		L.Push(glua.LString(sum))
		return 1
	}))
	t.RawSetString("asBytes", L.NewFunction(func(L *glua.LState) int {
		L.Push(byteArray(L, sum))
		return 1
	}))
	return t
}
