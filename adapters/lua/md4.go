package lua

import (
	"encoding/binary"
	"math/bits"
)

// md4Sum is MD4 as RFC 1320 specifies it (aos's crypto.digest.md4; Go has
// MD4 only outside its standard library).
func md4Sum(data []byte) []byte {
	a, b, c, d := uint32(0x67452301), uint32(0xefcdab89), uint32(0x98badcfe), uint32(0x10325476)
	msg := append(append([]byte(nil), data...), 0x80)
	for len(msg)%64 != 56 {
		msg = append(msg, 0)
	}
	msg = binary.LittleEndian.AppendUint64(msg, uint64(len(data))*8)
	var x [16]uint32
	for off := 0; off < len(msg); off += 64 {
		for i := range x {
			x[i] = binary.LittleEndian.Uint32(msg[off+4*i:])
		}
		aa, bb, cc, dd := a, b, c, d
		for i, k := range [16]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15} {
			f := b&c | ^b&d
			a, b, c, d = d, bits.RotateLeft32(a+f+x[k], [4]int{3, 7, 11, 19}[i%4]), b, c
		}
		for i, k := range [16]int{0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15} {
			g := b&c | b&d | c&d
			a, b, c, d = d, bits.RotateLeft32(a+g+x[k]+0x5a827999, [4]int{3, 5, 9, 13}[i%4]), b, c
		}
		for i, k := range [16]int{0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15} {
			h := b ^ c ^ d
			a, b, c, d = d, bits.RotateLeft32(a+h+x[k]+0x6ed9eba1, [4]int{3, 9, 11, 15}[i%4]), b, c
		}
		a, b, c, d = a+aa, b+bb, c+cc, d+dd
	}
	out := make([]byte, 0, 16)
	for _, w := range []uint32{a, b, c, d} {
		out = binary.LittleEndian.AppendUint32(out, w)
	}
	return out
}
